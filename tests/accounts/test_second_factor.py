"""AUTH-01 (ASVS 6.3.3; 等保 8.1.4.1d) and AUTH-02 (ASVS 6.5.1, 6.5.5): the second factor.

A password-only session of a leader or administrator reaches nothing: every page of the URLconf
redirects to the code step, every API route (URLconf and OpenAPI) answers 401. Codes are used once
and accepted at most one 30-second step either side.
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.plugins.otp_totp.models import TOTPDevice
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from conftest import LOGIN_URL, OTP_URL, SETUP_URL, T0, code_at, password_login, session_key
from jiedu.accounts import otp
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db

# Reachable before the code step: logging in and out, the code step itself, static files.
OPEN_BEFORE_SECOND_FACTOR = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/otp/",
    "/static/",
    "/i18n/",
    "/healthz",
)
PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def _walk(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(route: str) -> str:
    """A URL for a route: every parameter becomes 1 (the code step answers before any view runs)."""
    path = PARAMETER.sub("1", route).replace("^", "").replace("$", "").replace("\\", "")
    return "/" + path


def url_routes() -> list[str]:
    urls = {_concrete(r) for r in _walk(get_resolver().url_patterns) if "format" not in r}
    return sorted(u for u in urls if not u.startswith(OPEN_BEFORE_SECOND_FACTOR))


def openapi_operations() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), re.sub(r"\{[^}]+\}", "1", path))
        for path, operations in schema["paths"].items()
        for method in operations
    )


def test_the_enumeration_finds_pages_and_api_routes():
    urls = url_routes()
    assert "/" in urls and "/accounts/security/" in urls and "/residents/1/" in urls
    assert any(u.startswith("/api/v1/residents/") for u in urls)
    assert ("GET", "/api/v1/residents/1/") in openapi_operations()


@pytest.mark.parametrize(
    "role",
    [Role.FACILITY_LEADER, Role.BUREAU_LEADER, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN],
)
def test_a_password_only_session_reaches_no_page_and_no_api_route(
    role, member, facility_a, device_for, password_only_client
):
    user = member(role, facility_a if role == Role.FACILITY_LEADER else None)
    device_for(user)
    password_only_client.force_login(user)

    for url in url_routes():
        for method in ("get", "post"):
            response = getattr(password_only_client, method)(url)
            if url.startswith("/api/"):
                assert response.status_code == 401, (method, url, response.status_code)
                assert response.json()["code"] == "otp_required"
            else:
                assert response.status_code == 302, (method, url, response.status_code)
                assert response["Location"].startswith(OTP_URL + "?next="), (url, response["Location"])

    api = APIClient()
    api.cookies = password_only_client.cookies  # the same session, through DRF's client
    for method, path in openapi_operations():
        response = api.generic(method, path)
        assert response.status_code == 401, (method, path, response.status_code)


def test_a_required_role_without_an_authenticator_is_sent_to_set_one_up(leader, password_only_client):
    password_only_client.force_login(leader)
    response = password_only_client.get("/residents/")
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP_URL}?next=/residents/"
    assert password_only_client.get("/api/v1/residents/").status_code == 401


def test_roles_without_the_requirement_pass_unless_they_set_up_a_factor(
    officer, device_for, password_only_client
):
    password_only_client.force_login(officer)
    assert password_only_client.get("/").status_code == 200  # available, not required
    device_for(officer)  # once set up, it is asked for as well
    assert password_only_client.get("/").status_code == 302


def test_the_required_roles_are_leaders_and_administrators(settings):
    assert set(settings.JIEDU_OTP_REQUIRED_ROLES) == {
        Role.BUREAU_LEADER,
        Role.FACILITY_LEADER,
        Role.SYSTEM_ADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDIT_ADMIN,
    }


def test_token_clients_are_not_asked_for_a_code(leader):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=leader).key}")
    assert api.get("/api/v1/facilities/").status_code == 200


def test_password_then_code_opens_the_platform(leader, device_for):
    device = device_for(leader)
    client = Client()
    with time_machine.travel(T0, tick=False):
        assert password_login(client, "leader_a")["Location"] == "/"
        assert client.get("/")["Location"] == f"{OTP_URL}?next=/"
        response = client.post(OTP_URL, {"token": code_at(device), "next": "/"})
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="auth.otp_verified", actor=leader).count() == 1


def test_a_used_code_is_refused_a_second_time(leader, device_for):
    """AUTH-02: django-otp's last_t; another password session cannot replay the same code."""
    device = device_for(leader)
    first, second = Client(), Client()
    with time_machine.travel(T0, tick=False):
        code = code_at(device)
        password_login(first, "leader_a")
        assert first.post(OTP_URL, {"token": code})["Location"] == "/"
        password_login(second, "leader_a")
        refused = second.post(OTP_URL, {"token": code})
    assert refused.status_code == 400
    assert second.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.otp_failed", actor=leader).count() == 1


