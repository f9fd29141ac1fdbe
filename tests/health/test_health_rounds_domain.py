"""Round compliance as a pure function: slots per policy interval, done/missed/pending, overdue."""

import datetime
import math
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from jiedu.health import domain
from jiedu.health.domain import Custody

TZ = ZoneInfo("Asia/Shanghai")
DAY = datetime.date(2026, 11, 20)
NEXT = DAY + datetime.timedelta(days=1)
START = datetime.datetime.combine(DAY, datetime.time.min, tzinfo=TZ)
END = START + datetime.timedelta(days=1)
TWO_HOURS = {DAY: 120, NEXT: 120}


def at(hour, minute=0, day=0):
    return START + datetime.timedelta(days=day, hours=hour, minutes=minute)


def rounds(custody, readings, *, now, intervals=TWO_HOURS, start=START, end=END):
    return domain.resident_rounds(
        custody, readings, intervals=intervals, start=start, end=end, now=now, tz=TZ
    )


HELD = Custody(1, at(-24 * 30))  # admitted a month ago, still held


# --- Examples -------------------------------------------------------------------------------


def test_a_full_day_has_twelve_two_hour_slots_and_one_reading_each_is_full_compliance():
    result = rounds(HELD, [at(h, 15) for h in range(0, 24, 2)], now=at(30))
    assert len(result.slots) == 12 and result.done == 12 and result.missed == 0
    assert result.compliance == 1.0


def test_a_slot_without_reading_is_missed_once_it_has_ended_and_pending_before():
    readings = [at(0, 10), at(2, 5)]
    assert [s.state for s in rounds(HELD, readings, now=at(5)).slots] == ["done", "done", "pending"]
    assert [s.state for s in rounds(HELD, readings, now=at(6)).slots] == ["done", "done", "missed"]


def test_the_current_slot_counts_only_once_done():
    before = rounds(HELD, [at(0, 10)], now=at(3))
    assert (before.due, before.done) == (1, 1)
    after = rounds(HELD, [at(0, 10), at(2, 30)], now=at(3))
    assert (after.due, after.done) == (2, 2)


def test_two_readings_in_one_slot_count_once():
    result = rounds(HELD, [at(0, 10), at(1, 50)], now=at(4))
    assert (result.done, result.missed) == (1, 1)


def test_the_grid_starts_at_admission_and_a_slot_cut_by_leaving_is_not_missed():
    custody = Custody(1, at(9, 30), left_at=at(12))
    result = rounds(custody, [at(9, 45)], now=at(30))
    assert [(s.start, s.state) for s in result.slots] == [(at(9, 30), "done"), (at(11, 30), "pending")]
    assert result.compliance == 1.0


def test_each_day_uses_its_own_interval():
    intervals = {DAY: 120, NEXT: 60}
    result = rounds(HELD, [], now=at(50), intervals=intervals, end=END + datetime.timedelta(days=1))
    assert len(result.slots) == 12 + 24
    assert result.slots[12].start == at(0, day=1) and result.slots[13].start == at(1, day=1)


def test_an_interval_that_does_not_divide_the_day_ends_its_last_slot_at_midnight():
    result = rounds(HELD, [], now=at(30), intervals={DAY: 100, NEXT: 100})
    assert len(result.slots) == 15 and result.slots[-1].end == END


def test_overdue_after_more_than_one_interval_without_a_reading():
    readings = [at(8, 10)]
    assert rounds(HELD, readings, now=at(10, 10)).overdue_since is None
    assert rounds(HELD, readings, now=at(10, 11)).overdue_since == at(10, 10)


def test_overdue_counts_from_midnight_or_admission_when_nothing_was_read():
    assert rounds(HELD, [], now=at(2, 1)).overdue_since == at(2)
    assert rounds(Custody(1, at(9)), [], now=at(11, 1)).overdue_since == at(11)
    assert rounds(Custody(1, at(9), left_at=at(10)), [], now=at(11, 1)).overdue_since is None


def test_tallies_sum_per_group_and_compliance_is_none_when_nothing_was_due():
    results = domain.round_compliance(
        [HELD, Custody(2, at(-48)), Custody(3, at(23))],
        [(1, at(0, 10)), (1, at(2, 10)), (2, at(0, 20))],
        intervals=TWO_HOURS, start=START, end=END, now=at(4, 30), tz=TZ,
    )  # fmt: skip
    by_zone = domain.tally_by(results.values(), {1: "east", 2: "east", 3: "west"}.get)
    assert (by_zone["east"].due, by_zone["east"].done, by_zone["east"].missed) == (4, 3, 1)
    assert by_zone["west"].compliance is None and by_zone["west"].residents == 1
    assert domain.combine(by_zone.values()).due == 4


