"""Isolation pages as officers meet them: register, stay actions (htmx), board, pre-release, ledgers, PDF."""

import datetime
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from export_approval import approved_get
from factories import PASSWORD, MembershipFactory, ResidentFactory, RoomFactory, UserFactory, ZoneFactory
from factories_epidemic import IsolationStayFactory
from factories_isolation import HandoverFactory
from jiedu.isolation import release_services, services
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
FULL_ID = re.compile(r"\b\d{17}[\dX]\b")
HTMX = {"HTTP_HX_REQUEST": "true"}


def login(facility, role=Role.FACILITY_OFFICER):
    user = UserFactory()
    MembershipFactory(user=user, facility=facility, role=role)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client, user


@pytest.fixture
def place(facility_a):
    ward = ZoneFactory(facility=facility_a, zone_type="education", name="教育适应区")
    bed = RoomFactory(zone=ward, capacity=8, number="201")
    fever = ZoneFactory(facility=facility_a, zone_type="fever_isolation", name="发热隔离区")
    pre = ZoneFactory(facility=facility_a, zone_type="pre_release_isolation", name="解戒前隔离区")
    rooms = {
        "fever_1": RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="701"),
        "fever_2": RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="702"),
        "fever_off": RoomFactory(
            zone=fever,
            capacity=1,
            is_single_occupancy=True,
            number="703",
            is_active=False,
            deactivation_reason="维修",
        ),
        "pre_1": RoomFactory(zone=pre, capacity=1, is_single_occupancy=True, number="901"),
    }
    client, officer = login(facility_a)
    residents = [ResidentFactory(facility=facility_a, current_zone=ward, current_room=bed) for _ in range(3)]
    return {"client": client, "officer": officer, "bed": bed, "rooms": rooms, "residents": residents}


def admit(place, i, room, reason="fever", **kwargs):
    return services.admit_to_isolation(
        actor=place["officer"],
        resident=place["residents"][i],
        room=place["rooms"][room],
        reason=reason,
        **kwargs,
    )


# --- Stays -----------------------------------------------------------------------------------


def test_the_register_filters_by_state_reason_and_zone_and_swaps_only_the_table(place):
    open_stay = admit(place, 0, "fever_1")
    ended = admit(place, 1, "fever_2")
    services.end_stay(actor=place["officer"], stay=ended, end_reason="cleared")
    client = place["client"]
    html = client.get("/isolation/", {"state": "open"}).content.decode()
    assert f'data-stay="{open_stay.pk}"' in html and f'data-stay="{ended.pk}"' not in html
    html = client.get("/isolation/", {"state": "ended", "reason": "fever"}).content.decode()
    assert f'data-stay="{ended.pk}"' in html and f'data-stay="{open_stay.pk}"' not in html
    html = client.get("/isolation/", {"reason": "close_contact"}).content.decode()
    assert "data-stay=" not in html
    partial = client.get("/isolation/", {"state": "open"}, **HTMX).content.decode()
    assert partial.lstrip().startswith('<div id="stay-table">') and "<html" not in partial


def test_opening_a_stay_offers_only_free_rooms_of_the_matching_zone(place):
    admit(place, 0, "fever_1")
    client = place["client"]
    html = client.get("/isolation/new/", {"reason": "fever"}).content.decode()
    room_select = html.split('id="room-field"')[1].split("</select>")[0]
    assert f'value="{place["rooms"]["fever_2"].pk}"' in room_select
    for taken in ("fever_1", "fever_off", "pre_1"):
        assert f'value="{place["rooms"][taken].pk}"' not in room_select
    html = client.get("/isolation/new/", {"reason": "pre_release"}).content.decode()
    assert f'value="{place["rooms"]["pre_1"].pk}"' in html.split('id="room-field"')[1].split("</select>")[0]


