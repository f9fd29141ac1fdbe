"""Recording temperatures: the valid range, whole rounds all or nothing, fever alerts, isolation."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import ResidentFactory, RoomFactory, ZoneFactory
from factories_health import FeverAlertFactory, TemperatureReadingFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.health import services
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.isolation.models import IsolationStay
from jiedu.organisation.roles import Role


@pytest.fixture
def ward(facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="education", name="教育适应区")
    room = RoomFactory(zone=zone, capacity=8, number="201")
    residents = [ResidentFactory(facility=facility_a, current_zone=zone, current_room=room) for _ in range(3)]
    return zone, residents


@pytest.fixture
def fever_rooms(facility_a):
    zone = ZoneFactory(facility=facility_a, zone_type="fever_isolation", name="发热隔离区")
    return [RoomFactory(zone=zone, capacity=1, is_single_occupancy=True, number=n) for n in ("701", "702")]


@pytest.fixture
def medic(member, facility_a):
    return member(Role.MEDICAL_STAFF, facility_a)


# --- One reading ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["34.0", "43.0", Decimal("36.55"), 37])
def test_readings_at_the_range_boundaries_are_kept(medic, ward, value):
    _, (resident, *_) = ward
    reading = services.record_reading(actor=medic, resident=resident, temperature_c=value)
    reading.refresh_from_db()
    assert Decimal("34.0") <= reading.temperature_c <= Decimal("43.0")
    assert reading.zone == resident.current_zone and reading.measured_by == medic


@pytest.mark.parametrize("value", ["33.9", "43.1", "abc", "", "NaN"])
def test_a_value_outside_the_range_is_a_field_error_and_nothing_is_saved(medic, ward, value):
    _, (resident, *_) = ward
    with pytest.raises(DomainError) as caught:
        services.record_reading(actor=medic, resident=resident, temperature_c=value)
    assert caught.value.field == "temperature_c"
    assert not TemperatureReading.objects.exists()


def test_the_database_refuses_a_reading_outside_the_range(medic, ward):
    _, (resident, *_) = ward
    with pytest.raises(IntegrityError), transaction.atomic():
        TemperatureReadingFactory(
            facility=resident.facility, resident=resident, temperature_c=Decimal("43.1")
        )


def test_a_future_time_and_a_resident_who_left_are_refused(medic, ward, facility_a):
    _, (resident, *_) = ward
    with pytest.raises(DomainError) as caught:
        services.record_reading(
            actor=medic,
            resident=resident,
            temperature_c="36.5",
            measured_at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert caught.value.field == "measured_at"
    released = ResidentFactory(facility=facility_a, status="released")
    with pytest.raises(DomainError) as caught:
        services.record_reading(actor=medic, resident=released, temperature_c="36.5")
    assert caught.value.field == "resident"


def test_only_roles_that_record_temperatures_may(member, facility_a, ward):
    _, (resident, *_) = ward
    gate = member(Role.GATE_OFFICER, facility_a)
    with pytest.raises(AccessDenied):
        services.record_reading(actor=gate, resident=resident, temperature_c="36.5")


def test_a_reading_is_audited_by_field_names(medic, ward):
    _, (resident, *_) = ward
    reading = services.record_reading(actor=medic, resident=resident, temperature_c="36.6")
    event = AuditEvent.objects.get(action="temperature.recorded")
    assert event.target_id == str(reading.pk) and "temperature_c" in event.changed_fields
    assert "36.6" not in str(event.changed_fields)


# --- A zone's round -------------------------------------------------------------------------


def test_a_round_with_one_bad_row_saves_nothing_and_names_the_row(medic, ward):
    zone, residents = ward
    rows = [(residents[0], "36.5"), (residents[1], "36.7"), (residents[2], "3.68")]
    with pytest.raises(services.RoundError) as caught:
        services.record_round(actor=medic, zone=zone, readings=rows)
    assert caught.value.rows == {2: {"temperature_c": caught.value.rows[2]["temperature_c"]}}
    assert "3" in caught.value.message  # "Row 3: ..."
    assert TemperatureReading.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="temperature.").exists()


def test_a_round_refuses_residents_of_another_zone_and_twice_the_same_resident(medic, ward, facility_a):
    zone, residents = ward
    elsewhere = ResidentFactory(facility=facility_a, current_zone=ZoneFactory(facility=facility_a))
    rows = [(residents[0], "36.5"), (elsewhere, "36.6"), (residents[0], "36.7")]
    with pytest.raises(services.RoundError) as caught:
        services.record_round(actor=medic, zone=zone, readings=rows)
    assert set(caught.value.rows) == {1, 2}
    assert all("resident" in problems for problems in caught.value.rows.values())
    assert TemperatureReading.objects.count() == 0


def test_a_whole_round_is_saved_at_one_time_and_audited_once(medic, ward):
    zone, residents = ward
    when = timezone.now() - datetime.timedelta(minutes=5)
    result = services.record_round(
        actor=medic, zone=zone, readings=[(r, "36.4") for r in residents], measured_at=when
    )
    assert len(result.readings) == 3 and result.alerts == []
    assert set(TemperatureReading.objects.values_list("measured_at", flat=True)) == {when}
    assert AuditEvent.objects.filter(action="temperature.round_recorded").count() == 1


def test_an_empty_round_is_refused(medic, ward):
    zone, _ = ward
    with pytest.raises(DomainError) as caught:
        services.record_round(actor=medic, zone=zone, readings=[])
    assert caught.value.field == "readings"


# --- Fever ----------------------------------------------------------------------------------


def test_a_fever_in_a_round_raises_one_alert_with_a_recheck_in_an_hour(medic, ward, fever_rooms):
    zone, residents = ward
    result = services.record_round(
        actor=medic,
        zone=zone,
        readings=[(residents[0], "36.5"), (residents[1], "38.2"), (residents[2], "37.3")],
    )
    assert {a.resident for a in result.alerts} == {residents[1], residents[2]}  # 37.3 is at the threshold
    alert = FeverAlert.objects.get(resident=residents[1])
    assert alert.is_open and alert.recheck_due_at == alert.raised_at + datetime.timedelta(hours=1)
    services.record_reading(actor=medic, resident=residents[1], temperature_c="38.5")
    assert FeverAlert.objects.filter(resident=residents[1]).count() == 1  # one open alert per resident


def test_the_database_allows_one_open_alert_per_resident(facility_a):
    alert = FeverAlertFactory(facility=facility_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeverAlertFactory(
            facility=facility_a,
            resident=alert.resident,
            reading=TemperatureReadingFactory(
                facility=facility_a, resident=alert.resident, temperature_c=Decimal("38.0")
            ),
        )


def test_accepting_the_proposal_isolates_the_resident_in_one_action(medic, ward, fever_rooms):
    zone, residents = ward
    services.record_round(actor=medic, zone=zone, readings=[(residents[0], "38.2")])
    alert = FeverAlert.objects.get()
    accepted = services.accept_isolation(actor=medic, alert=alert)
    residents[0].refresh_from_db()
    stay = IsolationStay.objects.get(resident=residents[0], ended_at__isnull=True)
    assert residents[0].current_room == fever_rooms[0] == stay.room and stay.reason == "fever"
    assert accepted.status == "isolated" and accepted.isolation_stay == stay and accepted.resolved_by == medic
    assert AuditEvent.objects.filter(action="fever_alert.isolated", target_id=str(alert.pk)).exists()
    with pytest.raises(DomainError):
        services.accept_isolation(actor=medic, alert=alert)


def test_without_a_free_fever_room_acceptance_is_refused_and_the_alert_stays_open(medic, ward):
    zone, residents = ward
    services.record_round(actor=medic, zone=zone, readings=[(residents[0], "38.2")])
    alert = FeverAlert.objects.get()
    with pytest.raises(DomainError) as caught:
        services.accept_isolation(actor=medic, alert=alert)
    assert caught.value.field == "room"
    alert.refresh_from_db()
    assert alert.is_open and not IsolationStay.objects.exists()


def test_isolation_needs_the_isolation_duty(member, facility_a):
    alert = FeverAlertFactory(facility=facility_a)
    with pytest.raises(AccessDenied):
        services.accept_isolation(actor=member(Role.PROSECUTOR, facility_a), alert=alert)


def test_an_alert_is_dismissed_only_after_a_normal_recheck(medic, ward):
    _, residents = ward
    measured = timezone.now() - datetime.timedelta(hours=2)
    services.record_reading(actor=medic, resident=residents[0], temperature_c="37.9", measured_at=measured)
    alert = FeverAlert.objects.get()
    with pytest.raises(DomainError):
        services.dismiss_alert(actor=medic, alert=alert, reason="复测正常")
    services.record_reading(
        actor=medic,
        resident=residents[0],
        temperature_c="37.5",
        measured_at=measured + datetime.timedelta(hours=1),
    )
    with pytest.raises(DomainError):
        services.dismiss_alert(actor=medic, alert=alert, reason="复测正常")
    services.record_reading(actor=medic, resident=residents[0], temperature_c="36.8")
    with pytest.raises(DomainError) as caught:
        services.dismiss_alert(actor=medic, alert=alert, reason="  ")
    assert caught.value.field == "reason"
    dismissed = services.dismiss_alert(actor=medic, alert=alert, reason="复测正常")
    assert dismissed.status == "dismissed" and dismissed.resolved_at is not None
    assert AuditEvent.objects.filter(action="fever_alert.dismissed").count() == 1


def test_a_correction_is_a_new_row_and_a_typo_fever_can_then_be_dismissed(medic, ward):
    _, (resident, *_) = ward
    wrong = services.record_reading(actor=medic, resident=resident, temperature_c="38.6")
    with pytest.raises(DomainError) as caught:
        services.correct_reading(actor=medic, reading=wrong, temperature_c="36.6", note="")
    assert caught.value.field == "note"
    fixed = services.correct_reading(actor=medic, reading=wrong, temperature_c="36.6", note="录入错误")
    wrong.refresh_from_db()
    assert (
        wrong.temperature_c == Decimal("38.6")
        and fixed.corrects == wrong
        and fixed.measured_at == wrong.measured_at
    )
    with pytest.raises(DomainError):
        services.correct_reading(actor=medic, reading=wrong, temperature_c="36.7", note="再改")
    services.dismiss_alert(actor=medic, alert=FeverAlert.objects.get(), reason="录入错误，已更正")


def test_a_historical_import_keeps_each_time_raises_fevers_and_is_audited_once(medic, ward):
    zone, residents = ward
    base = timezone.now() - datetime.timedelta(days=1)
    rows = [
        (r, "38.0" if i == 1 else "36.5", base + datetime.timedelta(minutes=i))
        for i, r in enumerate(residents)
    ]
    result = services.import_historical_round(actor=medic, zone=zone, rows=rows)
    assert sorted(r.measured_at for r in result.readings) == [
        base + datetime.timedelta(minutes=i) for i in range(3)
    ]
    assert [a.raised_at for a in result.alerts] == [base + datetime.timedelta(minutes=1)]
    assert AuditEvent.objects.filter(action="temperature.round_imported").count() == 1
    with pytest.raises(services.RoundError), transaction.atomic():
        services.import_historical_round(actor=medic, zone=zone, rows=[(residents[0], "50", base)])


def test_a_failure_after_the_insert_rolls_the_whole_round_back(medic, ward, monkeypatch):
    zone, residents = ward

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_raise_fever_alerts", broken)
    with pytest.raises(RuntimeError):
        services.record_round(actor=medic, zone=zone, readings=[(r, "36.5") for r in residents])
    assert TemperatureReading.objects.count() == 0
