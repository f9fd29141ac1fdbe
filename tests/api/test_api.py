"""The REST API as a client meets it: scoped lists, masked identifiers, field errors, cross-facility 404."""

import datetime
import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from factories import (
    PASSWORD,
    CommunityStationFactory,
    DepartmentFactory,
    ResidentFactory,
    RoomFactory,
    StaffFactory,
)
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import Role
from jiedu.people.identity import make_id_number
from jiedu.people.models import Resident

pytestmark = pytest.mark.django_db

API = "/api/v1"
FULL_ID = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
MASKED_ID = re.compile(r"^\d{6}\*{8}[\dX]{4}$")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
VALID_ID = make_id_number(county="150102", birth_date=datetime.date(1991, 3, 4), sequence=57, male=True)
WRONG_CHECK_ID = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")


@pytest.fixture
def region(facility_a, facility_b):
    """Both facilities with one of everything; residents and staff carry phones."""
    rows = {}
    for facility in (facility_a, facility_b):
        room = RoomFactory(zone__facility=facility)
        rows[facility.code] = {
            "facility": facility,
            "room": room,
            "zone": room.zone,
            "department": DepartmentFactory(facility=facility),
            "station": CommunityStationFactory(facility=facility),
            "staff": StaffFactory(facility=facility),
            "resident": ResidentFactory(current_room=room),
        }
    return rows


@pytest.fixture
def api():
    return APIClient()


def _as(member, role, facility=None):
    client = APIClient()
    client.force_authenticate(member(role, facility))
    return client


def _admission(facility, **overrides):
    data = {
        "facility": facility.pk,
        "id_number": VALID_ID,
        "file_number": "API-001",
        "name": "张三",
        "sex": "M",
        "ethnicity": "汉族",
        "deciding_organ": "呼和浩特市公安局",
        "decision_number": "呼公强戒决字〔2026〕9号",
        "decision_date": "2026-10-01",
        "term_start": "2026-10-05",
    }
    data.update(overrides)
    return data


LISTS = ["facilities", "departments", "zones", "rooms", "stations", "staff", "residents"]


# --- scoped lists --------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", LISTS)
def test_lists_show_only_own_facility_rows(member, region, facility_a, endpoint):
    # given a facility leader of A (who may see every kind of row there)
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    # when a list is fetched
    response = client.get(f"{API}/{endpoint}/")
    # then it is paginated and every row belongs to facility A
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == len(body["results"]) == 1
    row = body["results"][0]
    assert row.get("facility", row["id"]) == facility_a.pk


@pytest.mark.parametrize("endpoint", [e for e in LISTS if e != "facilities"])
def test_filtering_on_another_facility_is_the_same_400_as_an_unknown_id(member, region, facility_a, facility_b, endpoint):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    foreign = client.get(f"{API}/{endpoint}/", {"facility": facility_b.pk})
    unknown = client.get(f"{API}/{endpoint}/", {"facility": 999999})
    assert foreign.status_code == unknown.status_code == 400
    assert list(foreign.json()) == list(unknown.json()) == ["facility"]
    assert client.get(f"{API}/{endpoint}/", {"facility": facility_a.pk}).status_code == 200


def test_bureau_leader_lists_every_facility(member, region):
    client = _as(member, Role.BUREAU_LEADER)
    assert client.get(f"{API}/residents/").json()["count"] == 2
    assert client.get(f"{API}/facilities/").json()["count"] == 2


def test_gate_officer_lists_no_residents(member, region, facility_a):
    client = _as(member, Role.GATE_OFFICER, facility_a)
    # Someone who may see residents nowhere is refused outright, not shown an empty list (ACL-06).
    assert client.get(f"{API}/residents/").status_code == 403
    assert client.get(f"{API}/rooms/").json()["count"] == 1


def test_pagination_is_present(member, region, facility_a):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    ResidentFactory(facility=facility_a)
    body = client.get(f"{API}/residents/", {"page_size": 1}).json()
    assert set(body) >= {"count", "next", "previous", "results"}
    assert body["count"] == 2
    assert len(body["results"]) == 1
    assert body["next"] and "page=2" in body["next"]
    assert body["previous"] is None


