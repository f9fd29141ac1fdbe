"""The security administrator's pages (三员分立: MANAGE_SECURITY only): login locks, sessions and
second factors. Every action is audited by the service it calls."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiedu.accounts import lockout, otp, services
from jiedu.accounts.forms import UnblockAddressForm, UnlockForm, UsernameForm
from jiedu.organisation.roles import MANAGE_SECURITY
from jiedu.organisation.scoping import require


@require_GET
def overview(request):
    require(request.user, MANAGE_SECURITY, None)
    return _render(request)


def _render(request, forms=None, status=200):
    context = {
        "locked_usernames": lockout.locked_usernames(),
        "throttled_addresses": lockout.throttled_addresses(),
        "sessions_form": UsernameForm(prefix="sessions"),
        "otp_form": UsernameForm(prefix="otp"),
        **(forms or {}),
    }
    return render(request, "accounts/security.html", context, status=status)


def _back(request, message):
    messages.success(request, message)
    return redirect("accounts:security")


@require_POST
def unlock(request):
    require(request.user, MANAGE_SECURITY, None)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:security")  # the buttons post a listed name: nothing to explain
    lockout.unlock_username(actor=request.user, username=form.cleaned_data["username"])
    return _back(request, _("The login %(username)s is unlocked.") % form.cleaned_data)


@require_POST
def unblock_address(request):
    require(request.user, MANAGE_SECURITY, None)
    form = UnblockAddressForm(request.POST)
    if not form.is_valid():
        return redirect("accounts:security")
    lockout.unblock_address(actor=request.user, ip_address=form.cleaned_data["ip_address"])
    return _back(request, _("Logins from %(ip_address)s are allowed again.") % form.cleaned_data)


@require_POST
def end_sessions(request):
    require(request.user, MANAGE_SECURITY, None)
    form = UsernameForm(request.POST, prefix="sessions")
    if not form.is_valid():
        return _refused(request, {"sessions_form": form})
    count = services.end_user_sessions(actor=request.user, user=form.user)
    return _back(
        request, _("%(count)d session(s) of %(username)s ended.") % {"count": count, **form.cleaned_data}
    )


@require_POST
def reset_second_factor(request):
    require(request.user, MANAGE_SECURITY, None)
    form = UsernameForm(request.POST, prefix="otp")
    if not form.is_valid():
        return _refused(request, {"otp_form": form})
    otp.reset_devices(actor=request.user, user=form.user)
    return _back(
        request,
        _("The authenticator of %(username)s is removed; a new one is set up at the next login.")
        % form.cleaned_data,
    )


def _refused(request, forms):
    return _render(request, forms, status=400)  # the page again, the error next to its field