def test_opening_a_stay_redirects_to_it_and_a_bad_date_shows_beside_its_field(place):
    client, resident, room = place["client"], place["residents"][1], place["rooms"]["fever_2"]
    data = {"resident": resident.pk, "reason": "fever", "room": room.pk, "note": "37.8℃"}
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post("/isolation/new/", {**data, "planned_end": yesterday.isoformat()})
    assert response.status_code == 400
    assert re.search(r'id="id_planned_end-error"', response.content.decode())
    assert not IsolationStay.objects.exists()
    response = client.post("/isolation/new/", data)
    stay = IsolationStay.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/isolation/{stay.pk}/"
    assert stay.room == room and stay.started_by == place["officer"]


def test_transfer_and_end_through_htmx_keep_the_history_on_the_stay_page(place):
    client = place["client"]
    first = admit(place, 0, "fever_1")
    response = client.post(f"/isolation/{first.pk}/transfer/", {"room": place["rooms"]["fever_2"].pk}, **HTMX)
    second = IsolationStay.objects.get(previous_stay=first)
    assert response.status_code == 204 and response["HX-Redirect"] == f"/isolation/{second.pk}/"
    html = client.get(f"/isolation/{second.pk}/").content.decode()
    assert "701" in html.split('id="stay-history"')[1] and "702" in html.split('id="stay-history"')[1]
    # A bad end time comes back as the end card only, with the error beside the field.
    future = (timezone.localtime() + datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/isolation/{second.pk}/end/", {"end_reason": "cleared", "ended_at": future}, **HTMX
    )
    assert response.status_code == 200 and 'id="end-card"' in response.content.decode()
    assert 'id="id_ended_at-error"' in response.content.decode()
    response = client.post(f"/isolation/{second.pk}/end/", {"end_reason": "cleared"})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.end_reason == "cleared"
    assert client.get(f"/isolation/{second.pk}/end/").status_code == 405


def test_the_board_colours_each_room_and_names_who_is_inside(place):
    admit(place, 0, "fever_1")
    admit(
        place, 1, "pre_1", reason="pre_release", planned_end=timezone.localdate() + datetime.timedelta(days=1)
    )
    html = place["client"].get("/isolation/board/").content.decode()
    states = dict(re.findall(r'data-room="(\d+)" data-state="(\w+)"', html))
    rooms = place["rooms"]
    assert states == {
        str(rooms["fever_1"].pk): "occupied",
        str(rooms["fever_2"].pk): "free",
        str(rooms["fever_off"].pk): "deactivated",
        str(rooms["pre_1"].pk): "due",
    }
    assert place["residents"][0].name in html and str(place["bed"].pk) not in states
    everything = place["client"].get("/isolation/board/", {"all": "1"}).content.decode()
    assert f'data-room="{place["bed"].pk}" data-state="occupied"' in everything


# --- Pre-release -----------------------------------------------------------------------------


@pytest.fixture
def leaving(place):
    """A resident whose term ends in five days; nothing done yet."""
    resident = place["residents"][2]
    resident.term_end = timezone.localdate() + datetime.timedelta(days=5)
    resident.save(update_fields=["term_end"])
    return resident


def test_the_pre_release_list_shows_residents_due_with_their_ticks(place, leaving):
    admit(place, 2, "pre_1", reason="pre_release", started_at=timezone.now() - datetime.timedelta(days=15))
    release_services.record_item(
        actor=place["officer"], resident=leaving, item="talk", done_on=timezone.localdate(), performed_by="李",
        summary="谈话",
    )  # fmt: skip
    html = place["client"].get("/isolation/prerelease/").content.decode()
    row = html.split(f'data-resident="{leaving.pk}"')[1].split("</tr>")[0]
    done = dict(re.findall(r'data-column="(\w+)" data-done="(\w+)"', row))
    assert done["observation"] == "true" and done["talk"] == "true"
    assert done["health_exam"] == "false" and done["handover_police"] == "false"
    assert f'data-resident="{place["residents"][0].pk}"' not in html  # term ends in 2028


