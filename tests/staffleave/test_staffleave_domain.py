"""The rules of rotation leave: review order, reviewer ≠ reporter, missing days, return to duty."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.staffleave import domain

days = st.dates(min_value=datetime.date(2026, 1, 1), max_value=datetime.date(2027, 12, 31))


def test_the_department_reviews_a_submitted_report():
    assert domain.reviewed_status(domain.SUBMITTED, domain.DEPARTMENT, reviewer_id=2, reporter_ids={1}) == (
        domain.DEPARTMENT_REVIEWED
    )


def test_the_facility_checks_after_the_department():
    assert domain.reviewed_status(
        domain.DEPARTMENT_REVIEWED, domain.FACILITY, reviewer_id=2, reporter_ids={1}
    ) == (domain.FACILITY_CHECKED)


@given(status=st.sampled_from(domain.STATUSES), level=st.sampled_from(domain.LEVELS))
def test_only_the_next_level_may_review(status, level):
    expected_before = {domain.DEPARTMENT: domain.SUBMITTED, domain.FACILITY: domain.DEPARTMENT_REVIEWED}[
        level
    ]
    if status == expected_before:
        assert domain.reviewed_status(status, level, reviewer_id=2, reporter_ids={1}) in domain.STATUSES
    else:
        with pytest.raises(domain.ReviewRefused) as refused:
            domain.reviewed_status(status, level, reviewer_id=2, reporter_ids={1})
        assert refused.value.reason == domain.WRONG_ORDER


@given(level=st.sampled_from(domain.LEVELS), reporter=st.integers(min_value=1, max_value=100))
def test_a_reporter_never_reviews_their_own_report(level, reporter):
    status = {domain.DEPARTMENT: domain.SUBMITTED, domain.FACILITY: domain.DEPARTMENT_REVIEWED}[level]
    with pytest.raises(domain.ReviewRefused) as refused:
        domain.reviewed_status(status, level, reviewer_id=reporter, reporter_ids={reporter, reporter + 1})
    assert refused.value.reason == domain.OWN_REPORT


def test_an_unknown_level_is_refused():
    with pytest.raises(domain.ReviewRefused):
        domain.reviewed_status(domain.SUBMITTED, "bureau", reviewer_id=2, reporter_ids={1})


@given(start=days, length=st.integers(min_value=0, max_value=30), today=days, data=st.data())
def test_missing_days_are_the_begun_days_without_a_report(start, length, today, data):
    end = start + datetime.timedelta(days=length)
    due = domain.leave_days(start, end, today)
    reported = set(data.draw(st.lists(st.sampled_from(due), unique=True))) if due else set()
    missing = domain.missing_days(start, end, today, reported)
    assert set(missing) | reported == set(due)
    assert not set(missing) & reported
    assert all(start <= day <= min(end, today) for day in missing)
    assert missing == sorted(missing)


def test_no_report_is_due_before_the_leave_begins():
    start = datetime.date(2026, 11, 10)
    assert (
        domain.missing_days(start, start + datetime.timedelta(days=5), datetime.date(2026, 11, 9), set())
        == []
    )


@given(a=st.tuples(days, days), b=st.tuples(days, days))
def test_overlap_is_symmetric_and_means_a_shared_day(a, b):
    a, b = tuple(sorted(a)), tuple(sorted(b))
    shared = a[0] <= b[1] and b[0] <= a[1]
    assert domain.periods_overlap(a, b) == domain.periods_overlap(b, a) == shared


@given(has_leave=st.booleans(), reported=st.booleans())
def test_return_to_duty_needs_the_return_report(has_leave, reported):
    assert domain.may_return_to_duty(has_leave_period=has_leave, return_reported=reported) == (
        not has_leave or reported
    )
