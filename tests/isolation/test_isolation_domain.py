"""Pure rules: room states on the board, the observation period, what a release still lacks."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from jiedu.isolation import domain
from jiedu.isolation.domain import ItemFact, StayFact, missing_for_release, observation_began_at

RELEASE = datetime.date(2026, 12, 10)
UTC = datetime.UTC
ALL_RECEIVERS = set(domain.RECEIVERS)
KNOWN_CODES = list(domain.MISSING_LABELS) + [domain.OBSERVATION_TOO_SHORT]
CANONICAL = [
    domain.OBSERVATION, domain.OBSERVATION_TOO_SHORT, domain.HEALTH_EXAM, domain.HEALTH_EXAM_UNFIT, domain.TALK,
    domain.EDUCATION, domain.COMMITMENT, *(domain.HANDOVER_PREFIX + r for r in domain.RECEIVERS),
]  # fmt: skip


def all_items(day=RELEASE, fit=True):
    return [ItemFact(item, day, fit if item == domain.HEALTH_EXAM else True) for item in domain.ITEMS]


def at(day: datetime.date, hour=9) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=UTC)


# --- Room states and due dates ----------------------------------------------------------------


def test_a_stay_planned_to_end_today_or_tomorrow_or_earlier_is_due():
    today = datetime.date(2026, 11, 24)
    assert domain.is_due_to_end(today, today) and domain.is_due_to_end(
        today + datetime.timedelta(days=1), today
    )
    assert domain.is_due_to_end(today - datetime.timedelta(days=3), today)
    assert not domain.is_due_to_end(today + datetime.timedelta(days=2), today)
    assert not domain.is_due_to_end(None, today)


def test_room_states_for_the_board():
    today = datetime.date(2026, 11, 24)
    assert domain.room_state(is_active=True, planned_ends=[], today=today) == domain.FREE
    assert domain.room_state(is_active=False, planned_ends=[], today=today) == domain.DEACTIVATED
    assert domain.room_state(is_active=True, planned_ends=[None], today=today) == domain.OCCUPIED
    assert domain.room_state(is_active=True, planned_ends=[today], today=today) == domain.DUE_TO_END
    # Someone still inside a room taken out of service: the person matters more than the room.
    assert domain.room_state(is_active=False, planned_ends=[None], today=today) == domain.OCCUPIED


def test_only_isolation_zones_count_as_isolation():
    assert domain.is_isolation_zone("fever_isolation") and domain.is_isolation_zone("pre_release_isolation")
    assert not domain.is_isolation_zone("education") and not domain.is_isolation_zone(None)


# --- The observation period -----------------------------------------------------------------


def test_transfers_inside_the_zone_keep_the_observation_running():
    first = StayFact(
        domain.PRE_RELEASE, at(datetime.date(2026, 11, 20)), at(datetime.date(2026, 11, 25)), "transferred"
    )
    second = StayFact(domain.PRE_RELEASE, first.ended_at, None)
    assert observation_began_at([second, first], at(RELEASE)) == first.started_at


def test_leaving_the_zone_restarts_the_observation():
    first = StayFact(
        domain.PRE_RELEASE, at(datetime.date(2026, 11, 1)), at(datetime.date(2026, 11, 5)), "hospitalised"
    )
    again = StayFact(domain.PRE_RELEASE, at(datetime.date(2026, 11, 8)), None)
    assert observation_began_at([first, again], at(RELEASE)) == again.started_at


def test_other_reasons_and_ended_stays_are_no_observation():
    fever = StayFact(domain.FEVER, at(datetime.date(2026, 11, 1)), None)
    cleared = StayFact(
        domain.PRE_RELEASE, at(datetime.date(2026, 11, 1)), at(datetime.date(2026, 11, 20)), "cleared"
    )
    assert observation_began_at([fever, cleared], at(RELEASE)) is None


def test_a_stay_ended_by_the_release_itself_still_covers_the_release():
    stay = StayFact(domain.PRE_RELEASE, at(datetime.date(2026, 11, 20)), at(RELEASE), "released")
    assert observation_began_at([stay], at(RELEASE)) == stay.started_at


@given(
    lengths=st.lists(st.integers(min_value=1, max_value=240), min_size=1, max_size=5),
    start=st.datetimes(min_value=datetime.datetime(2026, 1, 1), max_value=datetime.datetime(2026, 6, 1)),
)
def test_a_chain_of_transfers_begins_where_its_first_stay_began(lengths, start):
    start = start.replace(tzinfo=UTC)
    stays, moment = [], start
    for hours in lengths:
        end = moment + datetime.timedelta(hours=hours)
        stays.append(StayFact(domain.PRE_RELEASE, moment, end, "transferred"))
        moment = end
    stays.append(StayFact(domain.PRE_RELEASE, moment, None))
    assert observation_began_at(list(reversed(stays)), moment + datetime.timedelta(days=1)) == start


# --- What a release still lacks ---------------------------------------------------------------


def test_everything_done_in_time_means_nothing_is_missing():
    began = RELEASE - datetime.timedelta(days=14)
    assert missing_for_release(all_items(), ALL_RECEIVERS, began, RELEASE, 14) == []


def test_nothing_done_lists_everything_in_checklist_order():
    missing = missing_for_release([], set(), None, RELEASE, 14)
    assert missing == [
        "observation", "health_exam", "talk", "education", "commitment",
        "handover_police", "handover_community", "handover_judicial_office", "handover_family",
    ]  # fmt: skip


def test_an_observation_one_day_short_is_refused_by_the_days_of_the_policy():
    began = RELEASE - datetime.timedelta(days=13)
    assert missing_for_release(all_items(), ALL_RECEIVERS, began, RELEASE, 14) == ["observation_too_short"]
    assert missing_for_release(all_items(), ALL_RECEIVERS, began, RELEASE, 13) == []  # a policy of 13 days


def test_an_unfit_examination_blocks_the_release():
    began = RELEASE - datetime.timedelta(days=20)
    assert missing_for_release(all_items(fit=False), ALL_RECEIVERS, began, RELEASE, 14) == [
        "health_exam_unfit"
    ]


def test_items_dated_after_the_release_day_do_not_count():
    began = RELEASE - datetime.timedelta(days=20)
    late = all_items(day=RELEASE + datetime.timedelta(days=1))
    assert missing_for_release(late, ALL_RECEIVERS, began, RELEASE, 14) == list(domain.ITEMS)


def test_the_too_short_sentence_says_how_far_the_observation_has_got():
    sentences = domain.describe_missing(["observation_too_short", "talk"], observed=9, required=14)
    assert "9" in sentences[0] and "14" in sentences[0] and len(sentences) == 2


facts = st.lists(
    st.builds(
        ItemFact,
        item=st.sampled_from(domain.ITEMS),
        done_on=st.dates(
            min_value=RELEASE - datetime.timedelta(days=40), max_value=RELEASE + datetime.timedelta(days=5)
        ),
        fit=st.booleans(),
    ),
    max_size=8,
)
receivers = st.sets(st.sampled_from(domain.RECEIVERS))
began_on = st.none() | st.dates(
    min_value=RELEASE - datetime.timedelta(days=40), max_value=RELEASE + datetime.timedelta(days=5)
)
days = st.integers(min_value=0, max_value=30)


@given(items=facts, handed=receivers, began=began_on, required=days)
def test_codes_are_known_unique_and_in_checklist_order(items, handed, began, required):
    missing = missing_for_release(items, handed, began, RELEASE, required)
    assert set(missing) <= set(KNOWN_CODES)
    assert missing == sorted(set(missing), key=CANONICAL.index)
    assert not {domain.OBSERVATION, domain.OBSERVATION_TOO_SHORT} <= set(missing)


@given(items=facts, handed=receivers, began=began_on, required=days)
def test_ready_exactly_when_every_condition_holds(items, handed, began, required):
    in_time = [f for f in items if f.done_on <= RELEASE]
    latest = {}  # the latest record of each item; of two on one day, the one given last
    for fact in sorted(in_time, key=lambda f: f.done_on):
        latest[fact.item] = fact
    ready = (
        began is not None
        and began <= RELEASE
        and (RELEASE - began).days >= required
        and set(latest) == set(domain.ITEMS)
        and latest[domain.HEALTH_EXAM].fit
        and handed == ALL_RECEIVERS
    )
    assert (missing_for_release(items, handed, began, RELEASE, required) == []) == ready


@given(
    items=facts, handed=receivers, began=began_on, required=days, receiver=st.sampled_from(domain.RECEIVERS)
)
def test_a_further_hand_over_never_adds_anything_missing(items, handed, began, required, receiver):
    before = missing_for_release(items, handed, began, RELEASE, required)
    after = missing_for_release(items, handed | {receiver}, began, RELEASE, required)
    assert set(after) <= set(before)
    assert domain.HANDOVER_PREFIX + receiver not in after


@given(
    items=facts, handed=receivers, began=began_on, required=days, extra=st.integers(min_value=0, max_value=10)
)
def test_an_earlier_start_of_observation_never_hurts(items, handed, began, required, extra):
    if began is None:
        return
    earlier = began - datetime.timedelta(days=extra)
    before = missing_for_release(items, handed, began, RELEASE, required)
    after = missing_for_release(items, handed, earlier, RELEASE, required)
    # Not begun by the release day may become "begun, too short": the same condition, still unmet.
    same = {domain.OBSERVATION_TOO_SHORT: domain.OBSERVATION}
    assert {same.get(c, c) for c in after} <= {same.get(c, c) for c in before}
