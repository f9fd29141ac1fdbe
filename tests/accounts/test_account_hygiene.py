"""AUTH-07 (ASVS 6.3.2; 等保 8.1.4.2b/c): no default accounts, idle accounts disabled by a scheduled
job, no shared accounts (one ID card number, one staff record, one login)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client

from factories import PASSWORD, StaffFactory, UserFactory
from jiedu.accounts import services, tasks
from jiedu.accounts.models import User, UserSession
from jiedu.audit.models import AuditEvent
from jiedu.demo.seeding import system_user

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 24, 2, 15, tzinfo=datetime.UTC)


def _check(*args) -> tuple[str, bool]:
    out = StringIO()
    try:
        call_command("check_accounts", *args, stdout=out)
    except CommandError:
        return out.getvalue(), False
    return out.getvalue(), True


@pytest.mark.parametrize("name", ["admin", "Administrator", "root", "test", "guest"])
def test_a_default_account_name_that_can_log_in_fails_the_check(name):
    user = UserFactory(username=name)
    output, ok = _check()
    assert not ok and name in output
    user.set_unusable_password()
    user.save()
    assert _check()[1]


def test_the_demo_system_actor_cannot_log_in_and_passes_the_check():
    system = system_user()
    assert not system.has_usable_password()
    assert not Client().login(username="system", password="")
    output, ok = _check()
    assert ok, output


def _user_seen(username, days_ago, *, now=NOW, **fields):
    user = UserFactory(username=username, **fields)
    user.date_joined = user.password_changed_at = now - datetime.timedelta(days=days_ago + 10)
    user.last_login = now - datetime.timedelta(days=days_ago)
    user.save()
    return user


def test_accounts_idle_over_ninety_days_are_disabled_by_the_daily_command(settings):
    assert settings.JIEDU_ACCOUNT_IDLE_DAYS == 90
    idle = _user_seen("idle", 91)
    _user_seen("recent", 89)
    never = UserFactory(username="never")
    never.date_joined = never.password_changed_at = NOW - datetime.timedelta(days=120)
    never.save()
    token_only = _user_seen("tablet", 200)
    token_only.set_unusable_password()
    token_only.save()

    with time_machine.travel(NOW, tick=False):
        report_before = services.check_accounts()
        out = StringIO()
        call_command("disable_idle_accounts", "--dry-run", stdout=out)
        assert "idle" in out.getvalue() and User.objects.get(username="idle").is_active
        call_command("disable_idle_accounts", stdout=StringIO())
    assert sorted(report_before.idle_accounts) == ["idle", "never"]

    states = dict(User.objects.values_list("username", "is_active"))
    assert states["idle"] is False and states["never"] is False
    assert states["recent"] is True and states["tablet"] is True
    events = AuditEvent.objects.filter(action="auth.account_disabled_idle")
    assert sorted(events.values_list("target_id", flat=True)) == sorted([str(idle.pk), str(never.pk)])
    assert not Client().login(username="idle", password=PASSWORD)


def test_a_new_password_restarts_the_idle_count():
    """An administrator re-enabling a login sets a new password: the next nightly run spares it."""
    user = _user_seen("returning", 120)
    with time_machine.travel(NOW - datetime.timedelta(days=1), tick=False):
        user.set_password("Back-From-Leave-2026")
        user.save()
    with time_machine.travel(NOW, tick=False):
        assert services.disable_idle_accounts() == []


def test_the_django_tasks_job_disables_the_same_accounts():
    _user_seen("idle", 91)
    with time_machine.travel(NOW, tick=False):
        assert tasks.disable_idle_accounts.call() == ["idle"]
    assert not User.objects.get(username="idle").is_active


def test_the_job_also_forgets_expired_session_index_rows(officer):
    client = Client()
    client.force_login(officer)
    assert UserSession.objects.filter(user=officer).exists()
    with time_machine.travel(datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1), tick=False):
        services.disable_idle_accounts()
    assert not UserSession.objects.filter(user=officer).exists()


def test_one_staff_record_links_to_one_login_and_one_id_number_to_one_staff_record(facility_a):
    first, second = UserFactory(), UserFactory()
    staff = StaffFactory(facility=facility_a, user=first)
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffFactory(facility=facility_a, user=first)  # a login already linked to a staff record
    twin = StaffFactory.build(facility=facility_a, user=second)
    twin.set_id_number(staff.id_number)
    assert twin.id_number_index == staff.id_number_index and twin.police_number != staff.police_number
    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()  # the same person (ID number) again, for a second login
    assert services.check_accounts().shared_staff_logins == []
