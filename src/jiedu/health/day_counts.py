"""One day's rounds counted in the database, for pages that show sums or pick a few residents.

The rules are ``health.domain``'s; this only counts them where the readings are. On one local
day most residents are *held throughout*: admitted by midnight and not gone before the end of
tracking (the earlier of now and the day's end). Their slots are one grid per facility (from
midnight, the day's interval), so the database can number each reading's slot and count, per
resident or per facility:

- done: slots holding a reading;
- missed: slots ended by the end of tracking (``complete``) less the ended ones holding a
  reading, i.e. ``complete - (done - a reading in the slot still running)``;
- overdue (only while the day is running, once its first interval has passed): no reading
  within the last interval.

Residents admitted or gone during the day have grids of their own: the callers put them through
``domain.resident_rounds`` with their readings, as before. Numbering a slot is a CASE over the
slot ends computed here, so it is exact to the microsecond on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BigIntegerField, Case, Count, ExpressionWrapper, IntegerField, Q, Value, When
from django.db.models.functions import Cast
from django.utils import timezone

from jiedu.common.localtime import local_day_bounds
from jiedu.epidemic.selectors import PolicyBook
from jiedu.health import domain
from jiedu.health.models import TemperatureReading
from jiedu.people.models import Resident

# More than the slots of a day at the shortest interval the policy allows (15 minutes: 96).
SLOTS_PER_RESIDENT = 1000


def residents_in_window(
    facility_ids, start: datetime.datetime, end: datetime.datetime, now: datetime.datetime
):
    """Residents with rounds in [start, end) as seen at ``now``; those receiving care outside left out."""
    return (
        Resident.objects.filter(facility_id__in=facility_ids, admitted_at__lt=min(end, now))
        .filter(Q(left_at__isnull=True) | Q(left_at__gt=start))
        .exclude(status=Resident.Status.OUTSIDE_MEDICAL)
    )


def held_throughout(start: datetime.datetime, limit: datetime.datetime, prefix: str = "") -> Q:
    """Admitted by ``start`` and not gone by ``limit`` (leaving exactly then ends tracking then)."""
    return Q(**{f"{prefix}admitted_at__lte": start}) & (
        Q(**{f"{prefix}left_at__isnull": True}) | Q(**{f"{prefix}left_at__gt": limit})
    )


@dataclass(frozen=True)
class _Grid:
    """A facility's slots on the day for residents held throughout."""

    step: datetime.timedelta
    slots: tuple[tuple[datetime.datetime, datetime.datetime], ...]  # (start, end cut at midnight)
    complete: int  # slots ended by the end of tracking; a further one is still running

    @property
    def running(self) -> datetime.datetime | None:
        """Start of the slot still running, if any."""
        return self.slots[self.complete][0] if self.complete < len(self.slots) else None


