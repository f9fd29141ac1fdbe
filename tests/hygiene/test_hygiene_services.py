"""Recording, correcting and publishing: permissions, field errors, one board per period, frozen entries."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import DepartmentFactory
from factories_hygiene import HygieneInspectionFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.hygiene import domain, services
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def last_month():
    end = today().replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


@pytest.fixture
def leader(member, facility_a):
    return member(Role.FACILITY_LEADER, facility_a)


def record(actor, facility, department, day, score, problems=""):
    return services.record_inspection(
        actor=actor, facility=facility, department=department, inspected_on=day, score=Decimal(score),
        problems=problems,
    )  # fmt: skip


def test_a_leader_records_an_inspection_audited_without_values(leader, facility_a):
    department = DepartmentFactory(facility=facility_a)
    inspection = record(leader, facility_a, department, today(), "91.5", "窗台积灰")
    assert (inspection.score, inspection.inspector) == (Decimal("91.5"), leader)
    event = AuditEvent.objects.get(action="hygiene.inspection_recorded")
    assert event.facility_id == facility_a.pk and "score" in event.changed_fields
    assert "91.5" not in str(event.changed_fields)


def test_a_bureau_supervisor_records_anywhere(member, facility_a):
    supervisor = member(Role.BUREAU_SUPERVISOR)
    assert record(supervisor, facility_a, DepartmentFactory(facility=facility_a), today(), "88").pk


@pytest.mark.parametrize("role", [Role.FACILITY_OFFICER, Role.PROSECUTOR, Role.MEDICAL_STAFF])
def test_roles_without_the_hygiene_duty_are_refused(member, facility_a, role):
    with pytest.raises(AccessDenied):
        record(member(role, facility_a), facility_a, DepartmentFactory(facility=facility_a), today(), "90")
    assert not HygieneInspection.objects.exists()


def test_another_facilitys_leader_is_refused(member, facility_a, facility_b):
    with pytest.raises(AccessDenied):
        record(
            member(Role.FACILITY_LEADER, facility_b),
            facility_a,
            DepartmentFactory(facility=facility_a),
            today(),
            "90",
        )


@pytest.mark.parametrize(
    ("score", "day_offset", "field"),
    [("100.5", 0, "score"), ("-1", 0, "score"), ("90.25", 0, "score"), ("90", 1, "inspected_on")],
)
def test_field_errors(leader, facility_a, score, day_offset, field):
    department = DepartmentFactory(facility=facility_a)
    with pytest.raises(DomainError) as caught:
        record(leader, facility_a, department, today() + datetime.timedelta(days=day_offset), score)
    assert caught.value.field == field


def test_the_department_must_belong_to_the_facility(leader, facility_a, facility_b):
    with pytest.raises(DomainError) as caught:
        record(leader, facility_a, DepartmentFactory(facility=facility_b), today(), "90")
    assert caught.value.field == "department"


def test_one_inspection_per_department_and_day(leader, facility_a):
    department = DepartmentFactory(facility=facility_a)
    record(leader, facility_a, department, today(), "90")
    with pytest.raises(DomainError) as caught:
        record(leader, facility_a, department, today(), "80")
    assert caught.value.field == "inspected_on"
    assert HygieneInspection.objects.count() == 1


def test_the_database_refuses_a_second_inspection_the_same_day_and_a_score_over_100(facility_a):
    first = HygieneInspectionFactory(facility=facility_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        HygieneInspectionFactory(
            facility=facility_a, department=first.department, inspected_on=first.inspected_on
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        HygieneInspectionFactory(facility=facility_a, score=Decimal("100.5"))


def test_correcting_a_score_is_audited(leader, facility_a):
    inspection = HygieneInspectionFactory(facility=facility_a, inspected_on=today(), score=Decimal("70"))
    services.correct_inspection(
        actor=leader, inspection=inspection, score=Decimal("72.5"), problems="走廊积水"
    )
    inspection.refresh_from_db()
    assert inspection.score == Decimal("72.5") and inspection.problems == "走廊积水"
    event = AuditEvent.objects.get(action="hygiene.inspection_corrected")
    assert sorted(event.changed_fields) == ["problems", "score"]
    with pytest.raises(DomainError):
        services.correct_inspection(actor=leader, inspection=inspection, score=Decimal("72.5"))


def test_an_officer_cannot_correct(member, facility_a):
    inspection = HygieneInspectionFactory(facility=facility_a, inspected_on=today())
    with pytest.raises(AccessDenied):
        services.correct_inspection(
            actor=member(Role.FACILITY_OFFICER, facility_a), inspection=inspection, score=50
        )


@pytest.fixture
def month_with_inspections(facility_a):
    """Last month: 一大队 excellent, 二大队 poor, 三大队 middling, 四大队 not inspected."""
    start, end = last_month()
    names = ("一大队", "二大队", "三大队", "四大队")
    departments = {name: DepartmentFactory(facility=facility_a, name=name) for name in names}
    for i, (good, poor, middling) in enumerate([("97", "70", "88"), ("98", "72", "90")]):
        day = start + datetime.timedelta(days=7 * i)
        HygieneInspectionFactory(
            facility=facility_a, department=departments["一大队"], inspected_on=day, score=Decimal(good)
        )
        HygieneInspectionFactory(
            facility=facility_a, department=departments["二大队"], inspected_on=day, score=Decimal(poor)
        )
        HygieneInspectionFactory(
            facility=facility_a, department=departments["三大队"], inspected_on=day, score=Decimal(middling)
        )
    return start, end, departments


def publish(actor, facility, start, end, **kwargs):
    return services.publish_board(
        actor=actor, facility=facility, period_start=start, period_end=end, **kwargs
    )


def test_publishing_freezes_the_lists_of_the_period(leader, facility_a, month_with_inspections):
    start, end, departments = month_with_inspections
    board = publish(leader, facility_a, start, end, note="予以通报")
    entries = {e.department.name: e for e in board.entries.select_related("department")}
    assert set(entries) == {"一大队", "二大队"}  # 三大队 is in neither list, 四大队 was not inspected
    assert entries["一大队"].listed_on == "honour" and entries["一大队"].average_score == Decimal("97.5")
    assert entries["二大队"].listed_on == "exposure" and entries["二大队"].inspections == 2
    assert "71" in entries["二大队"].reason
    assert AuditEvent.objects.filter(action="hygiene.board_published", facility_id=facility_a.pk).count() == 1


def test_after_publication_inspections_of_the_period_can_neither_change_nor_be_added(
    leader, facility_a, month_with_inspections
):
    start, end, departments = month_with_inspections
    board = publish(leader, facility_a, start, end)
    before = list(
        HygieneBoardEntry.objects.filter(board=board).values(
            "department", "listed_on", "average_score", "reason"
        )
    )
    inspection = HygieneInspection.objects.filter(department=departments["二大队"]).first()
    with pytest.raises(DomainError) as caught:
        services.correct_inspection(actor=leader, inspection=inspection, score=Decimal("99"))
    assert caught.value.field == "score"
    with pytest.raises(DomainError) as caught:
        record(leader, facility_a, departments["四大队"], start + datetime.timedelta(days=2), "40")
    assert caught.value.field == "inspected_on"
    after = list(
        HygieneBoardEntry.objects.filter(board=board).values(
            "department", "listed_on", "average_score", "reason"
        )
    )
    assert after == before
    inspection.refresh_from_db()
    assert inspection.score != Decimal("99")


def test_a_board_never_changes_when_inspections_outside_its_period_are_recorded(
    leader, facility_a, month_with_inspections
):
    start, end, departments = month_with_inspections
    board = publish(leader, facility_a, start, end)
    before = list(board.entries.values_list("department", "listed_on", "average_score"))
    record(leader, facility_a, departments["二大队"], today(), "100")
    assert list(board.entries.values_list("department", "listed_on", "average_score")) == before


def test_publishing_the_same_period_twice_is_refused(leader, facility_a, month_with_inspections):
    start, end, _departments = month_with_inspections
    publish(leader, facility_a, start, end)
    with pytest.raises(DomainError) as caught:
        publish(leader, facility_a, start, end)
    assert caught.value.field == "period_start"
    assert HygieneBoard.objects.count() == 1


def test_a_period_without_inspections_or_not_yet_over_is_refused(leader, facility_a):
    start, end = last_month()
    with pytest.raises(DomainError) as caught:
        publish(leader, facility_a, start, end)
    assert caught.value.field == "period_start"
    with pytest.raises(DomainError) as caught:
        publish(leader, facility_a, today(), today() + datetime.timedelta(days=6))
    assert caught.value.field == "period_end"
    with pytest.raises(DomainError) as caught:
        publish(leader, facility_a, end, start)
    assert caught.value.field == "period_end"
    assert not HygieneBoard.objects.exists()


def test_thresholds_must_be_ordered(leader, facility_a, month_with_inspections):
    start, end, _departments = month_with_inspections
    with pytest.raises(DomainError) as caught:
        publish(
            leader,
            facility_a,
            start,
            end,
            thresholds=domain.Thresholds(honour=Decimal("80"), exposure=Decimal("85")),
        )
    assert caught.value.field == "exposure_threshold"
    assert not HygieneBoard.objects.exists()


def test_custom_thresholds_are_stored_with_the_board(leader, facility_a, month_with_inspections):
    start, end, _departments = month_with_inspections
    board = publish(
        leader,
        facility_a,
        start,
        end,
        thresholds=domain.Thresholds(honour=Decimal("85"), exposure=Decimal("70")),
    )
    assert (board.honour_threshold, board.exposure_threshold) == (Decimal("85"), Decimal("70"))
    assert set(board.entries.values_list("department__name", "listed_on")) == {
        ("一大队", "honour"),
        ("三大队", "honour"),
    }


def test_publishing_is_all_or_nothing(leader, facility_a, month_with_inspections, monkeypatch):
    start, end, _departments = month_with_inspections

    def broken(*args, **kwargs):
        raise IntegrityError("entry refused")

    monkeypatch.setattr(HygieneBoardEntry.objects, "bulk_create", broken)
    with pytest.raises(IntegrityError):
        publish(leader, facility_a, start, end)
    assert not HygieneBoard.objects.exists()
    assert not AuditEvent.objects.filter(action="hygiene.board_published").exists()


def test_an_officer_cannot_publish(member, facility_a, month_with_inspections):
    start, end, _departments = month_with_inspections
    with pytest.raises(AccessDenied):
        publish(member(Role.FACILITY_OFFICER, facility_a), facility_a, start, end)
