from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jiedu.accounts import otp, services, sessions
from jiedu.accounts.forms import PasswordChangeForm, TokenForm
from jiedu.organisation.scoping import active_memberships


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


def _next_url(request, default="dashboard:home") -> str:
    """Where to go after a step: ``next`` if it stays on this site, else the default page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def _with_query(url: str, request) -> str:
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    """The second step of the login: the code from the authenticator app."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    device = otp.confirmed_device(request.user)
    if device is None:
        return redirect(_with_query(reverse("accounts:otp_setup"), request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.refusal(device):
            form.add_error("token", _("Too many wrong codes. Wait a minute, then enter the newest code."))
        elif otp.verify(request, form.cleaned_data["token"]):
            return redirect(_next_url(request))
        else:
            form.add_error("token", _("This code is wrong, expired or already used. Enter the newest code."))
    context = {"form": form, "next": _next_url(request), "hide_nav": True}
    return render(request, "accounts/otp_verify.html", context, status=400 if form.errors else 200)


def _may_enrol(request) -> bool:
    # With a confirmed device, only a verified session may replace it: a password alone must not.
    return request.user.is_verified() or otp.confirmed_device(request.user) is None


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    """Enrol an authenticator app: scan the QR code (or type the secret), confirm with a first code."""
    if not _may_enrol(request):
        return redirect(_with_query(reverse("accounts:otp_verify"), request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if otp.confirm_setup(request, form.cleaned_data["token"]):
            messages.success(
                request, _("Your authenticator app is set up. You will need a code at every login.")
            )
            return redirect(_next_url(request))
        form.add_error(
            "token", _("This code does not match. Check the clock of your phone and enter the newest code.")
        )
    key = otp.pending_key(request)
    context = {
        "form": form,
        "next": _next_url(request),
        "secret": otp.secret_for_display(key),
        "required": otp.required_for(request.user),
        "has_device": otp.confirmed_device(request.user) is not None,
        "hide_nav": not request.user.is_verified(),
    }
    return render(request, "accounts/otp_setup.html", context, status=400 if form.errors else 200)


@require_GET
def otp_qr(request):
    """The pending secret as a QR code, drawn here (no external service ever sees the secret)."""
    key = request.session.get(otp.PENDING_KEY)
    if not key or not _may_enrol(request):
        raise Http404
    svg = otp.qr_svg(otp.provisioning_uri(request.user, key))
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "no-store"
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("dashboard:home")

    def get_context_data(self, **kwargs):
        user = self.request.user
        expired = services.password_expired(user)
        return super().get_context_data(
            **kwargs,
            expired=expired,
            expires_at=services.password_expires_at(user),
            next=_next_url(self.request),
        )

    def form_valid(self, form):
        old_key = self.request.session.session_key
        response = super().form_valid(form)  # saves, then update_session_auth_hash: a new session key
        sessions.follow_key(old_key, self.request.session.session_key)
        services.password_changed(self.request, form.user)
        messages.success(
            self.request, _("Your password has been changed. Other sessions of yours have ended.")
        )
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def get_success_url(self):
        return _next_url(self.request)


@require_POST
def switch_facility(request):
    """Choose which facility the pages show; empty means every facility the user may see."""
    raw = request.POST.get("facility", "")
    allowed = {str(m.facility_id) for m in active_memberships(request.user) if m.facility_id}
    if raw and raw not in allowed:
        return HttpResponseBadRequest()
    if raw:
        request.session["active_facility_id"] = int(raw)
    else:
        request.session.pop("active_facility_id", None)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
