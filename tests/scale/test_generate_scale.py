"""generate-scale on PostgreSQL: a tiny region, checked the way the application reads it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone
from rest_framework.test import APIClient

from jiedu.common import crypto
from jiedu.common.localtime import local_day_bounds
from jiedu.environment.models import EnvironmentRecord
from jiedu.findings.models import Finding, FindingEvent
from jiedu.gatelog.models import GateEvent
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.health.selectors import compliance_report, overdue_today
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people.identity import parse_id_number
from jiedu.people.models import ID_NUMBER_CONTEXT, Resident, Staff
from jiedu.scale import readings
from jiedu.scale.generator import ScaleError, generate
from jiedu.scale.shape import RegionShape
from jiedu.staffleave.models import DailyReport, LeavePeriod

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        "connection.vendor != 'postgresql'", reason="generate-scale loads with PostgreSQL's COPY"
    ),
]

FACILITIES, RESIDENTS, STAFF, DAYS = 2, 30, 12, 5


@pytest.fixture
def region(monkeypatch):
    # Fevers are rare (1 in 20,000 readings): often enough here to see their alerts.
    monkeypatch.setattr(readings, "FEVER", 1 / 200)
    now = timezone.now().replace(second=0, microsecond=0)
    shape = RegionShape(days=DAYS, facilities=FACILITIES, residents=RESIDENTS, staff=STAFF, large_facility=40,
                        now=now)  # fmt: skip
    return generate(shape)


def _constraints_and_indexes(table: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass", [table])
        names = {row[0] for row in cursor.fetchall()}
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s", [table])
        return names | {row[0] for row in cursor.fetchall()}


def test_every_facility_holds_its_population_and_staff(region):
    held = dict(
        Resident.objects.filter(status=Resident.Status.IN_CUSTODY).values_list("facility__code")
        .annotate(n=Count("id")).values_list("facility_id", "n")
    )  # fmt: skip
    first, second = Facility.objects.order_by("pk")
    assert held == {first.pk: 40, second.pk: RESIDENTS}  # the first facility is the larger one
    assert Staff.objects.filter(facility=first).count() == STAFF
    assert Resident.objects.filter(left_at__isnull=True).count() == 40 + RESIDENTS


def test_residents_come_and_go_and_custody_is_consistent(region):
    shape = region.shape
    gone = Resident.objects.exclude(status=Resident.Status.IN_CUSTODY)
    assert not gone.filter(left_at__isnull=True).exists()
    assert not gone.filter(left_at__gt=shape.now).exists()
    # At any moment of the period, each facility held exactly its population.
    for moment in (shape.start + datetime.timedelta(hours=1), shape.now - datetime.timedelta(hours=3)):
        present = Resident.objects.filter(admitted_at__lte=moment).filter(
            Q(left_at__isnull=True) | Q(left_at__gt=moment)
        )
        assert sorted(present.values("facility_id").annotate(n=Count("id")).values_list("n", flat=True)) == [
            30,
            40,
        ]
    # No reading outside its resident's custody or facility; every zone is the facility's.
    readings_ = TemperatureReading.objects.all()
    assert not readings_.filter(measured_at__lt=F("resident__admitted_at")).exists()
    assert not readings_.filter(
        resident__left_at__isnull=False, measured_at__gte=F("resident__left_at")
    ).exists()
    assert not readings_.exclude(facility_id=F("resident__facility_id")).exists()
    assert not readings_.exclude(facility_id=F("zone__facility_id")).exists()
    assert readings_.aggregate(last=Max("measured_at"))["last"] <= shape.now


def test_readings_every_two_hours_for_everyone_in_custody(region):
    shape = region.shape
    yesterday = shape.today - datetime.timedelta(days=1)
    start, end = local_day_bounds(yesterday)
    held_all_day = Resident.objects.filter(admitted_at__lte=start).filter(
        Q(left_at__isnull=True) | Q(left_at__gte=end)
    )
    per_resident = (
        TemperatureReading.objects.filter(resident__in=held_all_day, measured_at__gte=start, measured_at__lt=end)
        .values("resident_id").annotate(n=Count("id"))
    )  # fmt: skip
    counts = [row["n"] for row in per_resident]
    assert len(counts) == held_all_day.count()
    assert max(counts) == 12 and min(counts) >= 10  # a missed slot now and then
    report = compliance_report(list(Facility.objects.all()), yesterday, shape.now)
    assert report.total.compliance > 0.98


def test_gate_environment_findings_and_leave_reports_fill_every_day(region):
    shape = region.shape
    yesterday = shape.today - datetime.timedelta(days=1)
    start, end = local_day_bounds(yesterday)
    gate = (
        GateEvent.objects.filter(occurred_at__gte=start, occurred_at__lt=end)
        .values("facility_id")
        .annotate(n=Count("id"))
    )
    # Each of the gate staff in and out (at most 20 a day), 3 visitors, 2 vehicles, 3 hand-overs.
    assert sorted(row["n"] for row in gate) == [2 * min(20, STAFF) + 8] * FACILITIES
    assert GateEvent.objects.filter(outcome="refused").exclude(refusal_reasons=[]).exists()
    environment = EnvironmentRecord.objects.filter(performed_at__gte=start, performed_at__lt=end)
    assert environment.filter(kind="ventilation").count() == FACILITIES * 6 * 5
    assert environment.filter(kind="disinfection").count() == FACILITIES * 6 * 3
    assert LeavePeriod.objects.exists()
    reports = DailyReport.objects.filter(day=yesterday - datetime.timedelta(days=1))
    assert reports.exists() and not reports.exclude(status="facility_checked").exists()
    assert not DailyReport.objects.filter(day__lt=F("period__starts_on")).exists()
    assert not DailyReport.objects.filter(day__gt=F("period__ends_on")).exists()
    for finding in Finding.objects.all():
        kinds = list(
            FindingEvent.objects.filter(finding=finding).order_by("at").values_list("kind", flat=True)
        )
        assert kinds[0] == "recorded"


def test_fevers_raise_alerts_that_a_normal_recheck_settles(region):
    alerts = FeverAlert.objects.select_related("reading")
    assert alerts.exists()
    for alert in alerts:
        assert alert.reading.temperature_c >= Decimal("37.3")
        assert alert.raised_at == alert.reading.measured_at
        if alert.status == FeverAlert.Status.DISMISSED:
            recheck = (
                TemperatureReading.objects.filter(
                    resident_id=alert.resident_id, measured_at__gt=alert.raised_at
                )
                .order_by("measured_at")
                .first()
            )
            assert recheck.temperature_c < Decimal("37.3") and recheck.measured_at <= alert.resolved_at
    assert (
        FeverAlert.objects.filter(status="open")
        .values("resident_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
        == 0
    )


def test_identifiers_are_stored_encrypted_with_their_blind_index(region):
    resident = Resident.objects.order_by("?").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM people_resident WHERE id = %s", [resident.pk])
        stored = cursor.fetchone()[0]
    assert stored.startswith("sm4gcm$") and resident.id_number not in stored
    assert parse_id_number(resident.id_number, today=timezone.localdate())
    assert resident.id_number_index == crypto.blind_index(resident.id_number, context=ID_NUMBER_CONTEXT)
    assert Resident.objects.filter(id_number_index=resident.id_number_index).get() == resident


def test_indexes_and_constraints_are_back_and_ids_continue(region):
    expected = {"temperature_facility_time", "temperature_resident_time", "temperature_reading_range"}
    assert expected <= _constraints_and_indexes("health_temperaturereading")
    resident = Resident.objects.filter(status=Resident.Status.IN_CUSTODY).first()
    largest = TemperatureReading.objects.aggregate(m=Max("id"))["m"]
    reading = TemperatureReading.objects.create(
        facility_id=resident.facility_id, resident=resident, measured_at=timezone.now(), temperature_c="36.5",
        measured_by=Membership.objects.filter(role=Role.MEDICAL_STAFF).first().user,
    )  # fmt: skip
    assert reading.pk > largest


def test_the_application_reads_the_generated_region(region):
    facility = Facility.objects.order_by("pk").first()
    overdue, missed = overdue_today([facility], region.shape.now)
    assert len(overdue) <= 40 and all(row.resident.facility_id == facility.pk for row in overdue)
    leader = Membership.objects.get(role=Role.BUREAU_LEADER).user
    from django.test import Client

    client = Client()
    client.force_login(leader)
    response = client.get("/epidemic/panel/")
    assert response.status_code == 200
    assert facility.short_name in response.content.decode()


def test_a_whole_round_posts_for_a_generated_zone(region):
    resident = Resident.objects.filter(status=Resident.Status.IN_CUSTODY).first()
    zone_residents = Resident.objects.filter(
        status=Resident.Status.IN_CUSTODY, current_zone=resident.current_zone
    )
    client = APIClient()
    client.force_authenticate(
        Membership.objects.get(role=Role.MEDICAL_STAFF, facility_id=resident.facility_id).user
    )
    payload = {"zone": resident.current_zone_id,
               "readings": [{"resident": r.pk, "temperature_c": "36.6"} for r in zone_residents]}  # fmt: skip
    response = client.post("/api/v1/temperature-rounds/", payload, format="json")
    assert response.status_code == 201, response.content
    assert len(response.json()["readings"]) == zone_residents.count()


def test_a_region_is_generated_only_into_an_empty_database(region):
    with pytest.raises(ScaleError, match="already holds facilities"):
        generate(RegionShape(days=1, facilities=1, residents=1, staff=1))


def test_the_command_prints_rows_per_second_per_table(capsys):
    call_command("generate_scale", "--days", "1", "--facilities", "1", "--residents", "3", "--staff", "2")
    out = capsys.readouterr().out
    assert "health_temperaturereading" in out and "rows/s" in out
    assert Resident.objects.aggregate(first=Min("admitted_at"))["first"] is not None
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_scale", "--days", "0")
