"""The ledger's rules without a database: required facts per category, and allowed transitions."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiedu.overseas import domain

TODAY = datetime.date(2026, 11, 24)
FILLED = {
    "return_date": datetime.date(2026, 11, 1), "current_residence": "呼和浩特", "return_route": "CA934",
    "fever_or_cough": False, "recent_medical_control": "集中隔离14天", "planned_return_date": TODAY,
    "planned_route": "KE853", "reported_on": TODAY, "testing_quarantine_arrangements": "集中隔离",
    "residence_abroad": "墨尔本", "reason_abroad": "留学", "contact_method": "微信",
}  # fmt: skip


@pytest.mark.parametrize(
    "category,field", [(c, f) for c, fields in domain.REQUIRED_FIELDS.items() for f in fields]
)
def test_each_required_fact_of_each_category_is_reported_missing(category, field):
    given_values = {**FILLED, field: None}
    assert domain.missing_fields(category, given_values) == [field]
    assert domain.missing_fields(category, {**FILLED, field: "   "}) == [field]


def test_no_fever_is_an_answer_not_a_gap():
    assert domain.missing_fields(domain.RETURNED, {**FILLED, "fever_or_cough": False}) == []


@given(
    category=st.sampled_from(domain.CATEGORIES),
    present=st.sets(st.sampled_from(domain.CATEGORY_FIELDS)),
)
def test_missing_fields_are_exactly_the_categorys_required_facts_left_out(category, present):
    values = {name: FILLED[name] for name in present}
    missing = domain.missing_fields(category, values)
    assert set(missing) == set(domain.REQUIRED_FIELDS[category]) - present
    assert missing == [name for name in domain.REQUIRED_FIELDS[category] if name in missing]  # form order


def test_foreign_fields_are_the_other_categories_facts():
    assert set(domain.foreign_fields(domain.ABROAD)) == set(domain.CATEGORY_FIELDS) - set(
        domain.REQUIRED_FIELDS[domain.ABROAD]
    )


def point(category, day, sequence=1):
    return domain.StatusPoint(category=category, effective_date=day, sequence=sequence)


def test_the_latest_effective_date_is_in_force_and_ties_go_to_the_later_entry():
    early, late = datetime.date(2026, 9, 1), datetime.date(2026, 10, 1)
    assert domain.current_status([]) is None
    assert domain.current_status([point("planning", late, 1), point("abroad", early, 2)]).category == "planning"
    assert domain.current_status([point("abroad", late, 1), point("returned", late, 2)]).category == "returned"


@pytest.mark.parametrize(
    "current,new,allowed",
    [
        (None, "returned", True), (None, "planning", True), (None, "abroad", True),
        ("abroad", "planning", True), ("abroad", "returned", True), ("abroad", "abroad", True),
        ("planning", "returned", True), ("planning", "abroad", True), ("planning", "planning", True),
        ("returned", "abroad", True), ("returned", "planning", False), ("returned", "returned", False),
    ],
)  # fmt: skip
def test_transitions(current, new, allowed):
    now = point(current, TODAY - datetime.timedelta(days=5)) if current else None
    problem = domain.transition_problem(now, category=new, effective_date=TODAY, today=TODAY)
    assert (problem is None) is allowed
    if not allowed:
        assert problem == domain.NOT_ALLOWED


@given(offset=st.integers(min_value=-30, max_value=30))
def test_a_new_status_takes_effect_neither_before_the_current_one_nor_in_the_future(offset):
    current = point("abroad", TODAY - datetime.timedelta(days=10))
    day = TODAY + datetime.timedelta(days=offset)
    problem = domain.transition_problem(current, category="planning", effective_date=day, today=TODAY)
    if day > TODAY:
        assert problem == domain.IN_FUTURE
    elif day < current.effective_date:
        assert problem == domain.BEFORE_CURRENT
    else:
        assert problem is None


def test_dates_that_contradict_the_status():
    later = TODAY + datetime.timedelta(days=1)
    assert domain.date_problems("returned", {"return_date": later}, effective_date=TODAY, today=TODAY) == [
        "return_date"
    ]
    planning = {"reported_on": later, "planned_return_date": TODAY - datetime.timedelta(days=1)}
    assert domain.date_problems("planning", planning, effective_date=TODAY, today=TODAY) == [
        "reported_on", "planned_return_date"
    ]
    assert domain.date_problems("abroad", {}, effective_date=TODAY, today=TODAY) == []
