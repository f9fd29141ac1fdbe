"""PI-04 (PIPL Art. 19, 47): `purge-personal-data` deletes personal data whose retention (from the
data inventory) has run out, keeps everything younger, and never touches audit rows or the access log."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from factories import ResidentFactory, StaffFactory, UserFactory
from factories_crosscheck import CrossCheckFindingFactory, CrossCheckRunFactory
from factories_health import FeverAlertFactory, TemperatureReadingFactory
from factories_overseas import FACTS, OverseasEntryFactory, OverseasStatusFactory
from factories_screening import CommitmentFactory, ScreeningFormFactory, ScreeningRoundFactory
from factories_staffleave import (
    DailyReportFactory,
    LeavePeriodFactory,
    PatrolRecordFactory,
    ReturnReportFactory,
)
from factories_standby import NucleicAcidTestFactory
from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.crosscheck.models import CrossCheckFinding, CrossCheckRun
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.overseas.models import OverseasEntry, OverseasStatus
from jiedu.people.models import Resident
from jiedu.privacy.models import AccessLog
from jiedu.privacy.services import log_view
from jiedu.screening.models import Commitment, ScreeningForm
from jiedu.staffleave.models import DailyReport, LeavePeriod, PatrolRecord, ReturnReport
from jiedu.standby.models import NucleicAcidTest

TODAY = datetime.date(2027, 6, 1)
NOW = datetime.datetime(2027, 6, 1, 4, 0, tzinfo=datetime.UTC)
DAYS = 180
OLD = TODAY - datetime.timedelta(days=DAYS + 10)  # past the retention
RECENT = TODAY - datetime.timedelta(days=DAYS - 10)  # still kept


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(2, 0), tzinfo=datetime.UTC)


def _purge(*args) -> str:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def ledgers(facility_a):
    """For every rule one expired and one kept set of rows."""
    rows = {}
    # Temperatures of a resident released long ago, a correction among them; and of one still held.
    gone = ResidentFactory(facility=facility_a, status="released", left_at=_at(OLD))
    first = TemperatureReadingFactory(
        facility=facility_a, resident=gone, measured_at=_at(OLD - datetime.timedelta(days=30))
    )
    TemperatureReadingFactory(
        facility=facility_a, resident=gone, measured_at=first.measured_at, corrects=first
    )
    FeverAlertFactory(
        facility=facility_a,
        reading=TemperatureReadingFactory(facility=facility_a, resident=gone, temperature_c=38),
    )
    recently_gone = ResidentFactory(facility=facility_a, status="released", left_at=_at(RECENT))
    rows["kept_readings"] = [
        TemperatureReadingFactory(facility=facility_a, resident=recently_gone),
        TemperatureReadingFactory(facility=facility_a, resident=ResidentFactory(facility=facility_a)),
    ]
    # Leave reports of a period that ended long ago, and of a recent one.
    old_period = LeavePeriodFactory(
        facility=facility_a, starts_on=OLD - datetime.timedelta(days=6), ends_on=OLD
    )
    DailyReportFactory(facility=facility_a, period=old_period, day=OLD)
    ReturnReportFactory(facility=facility_a, period=old_period)
    new_period = LeavePeriodFactory(
        facility=facility_a, starts_on=RECENT - datetime.timedelta(days=6), ends_on=RECENT
    )
    rows["kept_report"] = DailyReportFactory(facility=facility_a, period=new_period, day=RECENT)
    PatrolRecordFactory(facility=facility_a, visited_at=_at(OLD))
    rows["kept_patrol"] = PatrolRecordFactory(facility=facility_a, visited_at=_at(RECENT))
    # Overseas: returned long ago (purged), returned recently, and still abroad since long ago (kept).
    returned = {**FACTS["returned"], "return_date": OLD}
    old_entry = OverseasEntryFactory(facility=facility_a, id_number="150102199001011234")
    OverseasStatusFactory(
        facility=facility_a,
        entry=old_entry,
        category="abroad",
        effective_date=OLD - datetime.timedelta(days=90),
    )
    OverseasStatusFactory(
        facility=facility_a,
        entry=old_entry,
        category="returned",
        effective_date=OLD,
        residence_abroad="",
        reason_abroad="",
        contact_method="",
        **returned,
    )
    recent_entry = OverseasEntryFactory(facility=facility_a)
    OverseasStatusFactory(
        facility=facility_a,
        entry=recent_entry,
        category="returned",
        effective_date=RECENT,
        residence_abroad="",
        reason_abroad="",
        contact_method="",
        **{**FACTS["returned"], "return_date": RECENT},
    )
    abroad_entry = OverseasEntryFactory(facility=facility_a)
    OverseasStatusFactory(
        facility=facility_a,
        entry=abroad_entry,
        category="abroad",
        effective_date=OLD - datetime.timedelta(days=400),
    )
    rows["kept_entries"] = {recent_entry.pk, abroad_entry.pk}
    # Screening forms of an old round (purged) and a recent one; commitments are kept.
    old_round = ScreeningRoundFactory(
        facility=facility_a, starts_on=OLD - datetime.timedelta(days=14), ends_on=OLD
    )
    ScreeningFormFactory(facility=facility_a, round=old_round, travelled=True, travel_places="北京")
    CommitmentFactory(facility=facility_a, round=old_round)
    recent_round = ScreeningRoundFactory(
        facility=facility_a, starts_on=RECENT - datetime.timedelta(days=14), ends_on=RECENT
    )
    rows["kept_form"] = ScreeningFormFactory(facility=facility_a, round=recent_round)
    # Nucleic-acid tests, with a correction of an old one that is itself recent (the old one stays).
    staff = StaffFactory(facility=facility_a)
    NucleicAcidTestFactory(facility=facility_a, staff=staff, sample_taken_at=_at(OLD))
    corrected = NucleicAcidTestFactory(facility=facility_a, staff=staff, sample_taken_at=_at(OLD))
    rows["kept_tests"] = {
        corrected.pk,
        NucleicAcidTestFactory(
            facility=facility_a, staff=staff, sample_taken_at=_at(RECENT), corrects=corrected
        ).pk,
    }
    # Cross-check discrepancies of an old run (purged; the run stays) and of a recent one.
    old_run = CrossCheckRunFactory(facility=facility_a, day=OLD)
    CrossCheckFindingFactory(facility=facility_a, run=old_run)
    rows["kept_finding"] = CrossCheckFindingFactory(
        facility=facility_a, run=CrossCheckRunFactory(facility=facility_a, day=RECENT)
    )
    # The trail: audit rows and access-log rows about the very people purged.
    officer = UserFactory()
    audit.record(
        actor=officer,
        action="resident.updated",
        facility_id=facility_a.pk,
        target=gone,
        changed_fields=["status"],
    )
    log_view(actor=officer, subject=gone)
    rows["gone"] = gone
    return rows


def _counts():
    return {
        model._meta.label: model.objects.count()
        for model in (
            TemperatureReading, FeverAlert, DailyReport, ReturnReport, LeavePeriod, PatrolRecord, OverseasEntry,
            OverseasStatus, ScreeningForm, Commitment, NucleicAcidTest, CrossCheckFinding, CrossCheckRun, Resident,
        )
    }  # fmt: skip


def test_a_dry_run_counts_and_deletes_nothing(ledgers):
    before, audit_rows = _counts(), AuditEvent.objects.count()
    output = _purge("--dry-run")
    assert "would delete" in output and "health.TemperatureReading 3" in output
    assert _counts() == before and AuditEvent.objects.count() == audit_rows


def test_expired_personal_data_is_deleted_and_younger_data_kept(ledgers):
    before = _counts()
    audit_ids = set(AuditEvent.objects.values_list("pk", flat=True))
    access_ids = set(AccessLog.objects.values_list("pk", flat=True))
    _purge()
    after = _counts()
    assert set(TemperatureReading.objects.values_list("pk", flat=True)) == {
        r.pk for r in ledgers["kept_readings"]
    }
    assert not FeverAlert.objects.exists()
    assert list(DailyReport.objects.all()) == [ledgers["kept_report"]] and not ReturnReport.objects.exists()
    assert LeavePeriod.objects.count() == 1
    assert list(PatrolRecord.objects.all()) == [ledgers["kept_patrol"]]
    assert set(OverseasEntry.objects.values_list("pk", flat=True)) == ledgers["kept_entries"]
    assert after["overseas.OverseasStatus"] == 2
    assert list(ScreeningForm.objects.all()) == [ledgers["kept_form"]]
    assert after["screening.Commitment"] == before["screening.Commitment"]
    assert set(NucleicAcidTest.objects.values_list("pk", flat=True)) == ledgers["kept_tests"]
    assert list(CrossCheckFinding.objects.all()) == [ledgers["kept_finding"]]
    assert after["crosscheck.CrossCheckRun"] == before["crosscheck.CrossCheckRun"]
    # The resident's record itself (custody file) and the whole trail stay.
    assert after["people.Resident"] == before["people.Resident"]
    assert audit_ids <= set(AuditEvent.objects.values_list("pk", flat=True))
    assert access_ids == set(AccessLog.objects.values_list("pk", flat=True))
    purged = AuditEvent.objects.filter(action="personal_data.purged")
    assert purged.count() == 7 and all(e.actor_id is None for e in purged)
    call_command("verify_audit", stdout=StringIO())  # the chain is intact after the purge


def test_a_second_run_finds_nothing_more(ledgers):
    _purge()
    assert "deleted 0 rows in all" in _purge()


def test_a_day_before_the_retention_ends_nothing_is_deleted(ledgers):
    before = _counts()
    out = StringIO()
    with time_machine.travel(_at(OLD) + datetime.timedelta(days=DAYS - 1), tick=False):
        call_command("purge_personal_data", stdout=out)
    assert _counts()["health.TemperatureReading"] == before["health.TemperatureReading"]
    assert _counts()["staffleave.DailyReport"] == before["staffleave.DailyReport"]
