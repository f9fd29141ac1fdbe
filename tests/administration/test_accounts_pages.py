"""The administrators' pages at work: the system administrator's logins and roles, and the audit
administrator's view of the audit chain (the same check as ``verify-audit``)."""

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from jiedu.accounts.models import User
from jiedu.administration import services
from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import DomainError
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role


@pytest.fixture
def sysadmin(member):
    return member(Role.SYSTEM_ADMIN, None, username="sysadmin_t")


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_login_is_created_with_a_strong_password_only(sysadmin):
    client = _client(sysadmin)
    weak = client.post("/administration/accounts/create/", {"username": "zhang", "password": "12345678"})
    assert weak.status_code == 400 and 'id="id_password-error"' in weak.content.decode()
    taken = client.post(
        "/administration/accounts/create/", {"username": "SYSADMIN_T", "password": "Long-Enough-Pass-2026"}
    )
    assert taken.status_code == 400 and 'id="id_username-error"' in taken.content.decode()
    assert (
        client.post(
            "/administration/accounts/create/",
            {"username": "zhang", "display_name": "张警官", "password": "Long-Enough-Pass-2026"},
        ).status_code
        == 302
    )
    user = User.objects.get(username="zhang")
    assert user.check_password("Long-Enough-Pass-2026") and not user.memberships.exists()
    event = AuditEvent.objects.get(action="user.created")
    assert event.target_id == str(user.pk) and "Long-Enough" not in str(event.changed_fields)


def test_roles_are_granted_revoked_and_granted_again(sysadmin, facility_a, facility_b):
    user = User.objects.create_user("li", password="Long-Enough-Pass-2026")
    first = services.grant_membership(
        actor=sysadmin, user=user, role=Role.FACILITY_OFFICER, facility=facility_a
    )
    services.grant_membership(actor=sysadmin, user=user, role=Role.MEDICAL_STAFF, facility=facility_b)
    with pytest.raises(DomainError):
        services.grant_membership(actor=sysadmin, user=user, role=Role.FACILITY_OFFICER, facility=facility_a)
    with pytest.raises(DomainError):  # a bureau role is not held for one facility
        services.grant_membership(actor=sysadmin, user=user, role=Role.BUREAU_LEADER, facility=facility_a)
    services.revoke_membership(actor=sysadmin, membership=first)
    with pytest.raises(DomainError):
        services.revoke_membership(actor=sysadmin, membership=first)
    again = services.grant_membership(
        actor=sysadmin, user=user, role=Role.FACILITY_LEADER, facility=facility_a
    )
    assert again.pk == first.pk and again.is_active and again.role == Role.FACILITY_LEADER
    assert Membership.objects.filter(user=user, is_active=True).count() == 2


def test_one_bureau_wide_role_per_login(sysadmin):
    user = User.objects.create_user("wang", password="Long-Enough-Pass-2026")
    services.grant_membership(actor=sysadmin, user=user, role=Role.BUREAU_LEADER)
    with pytest.raises(DomainError):
        services.grant_membership(actor=sysadmin, user=user, role=Role.BUREAU_SUPERVISOR)
    bureau = user.memberships.get()
    services.revoke_membership(actor=sysadmin, membership=bureau)
    swapped = services.grant_membership(actor=sysadmin, user=user, role=Role.BUREAU_SUPERVISOR)
    assert swapped.pk == bureau.pk and swapped.role == Role.BUREAU_SUPERVISOR


def test_disabling_a_login_ends_its_sessions_and_enabling_brings_it_back(sysadmin, member, facility_a):
    officer = member(Role.FACILITY_OFFICER, facility_a, username="wu")
    theirs = Client()
    assert (
        theirs.post("/accounts/login/", {"username": "wu", "password": "Factory-Pass-2026!"}).status_code
        == 302
    )
    assert theirs.get("/residents/").status_code == 200
    admin = _client(sysadmin)
    assert admin.post("/administration/accounts/disable/", {"user": officer.pk}).status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert theirs.get("/residents/").status_code == 302  # logged out
    assert not any(s.get_decoded().get("_auth_user_id") == str(officer.pk) for s in Session.objects.all())
    assert admin.post("/administration/accounts/disable/", {"user": officer.pk}).status_code == 400
    assert admin.post("/administration/accounts/enable/", {"user": officer.pk}).status_code == 302
    officer.refresh_from_db()
    assert officer.is_active


def test_nobody_disables_themself(sysadmin):
    response = _client(sysadmin).post("/administration/accounts/disable/", {"user": sysadmin.pk})
    assert response.status_code == 400
    sysadmin.refresh_from_db()
    assert sysadmin.is_active


def test_the_accounts_page_lists_logins_and_roles_without_personal_records(sysadmin, member, facility_a):
    member(Role.FACILITY_OFFICER, facility_a, username="zhao")
    page = _client(sysadmin).get("/administration/accounts/", {"q": "zhao"}).content.decode()
    assert "zhao" in page and "sysadmin_t" not in page.split('id="accounts"')[1]
    assert "administration/accounts/grant/" in page and 'value="system_admin"' not in page


def test_bad_input_on_every_form_is_a_400_never_a_500(sysadmin):
    client = _client(sysadmin)
    for path, data in (
        ("/administration/accounts/grant/", {"username": "nobody", "role": "facility_officer"}),
        ("/administration/accounts/grant/", {"username": "", "role": "king"}),
        ("/administration/accounts/revoke/", {"membership": "x"}),
        ("/administration/accounts/revoke/", {"membership": "999999"}),
        ("/administration/accounts/disable/", {"user": "999999"}),
        ("/administration/accounts/enable/", {}),
    ):
        assert client.post(path, data).status_code == 400, (path, data)


def test_the_chain_page_says_intact_then_names_the_forged_row(member, settings):
    auditor = member(Role.AUDIT_ADMIN, None)
    client = _client(auditor)
    page = client.get("/administration/audit-chain/").content.decode()
    assert 'class="chain-ok"' in page
    settings.JIEDU_AUDIT_KEY = "Zm9yZ2VkLWtleS1vZi1hbi1pbnRydWRlci0wMDAwMDA="  # an intruder's own key
    forged = audit.record(actor=None, action="auth.login", facility_id=None)
    settings.JIEDU_AUDIT_KEY = "ZGV2LWluc2VjdXJlLWF1ZGl0LWNoYWluLWtleS0wMDA="
    page = client.get("/administration/audit-chain/").content.decode()
    assert 'class="chain-broken"' in page and f" {forged.pk} " in page
    checked = AuditEvent.objects.filter(action="audit.chain_verified").order_by("id")
    assert [e.outcome for e in checked] == ["success", "failed"]