def test_a_release_with_missing_items_shows_the_list_and_changes_nothing(place, leaving):
    response = place["client"].post(f"/isolation/prerelease/{leaving.pk}/release/", {}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'id="release-refusal"' in html
    codes = re.findall(r'<li data-code="(\w+)">', html)
    assert codes[0] == "observation" and "handover_family" in codes and len(codes) == 9
    leaving.refresh_from_db()
    assert leaving.status == "in_custody"


def test_recording_an_item_through_htmx_and_a_missing_detail_beside_its_field(place, leaving):
    client = place["client"]
    url = f"/isolation/prerelease/{leaving.pk}/items/"
    response = client.post(
        url,
        {"item": "talk", "talk-done_on": timezone.localdate().isoformat(), "talk-performed_by": "李"},
        **HTMX,
    )
    assert response.status_code == 200 and 'id="id_talk-summary-error"' in response.content.decode()
    response = client.post(
        url, {"item": "talk", "talk-done_on": timezone.localdate().isoformat(), "talk-performed_by": "李", "talk-summary": "谈话"},
        **HTMX,
    )  # fmt: skip
    assert response.status_code == 204 and response["HX-Refresh"] == "true"
    assert (
        'id="item-talk" data-done="true"'
        in client.get(f"/isolation/prerelease/{leaving.pk}/").content.decode()
    )


def test_medical_staff_see_the_examination_form_but_no_release_button(place, leaving, facility_a):
    client, _ = login(facility_a, Role.MEDICAL_STAFF)
    html = client.get(f"/isolation/prerelease/{leaving.pk}/").content.decode()
    assert 'id="item-form-health_exam"' in html and 'id="item-form-talk"' not in html
    assert 'id="release-button"' not in html
    assert client.post(f"/isolation/prerelease/{leaving.pk}/release/", {}).status_code == 403


def test_the_hand_over_sheet_is_a_pdf_with_the_chinese_font_and_masked_numbers(place, leaving):
    HandoverFactory(facility=leaving.facility, resident=leaving, phone="13987654321")
    response = place["client"].get(f"/isolation/prerelease/{leaving.pk}/handover.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF") and b"/FontFile" in content and b"NotoSansCJKSC" in content
    pdftotext = shutil.which("pdftotext")
    if pdftotext is None:
        pytest.fail("pdftotext is missing: apt-get install poppler-utils")
    text = subprocess.run(
        [pdftotext, "-", "-"], input=content, capture_output=True, check=True
    ).stdout.decode()
    assert leaving.name in text and leaving.facility.name in text
    assert leaving.id_number[:6] in text and not FULL_ID.search(text)
    assert "139****4321" in text and "13987654321" not in text


def test_without_the_font_the_sheet_is_a_clear_503_page(place, leaving, settings, tmp_path):
    settings.JIEDU_PDF_FONT = str(tmp_path / "missing.ttc")
    response = place["client"].get(f"/isolation/prerelease/{leaving.pk}/handover.pdf")
    assert response.status_code == 503 and 'id="font-missing"' in response.content.decode()


# --- Ledgers ---------------------------------------------------------------------------------


def _sheet(response):
    """Headers and data rows, under the approval watermark and the title line."""
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows[2], rows[3:]  # rows[0] is the approval watermark (PI-03), rows[1] the title line


def test_the_isolation_register_export_has_every_field_masked_and_only_own_rows(place, facility_b):
    admit(place, 0, "fever_1", note="体温37.9")
    IsolationStayFactory(facility=facility_b)
    headers, rows = _sheet(approved_get(place["client"], "/isolation/export/"))
    assert len(headers) == 18 and len(rows) == 1
    text = " ".join(str(v) for v in rows[0])
    assert place["residents"][0].name in text and "体温37.9" in text and not FULL_ID.search(text)


def test_the_pre_release_export_masks_contacts(place, leaving):
    HandoverFactory(
        facility=leaving.facility, resident=leaving, receiver="family", unit="", phone="13911112222"
    )
    headers, rows = _sheet(approved_get(place["client"], "/isolation/prerelease/export/"))
    assert len(rows) == 1 and len(headers) == len(rows[0])
    text = " ".join(str(v) for v in rows[0])
    assert (
        leaving.name in text
        and "139****2222" in text
        and "13911112222" not in text
        and not FULL_ID.search(text)
    )
