"""SESS-01..04 (ASVS 7.2.4, 7.3.1/7.3.2, 7.4.1/7.4.2/7.4.5, 3.3.1/3.3.3/3.3.4; 等保 8.1.4.1b).

New session key at login and after the second factor; 30 minutes idle and 10 hours absolute;
logout, disabling a user and the security administrator end sessions; production cookies are
``__Host-``, Secure, HttpOnly and SameSite=Lax.
"""

from __future__ import annotations

import base64
import datetime
import json
import os
import subprocess
import sys
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.test import Client

from conftest import LOGIN_URL, OTP_URL, T0, code_at, password_login, session_key
from jiedu.accounts import services
from jiedu.accounts.models import UserSession
from jiedu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_session_key_changes_at_login_and_again_after_the_code(leader, device_for):
    """SESS-01."""
    device = device_for(leader)
    client = Client()
    with time_machine.travel(T0, tick=False):
        anonymous = client.session  # an anonymous session before logging in (e.g. a language choice)
        anonymous["probe"] = True
        anonymous.save()
        before = session_key(client)
        password_login(client, "leader_a")
        after_password = session_key(client)
        assert client.post(OTP_URL, {"token": code_at(device)}).status_code == 302
        after_code = session_key(client)
    assert len({before, after_password, after_code}) == 3
    assert not Session.objects.filter(session_key__in=[before, after_password]).exists()
    # The index follows the session to its newest key.
    assert list(UserSession.objects.filter(user=leader).values_list("session_key", flat=True)) == [after_code]


def test_an_idle_session_ends_after_thirty_minutes(settings, officer):
    """SESS-02: SESSION_COOKIE_AGE=1800 renewed on every request."""
    assert settings.SESSION_COOKIE_AGE == 1800 and settings.SESSION_SAVE_EVERY_REQUEST
    with time_machine.travel(T0, tick=False) as traveller:
        client = _logged_in(officer)
        traveller.shift(datetime.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=29))  # renewed at the last request
        assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=31))
        response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


def test_an_active_session_still_ends_after_ten_hours(settings, officer):
    """SESS-02: the absolute lifetime (JIEDU_SESSION_ABSOLUTE_HOURS) counts from the login."""
    assert settings.JIEDU_SESSION_ABSOLUTE_HOURS == 10
    with time_machine.travel(T0, tick=False) as traveller:
        client = _logged_in(officer)
        for _ in range(23):  # a request every 25 minutes: never idle, 9 h 35 min in all
            traveller.shift(datetime.timedelta(minutes=25))
            assert client.get("/").status_code == 200
        traveller.shift(datetime.timedelta(minutes=26))  # 10 h 1 min after the login
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
        assert client.get("/api/v1/facilities/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action="auth.session_expired", actor=officer).count() == 1


def test_a_session_cookie_replayed_after_logout_is_worthless(officer):
    """SESS-03."""
    client = _logged_in(officer)
    stolen = session_key(client)
    assert UserSession.objects.filter(user=officer).count() == 1
    client.post("/accounts/logout/")
    replay = Client()
    replay.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    response = replay.get("/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)
    assert not Session.objects.filter(session_key=stolen).exists()
    assert not UserSession.objects.filter(user=officer).exists()


def test_disabling_a_user_ends_every_session_of_theirs(officer, system_admin):
    """SESS-03: through the service the system administrator's pages use."""
    desk, laptop = _logged_in(officer), _logged_in(officer)
    keys = [session_key(desk), session_key(laptop)]
    services.disable_user(actor=system_admin, user=officer)
    for client in (desk, laptop):
        assert client.get("/")["Location"].startswith(LOGIN_URL)
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not UserSession.objects.filter(user=officer).exists()
    assert AuditEvent.objects.get(action="user.disabled").actor == system_admin


def test_only_the_system_administrator_disables_users(officer, security_admin):
    from jiedu.common.errors import AccessDenied

    with pytest.raises(AccessDenied):
        services.disable_user(actor=security_admin, user=officer)
    officer.refresh_from_db()
    assert officer.is_active


def test_the_security_administrator_ends_a_users_sessions(officer, admin_client, security_admin):
    """SESS-03: the "end sessions" action; the administrator's own session carries on."""
    desk, laptop = _logged_in(officer), _logged_in(officer)
    response = admin_client.post("/accounts/security/end-sessions/", {"sessions-username": "officer_a"})
    assert response.status_code == 302
    for client in (desk, laptop):
        assert client.get("/")["Location"].startswith(LOGIN_URL)
    assert not UserSession.objects.filter(user=officer).exists()
    assert admin_client.get("/accounts/security/").status_code == 200
    ended = AuditEvent.objects.get(action="auth.sessions_ended")
    assert ended.actor == security_admin and ended.target_id == str(officer.pk)


def test_ending_sessions_of_an_unknown_login_is_a_field_error(admin_client):
    response = admin_client.post("/accounts/security/end-sessions/", {"sessions-username": "nobody"})
    assert response.status_code == 400
    assert b"field-error" in response.content


def test_resetting_a_lost_authenticator_removes_it_and_ends_the_sessions(leader, device_for, admin_client):
    device_for(leader)
    phone_lost = _logged_in(leader)
    assert (
        admin_client.post("/accounts/security/reset-second-factor/", {"otp-username": "leader_a"}).status_code
        == 302
    )
    assert not leader.totpdevice_set.exists()
    assert phone_lost.get("/")["Location"].startswith(LOGIN_URL)
    assert AuditEvent.objects.filter(action="otp.device_reset", target_id=str(leader.pk)).count() == 1


def _production_cookie_settings() -> dict:
    """The cookie settings as JIEDU_ENV=production computes them (settings are read once, at import)."""
    names = [
        "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE", "SESSION_COOKIE_DOMAIN",
        "CSRF_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "CSRF_COOKIE_PATH",
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "JIEDU_DATA_KEY_ID"}}
    env.update(
        JIEDU_ENV="production",
        DJANGO_SETTINGS_MODULE="jiedu.settings",
        DJANGO_SECRET_KEY="test-only-" + base64.b64encode(os.urandom(48)).decode(),
        JIEDU_DATA_KEYS="k1:" + base64.b64encode(os.urandom(16)).decode(),
        JIEDU_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        JIEDU_AUDIT_KEY=base64.b64encode(os.urandom(32)).decode(),
    )
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_cookies_are_host_prefixed_secure_httponly_and_samesite(settings, officer):
    """SESS-04: parse Set-Cookie with the production values applied."""
    production = _production_cookie_settings()
    assert production["SESSION_COOKIE_NAME"].startswith("__Host-")
    assert production["CSRF_COOKIE_NAME"].startswith("__Host-")
    for name, value in production.items():
        setattr(settings, name, value)

    client = Client()
    page = client.get(LOGIN_URL, secure=True)
    response = password_login(client, "officer_a", secure=True)
    assert response.status_code == 302
    cookies = SimpleCookie()
    for header in (page, response):
        for morsel in header.cookies.values():
            cookies.load(morsel.output(header=""))
    session = cookies[production["SESSION_COOKIE_NAME"]]
    csrf = cookies[production["CSRF_COOKIE_NAME"]]
    for cookie in (session, csrf):
        # __Host-: Secure, Path=/ and no Domain, or browsers refuse the cookie.
        assert cookie["secure"] and cookie["path"] == "/" and not cookie["domain"]
        assert cookie["samesite"] in ("Lax", "Strict")
    assert session["httponly"]
