"""Per-request login rules for session users; token-authenticated API clients (tablets) never
pass through them, since Django's request.user only ever comes from the session.

- SessionLifetimeMiddleware: the absolute lifetime (JIEDU_SESSION_ABSOLUTE_HOURS), after which even
  an active session must log in again (the idle timeout is Django's SESSION_COOKIE_AGE);
- SecondFactorMiddleware: a password-only session of someone who needs the second factor reaches
  nothing but the code step (pages: 302 there; API: 401);
- PasswordExpiryMiddleware: an expired password reaches nothing but the change page (API: 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from jiedu.accounts import otp, services, sessions
from jiedu.audit import services as audit

# Reachable whatever step the login is at (logging out must always work).
ALWAYS_OPEN = ("/accounts/login/", "/accounts/logout/", "/static/", "/i18n/", "/healthz")
SECOND_FACTOR_PATHS = ("/accounts/otp/",)
PASSWORD_CHANGE_PATHS = ("/accounts/password/",)


def _is_api(request) -> bool:
    return request.path.startswith("/api/")


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and sessions.outlived(request):
            audit.record(actor=request.user, action="auth.session_expired", facility_id=None)
            logout(request)  # the request carries on anonymous: pages redirect to the login, the API 403s
            messages.info(request, _("Your session has reached its maximum length. Please log in again."))
        return self.get_response(request)


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(ALWAYS_OPEN + SECOND_FACTOR_PATHS)
        ):
            step = otp.step_needed(user)
            if step is not None:
                return self._refuse(request, step)
        return self.get_response(request)

    def _refuse(self, request, step):
        if _is_api(request):
            response = JsonResponse(
                {"detail": _("Enter the code from your authenticator app first."), "code": "otp_required"},
                status=401,
            )
            response["WWW-Authenticate"] = 'Session realm="jiedu", error="otp_required"'
            return response
        url = reverse("accounts:otp_verify" if step == otp.VERIFY else "accounts:otp_setup")
        return redirect_to_login(request.get_full_path(), login_url=url)


class PasswordExpiryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and services.password_expired(user)
            and not request.path.startswith(ALWAYS_OPEN + SECOND_FACTOR_PATHS + PASSWORD_CHANGE_PATHS)
        ):
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": _("Your password has expired. Change it in the browser."),
                        "code": "password_expired",
                    },
                    status=403,
                )
            return redirect_to_login(request.get_full_path(), login_url=reverse("accounts:password_change"))
        return self.get_response(request)
