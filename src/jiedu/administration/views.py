"""The three administrators' pages (三员分立). Each page checks its own duty; none shows personal data."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from jiedu.administration import selectors, services
from jiedu.administration.forms import AccountForm, GrantForm, MembershipForm, UserCreateForm
from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied
from jiedu.common.pages import call_service
from jiedu.organisation.roles import MANAGE_ACCOUNTS, MANAGE_SECURITY, VIEW_ACCESS_LOG, VIEW_AUDIT
from jiedu.organisation.scoping import can, require

PAGE_SIZE = 50


def duties(user) -> dict[str, bool]:
    """Which administrator duties ``user`` holds; each is bureau-wide."""
    return {
        "accounts": can(user, MANAGE_ACCOUNTS, None),
        "security": can(user, MANAGE_SECURITY, None),
        "audit": can(user, VIEW_AUDIT, None) and can(user, VIEW_ACCESS_LOG, None),
    }


@require_GET
def home(request):
    held = duties(request.user)
    if not any(held.values()):
        raise AccessDenied("administration.view", None)
    return render(request, "administration/home.html", {"duties": held})


@require_GET
def accounts(request):
    require(request.user, MANAGE_ACCOUNTS, None)
    return _accounts_page(request)


def _accounts_page(request, *, status=200, **forms):
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.accounts(q), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "create_form": forms.get("create_form") or UserCreateForm(),
        "grant_form": forms.get("grant_form") or GrantForm(user=request.user),
        "row_form": forms.get("row_form"),
    }
    return render(request, "administration/accounts.html", context, status=status)


def _done(request, message):
    messages.success(request, message)
    return redirect("administration:accounts")


@require_POST
def account_create(request):
    require(request.user, MANAGE_ACCOUNTS, None)
    form = UserCreateForm(request.POST)
    if form.is_valid():
        user = call_service(form, services.create_user, actor=request.user, **form.cleaned_data)
        if user is not None:
            return _done(request, _("Login %(name)s created.") % {"name": user.username})
    return _accounts_page(request, status=400, create_form=form)


@require_POST
def membership_grant(request):
    require(request.user, MANAGE_ACCOUNTS, None)
    form = GrantForm(request.POST, user=request.user)
    if form.is_valid():
        user = selectors.user_by_username(form.cleaned_data["username"])
        if user is None:
            form.add_error("username", _("No login has this name."))
        else:
            granted = call_service(
                form, services.grant_membership, actor=request.user, user=user,
                role=form.cleaned_data["role"], facility=form.cleaned_data["facility"],
            )  # fmt: skip
            if granted is not None:
                return _done(request, _("Role granted to %(name)s.") % {"name": user.username})
    return _accounts_page(request, status=400, grant_form=form)


@require_POST
def membership_revoke(request):
    require(request.user, MANAGE_ACCOUNTS, None)
    form = MembershipForm(request.POST)
    membership = selectors.membership(form.cleaned_data["membership"]) if form.is_valid() else None
    if membership is None:
        form.add_error(None, _("No such role."))
    elif (
        call_service(form, services.revoke_membership, actor=request.user, membership=membership) is not None
    ):
        return _done(request, _("Role revoked from %(name)s.") % {"name": membership.user.username})
    return _accounts_page(request, status=400, row_form=form)


def _account_change(request, service, message):
    require(request.user, MANAGE_ACCOUNTS, None)
    form = AccountForm(request.POST)
    user = selectors.user_by_id(form.cleaned_data["user"]) if form.is_valid() else None
    if user is None:
        form.add_error(None, _("No such login."))
    elif call_service(form, service, actor=request.user, user=user) is not None:
        return _done(request, message % {"name": user.username})
    return _accounts_page(request, status=400, row_form=form)


@require_POST
def account_disable(request):
    return _account_change(
        request, services.disable_account, _("Login %(name)s disabled; its sessions ended.")
    )


@require_POST
def account_enable(request):
    return _account_change(request, services.enable_account, _("Login %(name)s enabled."))


@require_GET
def audit_chain(request):
    """The audit administrator runs the same check as ``verify-audit`` and sees where it breaks."""
    if not duties(request.user)["audit"]:
        raise AccessDenied(VIEW_ACCESS_LOG, None)
    status = selectors.audit_chain_status()
    audit.record(
        actor=request.user,
        action="audit.chain_verified",
        facility_id=None,
        changed_fields=[f"rows:{status.checked}"]
        + ([f"broken_at:{status.broken_at}"] if status.broken_at else []),
        outcome=AuditEvent.Outcome.SUCCESS if status.intact else AuditEvent.Outcome.FAILED,
    )
    return render(request, "administration/audit_chain.html", {"status": status})
