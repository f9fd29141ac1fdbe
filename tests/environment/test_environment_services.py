"""Marking key areas and recording ventilations and disinfections: rules, roles, audit, constraints."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import ZoneFactory
from factories_environment import EnvironmentRecordFactory, KeyAreaFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.environment import services
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation.roles import Role


@pytest.fixture
def officer(member, facility_a):
    return member(Role.FACILITY_OFFICER, facility_a)


@pytest.fixture
def leader(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


@pytest.fixture
def canteen(facility_a):
    return KeyAreaFactory(
        facility=facility_a, name="食堂", key_since=timezone.localdate() - datetime.timedelta(days=30)
    )


def _an_hour_ago():
    return timezone.now() - datetime.timedelta(hours=1)


# --- Recording ----------------------------------------------------------------------------------


def test_a_ventilation_is_recorded_now_by_the_officer_and_audited(officer, canteen):
    row = services.record_environment(actor=officer, area=canteen, kind="ventilation", duration_minutes=30)
    assert row.facility_id == canteen.facility_id and row.performed_by == officer
    assert abs((timezone.now() - row.performed_at).total_seconds()) < 5
    event = AuditEvent.objects.get(action="environment.recorded")
    assert event.target_id == str(row.pk) and "agent" in event.changed_fields


def test_a_disinfection_keeps_its_agent_and_concentration(officer, canteen):
    row = services.record_environment(
        actor=officer, area=canteen, kind="disinfection", agent=" 含氯消毒剂 ", concentration="500 mg/L",
        performed_at=_an_hour_ago(),
    )  # fmt: skip
    row.refresh_from_db()
    assert (row.agent, row.concentration) == ("含氯消毒剂", "500 mg/L")


@pytest.mark.parametrize(
    ("agent", "concentration", "field"),
    [("", "500 mg/L", "agent"), ("  ", "", "agent"), ("84消毒液", "", "concentration")],
)
def test_a_disinfection_needs_agent_and_concentration(officer, canteen, agent, concentration, field):
    with pytest.raises(DomainError) as caught:
        services.record_environment(
            actor=officer, area=canteen, kind="disinfection", agent=agent, concentration=concentration
        )
    assert caught.value.field == field
    assert not EnvironmentRecord.objects.exists()


def test_a_ventilation_names_no_disinfectant(officer, canteen):
    with pytest.raises(DomainError) as caught:
        services.record_environment(actor=officer, area=canteen, kind="ventilation", agent="75%酒精")
    assert caught.value.field == "agent"


def test_a_time_in_the_future_is_refused(officer, canteen):
    with pytest.raises(DomainError) as caught:
        services.record_environment(
            actor=officer,
            area=canteen,
            kind="ventilation",
            performed_at=timezone.now() + datetime.timedelta(minutes=5),
        )
    assert caught.value.field == "performed_at"


def test_an_unknown_kind_is_a_field_error(officer, canteen):
    with pytest.raises(DomainError) as caught:
        services.record_environment(actor=officer, area=canteen, kind="cleaning")
    assert caught.value.field == "kind"


def test_an_area_no_longer_key_takes_no_record(officer, leader, canteen):
    services.unmark_key_area(actor=leader, area=canteen)
    with pytest.raises(DomainError) as caught:
        services.record_environment(actor=officer, area=canteen, kind="ventilation")
    assert caught.value.field == "area"


def test_a_record_before_the_area_became_key_is_refused(officer, facility_a):
    area = KeyAreaFactory(facility=facility_a, key_since=timezone.localdate())
    with pytest.raises(DomainError) as caught:
        services.record_environment(
            actor=officer,
            area=area,
            kind="ventilation",
            performed_at=timezone.now() - datetime.timedelta(days=1),
        )
    assert caught.value.field == "area"


@pytest.mark.parametrize("role", [Role.GATE_OFFICER, Role.PROSECUTOR])
def test_roles_without_the_duty_may_not_record(member, facility_a, canteen, role):
    with pytest.raises(AccessDenied):
        services.record_environment(actor=member(role, facility_a), area=canteen, kind="ventilation")


def test_medical_staff_record_disinfections(member, facility_a, canteen):
    medic = member(Role.MEDICAL_STAFF, facility_a)
    row = services.record_environment(
        actor=medic, area=canteen, kind="disinfection", agent="过氧乙酸", concentration="0.2%"
    )
    assert row.performed_by == medic


def test_an_officer_of_another_facility_may_not_record(member, facility_b, canteen):
    with pytest.raises(AccessDenied):
        services.record_environment(
            actor=member(Role.FACILITY_OFFICER, facility_b), area=canteen, kind="ventilation"
        )


def test_the_database_refuses_a_disinfection_without_agent(canteen, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnvironmentRecord.objects.create(
            facility=canteen.facility,
            area=canteen,
            kind="disinfection",
            performed_at=timezone.now(),
            performed_by=officer,
        )


def test_the_database_refuses_a_ventilation_with_agent(canteen, officer):
    with pytest.raises(IntegrityError), transaction.atomic():
        EnvironmentRecord.objects.create(
            facility=canteen.facility, area=canteen, kind="ventilation", agent="84消毒液",
            performed_at=timezone.now(), performed_by=officer,
        )  # fmt: skip


# --- Corrections ---------------------------------------------------------------------------------


def test_a_retraction_withdraws_a_record_and_both_rows_stay(officer, canteen):
    original = services.record_environment(actor=officer, area=canteen, kind="ventilation")
    retraction = services.correct_environment_record(actor=officer, original=original, retract=True)
    assert retraction.corrects == original and retraction.is_retraction
    assert EnvironmentRecord.objects.count() == 2
    assert not EnvironmentRecord.objects.effective().exists()
    assert AuditEvent.objects.filter(action="environment.retracted").count() == 1


def test_a_correction_replaces_the_original_and_is_checked_like_a_new_record(officer, canteen):
    original = services.record_environment(
        actor=officer, area=canteen, kind="disinfection", agent="84消毒液", concentration="250 mg/L"
    )
    corrected = services.correct_environment_record(
        actor=officer, original=original, concentration="500 mg/L", note="浓度登记错误"
    )
    assert list(EnvironmentRecord.objects.effective()) == [corrected]
    assert (corrected.agent, corrected.concentration, corrected.performed_at) == (
        "84消毒液", "500 mg/L", original.performed_at,
    )  # fmt: skip
    with pytest.raises(DomainError) as caught:
        services.correct_environment_record(actor=officer, original=corrected, agent="")
    assert caught.value.field == "agent"


def test_a_record_is_corrected_once_then_its_correction_is(officer, canteen):
    original = services.record_environment(actor=officer, area=canteen, kind="ventilation")
    services.correct_environment_record(actor=officer, original=original, duration_minutes=45)
    with pytest.raises(DomainError):
        services.correct_environment_record(actor=officer, original=original, duration_minutes=50)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnvironmentRecordFactory(facility=canteen.facility, area=canteen, corrects=original)


def test_a_correction_into_a_ventilation_drops_the_agent(officer, canteen):
    original = services.record_environment(
        actor=officer, area=canteen, kind="disinfection", agent="84消毒液", concentration="500 mg/L"
    )
    corrected = services.correct_environment_record(actor=officer, original=original, kind="ventilation")
    assert corrected.kind == "ventilation" and corrected.agent == corrected.concentration == ""


# --- Batches -------------------------------------------------------------------------------------


def test_a_batch_is_saved_whole_with_one_audit_event(officer, canteen):
    entries = [
        services.Entry(area=canteen, kind="ventilation", performed_at=_an_hour_ago()),
        services.Entry(
            area=canteen,
            kind="disinfection",
            performed_at=_an_hour_ago(),
            agent="84消毒液",
            concentration="500 mg/L",
        ),
    ]
    rows = services.record_environment_batch(actor=officer, facility=canteen.facility, entries=entries)
    assert len(rows) == 2 == EnvironmentRecord.objects.count()
    assert AuditEvent.objects.filter(action="environment.recorded_batch").count() == 1


def test_a_batch_with_one_bad_entry_saves_nothing(officer, canteen):
    entries = [
        services.Entry(area=canteen, kind="ventilation", performed_at=_an_hour_ago()),
        services.Entry(area=canteen, kind="disinfection", performed_at=_an_hour_ago()),
    ]
    with pytest.raises(DomainError) as caught:
        services.record_environment_batch(actor=officer, facility=canteen.facility, entries=entries)
    assert caught.value.field == "agent"
    assert not EnvironmentRecord.objects.exists()


def test_a_batch_may_not_reach_into_another_facility(officer, facility_a, facility_b):
    elsewhere = KeyAreaFactory(facility=facility_b)
    with pytest.raises(DomainError):
        services.record_environment_batch(
            actor=officer, facility=facility_a,
            entries=[services.Entry(area=elsewhere, kind="ventilation", performed_at=_an_hour_ago())],
        )  # fmt: skip


# --- Key areas -----------------------------------------------------------------------------------


def test_a_leader_marks_a_key_area_from_today(leader, facility_a):
    zone = ZoneFactory(facility=facility_a)
    area = services.create_key_area(actor=leader, facility=facility_a, name=" 医务室 ", zone=zone)
    assert (area.name, area.zone, area.key_since, area.key_until) == (
        "医务室",
        zone,
        timezone.localdate(),
        None,
    )
    assert AuditEvent.objects.filter(action="keyarea.marked", target_id=str(area.pk)).exists()


def test_officers_do_not_decide_which_areas_are_key(officer, facility_a):
    with pytest.raises(AccessDenied):
        services.create_key_area(actor=officer, facility=facility_a, name="医务室")


def test_a_second_current_area_of_the_same_name_is_refused(leader, facility_a, canteen):
    with pytest.raises(DomainError) as caught:
        services.create_key_area(actor=leader, facility=facility_a, name="食堂")
    assert caught.value.field == "name"
    with pytest.raises(IntegrityError), transaction.atomic():
        KeyArea.objects.create(facility=facility_a, name="食堂", key_since=timezone.localdate())


def test_the_same_name_is_fine_in_another_facility(member, facility_b, canteen):
    other = services.create_key_area(
        actor=member(Role.FACILITY_LEADER, facility_b), facility=facility_b, name="食堂"
    )
    assert other.facility == facility_b


def test_a_zone_of_another_facility_is_refused(leader, facility_a, facility_b):
    with pytest.raises(DomainError) as caught:
        services.create_key_area(
            actor=leader, facility=facility_a, name="宿舍楼道", zone=ZoneFactory(facility=facility_b)
        )
    assert caught.value.field == "zone"


def test_unmarking_ends_the_period_today_and_cannot_be_repeated(leader, canteen):
    services.unmark_key_area(actor=leader, area=canteen)
    canteen.refresh_from_db()
    assert canteen.key_until == timezone.localdate() and not canteen.is_key_on(timezone.localdate())
    with pytest.raises(DomainError):
        services.unmark_key_area(actor=leader, area=canteen)


def test_marking_again_the_same_day_reopens_the_area(leader, facility_a, canteen):
    services.unmark_key_area(actor=leader, area=canteen)
    again = services.create_key_area(actor=leader, facility=facility_a, name="食堂")
    assert again.pk == canteen.pk and again.key_until is None and again.key_since == canteen.key_since


def test_marking_again_after_a_gap_opens_a_new_period(leader, facility_a, canteen):
    canteen.key_until = timezone.localdate() - datetime.timedelta(days=3)
    canteen.save(update_fields=["key_until"])
    again = services.create_key_area(actor=leader, facility=facility_a, name="食堂")
    assert again.pk != canteen.pk and again.key_since == timezone.localdate()
    assert KeyArea.objects.filter(name="食堂").count() == 2


def test_renaming_onto_a_current_name_is_refused(leader, facility_a, canteen):
    clinic = KeyAreaFactory(facility=facility_a, name="医务室")
    with pytest.raises(DomainError) as caught:
        services.update_key_area(actor=leader, area=clinic, name="食堂")
    assert caught.value.field == "name"
    renamed = services.update_key_area(actor=leader, area=clinic, name="医务室（门诊）", note="改名")
    assert renamed.name == "医务室（门诊）"
    event = AuditEvent.objects.get(action="keyarea.updated")
    assert sorted(event.changed_fields) == ["name", "note"]


def test_the_key_period_is_not_edited_through_update(leader, canteen):
    with pytest.raises(DomainError):
        services.update_key_area(actor=leader, area=canteen, key_since=datetime.date(2020, 1, 1))
