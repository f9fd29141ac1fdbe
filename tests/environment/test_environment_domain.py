"""The compliance rules as pure functions: capped rates, the policy of the day, today's schedule."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.environment import domain
from jiedu.epidemic.domain import PolicyRow, policy_in_force

counts_st = st.integers(min_value=0, max_value=30)
requirement_st = st.builds(
    domain.Requirement, ventilation=st.integers(0, 24), disinfection=st.integers(0, 24)
)
area_counts_st = st.dictionaries(
    st.integers(1, 8), st.tuples(counts_st, counts_st), min_size=0, max_size=8
)  # area id -> (ventilations, disinfections)
times_st = st.times()


def _counts(area_counts):
    counts = {}
    for area_id, (ventilations, disinfections) in area_counts.items():
        counts[(area_id, domain.VENTILATION)] = ventilations
        counts[(area_id, domain.DISINFECTION)] = disinfections
    return counts


@given(done=counts_st, required=st.integers(0, 24))
def test_an_areas_rate_lies_between_0_and_1(done, required):
    tally = domain.Tally(done=done, required=required)
    assert 0 <= tally.rate <= 1
    assert tally.counted <= tally.required and tally.missing >= 0


@given(area_counts=area_counts_st, requirement=requirement_st)
def test_a_facilitys_rates_lie_between_0_and_1(area_counts, requirement):
    result = domain.day_compliance(area_counts, _counts(area_counts), requirement)
    assert 0 <= result.ventilation.rate <= 1 and 0 <= result.disinfection.rate <= 1


@given(area_counts=area_counts_st, requirement=requirement_st, data=st.data())
def test_more_records_never_lower_compliance(area_counts, requirement, data):
    if not area_counts:
        return
    before = domain.day_compliance(area_counts, _counts(area_counts), requirement)
    area_id = data.draw(st.sampled_from(sorted(area_counts)))
    extra_ventilations, extra_disinfections = data.draw(st.tuples(counts_st, counts_st))
    more = dict(area_counts)
    more[area_id] = (
        area_counts[area_id][0] + extra_ventilations,
        area_counts[area_id][1] + extra_disinfections,
    )
    after = domain.day_compliance(more, _counts(more), requirement)
    assert after.ventilation.rate >= before.ventilation.rate
    assert after.disinfection.rate >= before.disinfection.rate
    for old, new in zip(before.areas, after.areas, strict=True):
        assert new.ventilation.rate >= old.ventilation.rate and new.disinfection.rate >= old.disinfection.rate


@given(area_counts=area_counts_st)
def test_a_requirement_of_zero_is_not_applicable_and_fully_compliant(area_counts):
    result = domain.day_compliance(
        area_counts, _counts(area_counts), domain.Requirement(ventilation=0, disinfection=0)
    )
    assert result.ventilation.rate == result.disinfection.rate == 1
    assert not result.ventilation.applicable
    assert all(area.complete for area in result.areas)


def test_no_key_area_means_nothing_required():
    result = domain.day_compliance([], {}, domain.Requirement(ventilation=5, disinfection=3))
    assert result.ventilation.rate == 1 and result.ventilation.required == 0


def test_an_area_aired_too_often_does_not_hide_another_never_aired():
    # given two areas, one aired 10 times and one never, with 5 required each
    counts = {(1, domain.VENTILATION): 10, (2, domain.VENTILATION): 0}
    # when the facility's compliance is computed
    result = domain.day_compliance([1, 2], counts, domain.Requirement(ventilation=5, disinfection=3))
    # then only 5 of the 10 count: half the requirement is met
    assert result.ventilation.done == 5 and result.ventilation.required == 10
    assert result.ventilation.rate == 0.5
    assert result.disinfection.rate == 0


@given(
    change=st.dates(datetime.date(2026, 1, 2), datetime.date(2026, 12, 31)),
    day=st.dates(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    before=st.integers(1, 24),
    after=st.integers(1, 24),
    done=counts_st,
)
def test_a_day_is_judged_by_the_policy_in_force_that_day(change, day, before, after, done):
    # given the region asked for ``before`` ventilations and, from ``change`` on, the facility for ``after``
    rows = [
        PolicyRow(
            facility_id=None,
            effective_from=datetime.date(2025, 1, 1),
            values={"ventilations_per_day": before},
        ),
        PolicyRow(facility_id=7, effective_from=change, values={"ventilations_per_day": after}),
    ]
    # when a day's compliance is computed with that day's policy
    requirement = domain.Requirement.from_policy(policy_in_force(rows, facility_id=7, day=day))
    result = domain.day_compliance([1], {(1, domain.VENTILATION): done}, requirement)
    # then the requirement is the one in force that day
    required = after if day >= change else before
    assert result.ventilation.required == required
    assert result.ventilation.rate == min(done, required) / required


@given(
    since=st.dates(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)),
    length=st.none() | st.integers(0, 60),
    day=st.dates(datetime.date(2025, 12, 1), datetime.date(2027, 2, 28)),
)
def test_an_area_is_key_from_its_first_day_up_to_its_until_day(since, length, day):
    until = None if length is None else since + datetime.timedelta(days=length)
    expected = since <= day and (until is None or day < until)
    assert domain.is_key_on(since, until, day) is expected


@given(required=st.integers(0, 24), earlier=times_st, later=times_st)
def test_expected_rounds_grow_through_the_day_from_0_to_all(required, earlier, later):
    earlier, later = min(earlier, later), max(earlier, later)
    window = domain.DayWindow()
    assert (
        0
        <= domain.expected_by(required, earlier, window)
        <= domain.expected_by(required, later, window)
        <= required
    )
    assert domain.expected_by(required, datetime.time(6, 59), window) == 0
    assert domain.expected_by(required, datetime.time(21), window) == required


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("09:47", 0),
        ("09:48", 1),
        ("12:36", 2),
        ("18:11", 3),
        ("18:12", 4),
        ("20:59", 4),
        ("21:00", 5),
        ("23:00", 5),
    ],
)
def test_five_ventilations_are_due_by_0948_1236_1524_1812_and_2100(at, expected):
    assert domain.expected_by(5, datetime.time.fromisoformat(at)) == expected


def test_the_window_is_a_parameter():
    night_shift = domain.DayWindow(start=datetime.time(0), end=datetime.time(12))
    assert domain.expected_by(3, datetime.time(8), night_shift) == 2
    with pytest.raises(ValueError):
        domain.DayWindow(start=datetime.time(21), end=datetime.time(7))


@given(area_counts=area_counts_st, requirement=requirement_st, at=times_st)
def test_an_area_is_behind_exactly_when_it_has_done_fewer_than_expected(area_counts, requirement, at):
    behind = domain.behind_schedule(area_counts, _counts(area_counts), requirement, at)
    flagged = {(late.area_id, late.kind) for late in behind}
    for area_id, (ventilations, disinfections) in area_counts.items():
        for kind, done in ((domain.VENTILATION, ventilations), (domain.DISINFECTION, disinfections)):
            assert ((area_id, kind) in flagged) is (done < domain.expected_by(requirement.of(kind), at))


def test_in_the_evening_the_missing_last_ventilation_shows():
    counts = {(1, domain.VENTILATION): 4, (1, domain.DISINFECTION): 3, (2, domain.VENTILATION): 5}
    requirement = domain.Requirement(ventilation=5, disinfection=3)
    behind = domain.behind_schedule([1, 2], counts, requirement, datetime.time(21, 30))
    assert [(b.area_id, b.kind, b.done, b.expected) for b in behind] == [
        (1, domain.VENTILATION, 4, 5),
        (2, domain.DISINFECTION, 0, 3),
    ]
