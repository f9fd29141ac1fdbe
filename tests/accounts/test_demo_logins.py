"""The demo follows the login rules: administrator logins exist, leaders and administrators have a
second factor whose code `python -m jiedu demo-otp <username>` prints, and the table says so."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import OTP_URL, password_login
from jiedu.demo import otp as demo_otp
from jiedu.demo import region
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import ADMIN_ROLES, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    out = StringIO()
    call_command("seed_demo", "--facilities", "1", stdout=out)
    return out.getvalue()


def test_each_administrator_role_has_a_demo_login():
    by_role = {spec.role: spec for spec in region.LOGINS}
    assert {by_role[r].username for r in ADMIN_ROLES} == {"sysadmin", "secadmin", "auditadmin"}
    assert all(by_role[r].facilities == () for r in ADMIN_ROLES)


def test_leaders_and_administrators_get_a_demo_authenticator_and_the_table_says_so(seeded, settings):
    required = [s for s in region.LOGINS if s.role in settings.JIEDU_OTP_REQUIRED_ROLES]
    for spec in required:
        if not Membership.objects.filter(user__username=spec.username).exists():
            continue  # a login of a facility this partial seed left out
        device = TOTPDevice.objects.get(user__username=spec.username)
        assert device.confirmed and device.key == demo_otp.demo_key(spec.username)
        assert f"demo-otp {spec.username}" in seeded
    assert not TOTPDevice.objects.filter(user__username="prosecutor").exists()
    second = StringIO()
    call_command("seed_demo", "--quiet", "--facilities", "1", stdout=second)
    assert "本次写入 0 行" in second.getvalue()


def test_demo_otp_prints_a_code_the_login_accepts(seeded, settings):
    out = StringIO()
    call_command("demo_otp", "secadmin", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert len(code) == 6 and code.isdigit()
    client = Client()
    assert password_login(client, "secadmin", settings.DEMO_PASSWORD).status_code == 302
    assert client.post(OTP_URL, {"token": code})["Location"] == "/"
    assert client.get("/accounts/security/").status_code == 200
    assert Membership.objects.get(user__username="secadmin").role == Role.SECURITY_ADMIN


def test_demo_otp_refuses_other_logins_and_production(seeded, settings, member):
    user = member(Role.BUREAU_SUPERVISOR, None, username="real_person")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    with pytest.raises(CommandError):
        call_command("demo_otp", "real_person", stdout=StringIO())
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("demo_otp", "secadmin", stdout=StringIO())
