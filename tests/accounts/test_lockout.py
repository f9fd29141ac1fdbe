"""AUTH-03 (等保 8.1.4.1b; ASVS 6.3.1) and AUTH-04 (ASVS 6.1.1, 2.4.1): lockout and throttling.

A username is locked after 5 wrong passwords for 30 minutes (even the right password is refused);
one address trying many usernames is stopped before any of those accounts is locked; every lock
is audited and the security administrator can lift it.
"""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.test import Client

from conftest import T0, password_login
from factories import UserFactory
from jiedu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

WRONG = "Not-The-Password-2026"


def test_the_configuration_is_five_failures_for_thirty_minutes_by_username(settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == datetime.timedelta(minutes=30)
    assert "username" in settings.AXES_LOCKOUT_PARAMETERS
    assert settings.AXES_HANDLER == "jiedu.accounts.lockout.LockoutHandler"
    assert settings.AXES_FAILURE_LIMIT < settings.JIEDU_LOGIN_IP_FAILURE_LIMIT


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(officer):
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        statuses = [password_login(client, "officer_a", WRONG).status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        refused = password_login(client, "officer_a")  # the right password, during the lock
        assert refused.status_code == 429
        assert refused["Retry-After"] == "1800"
        assert b"data-lockout" in refused.content
        # From another address too: the lock is on the account, not the address.
        assert password_login(Client(), "officer_a", ip="10.9.9.9").status_code == 429

        traveller.shift(datetime.timedelta(minutes=29))
        assert password_login(client, "officer_a").status_code == 429
        traveller.shift(datetime.timedelta(minutes=2))  # 31 minutes after the lock
        allowed = password_login(client, "officer_a")
    assert allowed.status_code == 302 and allowed["Location"] == "/"

    locks = AuditEvent.objects.filter(action="auth.locked_out")
    assert locks.count() == 1  # one row per lock, not per refused attempt
    lock = locks.get()
    assert lock.target_type == "accounts.user" and lock.target_id == str(officer.pk)
    assert lock.outcome == AuditEvent.Outcome.DENIED and lock.ip == "10.1.1.1"


def test_a_success_resets_the_count(officer):
    client = Client()
    for _ in range(4):
        password_login(client, "officer_a", WRONG)
    assert password_login(client, "officer_a").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert password_login(client, "officer_a", WRONG).status_code == 200


def test_one_address_spraying_many_usernames_is_stopped_before_any_account_locks(officer, settings):
    limit = settings.JIEDU_LOGIN_IP_FAILURE_LIMIT
    for i in range(30):
        UserFactory(username=f"sprayed{i}")
    attacker = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        statuses = [
            password_login(attacker, f"sprayed{i}", WRONG, ip="10.6.6.6").status_code for i in range(30)
        ]
        assert statuses.index(429) == limit - 1
        assert set(statuses[limit - 1 :]) == {429}
        # No account reached its own limit: each owner logs in from their own desk.
        assert max(a.failures_since_start for a in AccessAttempt.objects.all()) == 1
        assert password_login(Client(), "sprayed0", ip="10.2.2.2").status_code == 302
        # The address itself is blocked, even with a right password.
        assert password_login(attacker, "officer_a", ip="10.6.6.6").status_code == 429
        traveller.shift(datetime.timedelta(minutes=31))
        assert password_login(Client(), "officer_a", ip="10.6.6.6").status_code == 302
    assert AuditEvent.objects.filter(action="auth.ip_throttled", ip="10.6.6.6").count() == 1


def test_the_security_administrator_sees_and_lifts_a_username_lock(officer, admin_client, security_admin):
    for _ in range(5):
        password_login(Client(), "officer_a", WRONG)
    assert password_login(Client(), "officer_a").status_code == 429

    page = admin_client.get("/accounts/security/")
    assert page.status_code == 200
    assert "officer_a" in page.content.decode()

    response = admin_client.post("/accounts/security/unlock/", {"username": "officer_a"})
    assert response.status_code == 302
    assert password_login(Client(), "officer_a").status_code == 302
    unlocked = AuditEvent.objects.get(action="auth.unlocked")
    assert unlocked.actor == security_admin and unlocked.target_id == str(officer.pk)


def test_the_security_administrator_lifts_an_address_block(officer, admin_client, security_admin, settings):
    settings.JIEDU_LOGIN_IP_FAILURE_LIMIT = 6
    for i in range(6):
        password_login(Client(), f"nobody{i}", WRONG, ip="10.6.6.6")
    assert password_login(Client(), "officer_a", ip="10.6.6.6").status_code == 429
    assert "10.6.6.6" in admin_client.get("/accounts/security/").content.decode()

    assert (
        admin_client.post("/accounts/security/unblock-address/", {"ip_address": "10.6.6.6"}).status_code
        == 302
    )
    assert password_login(Client(), "officer_a", ip="10.6.6.6").status_code == 302
    assert AuditEvent.objects.get(action="auth.ip_unblocked").actor == security_admin


@pytest.mark.parametrize("role_fixture", ["officer", "system_admin", "leader"])
def test_only_the_security_administrator_may_unlock(role_fixture, request, officer):
    for _ in range(5):
        password_login(Client(), "officer_a", WRONG)
    client = Client()
    client.force_login(request.getfixturevalue(role_fixture))
    assert client.get("/accounts/security/").status_code == 403
    assert client.post("/accounts/security/unlock/", {"username": "officer_a"}).status_code == 403
    assert client.post("/accounts/security/unblock-address/", {"ip_address": "10.1.1.1"}).status_code == 403
    assert password_login(Client(), "officer_a").status_code == 429


def test_bad_unlock_input_is_refused_without_a_crash(admin_client):
    assert (
        admin_client.post("/accounts/security/unblock-address/", {"ip_address": "not-an-ip"}).status_code
        == 302
    )
    assert admin_client.post("/accounts/security/unlock/", {}).status_code == 302
    assert not AuditEvent.objects.filter(action__in=["auth.unlocked", "auth.ip_unblocked"]).exists()
