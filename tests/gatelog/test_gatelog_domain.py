"""The gate rule: which passages are refused, and exactly why. Pure, no database."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from jiedu.epidemic.domain import Policy
from jiedu.gatelog import domain
from jiedu.gatelog.domain import Passage, incomplete_approval, refusal_reasons

NOW = datetime.datetime(2026, 11, 1, 2, tzinfo=datetime.UTC)
CLOSED = Policy(closed_management=True, fever_threshold_c=Decimal("37.3"))
OPEN = Policy(closed_management=False, fever_threshold_c=Decimal("37.3"))
TOMORROW = NOW + datetime.timedelta(days=1)


def entry(**overrides):
    values = {
        "event_kind": domain.ENTRY, "approval_valid_until": TOMORROW, "temperature_c": Decimal("36.5"),
        "disinfected": True, "security_checked": True,
    }  # fmt: skip
    values.update(overrides)
    return Passage(**values)


def test_a_complete_entry_is_admitted_under_closed_management():
    assert refusal_reasons(policy=CLOSED, passage=entry(), now=NOW) == []


def test_an_entry_without_approval_is_refused():
    assert refusal_reasons(policy=CLOSED, passage=entry(approval_valid_until=None), now=NOW) == [
        "approval_missing"
    ]


def test_an_expired_approval_is_refused_but_one_valid_to_this_minute_is_not():
    expired = entry(approval_valid_until=NOW - datetime.timedelta(minutes=1))
    assert refusal_reasons(policy=CLOSED, passage=expired, now=NOW) == ["approval_expired"]
    assert refusal_reasons(policy=CLOSED, passage=entry(approval_valid_until=NOW), now=NOW) == []


def test_each_missing_check_is_a_reason_of_its_own():
    assert refusal_reasons(policy=CLOSED, passage=entry(temperature_c=None), now=NOW) == [
        "temperature_missing"
    ]
    assert refusal_reasons(policy=CLOSED, passage=entry(disinfected=False), now=NOW) == [
        "disinfection_missing"
    ]
    assert refusal_reasons(policy=CLOSED, passage=entry(security_checked=False), now=NOW) == [
        "security_check_missing"
    ]


def test_a_fever_is_refused_from_the_threshold_on():
    assert refusal_reasons(policy=CLOSED, passage=entry(temperature_c=Decimal("37.3")), now=NOW) == ["fever"]
    assert refusal_reasons(policy=CLOSED, passage=entry(temperature_c=Decimal("37.2")), now=NOW) == []


def test_the_threshold_comes_from_the_policy():
    strict = Policy(closed_management=True, fever_threshold_c=Decimal("37.0"))
    assert refusal_reasons(policy=strict, passage=entry(temperature_c=Decimal("37.1")), now=NOW) == ["fever"]


def test_without_closed_management_only_a_fever_stops_an_entry():
    bare = entry(approval_valid_until=None, temperature_c=None, disinfected=False, security_checked=False)
    assert refusal_reasons(policy=OPEN, passage=bare, now=NOW) == []
    assert refusal_reasons(policy=OPEN, passage=entry(temperature_c=Decimal("38.0")), now=NOW) == ["fever"]


def test_exits_are_never_refused():
    feverish = Passage(event_kind=domain.EXIT, temperature_c=Decimal("39.0"))
    assert refusal_reasons(policy=CLOSED, passage=feverish, now=NOW) == []


def test_a_goods_hand_over_needs_only_an_approval_and_only_under_closed_management():
    unchecked = Passage(event_kind=domain.HANDOVER, approval_valid_until=TOMORROW)
    assert refusal_reasons(policy=CLOSED, passage=unchecked, now=NOW) == []
    assert refusal_reasons(policy=CLOSED, passage=Passage(event_kind=domain.HANDOVER), now=NOW) == [
        "approval_missing"
    ]
    assert refusal_reasons(policy=OPEN, passage=Passage(event_kind=domain.HANDOVER), now=NOW) == []


def test_an_approval_is_given_whole_or_not_at_all():
    assert incomplete_approval("", "", None) == []
    assert incomplete_approval("王所长", "律师会见", TOMORROW) == []
    assert incomplete_approval("王所长", "", None) == ["approval_purpose", "approval_valid_until"]
    assert incomplete_approval("  ", "律师会见", TOMORROW) == ["approver"]


# --- properties ---------------------------------------------------------------------------

temperatures = st.decimals(min_value=Decimal("34.0"), max_value=Decimal("43.0"), places=1)
thresholds = st.decimals(min_value=Decimal("36.5"), max_value=Decimal("39.0"), places=1)
validities = st.one_of(
    st.none(), st.integers(min_value=-3000, max_value=3000).map(lambda m: NOW + datetime.timedelta(minutes=m))
)
entries = st.builds(
    Passage,
    event_kind=st.just(domain.ENTRY),
    approval_valid_until=validities,
    temperature_c=st.one_of(st.none(), temperatures),
    disinfected=st.booleans(),
    security_checked=st.booleans(),
)
policies = st.builds(Policy, closed_management=st.booleans(), fever_threshold_c=thresholds)


@given(entries, policies)
def test_any_entry_at_or_above_the_threshold_is_refused_for_fever(passage, policy):
    reasons = refusal_reasons(policy=policy, passage=passage, now=NOW)
    feverish = passage.temperature_c is not None and passage.temperature_c >= policy.fever_threshold_c
    assert ("fever" in reasons) == feverish


@given(temperatures, thresholds, st.integers(min_value=0, max_value=3000))
def test_a_checked_approved_entry_with_normal_temperature_is_admitted_under_closed_management(
    temp, threshold, minutes
):
    policy = Policy(closed_management=True, fever_threshold_c=threshold)
    passage = entry(temperature_c=temp, approval_valid_until=NOW + datetime.timedelta(minutes=minutes))
    assert (refusal_reasons(policy=policy, passage=passage, now=NOW) == []) == (temp < threshold)


@given(entries, policies)
def test_the_reasons_are_exactly_the_failed_checks_in_a_fixed_order(passage, policy):
    failed = set()
    if policy.closed_management:
        if passage.approval_valid_until is None:
            failed.add("approval_missing")
        elif passage.approval_valid_until < NOW:
            failed.add("approval_expired")
        if passage.temperature_c is None:
            failed.add("temperature_missing")
        if not passage.disinfected:
            failed.add("disinfection_missing")
        if not passage.security_checked:
            failed.add("security_check_missing")
    if passage.temperature_c is not None and passage.temperature_c >= policy.fever_threshold_c:
        failed.add("fever")
    reasons = refusal_reasons(policy=policy, passage=passage, now=NOW)
    assert set(reasons) == failed
    assert reasons == [r for r in domain.REASONS if r in failed]


@given(entries.map(lambda p: Passage(**{**p.__dict__, "event_kind": domain.EXIT})), policies)
def test_no_exit_is_ever_refused(passage, policy):
    assert refusal_reasons(policy=policy, passage=passage, now=NOW) == []


@given(entries)
def test_closing_down_never_admits_someone_the_open_policy_refuses(passage):
    """Closed management only adds reasons: whoever is refused without it is refused with it."""
    open_reasons = refusal_reasons(policy=OPEN, passage=passage, now=NOW)
    closed_reasons = refusal_reasons(policy=CLOSED, passage=passage, now=NOW)
    assert set(open_reasons) <= set(closed_reasons)