def test_temperature_rules():
    assert domain.in_valid_range(Decimal("34.0")) and domain.in_valid_range(Decimal("43.0"))
    assert not domain.in_valid_range(Decimal("33.9")) and not domain.in_valid_range(Decimal("43.1"))
    assert domain.is_fever(Decimal("37.3"), Decimal("37.3")) and not domain.is_fever(
        Decimal("37.2"), Decimal("37.3")
    )
    assert domain.recheck_due_at(at(8), 120) == at(9)
    assert domain.recheck_due_at(at(8), 30) == at(8, 30)


# --- Properties -----------------------------------------------------------------------------

intervals = st.sampled_from([30, 45, 60, 90, 100, 120, 180, 240, 1440])
minutes = st.integers(min_value=-3 * 1440, max_value=3 * 1440)


@st.composite
def custody(draw, resident_id=1):
    admitted = START + datetime.timedelta(minutes=draw(minutes))
    stays = draw(st.one_of(st.none(), st.integers(min_value=1, max_value=4 * 1440)))
    left = admitted + datetime.timedelta(minutes=stays) if stays is not None else None
    return Custody(resident_id, admitted, left)


readings_st = st.lists(st.integers(min_value=-600, max_value=2 * 1440 + 600), max_size=40).map(
    lambda offsets: [START + datetime.timedelta(minutes=m) for m in offsets]
)
now_st = st.integers(min_value=-120, max_value=3 * 1440).map(lambda m: START + datetime.timedelta(minutes=m))
two_days = st.fixed_dictionaries({DAY: intervals, NEXT: intervals})
WINDOW = {"start": START, "end": END + datetime.timedelta(days=1)}


@given(custody(), readings_st, now_st, two_days)
def test_compliance_is_a_share_or_none_when_nothing_was_due(c, readings, now, days):
    result = rounds(c, readings, now=now, intervals=days, **WINDOW)
    assert (result.compliance is None) == (result.due == 0)
    assert result.compliance is None or 0 <= result.compliance <= 1
    assert result.due == result.done + result.missed <= len(result.slots)


@given(custody(), readings_st, st.integers(min_value=-600, max_value=3 * 1440), now_st, two_days)
def test_adding_a_reading_never_lowers_compliance(c, readings, extra, now, days):
    before = rounds(c, readings, now=now, intervals=days, **WINDOW)
    after = rounds(
        c, [*readings, START + datetime.timedelta(minutes=extra)], now=now, intervals=days, **WINDOW
    )
    assert after.done >= before.done and after.missed <= before.missed
    if before.compliance is not None:
        assert after.compliance >= before.compliance


@given(custody(), now_st, two_days)
def test_a_reading_in_every_slot_is_full_compliance(c, now, days):
    empty = rounds(c, [], now=now, intervals=days, **WINDOW)
    full = rounds(c, [s.start for s in empty.slots], now=now, intervals=days, **WINDOW)
    assert full.missed == 0 and full.done == len(empty.slots)
    assert full.compliance in (None, 1.0)


@given(readings_st, now_st, two_days, st.booleans())
def test_residents_outside_custody_in_the_window_have_no_slots(readings, now, days, before):
    if before:  # left before the window opened
        c = Custody(1, START - datetime.timedelta(days=40), left_at=START - datetime.timedelta(minutes=1))
    else:  # admitted after it closed
        c = Custody(1, WINDOW["end"] + datetime.timedelta(minutes=1))
    result = rounds(c, readings, now=now, intervals=days, **WINDOW)
    assert result.slots == () and result.overdue_since is None and result.compliance is None


@given(intervals, st.integers(min_value=0, max_value=1439), st.integers(min_value=1, max_value=1440))
def test_one_days_slot_count_is_the_span_divided_by_the_interval_rounded_up(interval, admitted, tracked):
    c = Custody(1, START + datetime.timedelta(minutes=admitted))
    now = START + datetime.timedelta(minutes=min(admitted + tracked, 1440))
    result = rounds(c, [], now=now, intervals={DAY: interval})
    span = now - c.admitted_at
    assert len(result.slots) == math.ceil(span / datetime.timedelta(minutes=interval))


@given(st.lists(custody(), min_size=1, max_size=5), readings_st, now_st, two_days, st.randoms())
def test_results_do_not_depend_on_the_order_of_the_readings(periods, times, now, days, rnd):
    people = [Custody(i, c.admitted_at, c.left_at) for i, c in enumerate(periods)]
    pairs = [(i % len(people), t) for i, t in enumerate(times)]
    shuffled = pairs[:]
    rnd.shuffle(shuffled)
    first = domain.round_compliance(people, pairs, intervals=days, now=now, tz=TZ, **WINDOW)
    second = domain.round_compliance(people, shuffled, intervals=days, now=now, tz=TZ, **WINDOW)
    assert first == second
