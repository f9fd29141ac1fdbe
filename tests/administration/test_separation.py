"""ACL-06 (等保 8.1.4.2d, 8.1.5.1–8.1.5.3, 三员分立): the system, security and audit administrators are
distinct. Each is refused the other two's functions, none reads residents' or staff's personal data,
no login holds two administrator roles or an administrator role and any other, and each
administrator's actions are audited."""

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from rest_framework.test import APIClient

from factories import ResidentFactory, StaffFactory, UserFactory
from jiedu.administration import services
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import ADMIN_ROLES, Role

SYSTEM, SECURITY, AUDIT = Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN

# Each administrator's functions: (method, path, data). GETs open the duty's pages; POSTs act.
FUNCTIONS = {
    SYSTEM: [
        ("get", "/administration/accounts/", None),
        (
            "post",
            "/administration/accounts/create/",
            {"username": "newbie", "password": "Long-Enough-Pass-2026"},
        ),
        ("post", "/administration/accounts/grant/", {"username": "target", "role": "facility_officer"}),
        ("post", "/administration/accounts/revoke/", {"membership": "1"}),
        ("post", "/administration/accounts/disable/", {"user": "1"}),
        ("post", "/administration/accounts/enable/", {"user": "1"}),
    ],
    SECURITY: [
        ("get", "/accounts/security/", None),
        ("post", "/accounts/security/unlock/", {"username": "target"}),
        ("post", "/accounts/security/end-sessions/", {"sessions-username": "target"}),
        ("post", "/accounts/security/reset-second-factor/", {"otp-username": "target"}),
    ],
    AUDIT: [
        ("get", "/audit/", None),
        ("get", "/privacy/access-log/", None),
        ("get", "/administration/audit-chain/", None),
    ],
}


@pytest.fixture
def admins(member):
    return {role: member(role, None, username=f"{role}_login") for role in (SYSTEM, SECURITY, AUDIT)}


@pytest.fixture
def target(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a, username="target")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _call(client, method, path, data):
    return client.get(path) if method == "get" else client.post(path, data or {})


@pytest.mark.parametrize("role", [SYSTEM, SECURITY, AUDIT])
def test_each_administrator_is_refused_the_other_two_duties(admins, target, role):
    client = _client(admins[role])
    for other, functions in FUNCTIONS.items():
        if other == role:
            continue
        for method, path, data in functions:
            response = _call(client, method, path, data)
            assert response.status_code == 403, f"{role} {method.upper()} {path} → {response.status_code}"
    # Nothing happened: no login created, the target untouched, and every refusal audited.
    assert not Membership.objects.filter(user__username="newbie").exists()
    target.refresh_from_db()
    assert target.is_active
    denied = AuditEvent.objects.filter(actor=admins[role], outcome="denied").count()
    assert denied == sum(len(f) for other, f in FUNCTIONS.items() if other != role)


@pytest.mark.parametrize("role", [SYSTEM, SECURITY, AUDIT])
def test_each_administrator_opens_their_own_duty(admins, role):
    client = _client(admins[role])
    for method, path, _data in FUNCTIONS[role]:
        if method == "get":
            assert client.get(path).status_code == 200, path
    home = client.get("/administration/").content.decode()
    shown = {
        r
        for r, marker in ((SYSTEM, "duty-accounts"), (SECURITY, "duty-security"), (AUDIT, "duty-audit"))
        if marker in home
    }
    assert shown == {role}


@pytest.mark.parametrize("role", [SYSTEM, SECURITY, AUDIT])
def test_no_administrator_reads_personal_data(admins, facility_a, role):
    resident = ResidentFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)
    client = _client(admins[role])
    api = APIClient()
    api.force_authenticate(admins[role])
    refused = [
        "/residents/", f"/residents/{resident.pk}/", "/staff/", f"/staff/{staff.pk}/", "/residents/export/",
        "/staff/export/",
    ]  # fmt: skip
    for path in refused:
        response = client.get(path)
        assert response.status_code in (403, 404), f"{role} GET {path} → {response.status_code}"
    # Ledgers that name people show an administrator none of them (their scope is empty).
    for path in [*refused, "/health/log/", "/isolation/stays/", "/overseas/", "/leave/review/", "/"]:
        body = client.get(path).content.decode()
        assert resident.name not in body and staff.name not in body, path
    for path in (
        "/api/v1/residents/",
        f"/api/v1/residents/{resident.pk}/",
        "/api/v1/staff/",
        f"/api/v1/staff/{staff.pk}/",
    ):
        response = api.get(path)
        assert response.status_code in (403, 404), f"{role} GET {path} → {response.status_code}"
    reveal = client.post(
        f"/privacy/residents/{resident.pk}/reveal/", {"field": "id_number", "purpose": "核对身份信息"}
    )
    assert reveal.status_code in (403, 404)


# --- One administrator role per login, and nothing else next to it --------------------------------


def test_a_second_administrator_role_is_refused_by_the_service_and_the_database(admins):
    system_admin = admins[SYSTEM]
    for role in (SECURITY, AUDIT):
        with pytest.raises(DomainError):
            services.appoint_administrator(actor=None, user=system_admin, role=role)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=system_admin, facility=None, role=AUDIT)
    assert list(Membership.objects.filter(user=system_admin).values_list("role", flat=True)) == [SYSTEM]


