"""Login steps as a browser takes them: the password form, then the code form.

These clients never use the shared conftest's verified ``force_login`` unless a test asks for it:
``password_only`` clients log in with the password alone, as an attacker holding one would.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from factories import PASSWORD
from jiedu.organisation.roles import Role

LOGIN_URL = "/accounts/login/"
OTP_URL = "/accounts/otp/"
SETUP_URL = "/accounts/otp/setup/"
# A fixed instant in the middle of a 30-second TOTP step, so codes are predictable under time-machine.
T0 = datetime.datetime(2026, 11, 24, 9, 0, 10, tzinfo=datetime.UTC)


def code_at(device: TOTPDevice, when: float | None = None, steps: int = 0) -> str:
    """The code ``device`` shows at ``when`` (default: now), ``steps`` time steps later or earlier."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = (when if when is not None else time.time()) + steps * device.step
    return f"{totp.token():06d}"


def password_login(client: Client, username: str, password: str = PASSWORD, *, ip: str = "10.1.1.1", **extra):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def session_key(client: Client) -> str | None:
    cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
    return cookie.value if cookie else None


@pytest.fixture
def password_only_client():
    client = Client()
    client.password_only = True  # tests/conftest.py: force_login gives a password-only session
    return client


@pytest.fixture
def leader(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a, username="leader_a")


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a, username="officer_a")


@pytest.fixture
def security_admin(member):
    return member(Role.SECURITY_ADMIN, None, username="secadmin")


@pytest.fixture
def system_admin(member):
    return member(Role.SYSTEM_ADMIN, None, username="sysadmin")


@pytest.fixture
def device_for():
    def make(user, **fields) -> TOTPDevice:
        return TOTPDevice.objects.create(user=user, name="phone", confirmed=True, **fields)

    return make


@pytest.fixture
def admin_client(security_admin):
    client = Client()
    client.force_login(security_admin)  # verified: tests/conftest.py marks the session
    return client
