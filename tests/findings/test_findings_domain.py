"""The lifecycle rules and the rectification figures, as pure functions (no database)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiedu.findings import domain, rates
from jiedu.findings.domain import Actor, Move, RuleBroken, State

UTC = datetime.UTC
FOUND = datetime.date(2026, 10, 1)
T0 = datetime.datetime(2026, 10, 1, 2, tzinfo=UTC)
NOW = datetime.datetime(2027, 6, 1, tzinfo=UTC)
RESPONSIBLE = Actor(user_id=1)
OFFICER = Actor(user_id=2)
LEADER = Actor(user_id=3)
BUREAU = Actor(user_id=4, is_bureau=True)
BUREAU_TWO = Actor(user_id=5, is_bureau=True)
ACTORS = (RESPONSIBLE, OFFICER, LEADER, BUREAU, BUREAU_TWO)


def state(status=domain.OPEN, origin=domain.INSPECTION, **kwargs):
    return State(status=status, origin=origin, found_on=FOUND, deadline=FOUND + datetime.timedelta(days=30),
                 responsible_user_id=RESPONSIBLE.user_id, last_at=T0, **kwargs)  # fmt: skip


def move(action, actor, *, hours=1, note="整改说明", evidence=1, new_deadline=None):
    at = T0 + datetime.timedelta(hours=hours)
    return Move(action=action, actor=actor, at=at, local_day=at.date(), note=note, evidence_count=evidence,
                new_deadline=new_deadline)  # fmt: skip


def run(steps, start=None):
    current = start or state()
    for i, (action, actor) in enumerate(steps, start=1):
        current = domain.apply(current, move(action, actor, hours=i), now=NOW)
    return current


def refused(code, current, action, actor, **kwargs):
    with pytest.raises(RuleBroken) as caught:
        domain.apply(current, move(action, actor, **kwargs), now=NOW)
    assert caught.value.code == code


def test_the_table_allows_exactly_the_listed_moves():
    assert domain.transition(None, domain.RECORD) == domain.OPEN
    assert domain.transition(domain.SUBMITTED, domain.REJECT) == domain.RECTIFYING
    assert domain.transition(domain.CLOSED, domain.REOPEN) == domain.RECTIFYING
    for status in (domain.OPEN, domain.RECTIFYING, domain.WITHDRAWN):
        with pytest.raises(RuleBroken):
            domain.transition(status, domain.CLOSE)
    assert domain.possible_actions(domain.WITHDRAWN) == ()
    assert set(domain.possible_actions(domain.VERIFIED)) == {domain.CLOSE, domain.REOPEN}


def test_the_full_path_stamps_who_and_when():
    done = run(
        [(domain.START, OFFICER), (domain.SUBMIT, OFFICER), (domain.VERIFY, BUREAU), (domain.CLOSE, BUREAU)]
    )
    assert done.status == domain.CLOSED
    assert done.submitted_by == OFFICER.user_id and done.verified_by == BUREAU.user_id
    assert done.rectified_on == (T0 + datetime.timedelta(hours=2)).date() and done.closed_at is not None


def test_the_responsible_person_never_verifies():
    submitted = run([(domain.SUBMIT, OFFICER)], state(origin=domain.SELF_IDENTIFIED))
    refused(domain.VERIFIER_IS_RESPONSIBLE, submitted, domain.VERIFY, RESPONSIBLE, hours=5)
    refused(domain.VERIFIER_IS_RESPONSIBLE, submitted, domain.REJECT, RESPONSIBLE, hours=5)


def test_the_submitter_never_verifies_even_the_bureau():
    submitted = run([(domain.SUBMIT, BUREAU)])
    refused(domain.VERIFIER_IS_SUBMITTER, submitted, domain.VERIFY, BUREAU, hours=5)
    assert (
        domain.apply(submitted, move(domain.VERIFY, BUREAU_TWO, hours=5), now=NOW).status == domain.VERIFIED
    )


def test_an_inspection_finding_is_verified_by_the_bureau_a_self_identified_one_also_by_the_leadership():
    refused(domain.BUREAU_REQUIRED, run([(domain.SUBMIT, OFFICER)]), domain.VERIFY, LEADER, hours=5)
    own = run([(domain.SUBMIT, OFFICER)], state(origin=domain.SELF_IDENTIFIED))
    assert domain.apply(own, move(domain.VERIFY, LEADER, hours=5), now=NOW).verified_by == LEADER.user_id


def test_a_rejection_sends_it_back_to_rectifying_and_counts_as_reopened():
    rejected = run([(domain.SUBMIT, OFFICER), (domain.REJECT, BUREAU)])
    assert (
        rejected.status == domain.RECTIFYING and rejected.reopen_count == 1 and rejected.submitted_by is None
    )
    refused(domain.NOTE_REQUIRED, run([(domain.SUBMIT, OFFICER)]), domain.REJECT, BUREAU, hours=5, note=" ")


def test_reopening_clears_the_verification():
    reopened = run(
        [(domain.SUBMIT, OFFICER), (domain.VERIFY, BUREAU), (domain.CLOSE, BUREAU), (domain.REOPEN, BUREAU)]
    )
    assert reopened.status == domain.RECTIFYING and reopened.reopen_count == 1
    assert reopened.verified_by is None and reopened.rectified_on is None and reopened.closed_at is None


def test_submitting_needs_a_note_and_evidence():
    refused(domain.NOTE_REQUIRED, state(), domain.SUBMIT, OFFICER, note="")
    refused(domain.EVIDENCE_REQUIRED, state(), domain.SUBMIT, OFFICER, evidence=0)


def test_an_extension_is_later_explained_and_for_the_right_side():
    later = FOUND + datetime.timedelta(days=60)
    refused(domain.EXTENSION_NOT_LATER, state(), domain.EXTEND, BUREAU, new_deadline=FOUND)
    refused(domain.REASON_REQUIRED, state(), domain.EXTEND, BUREAU, new_deadline=later, note="")
    refused(domain.BUREAU_REQUIRED, state(), domain.EXTEND, LEADER, new_deadline=later)
    own = state(origin=domain.SELF_IDENTIFIED)
    assert domain.apply(own, move(domain.EXTEND, LEADER, new_deadline=later), now=NOW).deadline == later


def test_withdrawal_needs_a_reason_and_comes_before_verification():
    refused(domain.REASON_REQUIRED, state(), domain.WITHDRAW, BUREAU, note="")
    verified = run([(domain.SUBMIT, OFFICER), (domain.VERIFY, BUREAU)])
    refused(domain.FORBIDDEN_MOVE, verified, domain.WITHDRAW, BUREAU, hours=9)
    assert run([(domain.WITHDRAW, BUREAU)]).withdrawn_reason == "整改说明"


def test_steps_are_dated_in_order_and_never_in_the_future():
    refused(domain.AT_BEFORE_PREVIOUS, state(), domain.START, OFFICER, hours=-1)
    with pytest.raises(RuleBroken) as caught:
        domain.check_moment(NOW + datetime.timedelta(hours=1), now=NOW, previous=None)
    assert caught.value.code == domain.AT_IN_FUTURE


def test_found_on_and_deadline_rules():
    with pytest.raises(RuleBroken, match=domain.DEADLINE_BEFORE_FOUND):
        domain.check_deadline(FOUND, FOUND - datetime.timedelta(days=1))
    period = (FOUND, FOUND + datetime.timedelta(days=10))
    with pytest.raises(RuleBroken, match=domain.FOUND_OUTSIDE_CAMPAIGN):
        domain.check_found_on(FOUND + datetime.timedelta(days=11), today=NOW.date(), period=period)
    with pytest.raises(RuleBroken, match=domain.FOUND_IN_FUTURE):
        domain.check_found_on(NOW.date() + datetime.timedelta(days=1), today=NOW.date())
    with pytest.raises(RuleBroken, match=domain.FOUND_BEFORE_INSPECTION):
        domain.check_found_on(FOUND, today=NOW.date(), inspection_start=FOUND + datetime.timedelta(days=1))


def test_methods_used_lists_the_ticked_ones():
    assert domain.methods_used(site_check=True, ledger_review=False, video_patrol=True, talks=True) == (
        "site_check", "video_patrol", "talk",
    )  # fmt: skip


steps = st.lists(
    st.tuples(
        st.sampled_from(domain.ACTIONS[1:]),
        st.sampled_from(ACTORS),
        st.integers(-2, 48),
        st.booleans(),
        st.integers(0, 2),
        st.integers(-5, 20),
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(origin=st.sampled_from([domain.INSPECTION, domain.SELF_IDENTIFIED]), sequence=steps)
def test_random_step_sequences_never_reach_an_inconsistent_state(origin, sequence):
    current = state(origin=origin)
    verified_since_reset = False
    reopened = 0
    at = T0
    for action, actor, hours, noted, evidence, shift in sequence:
        at = at + datetime.timedelta(hours=hours)
        step = Move(action=action, actor=actor, at=at, local_day=at.date(), note="说明" if noted else "",
                    evidence_count=evidence, new_deadline=current.deadline + datetime.timedelta(days=shift))  # fmt: skip
        before = current
        try:
            current = domain.apply(current, step, now=NOW)
        except RuleBroken:
            assert current == before
            continue
        verified_since_reset = (verified_since_reset or action == domain.VERIFY) and action not in (
            domain.REJECT, domain.REOPEN,
        )  # fmt: skip
        reopened += action in (domain.REJECT, domain.REOPEN)
        assert before.status != domain.WITHDRAWN
        assert current.last_at >= before.last_at and current.deadline >= before.deadline >= FOUND
        assert current.reopen_count == reopened
        if current.status in (domain.SUBMITTED, domain.VERIFIED, domain.CLOSED):
            assert current.submitted_by is not None and current.submitted_at is not None
        if current.status in (domain.VERIFIED, domain.CLOSED):
            assert verified_since_reset and current.rectified_on == current.submitted_on
            assert current.verified_by not in (RESPONSIBLE.user_id, current.submitted_by)
            if origin == domain.INSPECTION:
                assert current.verified_by in (BUREAU.user_id, BUREAU_TWO.user_id)
        if current.status == domain.CLOSED:
            assert current.closed_at is not None and before.status in (domain.VERIFIED, domain.CLOSED)
        if current.status == domain.WITHDRAWN:
            assert current.withdrawn_reason and before.status in (
                domain.OPEN,
                domain.RECTIFYING,
                domain.SUBMITTED,
            )
        if current.status in (domain.OPEN, domain.RECTIFYING):
            assert current.verified_by is None and current.rectified_on is None


# --- Rates against a naive recount -----------------------------------------------------------------------

DAY = datetime.date(2022, 6, 1)
facts = st.builds(
    rates.FindingFacts,
    status=st.sampled_from(domain.STATUSES),
    deadline=st.integers(0, 120).map(lambda n: DAY + datetime.timedelta(days=n)),
    rectified_on=st.one_of(st.none(), st.integers(0, 150).map(lambda n: DAY + datetime.timedelta(days=n))),
)


def naive_percent(part, whole):
    if whole == 0:
        return None
    tenths_twice = part * 2000 // whole  # twice the value in tenths of a percent, rounded down
    return Decimal((tenths_twice + 1) // 2) / 10  # half up


@settings(max_examples=300, deadline=None)
@given(findings=st.lists(st.tuples(st.integers(0, 4), facts), max_size=80), as_of_days=st.integers(0, 200))
def test_rates_agree_with_a_naive_recount(findings, as_of_days):
    as_of = DAY + datetime.timedelta(days=as_of_days)
    counted = [f for _g, f in findings if f.status != "withdrawn"]
    rectified = [f for f in counted if f.status in ("verified", "closed")]
    on_time = [f for f in rectified if f.rectified_on is not None and f.rectified_on <= f.deadline]
    overdue = [f for f in counted if f.status not in ("verified", "closed") and f.deadline < as_of]

    result = rates.rates([f for _g, f in findings], as_of)

    assert (result.found, result.rectified, result.on_time, result.overdue) == (
        len(counted), len(rectified), len(on_time), len(overdue),
    )  # fmt: skip
    assert result.rectification_rate == naive_percent(len(rectified), len(counted))
    assert result.on_time_rate == naive_percent(len(on_time), len(rectified))
    assert result.open == len(counted) - len(rectified)
    grouped = rates.rates_by(findings, as_of, keys=range(5))
    assert set(grouped) == set(range(5)) and rates.total(grouped.values()) == result
    for group, group_rates in grouped.items():
        assert group_rates == rates.rates([f for g, f in findings if g == group], as_of)


def test_the_report_figures_come_out_as_printed():
    rows = [rates.FindingFacts("closed", DAY, DAY)] * 203 + [rates.FindingFacts("rectifying", DAY)] * 18
    result = rates.rates(rows, DAY + datetime.timedelta(days=1))
    assert (result.found, result.rectified, result.rectification_rate, result.overdue) == (
        221,
        203,
        Decimal("91.9"),
        18,
    )
    assert domain.is_overdue("submitted", DAY, DAY + datetime.timedelta(days=1))
    assert not domain.is_overdue("withdrawn", DAY, DAY + datetime.timedelta(days=1))