# --- masking -------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ["residents", "staff"])
@pytest.mark.parametrize("role", [Role.FACILITY_LEADER, Role.FACILITY_OFFICER, Role.PROSECUTOR])
def test_responses_never_carry_a_full_id_or_phone_number(member, region, facility_a, endpoint, role):
    client = _as(member, role, facility_a)
    person = region["A01"]["resident" if endpoint == "residents" else "staff"]
    for url in (f"{API}/{endpoint}/", f"{API}/{endpoint}/{person.pk}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not FULL_ID.search(text), url
        assert not FULL_MOBILE.search(text), url
        assert person.id_number not in text
        assert person.phone not in text


def test_resident_id_numbers_are_masked_first_6_and_last_4(member, region, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    resident = region["A01"]["resident"]
    shown = client.get(f"{API}/residents/{resident.pk}/").json()["id_number"]
    assert MASKED_ID.match(shown)
    assert shown == f"{resident.id_number[:6]}********{resident.id_number[-4:]}"


def test_staff_phone_is_masked(member, region, facility_a):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    staff = region["A01"]["staff"]
    body = client.get(f"{API}/staff/{staff.pk}/").json()
    assert body["phone"] == f"{staff.phone[:3]}****{staff.phone[-4:]}"
    assert MASKED_ID.match(body["id_number"])


# --- admission through the API -------------------------------------------------------------------


def test_admission_with_wrong_check_character_is_400_in_english(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    response = client.post(
        f"{API}/residents/",
        _admission(facility_a, id_number=WRONG_CHECK_ID),
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"id_number": ["The check character (last character) is wrong."]}
    assert not Resident.objects.exists()


def test_admission_with_wrong_check_character_is_400_for_zh_hans(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    response = client.post(
        f"{API}/residents/",
        _admission(facility_a, id_number=WRONG_CHECK_ID),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    body = response.json()
    assert list(body) == ["id_number"]
    assert body["id_number"] and isinstance(body["id_number"][0], str)
    assert not Resident.objects.exists()


def test_admission_error_is_chinese_for_zh_hans(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    response = client.post(
        f"{API}/residents/",
        _admission(facility_a, id_number=WRONG_CHECK_ID),
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert CHINESE.search(response.json()["id_number"][0])


def test_serializer_field_errors_follow_accept_language(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    payload = _admission(facility_a)
    del payload["name"]
    english = client.post(f"{API}/residents/", payload, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 400
    assert english.json()["name"] == ["This field is required."]


def test_valid_admission_is_201_masked_and_found_by_full_id_search(member, facility_a):
    # given a facility officer
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    # when a resident is admitted with a valid number typed in full-width digits
    full_width = VALID_ID.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    response = client.post(f"{API}/residents/", _admission(facility_a, id_number=full_width), format="json")
    # then the answer is 201 with the ID masked
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number"] == f"{VALID_ID[:6]}********{VALID_ID[-4:]}"
    assert body["term_end"] == "2028-10-05"
    assert not FULL_ID.search(response.content.decode())
    # and the full number finds exactly that resident through the blind index
    found = client.get(f"{API}/residents/", {"q": VALID_ID}).json()
    assert [row["id"] for row in found["results"]] == [body["id"]]
    assert client.get(f"{API}/residents/", {"q": VALID_ID.lower()}).json()["count"] == 1
    # while a part of the number finds nothing
    assert client.get(f"{API}/residents/", {"q": VALID_ID[:10]}).json()["count"] == 0


def test_full_id_search_does_not_cross_facilities(member, region, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    other = region["B01"]["resident"]
    assert client.get(f"{API}/residents/", {"q": other.id_number}).json()["count"] == 0


def test_duplicate_id_number_is_refused(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    assert client.post(f"{API}/residents/", _admission(facility_a), format="json").status_code == 201
    again = client.post(f"{API}/residents/", _admission(facility_a, file_number="API-002"), format="json")
    assert again.status_code == 400
    assert list(again.json()) == ["id_number"]


def test_a_payload_with_another_facilitys_zone_is_400(member, region, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    room_b = region["B01"]["room"]
    response = client.post(
        f"{API}/residents/",
        _admission(facility_a, current_zone=room_b.zone_id, current_room=room_b.pk),
        format="json",
    )
    assert response.status_code == 400
    assert {"current_zone", "current_room"} <= set(response.json())
    assert not Resident.objects.filter(file_number="API-001").exists()


def test_a_payload_with_another_facility_is_400(member, region, facility_a, facility_b):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    response = client.post(f"{API}/residents/", _admission(facility_b), format="json")
    assert response.status_code == 400
    assert "facility" in response.json()


def test_a_room_payload_with_another_facilitys_zone_is_400(member, region, facility_a):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    response = client.post(
        f"{API}/rooms/",
        {"facility": facility_a.pk, "zone": region["B01"]["zone"].pk, "number": "999", "capacity": 2},
        format="json",
    )
    assert response.status_code == 400
    assert "zone" in response.json()


def test_prosecutor_post_is_403_and_audited(member, facility_a):
    prosecutor = member(Role.PROSECUTOR, facility_a)
    client = APIClient()
    client.force_authenticate(prosecutor)
    response = client.post(f"{API}/residents/", _admission(facility_a), format="json")
    assert response.status_code == 403
    assert not Resident.objects.exists()
    denial = AuditEvent.objects.get(outcome=AuditEvent.Outcome.DENIED)
    assert denial.actor == prosecutor
    assert denial.action == "people.admit_resident"
    assert denial.facility_id == facility_a.pk


def test_prosecutor_patch_of_a_visible_resident_is_403(member, region, facility_a):
    client = _as(member, Role.PROSECUTOR, facility_a)
    resident = region["A01"]["resident"]
    response = client.patch(
        f"{API}/residents/{resident.pk}/", {"name": "改名", "version": resident.version}, format="json"
    )
    assert response.status_code == 403
    assert Resident.objects.get(pk=resident.pk).name == resident.name


# --- another facility's objects ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "key", "patch"),
    [
        ("residents", "resident", {"name": "改名"}),
        ("staff", "staff", {"position": "改"}),
        ("rooms", "room", {"capacity": 3}),
        ("zones", "zone", {"name": "改名"}),
        ("departments", "department", {"name": "改名"}),
        ("stations", "station", {"address": "改"}),
        ("facilities", "facility", {"address": "改"}),
    ],
)
def test_another_facilitys_object_is_404_on_get_and_patch(member, region, facility_a, endpoint, key, patch):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    hidden = region["B01"][key]
    url = f"{API}/{endpoint}/{hidden.pk}/"
    assert client.get(url).status_code == 404
    assert client.patch(url, {**patch, "version": hidden.version}, format="json").status_code == 404
    assert client.put(url, {**patch, "version": hidden.version}, format="json").status_code == 404
    hidden.refresh_from_db()
    for field in patch:
        assert getattr(hidden, field) != patch[field]
    assert AuditEvent.objects.filter(outcome="denied", target_id=str(hidden.pk)).count() == 3


def test_own_resident_can_be_patched(member, region, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    resident = region["A01"]["resident"]
    response = client.patch(
        f"{API}/residents/{resident.pk}/", {"name": "王五", "version": resident.version}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["name"] == "王五"
    assert not FULL_ID.search(response.content.decode())


def test_room_deactivation_of_another_facility_is_404(member, region, facility_a):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    room_b = region["B01"]["room"]
    assert (
        client.post(f"{API}/rooms/{room_b.pk}/deactivate/", {"reason": "x"}, format="json").status_code == 404
    )


def test_there_is_no_delete(member, region, facility_a):
    client = _as(member, Role.FACILITY_LEADER, facility_a)
    assert client.delete(f"{API}/residents/{region['A01']['resident'].pk}/").status_code == 405


# --- authentication and schema -------------------------------------------------------------------


def test_anonymous_requests_are_refused(api, region):
    assert api.get(f"{API}/residents/").status_code in {401, 403}


def test_token_authentication_works(member, region, facility_a):
    user = member(Role.FACILITY_OFFICER, facility_a)
    token = Token.objects.create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get(f"{API}/residents/")
    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_a_wrong_token_is_refused(region):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")
    assert client.get(f"{API}/residents/").status_code in {401, 403}


def test_session_login_works(member, region, facility_a):
    user = member(Role.FACILITY_OFFICER, facility_a)
    client = APIClient()
    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(f"{API}/residents/").json()["count"] == 1


def test_schema_is_served_to_a_logged_in_user(member, facility_a):
    client = _as(member, Role.FACILITY_OFFICER, facility_a)
    response = client.get(f"{API}/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/residents/" in text
    assert "/api/v1/residents/{id}/" in text