def test_an_administrator_gets_no_business_role_and_a_business_login_is_not_appointed(
    admins, member, facility_a
):
    operator = UserFactory()
    services.appoint_administrator(actor=None, user=operator, role=SECURITY)
    grantor = admins[SYSTEM]
    for role, facility in ((Role.FACILITY_OFFICER, facility_a), (Role.BUREAU_LEADER, None)):
        with pytest.raises(DomainError):
            services.grant_membership(actor=grantor, user=operator, role=role, facility=facility)
    officer = member(Role.FACILITY_OFFICER, facility_a)
    with pytest.raises(DomainError):
        services.appoint_administrator(actor=None, user=officer, role=AUDIT)
    assert Membership.objects.filter(user=officer).count() == 1


def test_the_system_administrator_cannot_hand_out_administrator_roles(admins, member, facility_a):
    newcomer = UserFactory(username="newcomer")
    for role in ADMIN_ROLES:
        with pytest.raises(DomainError):
            services.grant_membership(actor=admins[SYSTEM], user=newcomer, role=role)
    response = _client(admins[SYSTEM]).post(
        "/administration/accounts/grant/", {"username": "newcomer", "role": AUDIT}
    )
    assert response.status_code == 400 and not Membership.objects.filter(user=newcomer).exists()
    # Nor change their own roles, nor reach another administrator's login.
    with pytest.raises(DomainError):
        services.grant_membership(
            actor=admins[SYSTEM], user=admins[SYSTEM], role=Role.FACILITY_LEADER, facility=facility_a
        )
    with pytest.raises(DomainError):
        services.disable_account(actor=admins[SYSTEM], user=admins[AUDIT])
    with pytest.raises(DomainError):
        services.revoke_membership(actor=admins[SYSTEM], membership=admins[AUDIT].memberships.get())


def test_only_deployment_appoints_administrators(admins):
    with pytest.raises(AccessDenied):
        services.appoint_administrator(actor=admins[SYSTEM], user=UserFactory(), role=AUDIT)
    superuser = UserFactory(is_superuser=True)
    appointed = services.appoint_administrator(actor=superuser, user=UserFactory(), role=AUDIT)
    assert appointed.role == AUDIT and appointed.facility_id is None


# --- Every administrator action is audited ---------------------------------------------------------


def test_every_administrator_action_leaves_an_audit_row(admins, target, facility_a, resident_for_log):
    system, security, auditor = (_client(admins[r]) for r in (SYSTEM, SECURITY, AUDIT))
    steps = [
        (system, "/administration/accounts/create/", {"username": "newbie", "display_name": "新同事", "password": "Long-Enough-Pass-2026"}, "user.created"),
        (system, "/administration/accounts/grant/", {"username": "newbie", "role": "facility_officer", "facility": facility_a.pk}, "membership.granted"),
        (system, "/administration/accounts/revoke/", {"membership": lambda: Membership.objects.get(user__username="newbie").pk}, "membership.revoked"),
        (system, "/administration/accounts/disable/", {"user": lambda: target.pk}, "user.disabled"),
        (system, "/administration/accounts/enable/", {"user": lambda: target.pk}, "user.enabled"),
        (security, "/accounts/security/end-sessions/", {"sessions-username": "target"}, "auth.sessions_ended"),
        (security, "/accounts/security/reset-second-factor/", {"otp-username": "target"}, "otp.device_reset"),
        (security, "/accounts/security/unlock/", {"username": "target"}, "auth.unlocked"),
        (auditor, "/audit/", None, "audit.trail_viewed"),
        (auditor, "/privacy/access-log/", None, "privacy.access_log_viewed"),
        (auditor, "/administration/audit-chain/", None, "audit.chain_verified"),
    ]  # fmt: skip
    for client, path, data, action in steps:
        before = AuditEvent.objects.filter(action=action).count()
        if data is None:
            response = client.get(path)
            assert response.status_code == 200, path
        else:
            response = client.post(path, {k: (v() if callable(v) else v) for k, v in data.items()})
            assert response.status_code == 302, (
                f"{path}: {response.status_code} {response.content.decode()[:300]}"
            )
        event = AuditEvent.objects.filter(action=action).order_by("-id").first()
        assert AuditEvent.objects.filter(action=action).count() == before + 1, action
        assert event.actor_id is not None and event.outcome in ("success", "failed") and event.role in {
            SYSTEM, SECURITY, AUDIT,
        }, (action, event.role)  # fmt: skip
        # LOG-01: when (aware), from where, in which request.
        assert event.occurred_at.tzinfo is not None and event.ip == "127.0.0.1" and event.request_id, action


@pytest.fixture
def resident_for_log(facility_a):
    return ResidentFactory(facility=facility_a)


def test_the_deployment_command_appoints_and_refuses_a_second_role(db, capsys):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    operator = UserFactory(username="ops_audit")
    call_command("appoint_administrator", "ops_audit", AUDIT)
    assert "ops_audit is now audit_admin" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("appoint_administrator", "ops_audit", SYSTEM)
    event = AuditEvent.objects.get(action="membership.administrator_appointed")
    assert event.actor_id is None and event.target_id == str(operator.memberships.get().pk)
