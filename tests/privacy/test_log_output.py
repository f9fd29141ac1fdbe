"""LOG-05 (ASVS 16.2.5, 16.4.1, 14.2.1): the log output of representative requests holds no full ID
number, mobile number or password, and a user-typed newline or ANSI code cannot forge a log line.

The same scan runs on every test of the suite (tests/conftest.py, tests/log_leaks.py); here the
requests are chosen to put personal data in front of the logger on purpose."""

import io
import logging

import pytest
from django.conf import settings
from django.test import Client

from factories import ResidentFactory, StaffFactory
from jiedu.organisation.roles import Role
from log_leaks import configured_handlers, leaks_in

EVIL_USERNAME = "mallory\n2026-11-01 09:00:00,000 INFO jiedu [-] admin logged in\x1b[31m\x1b[0m"


@pytest.fixture
def log_output():
    """Everything the configured handlers write during the test, as they would write it."""
    buffer = io.StringIO()
    swapped = []
    for handler in configured_handlers():
        if isinstance(handler, logging.StreamHandler):
            swapped.append((handler, handler.setStream(buffer)))
    assert swapped, "no stream handler configured"
    yield buffer
    for handler, stream in swapped:
        handler.setStream(stream)


def test_representative_requests_log_no_personal_data_or_password(log_output, member, facility_a):
    resident = ResidentFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)
    client = Client()
    # A failed login typed with an ID number as the name and the demo password.
    client.post("/accounts/login/", {"username": resident.id_number, "password": settings.DEMO_PASSWORD})
    client.post("/accounts/login/", {"username": staff.phone, "password": settings.DEMO_PASSWORD})
    client.force_login(member(Role.FACILITY_OFFICER, facility_a))
    client.get("/residents/", {"q": resident.id_number})  # a search by full ID is a GET
    client.get(f"/residents/{resident.id_number}/")  # 404 with the number in the path
    client.get(f"/no-such-page/{staff.phone}/")
    client.post(f"/privacy/residents/{resident.pk}/reveal/", {"field": "id_number"})  # 400
    client.post(f"/privacy/staff/{staff.pk}/reveal/", {"field": "phone", "purpose": "核对联系方式"})
    client.get("/residents/export/", {"q": resident.id_number})  # 403, needs approval
    client.get(f"/api/v1/residents/?q={resident.id_number}")
    # The development server's access log line, with the query string in it.
    logging.getLogger("django.server").info(
        '"%s" %s %s', f"GET /residents/?q={resident.id_number} HTTP/1.1", 200, 5
    )
    output = log_output.getvalue()
    assert "Not Found" in output and "Bad Request" in output  # the capture works
    assert leaks_in(output) == [], output
    assert resident.id_number[:6] + "********" in output  # masked, not dropped


def _lines_about(output: str, marker: str) -> list[str]:
    return [line for line in output.splitlines() if marker in line]


def test_a_username_with_a_newline_and_ansi_codes_is_one_escaped_line(log_output):
    logging.getLogger("axes.watch_login").warning("AXES: New login failure by %s.", EVIL_USERNAME)
    output = log_output.getvalue()
    lines = _lines_about(output, "mallory")
    assert len(lines) == 1, output
    assert "\x1b" not in output and "\\x1b[31m" in lines[0] and "\\n2026-11-01" in lines[0]
    # No forged "admin logged in" line stands on its own.
    assert not any(line.startswith("2026-11-01 09:00:00") for line in output.splitlines())


def test_a_path_with_an_encoded_newline_cannot_forge_a_line(log_output, member, facility_a):
    client = Client()
    client.force_login(member(Role.FACILITY_OFFICER, facility_a))
    assert client.get("/residents/x%0AFORGED%20ERROR%1B[31m/").status_code == 404
    output = log_output.getvalue()
    assert len(_lines_about(output, "FORGED")) == 1
    assert _lines_about(output, "FORGED")[0].count("Not Found") == 1 and "\x1b" not in output


def test_the_suite_wide_scan_catches_a_leak():
    """Guards tests/log_leaks.py itself: what it must find, and what it must let through."""
    resident_id, phone = "150203199005050034", "13812345678"
    assert leaks_in(f"q={resident_id}") == [resident_id]
    assert leaks_in(f"phone {phone}.") == [phone]
    assert leaks_in(f"password={settings.DEMO_PASSWORD}") == ["<a password>"]
    assert leaks_in("q=150203********0034 phone 138****5678") == []
    assert leaks_in("request 9f3e150203199005050034ab") == []  # inside a hex request id
