"""Coverage: who is in scope, who is done, who is missing."""

from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from jiedu.screening import domain

STATUSES = ["on_duty", "on_leave", "transferred", "retired"]

people_strategy = st.lists(
    st.builds(
        domain.Person,
        staff_id=st.integers(1, 10_000),
        facility_id=st.integers(1, 3),
        department_id=st.one_of(st.none(), st.integers(1, 5)),
        status=st.sampled_from(STATUSES),
    ),
    max_size=30,
    unique_by=lambda p: p.staff_id,
)
scope_strategy = st.builds(
    domain.Scope,
    facility_ids=st.frozensets(st.integers(1, 3), min_size=1),
    department_ids=st.frozensets(st.integers(1, 5), max_size=2),
)


def test_staff_on_duty_or_on_leave_are_in_scope_and_the_transferred_are_not():
    scope = domain.Scope(facility_ids=frozenset({1}))
    people = [
        domain.Person(1, 1, None, "on_duty"), domain.Person(2, 1, None, "on_leave"),
        domain.Person(3, 1, None, "transferred"), domain.Person(4, 2, None, "on_duty"),
    ]  # fmt: skip

    result = domain.tally(people, scope, done={1})

    assert (result.in_scope, result.done, result.missing) == (2, 1, (2,))
    assert result.ratio == Fraction(1, 2) and result.percent == 50


def test_whoever_has_signed_stays_in_scope_after_a_transfer():
    scope = domain.Scope(facility_ids=frozenset({1}))

    result = domain.tally([domain.Person(3, 1, None, "transferred")], scope, done={3})

    assert (result.in_scope, result.done, result.complete) == (1, 1, True)


def test_named_departments_narrow_the_scope():
    scope = domain.Scope(facility_ids=frozenset({1}), department_ids=frozenset({7}))
    people = [
        domain.Person(1, 1, 7, "on_duty"), domain.Person(2, 1, 8, "on_duty"), domain.Person(3, 1, None, "on_duty")
    ]

    assert domain.tally(people, scope, done=set()).missing == (1,)


def test_tallies_per_facility_and_department():
    scope = domain.Scope(facility_ids=frozenset({1, 2}))
    people = [
        domain.Person(1, 1, 10, "on_duty"), domain.Person(2, 1, 11, "on_duty"), domain.Person(3, 2, None, "on_duty")
    ]

    per_facility = domain.tally_by(people, scope, {1, 3}, domain.by_facility)
    per_department = domain.tally_by(people, scope, {1, 3}, domain.by_department)

    assert per_facility[1].ratio == Fraction(1, 2) and per_facility[2].complete
    assert per_department[(1, 10)].complete and per_department[(1, 11)].missing == (2,)


def test_an_empty_scope_counts_as_covered():
    assert domain.tally([], domain.Scope(facility_ids=frozenset({1})), done=set()).ratio == 1


@given(people=people_strategy, scope=scope_strategy, data=st.data())
def test_coverage_lies_between_zero_and_one(people, scope, data):
    done = data.draw(st.sets(st.sampled_from([p.staff_id for p in people]))) if people else set()

    assert 0 <= domain.tally(people, scope, done).ratio <= 1


@given(people=people_strategy.filter(bool), scope=scope_strategy, data=st.data())
def test_adding_a_commitment_never_lowers_coverage(people, scope, data):
    ids = [p.staff_id for p in people]
    done = data.draw(st.sets(st.sampled_from(ids)))
    newcomer = data.draw(st.sampled_from(ids))

    assert domain.tally(people, scope, done | {newcomer}).ratio >= domain.tally(people, scope, done).ratio


@given(people=people_strategy, scope=scope_strategy, data=st.data())
def test_full_coverage_iff_nobody_is_missing(people, scope, data):
    done = data.draw(st.sets(st.sampled_from([p.staff_id for p in people]))) if people else set()

    result = domain.tally(people, scope, done)

    assert (result.ratio == 1) == (result.missing == ()) == result.complete
