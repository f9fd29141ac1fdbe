"""PI-01 (GB/T 35273 §7.2; PIPL Art. 51): no response carries a full ID or phone number. Pages, the
API and exports always mask; a full number is shown only by the reveal-with-purpose step (PI-02).

Checked for every role on the resident and staff pages and endpoints, and on every GET route of the
URLconf for a revealing role (a facility leader) and a non-revealing one (the bureau leader)."""

import re
from io import BytesIO

import pytest
from django.test import Client
from django.urls import get_resolver
from openpyxl import load_workbook

from jiedu.accounts.models import User
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import BUREAU_ROLES, REVEAL_PII, Role, actions_for
from jiedu.people.models import Resident, Staff
from test_scoping_contract import ID_PARAM, _object_of, _scoped_model, _url, _walk, two_facilities  # noqa: F401

FULL_ID = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9Xx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])")
MASKED_ID = re.compile(r"\d{6}\*{8}[\dX]{4}")
SKIPPED = ("/accounts/logout/", "/i18n/", "/api/v1/docs/", "/api/v1/schema/")


def _text(response) -> str:
    if "spreadsheetml" in response.get("Content-Type", ""):
        sheet = load_workbook(BytesIO(response.content), read_only=True).active
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    if response.streaming:  # evidence downloads: the stored file's bytes
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


def _full_numbers() -> set[str]:
    numbers = set()
    for model in (Resident, Staff):
        for person in model.objects.all():
            numbers |= {person.id_number, person.phone} - {""}
    return numbers


def assert_no_full_identifier(response, where: str, numbers: set[str]) -> None:
    text = _text(response)
    leaked = [n for n in numbers if n in text] + FULL_ID.findall(text) + FULL_MOBILE.findall(text)
    assert not leaked, f"{where} ({response.status_code}) shows {leaked}"


def _login_as(role, facility):
    user = User.objects.create_user(f"pi01_{role}", password="x-Strong-Pass-2026")
    Membership.objects.create(user=user, facility=None if role in BUREAU_ROLES else facility, role=role)
    client = Client()
    client.force_login(user)
    return client


def test_revealing_roles_exist_and_the_test_covers_them():
    revealing = {role for role in Role if REVEAL_PII in actions_for(role)}
    assert revealing == {Role.FACILITY_LEADER, Role.FACILITY_OFFICER, Role.MEDICAL_STAFF}


@pytest.mark.parametrize("role", list(Role))
def test_no_role_sees_a_full_number_on_the_people_pages_and_endpoints(two_facilities, role):  # noqa: F811
    facility_a, _facility_b, _leader = two_facilities
    resident = Resident.objects.get(facility=facility_a)
    staff = Staff.objects.get(facility=facility_a)
    resident.set_phone("13700001111")
    resident.save()
    numbers = _full_numbers()
    client = _login_as(role, facility_a)
    paths = [
        "/residents/", f"/residents/{resident.pk}/", "/staff/", f"/staff/{staff.pk}/", "/residents/?q=李某",
        "/api/v1/residents/", f"/api/v1/residents/{resident.pk}/", "/api/v1/staff/", f"/api/v1/staff/{staff.pk}/",
        "/residents/export/", "/staff/export/", "/health/log/", "/isolation/prerelease/", "/overseas/",
    ]  # fmt: skip
    shown_masked = False
    for path in paths:
        response = client.get(path)
        assert response.status_code in (200, 403, 404), f"{path} → {response.status_code}"
        assert_no_full_identifier(response, path, numbers)
        shown_masked |= bool(MASKED_ID.search(_text(response)))
    # Those who may see residents see the masked form (the page is not just empty).
    assert shown_masked == (role not in {Role.GATE_OFFICER, Role.STATION_WORKER} and role not in {
        Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN,
    }), role  # fmt: skip


def _get_routes():
    for route, pattern in _walk(get_resolver().url_patterns):
        if "format" in route:
            continue
        yield route, pattern


@pytest.mark.parametrize("role", [Role.FACILITY_LEADER, Role.BUREAU_LEADER])
def test_no_get_route_shows_a_full_number(two_facilities, role):  # noqa: F811
    facility_a, _facility_b, _leader = two_facilities
    numbers = _full_numbers()
    client = _login_as(role, facility_a)
    visited = 0
    for route, pattern in _get_routes():
        rest = ID_PARAM.sub("", route)
        if "<" in rest or "(?P" in rest:
            continue
        pk = _object_of(_scoped_model(pattern.callback), facility_a).pk if ID_PARAM.search(route) else 0
        url = _url(route, pk)
        if url.startswith(SKIPPED):
            continue
        response = client.get(url)
        assert_no_full_identifier(response, url, numbers)
        visited += 1
    assert visited >= 150, visited