@pytest.mark.parametrize(("steps", "accepted"), [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_codes_are_accepted_at_most_one_step_either_side(leader, device_for, steps, accepted):
    device = device_for(leader)
    assert device.tolerance <= 1
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_login(client, "leader_a")
        response = client.post(OTP_URL, {"token": code_at(device, steps=steps)})
    assert (response.status_code == 302) is accepted


def test_wrong_codes_slow_the_next_attempt_down(leader, device_for):
    device = device_for(leader)
    client = Client()
    with time_machine.travel(T0, tick=False) as traveller:
        password_login(client, "leader_a")
        good = code_at(device)
        wrong = f"{(int(good) + 1) % 1_000_000:06d}"
        assert client.post(OTP_URL, {"token": wrong}).status_code == 400
        throttled = client.post(OTP_URL, {"token": good})
        assert throttled.status_code == 400  # even the right code, within the back-off
        traveller.shift(2)
        assert client.post(OTP_URL, {"token": good}).status_code == 302


def test_malformed_codes_are_a_field_error_not_a_crash(leader, device_for):
    device_for(leader)
    client = Client()
    password_login(client, "leader_a")
    for token in ("", "12345", "abcdef", "1234567", "١٢٣٤٥٦"):
        response = client.post(OTP_URL, {"token": token})
        assert response.status_code == 400, token
        assert b"field-error" in response.content


def test_enrolment_shows_a_qr_code_and_the_secret_and_confirms_with_a_first_code(leader):
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_login(client, "leader_a")
        assert client.get("/")["Location"] == f"{SETUP_URL}?next=/"
        page = client.get(f"{SETUP_URL}?next=/")
        assert page.status_code == 200
        assert not TOTPDevice.objects.filter(user=leader).exists()  # showing the page writes nothing
        key = client.session[otp.PENDING_KEY]
        assert otp.secret_for_display(key) in page.content.decode()

        qr = client.get("/accounts/otp/setup/qr.svg")
        assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
        assert qr["Cache-Control"] == "no-store"
        assert qr.content.lstrip().startswith(b"<svg") and b"<script" not in qr.content

        pending = TOTPDevice(user=leader, key=key)
        assert client.post(SETUP_URL, {"token": "000000"}).status_code == 400
    with time_machine.travel(T0.timestamp() + 30, tick=False):  # a new step, past the back-off
        response = client.post(SETUP_URL, {"token": code_at(pending), "next": "/"})
        assert response.status_code == 302 and response["Location"] == "/"
        assert client.get("/").status_code == 200
    device = TOTPDevice.objects.get(user=leader)
    assert device.confirmed and device.key == key
    assert AuditEvent.objects.filter(action="otp.device_confirmed", actor=leader).count() == 1


def test_a_password_alone_cannot_replace_an_existing_authenticator(leader, device_for, password_only_client):
    device_for(leader)
    password_only_client.force_login(leader)
    assert password_only_client.get(SETUP_URL)["Location"] == OTP_URL
    assert password_only_client.get("/accounts/otp/setup/qr.svg").status_code == 404
    assert password_only_client.post(SETUP_URL, {"token": "123456"})["Location"] == OTP_URL


def test_logging_out_works_before_the_code_step(leader, device_for):
    device_for(leader)
    client = Client()
    password_login(client, "leader_a")
    key = session_key(client)
    assert client.post("/accounts/logout/")["Location"] == LOGIN_URL
    assert session_key(client) != key
