"""The round pages: one submit per zone, errors per row, alerts with one-click isolation, ledger."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from export_approval import approved_get
from factories import ResidentFactory, RoomFactory, ZoneFactory
from factories_health import TemperatureReadingFactory
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role


@pytest.fixture
def ward(facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education", name="教育适应区")
    room = RoomFactory(zone=zone, capacity=8, number="201")
    residents = [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(3)]
    fever = ZoneFactory(facility=facility_a, zone_type="fever_isolation", name="发热隔离区")
    single = RoomFactory(zone=fever, capacity=1, is_single_occupancy=True, number="701")
    return zone, residents, single


@pytest.fixture
def medic(member, facility_a):
    client = Client()
    client.force_login(member(Role.MEDICAL_STAFF, facility_a))
    return client


def _round(zone, residents, values, **extra):
    data = {"zone": zone.pk, **extra}
    data.update({f"t_{r.pk}": v for r, v in zip(residents, values, strict=False)})
    return data


def test_the_round_page_lists_zones_then_one_box_per_resident(medic, ward):
    zone, residents, _ = ward
    assert f'data-zone="{zone.pk}"' in medic.get("/health/round/").content.decode()
    page = medic.get(f"/health/round/?zone={zone.pk}").content.decode()
    for resident in residents:
        assert f'id="id_t_{resident.pk}"' in page and resident.name in page
    assert 'data-fever="37.3"' in page  # today's threshold, from the policy


def test_one_bad_row_shows_its_error_beside_it_and_saves_nothing(medic, ward):
    zone, residents, _ = ward
    response = medic.post(f"/health/round/?zone={zone.pk}", _round(zone, residents, ["36.5", "365", "36.6"]))
    assert response.status_code == 400
    page = response.content.decode()
    assert f'id="id_t_{residents[1].pk}-error"' in page and f'id="id_t_{residents[0].pk}-error"' not in page
    assert 'value="365"' in page  # what was typed stays, to be corrected
    assert TemperatureReading.objects.count() == 0


def test_a_round_with_a_fever_shows_the_alert_over_htmx(medic, ward):
    zone, residents, _ = ward
    response = medic.post(
        f"/health/round/?zone={zone.pk}",
        _round(zone, residents, ["36.5", "38.2", ""]),
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="round-alerts"' in page and residents[1].name in page and "<html" not in page
    assert TemperatureReading.objects.count() == 2 and FeverAlert.objects.get().resident == residents[1]


def test_an_empty_round_is_an_error_not_a_crash(medic, ward):
    zone, residents, _ = ward
    response = medic.post(f"/health/round/?zone={zone.pk}", _round(zone, residents, ["", "", ""]))
    assert response.status_code == 400 and TemperatureReading.objects.count() == 0


def test_a_gate_officer_may_not_record_a_round(member, facility_a, ward):
    zone, residents, _ = ward
    client = Client()
    client.force_login(member(Role.GATE_OFFICER, facility_a))
    response = client.post(
        f"/health/round/?zone={zone.pk}", _round(zone, residents, ["36.5", "36.5", "36.5"])
    )
    assert response.status_code in (403, 404) and TemperatureReading.objects.count() == 0


def test_the_alert_page_proposes_the_room_and_accepting_isolates(medic, ward):
    zone, residents, single = ward
    medic.post(f"/health/round/?zone={zone.pk}", _round(zone, residents, ["38.4", "", ""]))
    alert = FeverAlert.objects.get()
    page = medic.get("/health/alerts/").content.decode()
    assert f'id="alert-{alert.pk}"' in page and f'data-room="{single.pk}"' in page
    card = medic.post(f"/health/alerts/{alert.pk}/accept/", {"room": single.pk}, HTTP_HX_REQUEST="true")
    assert card.status_code == 200 and 'data-status="isolated"' in card.content.decode()
    assert IsolationStay.objects.get(resident=residents[0], ended_at__isnull=True).room == single
    again = medic.post(f"/health/alerts/{alert.pk}/accept/", {"room": single.pk})
    assert again.status_code == 302  # back to the list, with the reason as a message


def test_dismissing_without_a_recheck_shows_why(medic, ward):
    zone, residents, _ = ward
    medic.post(f"/health/round/?zone={zone.pk}", _round(zone, residents, ["38.4", "", ""]))
    alert = FeverAlert.objects.get()
    card = medic.post(f"/health/alerts/{alert.pk}/dismiss/", {"reason": "复测正常"}, HTTP_HX_REQUEST="true")
    assert 'class="errorlist"' in card.content.decode() and FeverAlert.objects.get().is_open


def test_overdue_and_compliance_pages(medic, ward, facility_a):
    zone, residents, _ = ward
    TemperatureReadingFactory(
        facility=facility_a, zone=zone, resident=residents[0], measured_at=timezone.now()
    )
    overdue = medic.get("/health/overdue/")
    assert overdue.status_code == 200 and 'id="overdue-table"' in overdue.content.decode()
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    compliance = medic.get("/health/compliance/", {"day": yesterday.isoformat()})
    page = compliance.content.decode()
    assert 'id="compliance-chart-data"' in page and f'data-zone="{zone.pk}"' in page
    assert 'data-done="0" data-due="36"' in page  # three residents, twelve missed slots each
    assert medic.get("/health/compliance/", {"day": "not-a-day"}).status_code == 200


def test_the_log_filters_and_exports_every_reading_with_masked_id_numbers(medic, ward, facility_a):
    zone, residents, _ = ward
    for resident in residents:
        TemperatureReadingFactory(
            facility=facility_a, zone=zone, resident=resident, measured_at=timezone.now()
        )
    page = medic.get("/health/log/", {"q": residents[0].name}).content.decode()
    assert residents[0].name in page and residents[1].name not in page
    export = approved_get(medic, "/health/log/export/")  # bulk personal data: approved first (PI-03)
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 2 + 3 and len(rows[2]) == 14  # watermark, title, headers, readings
    shown = {row[5] for row in rows[3:]}
    assert all("*" in value for value in shown) and residents[0].id_number not in shown


def test_the_recheck_is_entered_on_the_alert_and_then_it_can_be_dismissed(medic, ward):
    zone, residents, _ = ward
    medic.post(f"/health/round/?zone={zone.pk}", _round(zone, residents, ["38.4", "", ""]))
    alert = FeverAlert.objects.get()
    bad = medic.post(f"/health/alerts/{alert.pk}/recheck/", {"temperature_c": "3"}, HTTP_HX_REQUEST="true")
    assert 'class="errorlist"' in bad.content.decode() and TemperatureReading.objects.count() == 1
    card = medic.post(
        f"/health/alerts/{alert.pk}/recheck/", {"temperature_c": "36.7"}, HTTP_HX_REQUEST="true"
    )
    assert 'class="recheck-value"' in card.content.decode() and 'class="dismiss"' in card.content.decode()
    card = medic.post(f"/health/alerts/{alert.pk}/dismiss/", {"reason": "复测正常"}, HTTP_HX_REQUEST="true")
    assert 'data-status="dismissed"' in card.content.decode()
