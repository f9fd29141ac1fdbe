"""The duty gate and the standby policy resolution, as pure functions."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from jiedu.standby import domain
from jiedu.standby.domain import PolicyRow, Sample, duty_clearance, rules_in_force

UTC = datetime.UTC
START = datetime.datetime(2026, 11, 1, 16, tzinfo=UTC)  # 00:00 on 2 November in Asia/Shanghai
DUE = START + datetime.timedelta(days=14)
DUTY = DUE + datetime.timedelta(hours=2)
HOUR = datetime.timedelta(hours=1)


def negative(at):
    return Sample(at, domain.NEGATIVE)


def judge(tests, *, duty_at=DUTY, required=2):
    return duty_clearance(standby_start=START, duty_due=DUE, duty_at=duty_at, tests=tests, required=required)


def test_one_negative_before_standby_and_one_before_duty_clear():
    verdict = judge([negative(START - 20 * HOUR), negative(DUTY - 10 * HOUR)])
    assert verdict.cleared and verdict.reasons == ()


def test_a_sample_taken_on_the_first_standby_day_counts_as_before_standby():
    assert judge([negative(START + 9 * HOUR), negative(DUTY - 10 * HOUR)]).cleared


def test_without_the_second_test_the_person_is_not_cleared():
    verdict = judge([negative(START - 20 * HOUR)])
    assert not verdict.cleared
    assert verdict.reasons == (domain.NO_TEST_BEFORE_DUTY, domain.TOO_FEW_NEGATIVES)


def test_without_the_first_test_the_person_is_not_cleared():
    verdict = judge([negative(DUTY - 30 * HOUR), negative(DUTY - 10 * HOUR)])
    assert verdict.reasons == (domain.NO_TEST_BEFORE_STANDBY,)


def test_a_positive_in_the_window_blocks_even_with_two_negatives():
    tests = [negative(START - 20 * HOUR), Sample(START + 5 * 24 * HOUR, domain.POSITIVE), negative(DUTY - HOUR)]
    assert judge(tests).reasons == (domain.POSITIVE_RESULT,)


def test_pending_tests_do_not_count():
    tests = [negative(START - 20 * HOUR), Sample(DUTY - HOUR, domain.PENDING)]
    assert domain.NO_TEST_BEFORE_DUTY in judge(tests).reasons


def test_tests_outside_the_windows_do_not_count():
    too_early = negative(START - 49 * HOUR)
    stale_before_duty = negative(DUTY - 49 * HOUR)
    after_duty = negative(DUTY + HOUR)
    verdict = judge([too_early, stale_before_duty, after_duty])
    # Only the stale one lies in the shift window, and it is neither early nor late enough.
    assert verdict.reasons == (domain.NO_TEST_BEFORE_STANDBY, domain.NO_TEST_BEFORE_DUTY, domain.TOO_FEW_NEGATIVES)


def test_duty_before_the_standby_period_is_over_is_refused():
    early = DUE - 24 * HOUR
    verdict = judge([negative(START - HOUR), negative(early - HOUR)], duty_at=early)
    assert verdict.reasons == (domain.STANDBY_NOT_OVER,)


def test_a_policy_asking_for_three_negatives_needs_a_third():
    tests = [negative(START - HOUR), negative(DUTY - HOUR)]
    assert judge(tests, required=3).reasons == (domain.TOO_FEW_NEGATIVES,)
    assert judge([*tests, negative(START + 7 * 24 * HOUR)], required=3).cleared


offsets = st.integers(min_value=-80, max_value=14 * 24 + 10)
results = st.sampled_from([domain.NEGATIVE, domain.POSITIVE, domain.PENDING])


@given(st.lists(st.tuples(offsets, results), max_size=8))
def test_clearance_holds_exactly_when_every_rule_is_met(raw):
    tests = [Sample(START + h * HOUR, r) for h, r in raw]
    verdict = judge(tests)
    in_window = [t for t in tests if START - 48 * HOUR <= t.sampled_at <= DUTY]
    negatives = [t for t in in_window if t.result == domain.NEGATIVE]
    expected = (
        not any(t.result == domain.POSITIVE for t in in_window)
        and any(t.sampled_at < START + 24 * HOUR for t in negatives)
        and any(t.sampled_at >= DUTY - 48 * HOUR for t in negatives)
        and len(negatives) >= 2
    )
    assert verdict.cleared == expected
    assert verdict.cleared == (verdict.reasons == ())


@given(st.lists(st.tuples(offsets, results), max_size=8), st.tuples(offsets, results))
def test_adding_a_pending_result_never_changes_the_verdict(raw, extra):
    tests = [Sample(START + h * HOUR, r) for h, r in raw]
    pending = Sample(START + extra[0] * HOUR, domain.PENDING)
    assert judge(tests) == judge([*tests, pending])


# Hours from the standby start that lie inside the sampling window: 48 h before it up to duty.
in_window = st.integers(min_value=-48, max_value=14 * 24 + 2)


@given(st.lists(st.tuples(offsets, results), max_size=8), in_window)
def test_adding_a_positive_in_the_window_never_clears(raw, hour):
    tests = [Sample(START + h * HOUR, r) for h, r in raw]
    assert not judge([*tests, Sample(START + hour * HOUR, domain.POSITIVE)]).cleared


def test_a_facility_override_wins_over_the_region_default_from_its_date():
    rows = [
        PolicyRow(None, datetime.date(2020, 1, 1), 14, 2),
        PolicyRow(7, datetime.date(2022, 4, 1), 21, 2),
    ]
    assert rules_in_force(rows, facility_id=7, day=datetime.date(2022, 3, 31)).standby_days == 14
    assert rules_in_force(rows, facility_id=7, day=datetime.date(2022, 4, 1)).standby_days == 21
    assert rules_in_force(rows, facility_id=8, day=datetime.date(2022, 4, 1)).standby_days == 14


def test_without_rows_the_built_in_rules_apply():
    assert rules_in_force([], facility_id=1, day=datetime.date(2022, 1, 1)) == domain.StandbyRules(14, 2)


@given(st.integers(0, 30), st.integers(1, 30), st.integers(0, 30), st.integers(1, 30))
def test_overlap_is_symmetric_and_matches_shared_days(a, a_days, b, b_days):
    base = datetime.date(2026, 1, 1)
    first, second = base + datetime.timedelta(days=a), base + datetime.timedelta(days=b)
    days_a = {first + datetime.timedelta(days=i) for i in range(a_days)}
    days_b = {second + datetime.timedelta(days=i) for i in range(b_days)}
    assert domain.overlaps(first, a_days, second, b_days) == bool(days_a & days_b)
    assert domain.overlaps(first, a_days, second, b_days) == domain.overlaps(second, b_days, first, a_days)
