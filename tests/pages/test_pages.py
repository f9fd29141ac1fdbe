"""Pages as a user meets them: Chinese by default, errors beside the field, nothing half-saved."""

import datetime
import re

import pytest
from django.test import Client

from jiedu.accounts.models import User
from jiedu.audit.models import AuditEvent
from jiedu.organisation.models import Bureau, Facility, Membership, Room, Zone
from jiedu.organisation.roles import Role
from jiedu.people import identity
from jiedu.people.models import Resident

PASSWORD = "Page-Test-Pass-2026"
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")


@pytest.fixture
def hohhot(db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility = Facility.objects.create(bureau=bureau, code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所", level="league_city")
    zone = Zone.objects.create(facility=facility, name="生理脱毒区", zone_type="detox")
    Room.objects.create(facility=facility, zone=zone, number="101", capacity=1, is_single_occupancy=True)
    return facility


def _user(username, role, facility):
    user = User.objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, facility=facility, role=role)
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _admission(facility, id_number, **overrides):
    data = {
        "facility": facility.pk, "id_number": id_number, "file_number": "HH-9", "name": "张三", "sex": "M",
        "ethnicity": "汉族", "deciding_organ": "呼和浩特市公安局", "decision_number": "呼公强戒字〔2026〕9号",
        "decision_date": "2026-10-01", "term_start": "2026-10-05", "term_end": "",
    }  # fmt: skip
    data.update(overrides)
    return data


def _valid_id(sequence=21):
    return identity.make_id_number(county="150102", birth_date=datetime.date(1990, 1, 2), sequence=sequence, male=True)


def test_login_page_is_chinese_for_an_anonymous_visitor(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert response.status_code == 200
    assert "登录" in response.content.decode()


def test_pages_require_login(client):
    response = client.get("/residents/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_wrong_check_character_shows_a_chinese_error_beside_the_field_and_saves_nothing(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    valid = _valid_id()
    wrong = valid[:17] + ("1" if valid[17] != "1" else "2")
    response = client.post("/residents/admit/", _admission(hohhot, wrong))
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="id_id_number-error"[^>]*>([^<]+)<', html)
    assert error and "校验" in error.group(1)
    assert Resident.objects.count() == 0


def test_valid_admission_redirects_to_the_record_and_the_list_masks_the_id(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    valid = _valid_id()
    response = client.post("/residents/admit/", _admission(hohhot, valid))
    resident = Resident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/residents/{resident.pk}/"
    assert resident.term_end == datetime.date(2028, 10, 5)
    listing = client.get("/residents/").content.decode()
    assert "张三" in listing and valid not in listing
    assert f"{valid[:6]}********{valid[-4:]}" in listing
    assert AuditEvent.objects.filter(action="resident.admitted", target_id=str(resident.pk)).exists()


def test_search_by_full_id_number_finds_the_resident_through_the_blind_index(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    valid = _valid_id()
    client.post("/residents/admit/", _admission(hohhot, valid), follow=True)
    client.post("/residents/admit/", _admission(hohhot, _valid_id(23), file_number="HH-10", name="李四"), follow=True)
    fullwidth = valid.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    found = client.get("/residents/", {"q": fullwidth}).content.decode()
    assert "张三" in found and "李四" not in found


def test_room_capacity_error_is_shown_next_to_the_room(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    room = Room.objects.get()
    zone = room.zone
    client.post("/residents/admit/", _admission(hohhot, _valid_id(), current_zone=zone.pk, current_room=room.pk))
    response = client.post(
        "/residents/admit/",
        _admission(hohhot, _valid_id(25), file_number="HH-11", current_zone=zone.pk, current_room=room.pk),
    )
    assert response.status_code == 400
    assert re.search(r'id="id_current_room-error"[^>]*>[^<]*[\u4e00-\u9fff]', response.content.decode())
    assert Resident.objects.count() == 1


def test_htmx_search_returns_only_the_table_partial(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    response = client.get("/residents/", {"q": "张"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="resident-table"' in html and "<html" not in html


def test_no_page_shows_a_full_id_number(hohhot):
    client = _user("leader", Role.FACILITY_LEADER, hohhot)
    client.post("/residents/admit/", _admission(hohhot, _valid_id()))
    resident = Resident.objects.get()
    for url in ("/", "/residents/", f"/residents/{resident.pk}/", "/facilities/", f"/facilities/{hohhot.pk}/"):
        body = client.get(url).content.decode()
        assert not FULL_ID.search(body), url


def test_english_is_one_click_away(hohhot):
    client = _user("officer", Role.FACILITY_OFFICER, hohhot)
    client.post("/i18n/setlang/", {"language": "en", "next": "/residents/"})
    assert "Residents" in client.get("/residents/").content.decode()


def test_audit_page_is_for_leaders_only(hohhot):
    officer = _user("officer", Role.FACILITY_OFFICER, hohhot)
    leader = _user("leader", Role.FACILITY_LEADER, hohhot)
    assert officer.get("/audit/").status_code == 403
    assert leader.get("/audit/").status_code == 200


def test_facility_switcher_narrows_lists_and_refuses_foreign_facilities(hohhot):
    other = Facility.objects.create(bureau=hohhot.bureau, code="BT", name="包头市强制隔离戒毒所", short_name="包头所", level="league_city")
    stranger = Facility.objects.create(bureau=hohhot.bureau, code="WH", name="乌海市强制隔离戒毒所", short_name="乌海所", level="league_city")
    user = User.objects.create_user("prosecutor", password=PASSWORD)
    for facility in (hohhot, other):
        Membership.objects.create(user=user, facility=facility, role=Role.PROSECUTOR)
    client = Client()
    client.login(username="prosecutor", password=PASSWORD)
    page = client.get("/facilities/").content.decode()
    assert "包头所" in page or "包头市" in page
    client.post("/accounts/switch-facility/", {"facility": other.pk, "next": "/facilities/"})
    page = client.get("/facilities/").content.decode()
    assert "包头市强制隔离戒毒所" in page and "呼和浩特市强制隔离戒毒所" not in page
    assert client.post("/accounts/switch-facility/", {"facility": stranger.pk}).status_code == 400
    assert client.post("/accounts/switch-facility/", {"facility": "", "next": "https://evil.example/"})["Location"] == "/"


def test_login_and_failed_login_are_audited_without_the_typed_username(hohhot, client):
    User.objects.create_user("someone", password=PASSWORD)
    client.post("/accounts/login/", {"username": "someone", "password": "wrong-password"})
    client.post("/accounts/login/", {"username": "someone", "password": PASSWORD})
    failed = AuditEvent.objects.get(action="auth.login_failed")
    assert failed.outcome == "failed" and failed.actor_username == ""
    assert AuditEvent.objects.filter(action="auth.login", actor_username="someone").exists()


def test_a_gate_officer_lands_on_the_gate_page(hohhot):
    client = _user("gate", Role.GATE_OFFICER, hohhot)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/gate/"
    assert client.get("/gate/").status_code == 200
