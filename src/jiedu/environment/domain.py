"""Ventilation and disinfection of key areas: daily compliance and who is behind today. Pure.

Each key area must be ventilated ``ventilations_per_day`` times and disinfected
``disinfections_per_day`` times a day, by the epidemic policy in force that day (the caller looks
it up for the day in question: a past day keeps its own rules).

Compliance of one area and kind is ``min(done, required) / required``: doing more than required
does not count extra. A facility's compliance adds up those capped counts over its key areas and
divides by the summed requirement, so one area aired ten times cannot hide another never aired.
A requirement of 0 is "not applicable" and counts as fully compliant (rate 1).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

VENTILATION = "ventilation"
DISINFECTION = "disinfection"
KINDS = (VENTILATION, DISINFECTION)

Counts = Mapping[tuple[int, str], int]  # (area id, kind) -> records that count


def is_key_on(since: datetime.date, until: datetime.date | None, day: datetime.date) -> bool:
    """Key from ``since`` up to, not including, ``until`` (None: still key)."""
    return since <= day and (until is None or day < until)


@dataclass(frozen=True)
class Requirement:
    """How many of each kind one key area needs on one day."""

    ventilation: int
    disinfection: int

    @classmethod
    def from_policy(cls, policy) -> Requirement:
        """From anything with ``ventilations_per_day`` and ``disinfections_per_day`` (an epidemic Policy)."""
        return cls(ventilation=policy.ventilations_per_day, disinfection=policy.disinfections_per_day)

    def of(self, kind: str) -> int:
        return self.ventilation if kind == VENTILATION else self.disinfection


@dataclass(frozen=True)
class Tally:
    """Done against required, for one kind in one area or summed over areas (``done`` then capped)."""

    done: int
    required: int

    @property
    def counted(self) -> int:
        return min(self.done, self.required)

    @property
    def applicable(self) -> bool:
        return self.required > 0

    @property
    def rate(self) -> float:
        return self.counted / self.required if self.applicable else 1.0

    @property
    def missing(self) -> int:
        return self.required - self.counted


def capped_sum(tallies: Iterable[Tally]) -> Tally:
    """The facility's tally: each area's count capped at its requirement before adding up."""
    done = required = 0
    for tally in tallies:
        done += tally.counted
        required += tally.required
    return Tally(done=done, required=required)


@dataclass(frozen=True)
class AreaDay:
    area_id: int
    ventilation: Tally
    disinfection: Tally

    def tally(self, kind: str) -> Tally:
        return self.ventilation if kind == VENTILATION else self.disinfection

    @property
    def complete(self) -> bool:
        return self.ventilation.missing == 0 and self.disinfection.missing == 0


@dataclass(frozen=True)
class FacilityDay:
    areas: tuple[AreaDay, ...]
    ventilation: Tally
    disinfection: Tally

    def tally(self, kind: str) -> Tally:
        return self.ventilation if kind == VENTILATION else self.disinfection


def day_compliance(area_ids: Iterable[int], counts: Counts, requirement: Requirement) -> FacilityDay:
    """Compliance for one facility and day; ``area_ids`` are the areas that were key that day."""
    areas = tuple(
        AreaDay(
            area_id=area_id,
            ventilation=Tally(done=counts.get((area_id, VENTILATION), 0), required=requirement.ventilation),
            disinfection=Tally(
                done=counts.get((area_id, DISINFECTION), 0), required=requirement.disinfection
            ),
        )
        for area_id in area_ids
    )
    return FacilityDay(
        areas=areas,
        ventilation=capped_sum(a.ventilation for a in areas),
        disinfection=capped_sum(a.disinfection for a in areas),
    )


@dataclass(frozen=True)
class DayWindow:
    """The hours over which a day's rounds are expected, evenly spread (default 07:00-21:00).

    Assumption (the source gives only "5 a day"): the i-th of n rounds is due by the end of the
    i-th n-th of the window. With 5 ventilations over 07:00-21:00 they are due by 09:48, 12:36,
    15:24, 18:12 and 21:00; nothing is expected before 07:00, everything by 21:00.
    """

    start: datetime.time = datetime.time(7)
    end: datetime.time = datetime.time(21)

    def __post_init__(self):
        if self.start >= self.end:
            raise ValueError("the window must start before it ends")


DEFAULT_WINDOW = DayWindow()


def _seconds(t: datetime.time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def expected_by(required: int, at: datetime.time, window: DayWindow = DEFAULT_WINDOW) -> int:
    """How many of ``required`` rounds should be done by local time ``at``."""
    elapsed = min(
        max(_seconds(at) - _seconds(window.start), 0), _seconds(window.end) - _seconds(window.start)
    )
    return required * elapsed // (_seconds(window.end) - _seconds(window.start))


@dataclass(frozen=True)
class Behind:
    """An area and kind with fewer rounds done than expected by now."""

    area_id: int
    kind: str
    done: int
    expected: int
    required: int


def behind_schedule(
    area_ids: Iterable[int],
    counts: Counts,
    requirement: Requirement,
    at: datetime.time,
    window: DayWindow = DEFAULT_WINDOW,
) -> list[Behind]:
    """Today's overdue list, in area then kind order."""
    behind = []
    for area_id in area_ids:
        for kind in KINDS:
            required = requirement.of(kind)
            expected = expected_by(required, at, window)
            done = counts.get((area_id, kind), 0)
            if done < expected:
                behind.append(
                    Behind(area_id=area_id, kind=kind, done=done, expected=expected, required=required)
                )
    return behind
