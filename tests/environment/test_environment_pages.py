"""The pages: big buttons that record (htmx), errors on the card, compliance, key areas, ledger export."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation.roles import Role

HTMX = {"HTTP_HX_REQUEST": "true"}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def area(facility_a):
    return KeyAreaFactory(
        facility=facility_a, name="食堂", key_since=timezone.localdate() - datetime.timedelta(days=7)
    )


@pytest.fixture
def officer(member, facility_a):
    return _client(member(Role.FACILITY_OFFICER, facility_a))


def test_the_checklist_shows_one_card_per_key_area_with_both_buttons(officer, area, facility_a):
    KeyAreaFactory(
        facility=facility_a,
        name="旧门岗",
        key_since=datetime.date(2026, 1, 1),
        key_until=datetime.date(2026, 2, 1),
    )
    response = officer.get("/environment/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('class="area-card') == 1 and "食堂" in body and "旧门岗" not in body
    assert f'id="ventilate-{area.pk}"' in body and f'id="disinfect-{area.pk}"' in body


def test_the_ventilate_button_records_and_returns_the_card_and_the_totals(officer, area):
    response = officer.post(f"/environment/areas/{area.pk}/record/", {"kind": "ventilation"}, **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<article class="area-card') and f'id="area-{area.pk}"' in body
    assert 'data-done="1"' in body
    assert 'id="env-summary"' in body and 'hx-swap-oob="true"' in body
    assert EnvironmentRecord.objects.get().kind == "ventilation"


def test_the_disinfection_form_records_agent_and_concentration(officer, area):
    response = officer.post(
        f"/environment/areas/{area.pk}/record/",
        {"kind": "disinfection", "agent": "含氯消毒剂", "concentration": "500 mg/L"},
        **HTMX,
    )
    assert response.status_code == 200
    row = EnvironmentRecord.objects.get()
    assert (row.kind, row.agent, row.concentration) == ("disinfection", "含氯消毒剂", "500 mg/L")
    # the next form is prefilled with what was used last
    page = officer.get("/environment/").content.decode()
    assert 'value="含氯消毒剂"' in page


def test_a_disinfection_without_agent_comes_back_400_with_the_error_on_the_card(officer, area):
    response = officer.post(
        f"/environment/areas/{area.pk}/record/",
        {"kind": "disinfection", "agent": "", "concentration": "500 mg/L"},
        **HTMX,
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="area{area.pk}_agent-error"' in body and '<details class="disinfect" open' in body
    assert not EnvironmentRecord.objects.exists()


def test_without_htmx_the_button_redirects_back_to_the_checklist(officer, area):
    response = officer.post(f"/environment/areas/{area.pk}/record/", {"kind": "ventilation"})
    assert response.status_code == 302 and response["Location"].startswith("/environment/")
    assert EnvironmentRecord.objects.count() == 1


def test_undo_withdraws_the_latest_record(officer, area):
    officer.post(f"/environment/areas/{area.pk}/record/", {"kind": "ventilation"}, **HTMX)
    row = EnvironmentRecord.objects.get()
    body = officer.get("/environment/").content.decode()
    assert f'id="retract-{row.pk}"' in body
    response = officer.post(f"/environment/records/{row.pk}/retract/", {}, **HTMX)
    assert response.status_code == 200 and 'data-done="0"' in response.content.decode()
    assert EnvironmentRecord.objects.effective().count() == 0 and EnvironmentRecord.objects.count() == 2


def test_a_bureau_leader_sees_the_checklist_without_buttons_and_may_not_record(member, area):
    leader = _client(member(Role.BUREAU_LEADER))
    body = leader.get("/environment/").content.decode()
    assert "食堂" in body and f'id="ventilate-{area.pk}"' not in body
    response = leader.post(f"/environment/areas/{area.pk}/record/", {"kind": "ventilation"}, **HTMX)
    assert response.status_code == 403
    assert not EnvironmentRecord.objects.exists()


def test_recording_needs_a_post(officer, area):
    assert officer.get(f"/environment/areas/{area.pk}/record/").status_code == 405


def test_the_compliance_page_draws_per_area_and_trend_from_json(officer, area):
    EnvironmentRecordFactory(
        facility=area.facility, area=area, performed_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    response = officer.get("/environment/compliance/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="environment-chart-data"' in body and 'id="area-chart"' in body and 'id="trend-chart"' in body
    assert "jiedu/environment.js" in body
    past = officer.get("/environment/compliance/", {"day": "2026-01-05"})
    assert past.status_code == 200 and "2026-01-05" in past.content.decode()


def test_a_malformed_day_falls_back_to_today(officer, area):
    response = officer.get("/environment/compliance/", {"day": "not-a-day"})
    assert response.status_code == 200 and timezone.localdate().isoformat() in response.content.decode()


def test_a_bureau_user_sees_all_facilities_side_by_side(member, area, facility_b):
    KeyAreaFactory(facility=facility_b, name="医务室")
    body = _client(member(Role.BUREAU_SUPERVISOR)).get("/environment/compliance/").content.decode()
    assert 'id="facility-table"' in body and facility_b.short_name in body


def test_a_leader_marks_edits_and_unmarks_key_areas(member, facility_a):
    leader = _client(member(Role.FACILITY_LEADER, facility_a))
    response = leader.post("/environment/areas/", {"facility": facility_a.pk, "name": "会见室", "note": ""})
    assert response.status_code == 302
    area = KeyArea.objects.get(name="会见室")
    response = leader.post(
        f"/environment/areas/{area.pk}/edit/",
        {"name": "会见室（一）", "zone": "", "note": "二楼", "expected_version": area.version},
    )
    assert response.status_code == 302
    area.refresh_from_db()
    assert (area.name, area.note) == ("会见室（一）", "二楼")
    leader.post(f"/environment/areas/{area.pk}/unmark/")
    area.refresh_from_db()
    assert area.key_until == timezone.localdate()
    assert 'id="former-areas"' in leader.get("/environment/areas/").content.decode()


def test_a_duplicate_area_name_shows_beside_the_field(member, facility_a, area):
    leader = _client(member(Role.FACILITY_LEADER, facility_a))
    response = leader.post("/environment/areas/", {"facility": facility_a.pk, "name": "食堂"})
    assert response.status_code == 400 and 'id="id_name-error"' in response.content.decode()


def test_officers_see_key_areas_but_cannot_manage_them(officer, area):
    body = officer.get("/environment/areas/").content.decode()
    assert "食堂" in body and 'id="area-form"' not in body
    assert officer.get(f"/environment/areas/{area.pk}/edit/").status_code == 403


def test_the_ledger_filters_by_kind(officer, area):
    EnvironmentRecordFactory(facility=area.facility, area=area)
    EnvironmentRecordFactory(
        facility=area.facility, area=area, kind="disinfection", agent="过氧乙酸", concentration="0.2%"
    )
    body = officer.get("/environment/log/", {"kind": "disinfection"}, **HTMX).content.decode()
    assert body.count("data-record=") == 1 and "过氧乙酸" in body


def test_the_excel_export_has_every_field_and_only_visible_rows(officer, area, facility_b):
    original = EnvironmentRecordFactory(
        facility=area.facility, area=area, kind="disinfection", agent="含氯消毒剂", concentration="500 mg/L",
        duration_minutes=30, note="餐后消毒",
    )  # fmt: skip
    EnvironmentRecordFactory(
        facility=area.facility, area=area, kind="disinfection", agent="含氯消毒剂", concentration="1000 mg/L",
        corrects=original, performed_at=original.performed_at,
    )  # fmt: skip
    EnvironmentRecordFactory(facility=facility_b, area=KeyAreaFactory(facility=facility_b, name="乙所食堂"))
    response = officer.get("/environment/log/export/", {"kind": "disinfection"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers, data = rows[1], rows[2:]
    assert len(headers) == 14 and all(headers)
    assert len(data) == 2
    newest, oldest = data[0], data[1]
    assert oldest[0] == original.pk and oldest[2] == "食堂" and oldest[7] == 30
    assert (oldest[8], oldest[9], oldest[10]) == ("含氯消毒剂", "500 mg/L", "餐后消毒")
    assert oldest[5] == timezone.localtime(original.performed_at).replace(tzinfo=None)
    assert newest[12] == original.pk and newest[9] == "1000 mg/L"
    assert oldest[11] != newest[11]  # replaced vs counts
    assert not any("乙所" in str(cell) for row in rows for cell in row if cell)


def test_undo_is_offered_only_for_ones_own_latest_record(officer, area, member, facility_a):
    colleague = member(Role.FACILITY_OFFICER, facility_a)
    row = EnvironmentRecordFactory(
        facility=area.facility, area=area, performed_by=colleague, performed_at=timezone.now()
    )
    body = officer.get("/environment/").content.decode()
    assert f'id="area-{area.pk}"' in body and "<footer>" in body  # the latest record is shown
    assert f'id="retract-{row.pk}"' not in body