class HeldThroughout:
    """The day's counts for the residents of some facilities held throughout it."""

    def __init__(
        self, facility_ids, day: datetime.date, now: datetime.datetime, *, book: PolicyBook | None = None
    ):
        self.facility_ids = list(facility_ids)
        self.now = now
        self.start, self.end = local_day_bounds(day)
        self.limit = min(self.end, now)
        self.book = book or PolicyBook(self.facility_ids)
        tz = timezone.get_current_timezone()
        anyone = domain.Custody(0, self.start)
        self.grids = {}
        for facility_id in self.facility_ids:
            minutes = self.book.policy(facility_id, day).temperature_interval_minutes
            slots, _ = domain.slot_grid(
                anyone, intervals={day: minutes}, start=self.start, end=self.end, now=now, tz=tz
            )
            complete = sum(1 for _, slot_end in slots if slot_end <= self.limit)
            self.grids[facility_id] = _Grid(datetime.timedelta(minutes=minutes), tuple(slots), complete)

    # --- who and which readings ---

    def residents(self):
        return residents_in_window(self.facility_ids, self.start, self.end, self.now).filter(
            held_throughout(self.start, self.limit)
        )

    def others(self) -> Q:
        """The residents in the window not held throughout (as a filter on residents)."""
        return ~held_throughout(self.start, self.limit)

    def _readings(self):
        return (
            TemperatureReading.objects.filter(
                facility_id__in=self.facility_ids, measured_at__gte=self.start, measured_at__lt=self.limit
            )
            # The same residents as ``residents()``: joined, not a subquery, so the planner can start
            # from the day's readings. (Admitted before the end of tracking and not gone before the
            # start follow from being held throughout a non-empty stretch of readings.)
            .filter(
                held_throughout(self.start, self.limit, prefix="resident__"),
                resident__facility_id__in=self.facility_ids,
            )
            .exclude(resident__status=Resident.Status.OUTSIDE_MEDICAL)
            .order_by()
        )

    def _overdue_counts(self, grid: _Grid) -> bool:
        """Whether anyone can be overdue: the day is running and its first interval has passed."""
        return self.start <= self.now < self.end and self.now - grid.step > self.start

    # --- SQL expressions over readings (grids shared by facilities with the same interval) ---

    def _by_step(self) -> dict[datetime.timedelta, list[int]]:
        groups = defaultdict(list)
        for facility_id, grid in self.grids.items():
            groups[grid.step].append(facility_id)
        return groups

    def _slot(self):
        whens = []
        for facility_ids in self._by_step().values():
            for number, (_, slot_end) in enumerate(self.grids[facility_ids[0]].slots):
                whens.append(
                    When(
                        Q(resident__facility_id__in=facility_ids, measured_at__lt=slot_end),
                        then=Value(number),
                    )
                )
        return Case(*whens, default=None, output_field=IntegerField())

    def _in_running_slot(self) -> Q | None:
        parts = [
            Q(resident__facility_id__in=ids, measured_at__gte=self.grids[ids[0]].running)
            for ids in self._by_step().values()
            if self.grids[ids[0]].running is not None
        ]
        return _any(parts)

    def _within_last_interval(self) -> Q | None:
        parts = [
            Q(resident__facility_id__in=ids, measured_at__gte=self.now - step)
            for step, ids in self._by_step().items()
            if self._overdue_counts(self.grids[ids[0]])
        ]
        return _any(parts)

    def _counts(self, distinct_by: str, **done) -> dict:
        """Annotations: ``done`` as given, and the distinct ``distinct_by`` with a reading in the
        running slot (``running``) and within the last interval (``recent``)."""
        annotations = dict(done)
        for name, where in (("running", self._in_running_slot()), ("recent", self._within_last_interval())):
            if where is not None:
                annotations[name] = Count(distinct_by, filter=where, distinct=True)
        return annotations

    # --- figures ---

    def facility_tallies(self) -> dict[int, domain.Tally]:
        """A Tally per facility of its residents held throughout: two grouped queries."""
        held = dict(
            self.residents()
            .order_by()
            .values("facility_id")
            .annotate(n=Count("id"))
            .values_list("facility_id", "n")
        )
        slot_of_resident = ExpressionWrapper(
            Cast("resident_id", BigIntegerField()) * SLOTS_PER_RESIDENT + self._slot(),
            output_field=BigIntegerField(),
        )
        counted = {
            row["resident__facility_id"]: row
            for row in self._readings()
            .values("resident__facility_id")
            .annotate(**self._counts("resident_id", done=Count(slot_of_resident, distinct=True)))
        }
        tallies = {}
        for facility_id, residents in held.items():
            grid = self.grids[facility_id]
            row = counted.get(facility_id, {})
            done, running = row.get("done", 0), row.get("running", 0)
            missed = residents * grid.complete - (done - running)
            overdue = residents - row.get("recent", 0) if self._overdue_counts(grid) else 0
            tallies[facility_id] = domain.Tally(
                residents=residents, due=done + missed, done=done, missed=missed, overdue=overdue
            )
        return tallies

    def to_list(self) -> list[int]:
        """Residents held throughout who are overdue now or missed a slot: two queries."""
        held = list(self.residents().values_list("pk", "facility_id"))
        counted = {
            row["resident_id"]: row
            for row in self._readings()
            .values("resident_id")
            .annotate(**self._counts("id", done=Count(self._slot(), distinct=True)))
        }
        listed = []
        for resident_id, facility_id in held:
            grid = self.grids[facility_id]
            row = counted.get(resident_id, {})
            missed = grid.complete - (row.get("done", 0) - bool(row.get("running", 0)))
            overdue = self._overdue_counts(grid) and not row.get("recent", 0)
            if missed or overdue:
                listed.append(resident_id)
        return listed


def _any(parts: list[Q]) -> Q | None:
    if not parts:
        return None
    where = parts[0]
    for part in parts[1:]:
        where |= part
    return where
