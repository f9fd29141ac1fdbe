"""Rounds, forms and commitments: permissions, scope, one per staff and round, all-or-nothing bulk entry."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from factories import DepartmentFactory, StaffFactory, UserFactory
from factories_screening import CommitmentFactory, ScreeningRoundFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.organisation.roles import Role
from jiedu.screening import selectors, services
from jiedu.screening.models import Commitment, ScreeningForm

START = datetime.date(2026, 10, 1)


def region_round(*facilities):
    return ScreeningRoundFactory(facility=None, facilities=list(facilities))


def test_a_bureau_supervisor_creates_a_region_wide_round(member, facility_a, facility_b):
    supervisor = member(Role.BUREAU_SUPERVISOR)

    created = services.create_round(
        actor=supervisor, name="十一个严禁承诺", kind="commitment", starts_on=START, ends_on=START,
        facilities=[facility_a, facility_b],
    )  # fmt: skip

    assert created.facility is None and set(created.facilities.all()) == {facility_a, facility_b}
    assert AuditEvent.objects.filter(action="screening.round_created", target_id=str(created.pk)).exists()


def test_a_facility_leader_may_not_create_a_region_wide_round(member, facility_a):
    with pytest.raises(AccessDenied):
        services.create_round(
            actor=member(Role.FACILITY_LEADER, facility_a), name="排查", kind="screening", starts_on=START,
            ends_on=START, facilities=[facility_a],
        )  # fmt: skip


def test_a_facility_leader_creates_a_round_for_own_facility_only(member, facility_a, facility_b):
    leader = member(Role.FACILITY_LEADER, facility_a)

    own = services.create_round(
        actor=leader, name="十月排查", kind="screening", starts_on=START, ends_on=START, facility=facility_a
    )

    assert list(own.facilities.all()) == [facility_a]
    with pytest.raises(AccessDenied):
        services.create_round(
            actor=leader, name="十月排查", kind="screening", starts_on=START, ends_on=START, facility=facility_b
        )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [({"ends_on": START - datetime.timedelta(days=1)}, "ends_on"), ({"name": "  "}, "name")],
)
def test_a_round_needs_a_name_and_a_period(member, facility_a, overrides, field):
    values = {"name": "排查", "kind": "screening", "starts_on": START, "ends_on": START, "facility": facility_a}
    values.update(overrides)

    with pytest.raises(DomainError) as error:
        services.create_round(actor=member(Role.FACILITY_LEADER, facility_a), **values)

    assert error.value.field == field


def test_a_department_of_another_facility_is_refused(member, facility_a, facility_b):
    with pytest.raises(DomainError) as error:
        services.create_round(
            actor=member(Role.FACILITY_LEADER, facility_a), name="排查", kind="screening", starts_on=START,
            ends_on=START, facility=facility_a, departments=[DepartmentFactory(facility=facility_b)],
        )  # fmt: skip

    assert error.value.field == "departments"


def test_a_staff_member_submits_their_own_form(facility_a):
    user = UserFactory()
    staff = StaffFactory(facility=facility_a, user=user)
    screening_round = ScreeningRoundFactory(facility=facility_a)

    form = services.submit_form(actor=user, round=screening_round, staff=staff, travelled=True, travel_places="北京")

    assert form.travelled and form.travel_places == "北京" and form.facility == facility_a
    event = AuditEvent.objects.get(action="screening.form_submitted")
    assert "北京" not in str(event.changed_fields)


def test_a_yes_without_details_is_refused(facility_a, member):
    screening_round = ScreeningRoundFactory(facility=facility_a)

    with pytest.raises(DomainError) as error:
        services.submit_form(
            actor=member(Role.MEDICAL_STAFF, facility_a), round=screening_round,
            staff=StaffFactory(facility=facility_a), symptoms=True,
        )  # fmt: skip

    assert error.value.field == "symptom_details"


def test_another_staff_members_form_needs_the_staff_health_role(facility_a, member):
    with pytest.raises(AccessDenied):
        services.submit_form(
            actor=member(Role.GATE_OFFICER, facility_a), round=ScreeningRoundFactory(facility=facility_a),
            staff=StaffFactory(facility=facility_a),
        )  # fmt: skip


def test_a_second_form_or_commitment_is_refused(facility_a, member):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    screening_round = ScreeningRoundFactory(facility=facility_a)
    staff = StaffFactory(facility=facility_a)
    services.submit_form(actor=officer, round=screening_round, staff=staff)
    services.record_commitment(actor=officer, round=screening_round, staff=staff, signed_on=START)

    with pytest.raises(DomainError):
        services.submit_form(actor=officer, round=screening_round, staff=staff)
    with pytest.raises(DomainError):
        services.record_commitment(actor=officer, round=screening_round, staff=staff, signed_on=START)
    assert ScreeningForm.objects.count() == 1 and Commitment.objects.count() == 1


def test_the_database_keeps_one_commitment_per_staff_and_round(facility_a):
    first = CommitmentFactory(facility=facility_a)

    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentFactory(facility=facility_a, round=first.round, staff=first.staff)


def test_a_commitment_only_campaign_takes_no_forms(facility_a, member):
    campaign = ScreeningRoundFactory(facility=facility_a, kind="commitment")

    with pytest.raises(DomainError) as error:
        services.submit_form(
            actor=member(Role.FACILITY_OFFICER, facility_a), round=campaign, staff=StaffFactory(facility=facility_a)
        )

    assert error.value.field == "round"


def test_staff_outside_the_round_are_refused(facility_a, facility_b, member):
    officer = member(Role.FACILITY_OFFICER, facility_b)

    with pytest.raises(DomainError) as error:
        services.record_commitment(
            actor=officer, round=ScreeningRoundFactory(facility=facility_a), staff=StaffFactory(facility=facility_b),
            signed_on=START,
        )  # fmt: skip

    assert error.value.field == "staff"


def test_a_commitment_dated_before_the_round_is_refused(facility_a, member):
    with pytest.raises(DomainError) as error:
        services.record_commitment(
            actor=member(Role.FACILITY_OFFICER, facility_a), round=ScreeningRoundFactory(facility=facility_a),
            staff=StaffFactory(facility=facility_a), signed_on=START - datetime.timedelta(days=1),
        )  # fmt: skip

    assert error.value.field == "signed_on"


def test_bulk_entry_records_every_letter(facility_a, member):
    screening_round = ScreeningRoundFactory(facility=facility_a, kind="commitment")
    staff = StaffFactory.create_batch(3, facility=facility_a)

    recorded = services.record_commitments(
        actor=member(Role.FACILITY_OFFICER, facility_a), round=screening_round, staff_members=staff, signed_on=START,
        paper_filed_at="政治处档案柜3号",
    )  # fmt: skip

    assert len(recorded) == 3
    assert AuditEvent.objects.filter(action="screening.commitment_recorded").count() == 3


def test_bulk_entry_is_all_or_nothing(facility_a, member):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    screening_round = ScreeningRoundFactory(facility=facility_a, kind="commitment")
    staff = StaffFactory.create_batch(3, facility=facility_a)
    services.record_commitment(actor=officer, round=screening_round, staff=staff[2], signed_on=START)

    with pytest.raises(DomainError):
        services.record_commitments(actor=officer, round=screening_round, staff_members=staff, signed_on=START)

    assert Commitment.objects.count() == 1


def test_a_facility_user_sees_only_own_staff_inside_a_region_wide_round(facility_a, facility_b, member):
    screening_round = region_round(facility_a, facility_b)
    own = StaffFactory(facility=facility_a)
    StaffFactory(facility=facility_b)

    coverage = selectors.coverage(member(Role.FACILITY_LEADER, facility_a), screening_round)

    assert [row.facility for row in coverage] == [facility_a]
    assert [staff for staff, *_ in coverage[0].missing] == [own]


def test_coverage_counts_forms_and_commitments_per_department(facility_a, member):
    officer = member(Role.FACILITY_OFFICER, facility_a)
    first, second = DepartmentFactory(facility=facility_a), DepartmentFactory(facility=facility_a)
    screening_round = ScreeningRoundFactory(facility=facility_a)
    done = StaffFactory(facility=facility_a, department=first)
    StaffFactory(facility=facility_a, department=second)
    StaffFactory(facility=facility_a, department=second, status="retired")
    services.submit_form(actor=officer, round=screening_round, staff=done)
    services.record_commitment(actor=officer, round=screening_round, staff=done, signed_on=START)

    [row] = selectors.coverage(officer, screening_round)

    assert (row.commitments.done, row.commitments.in_scope, row.forms.done) == (1, 2, 1)
    assert [(d.name, d.commitments.complete) for d in row.departments] == [(first.name, True), (second.name, False)]
