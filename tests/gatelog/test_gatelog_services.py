"""Recording passages: every refusal rule through the service, the policy of the day, input errors,
permissions, audit, corrections and the database's own guarantees."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from factories import StaffFactory
from factories_epidemic import EpidemicPolicyFactory
from factories_gatelog import GateEventFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.gatelog.models import GateEvent
from jiedu.gatelog.services import record_gate_event
from jiedu.organisation.roles import Role

# 09:00 on 1 November 2026 in Asia/Shanghai.
MORNING = datetime.datetime(2026, 11, 1, 1, tzinfo=datetime.UTC)
EVENING = MORNING + datetime.timedelta(hours=9)


@pytest.fixture
def officer(member, facility_a):
    return member(Role.GATE_OFFICER, facility_a)


def visitor(**overrides):
    """A lawyer with a valid approval, every check done and a normal temperature."""
    values = {
        "event_kind": "entry", "subject_kind": "visitor", "subject_name": "陈律师", "organisation": "蒙正律师事务所",
        "approver": "王所长", "approval_purpose": "律师会见", "approval_valid_until": EVENING,
        "temperature_c": Decimal("36.6"), "disinfected": True, "security_checked": True, "occurred_at": MORNING,
    }  # fmt: skip
    values.update(overrides)
    return values


def test_a_complete_entry_is_admitted_and_audited(officer, facility_a):
    event = record_gate_event(actor=officer, facility=facility_a, **visitor())
    assert event.outcome == "admitted" and event.refusal_reasons == []
    assert event.registered_by == officer and event.closed_management is True
    assert event.fever_threshold_c == Decimal("37.3")
    audit = AuditEvent.objects.get(target_id=str(event.pk))
    assert audit.action == "gate.entry_admitted" and audit.facility_id == facility_a.pk
    assert "temperature_c" in audit.changed_fields and "陈律师" not in str(audit.changed_fields)


@pytest.mark.parametrize(
    ("overrides", "reasons"),
    [
        ({"temperature_c": Decimal("37.6")}, ["fever"]),
        ({"temperature_c": Decimal("37.3")}, ["fever"]),
        ({"approver": "", "approval_purpose": "", "approval_valid_until": None}, ["approval_missing"]),
        ({"approval_valid_until": MORNING - datetime.timedelta(minutes=1)}, ["approval_expired"]),
        ({"temperature_c": None}, ["temperature_missing"]),
        ({"disinfected": False}, ["disinfection_missing"]),
        ({"security_checked": False}, ["security_check_missing"]),
        (
            {"approver": "", "approval_purpose": "", "approval_valid_until": None, "security_checked": False,
             "temperature_c": Decimal("38.2")},
            ["approval_missing", "security_check_missing", "fever"],
        ),
    ],
)  # fmt: skip
def test_each_refusal_is_saved_with_its_reasons(officer, facility_a, overrides, reasons):
    event = record_gate_event(actor=officer, facility=facility_a, **visitor(**overrides))
    event.refresh_from_db()
    assert event.outcome == "refused" and event.refusal_reasons == reasons
    assert AuditEvent.objects.get(target_id=str(event.pk)).action == "gate.entry_refused"


def test_an_exit_is_recorded_and_never_refused(officer, facility_a):
    event = record_gate_event(
        actor=officer, facility=facility_a, event_kind="exit", subject_kind="staff", subject_name="张警官",
        temperature_c=Decimal("38.5"), occurred_at=MORNING,
    )  # fmt: skip
    assert event.outcome == "admitted"
    assert AuditEvent.objects.get(target_id=str(event.pk)).action == "gate.exit"


def test_a_goods_hand_over_needs_an_approval_under_closed_management(officer, facility_a):
    handover = {"event_kind": "handover", "subject_kind": "goods", "subject_name": "刘师傅", "received_by": "赵鹏",
                "occurred_at": MORNING}  # fmt: skip
    refused = record_gate_event(actor=officer, facility=facility_a, **handover)
    accepted = record_gate_event(
        actor=officer, facility=facility_a, approver="王所长", approval_purpose="生活物资", approval_valid_until=EVENING,
        **handover,
    )  # fmt: skip
    assert (refused.outcome, refused.refusal_reasons) == ("refused", ["approval_missing"])
    assert accepted.outcome == "admitted" and accepted.received_by == "赵鹏"
    actions = set(AuditEvent.objects.filter(action__startswith="gate.").values_list("action", flat=True))
    assert actions == {"gate.goods_handover", "gate.goods_handover_refused"}


def test_a_hand_over_names_its_receiving_officer_and_is_for_goods(officer, facility_a):
    with pytest.raises(DomainError) as caught:
        record_gate_event(actor=officer, facility=facility_a, event_kind="handover", subject_kind="goods",
                          subject_name="刘师傅", occurred_at=MORNING)  # fmt: skip
    assert caught.value.field == "received_by"
    with pytest.raises(DomainError) as caught:
        record_gate_event(actor=officer, facility=facility_a, event_kind="handover", subject_kind="visitor",
                          subject_name="刘师傅", received_by="赵鹏", occurred_at=MORNING)  # fmt: skip
    assert caught.value.field == "subject_kind"
    assert not GateEvent.objects.exists()


def test_switching_closed_management_off_judges_later_days_by_the_new_policy(officer, facility_a):
    # Given closed management ends for this facility from 1 November on
    EpidemicPolicyFactory(
        facility=facility_a, effective_from=datetime.date(2026, 11, 1), closed_management=False
    )
    unchecked = {"approver": "", "approval_purpose": "", "approval_valid_until": None, "temperature_c": None,
                 "disinfected": False, "security_checked": False}  # fmt: skip
    # When the same unchecked visitor comes on 31 October and on 1 November
    before = record_gate_event(
        actor=officer,
        facility=facility_a,
        **visitor(occurred_at=MORNING - datetime.timedelta(days=1), **unchecked),
    )
    after = record_gate_event(actor=officer, facility=facility_a, **visitor(**unchecked))
    feverish = record_gate_event(actor=officer, facility=facility_a, **visitor(temperature_c=Decimal("37.9")))
    # Then the earlier day keeps its closed management, the later day admits, and a fever is still refused
    assert before.outcome == "refused" and before.closed_management is True
    assert set(before.refusal_reasons) == {"approval_missing", "temperature_missing", "disinfection_missing",
                                           "security_check_missing"}  # fmt: skip
    assert after.outcome == "admitted" and after.closed_management is False
    assert feverish.refusal_reasons == ["fever"]


def test_the_fever_threshold_is_the_one_in_force_that_day(officer, facility_a):
    EpidemicPolicyFactory(
        facility=facility_a, effective_from=datetime.date(2026, 10, 1), fever_threshold_c="37.0"
    )
    strict = record_gate_event(actor=officer, facility=facility_a, **visitor(temperature_c=Decimal("37.1")))
    assert strict.refusal_reasons == ["fever"] and strict.fever_threshold_c == Decimal("37.0")


def test_a_passage_registered_late_is_judged_at_its_own_time(officer, facility_a):
    # Given an approval that ran out long before the officer registers the 09:00 passage
    assert EVENING < timezone.now()
    # Then the approval still covered the passage when it happened
    event = record_gate_event(actor=officer, facility=facility_a, **visitor())
    assert event.occurred_at == MORNING and event.outcome == "admitted"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject_name": "  "}, "subject_name"),
        ({"temperature_c": Decimal("50.0")}, "temperature_c"),
        ({"temperature_c": Decimal("33.9")}, "temperature_c"),
        ({"subject_kind": "vehicle", "vehicle_plate": ""}, "vehicle_plate"),
        ({"approval_purpose": ""}, "approval_purpose"),
        ({"approver": "", "approval_purpose": ""}, "approver"),
        ({"occurred_at": None, "approval_valid_until": None, "approver": "", "approval_purpose": ""}, None),
    ],
)
def test_input_that_describes_no_passage_is_an_error_and_saves_nothing(officer, facility_a, overrides, field):
    if field is None:  # a time in the future
        overrides["occurred_at"] = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=1)
        field = "occurred_at"
    with pytest.raises(DomainError) as caught:
        record_gate_event(actor=officer, facility=facility_a, **visitor(**overrides))
    assert caught.value.field == field
    assert (
        not GateEvent.objects.exists() and not AuditEvent.objects.filter(action__startswith="gate.").exists()
    )


def test_a_vehicle_plate_is_stored_in_one_spelling(officer, facility_a):
    event = record_gate_event(
        actor=officer, facility=facility_a, **visitor(subject_kind="vehicle", vehicle_plate="蒙a · 12345")
    )
    assert event.vehicle_plate == "蒙A12345"


def test_a_staff_link_must_be_staff_of_the_same_facility(officer, facility_a, facility_b):
    own, foreign = StaffFactory(facility=facility_a), StaffFactory(facility=facility_b)
    linked = record_gate_event(actor=officer, facility=facility_a, **visitor(subject_kind="staff", staff=own))
    assert linked.staff == own
    with pytest.raises(DomainError) as caught:
        record_gate_event(actor=officer, facility=facility_a, **visitor(subject_kind="staff", staff=foreign))
    assert caught.value.field == "staff"
    with pytest.raises(DomainError):
        record_gate_event(
            actor=officer, facility=facility_a, **visitor(staff=own)
        )  # a visitor is no staff member


def test_only_officers_with_gate_duty_at_that_facility_record(member, facility_a, facility_b):
    medic = member(Role.MEDICAL_STAFF, facility_a)
    other_gate = member(Role.GATE_OFFICER, facility_b)
    for actor in (medic, other_gate):
        with pytest.raises(AccessDenied):
            record_gate_event(actor=actor, facility=facility_a, **visitor())
    assert not GateEvent.objects.exists()


def test_a_correction_is_a_new_row_pointing_at_the_old_one(officer, facility_a, facility_b):
    typo = record_gate_event(actor=officer, facility=facility_a, **visitor(temperature_c=Decimal("38.6")))
    fixed = record_gate_event(
        actor=officer, facility=facility_a, **visitor(temperature_c=Decimal("36.8"), corrects=typo)
    )
    typo.refresh_from_db()
    assert typo.outcome == "refused" and typo.correction == fixed and fixed.outcome == "admitted"
    with pytest.raises(DomainError) as caught:
        record_gate_event(actor=officer, facility=facility_a, **visitor(corrects=typo))
    assert caught.value.field == "corrects"
    foreign = GateEventFactory(facility=facility_b)
    with pytest.raises(DomainError):
        record_gate_event(actor=officer, facility=facility_a, **visitor(corrects=foreign))


@pytest.mark.parametrize(
    "overrides",
    [
        {"outcome": "refused", "refusal_reasons": []},
        {"outcome": "admitted", "refusal_reasons": ["fever"]},
        {"event_kind": "exit", "outcome": "refused", "refusal_reasons": ["fever"]},
        {"temperature_c": Decimal("50.0")},
        {"event_kind": "handover", "subject_kind": "goods", "received_by": ""},
        {"subject_kind": "vehicle", "vehicle_plate": ""},
        {"approval_purpose": ""},
        {"subject_name": ""},
    ],
)
def test_the_database_refuses_inconsistent_rows(facility_a, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        GateEventFactory(facility=facility_a, **overrides)


def test_the_database_accepts_the_factory_rows(facility_a):
    GateEventFactory(facility=facility_a)
    GateEventFactory(facility=facility_a, refused=True)
    assert GateEvent.objects.count() == 2
