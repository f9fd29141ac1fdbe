"""Temperature rounds (每2小时测量体温1次): pure rules, no database.

Slots. Each local day a resident is in custody is cut into slots of that day's policy interval,
starting at the later of the day's start, the window's start and the admission. Slot k covers
[t_k, t_k + interval), cut at the end of the day (a new grid starts at midnight, with the next
day's interval). Slots exist while t_k is before the end of tracking: the earliest of ``now``,
leaving custody and the window's end. So one day's slot count is ceil(span / interval).

A slot is *done* when at least one reading falls inside it. A slot that ran its full length
before the end of tracking and holds no reading is *missed*. A slot that tracking cut short (the
current slot, or one the resident left during) is *pending* while it has no reading: it is
neither due nor missed yet. Compliance = done / due, with due = done + missed.

Overdue. A resident in custody is overdue when more than one interval (today's) has passed since
the later of their last reading in the window and the start of tracking. This is the list the
round officers act on; it counts from midnight at the latest, like the day's first slot.

Fever. A reading at or above the policy's threshold is a fever; a re-check is due one hour after
it, or at the next round if the policy's interval is shorter than an hour.
"""

from __future__ import annotations

import bisect
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

LOWEST_C = Decimal("34.0")
HIGHEST_C = Decimal("43.0")
RECHECK_AFTER = datetime.timedelta(hours=1)

DONE = "done"
MISSED = "missed"
PENDING = "pending"


def in_valid_range(temperature_c: Decimal) -> bool:
    """34.0-43.0 °C inclusive: outside it the thermometer or the typing is wrong, not the patient."""
    return LOWEST_C <= temperature_c <= HIGHEST_C


def is_fever(temperature_c: Decimal, threshold_c: Decimal) -> bool:
    return temperature_c >= Decimal(threshold_c)


def recheck_due_at(measured_at: datetime.datetime, interval_minutes: int) -> datetime.datetime:
    return measured_at + min(RECHECK_AFTER, datetime.timedelta(minutes=interval_minutes))


@dataclass(frozen=True)
class Custody:
    """A resident's custody period [admitted_at, left_at); left_at None while still held."""

    resident_id: int
    admitted_at: datetime.datetime
    left_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime
    state: str  # DONE, MISSED or PENDING


@dataclass(frozen=True)
class ResidentRounds:
    resident_id: int
    slots: tuple[Slot, ...]
    last_reading_at: datetime.datetime | None
    overdue_since: datetime.datetime | None

    @property
    def done(self) -> int:
        return sum(1 for s in self.slots if s.state == DONE)

    @property
    def missed(self) -> int:
        return sum(1 for s in self.slots if s.state == MISSED)

    @property
    def due(self) -> int:
        return self.done + self.missed

    @property
    def missed_slots(self) -> list[Slot]:
        return [s for s in self.slots if s.state == MISSED]

    @property
    def compliance(self) -> float | None:
        return ratio(self.done, self.due)


@dataclass
class Tally:
    """Sums over residents (a zone, a facility, a day); ``compliance`` None when nothing was due."""

    residents: int = 0
    due: int = 0
    done: int = 0
    missed: int = 0
    overdue: int = 0

    def add(self, rounds: ResidentRounds) -> None:
        self.residents += 1
        self.due += rounds.due
        self.done += rounds.done
        self.missed += rounds.missed
        self.overdue += rounds.overdue_since is not None

    @property
    def compliance(self) -> float | None:
        return ratio(self.done, self.due)


def ratio(done: int, due: int) -> float | None:
    return done / due if due else None


def local_days(start: datetime.datetime, end: datetime.datetime, tz: datetime.tzinfo) -> list[datetime.date]:
    """The local calendar days that [start, end) touches."""
    if end <= start:
        return []
    first = start.astimezone(tz).date()
    last = (end - datetime.timedelta(microseconds=1)).astimezone(tz).date()
    return [first + datetime.timedelta(days=i) for i in range((last - first).days + 1)]


def _day_start(day: datetime.date, tz: datetime.tzinfo) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=tz)


def slot_grid(
    custody: Custody,
    *,
    intervals: Mapping[datetime.date, int],
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    tz: datetime.tzinfo,
) -> tuple[list[tuple[datetime.datetime, datetime.datetime]], datetime.datetime]:
    """(slot start, nominal slot end) for every slot, and the end of tracking."""
    begin = max(start, custody.admitted_at)
    limit = min(x for x in (end, now, custody.left_at) if x is not None)
    grid = []
    for day in local_days(begin, limit, tz):
        day_start = _day_start(day, tz)
        day_end = _day_start(day + datetime.timedelta(days=1), tz)
        step = datetime.timedelta(minutes=intervals[day])
        t = max(begin, day_start)
        while t < min(day_end, limit):
            grid.append((t, min(t + step, day_end)))
            t += step
    return grid, limit


def resident_rounds(
    custody: Custody,
    readings: Iterable[datetime.datetime],
    *,
    intervals: Mapping[datetime.date, int],
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    tz: datetime.tzinfo,
) -> ResidentRounds:
    """One resident's slots in the window [start, end) as seen at ``now``.

    ``intervals`` gives the policy's round interval (minutes) for each local day of the window.
    """
    grid, limit = slot_grid(custody, intervals=intervals, start=start, end=end, now=now, tz=tz)
    begin = max(start, custody.admitted_at)
    times = sorted(t for t in readings if begin <= t < limit)
    slots = []
    for slot_start, slot_end in grid:
        first = bisect.bisect_left(times, slot_start)
        if first < len(times) and times[first] < slot_end:
            state = DONE
        else:
            state = MISSED if slot_end <= limit else PENDING
        slots.append(Slot(slot_start, slot_end, state))
    last = times[-1] if times else None
    overdue_since = None
    held_now = begin <= now < end and (custody.left_at is None or now < custody.left_at)
    if held_now:
        deadline = max(begin, last or begin) + datetime.timedelta(
            minutes=intervals[now.astimezone(tz).date()]
        )
        overdue_since = deadline if now > deadline else None
    return ResidentRounds(custody.resident_id, tuple(slots), last, overdue_since)


def round_compliance(
    custody: Iterable[Custody],
    readings: Iterable[tuple[int, datetime.datetime]],
    *,
    intervals: Mapping[datetime.date, int],
    start: datetime.datetime,
    end: datetime.datetime,
    now: datetime.datetime,
    tz: datetime.tzinfo,
) -> dict[int, ResidentRounds]:
    """Every resident's rounds in the window; ``readings`` are (resident id, measured at) pairs."""
    by_resident: dict[int, list[datetime.datetime]] = defaultdict(list)
    for resident_id, measured_at in readings:
        by_resident[resident_id].append(measured_at)
    return {
        c.resident_id: resident_rounds(
            c, by_resident.get(c.resident_id, ()), intervals=intervals, start=start, end=end, now=now, tz=tz
        )
        for c in custody
    }


def tally(rounds: Iterable[ResidentRounds]) -> Tally:
    total = Tally()
    for r in rounds:
        total.add(r)
    return total


def combine(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total.residents += t.residents
        total.due += t.due
        total.done += t.done
        total.missed += t.missed
        total.overdue += t.overdue
    return total


def tally_by(rounds: Iterable[ResidentRounds], key: Callable[[int], Hashable]) -> dict[Hashable, Tally]:
    """Sums per group (zone, facility): ``key`` maps a resident id to its group."""
    groups: dict[Hashable, Tally] = defaultdict(Tally)
    for r in rounds:
        groups[key(r.resident_id)].add(r)
    return dict(groups)
