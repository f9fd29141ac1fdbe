"""Coverage of a screening round or commitment campaign: who is in scope, who is done, who is missing.

In scope: staff of the round's facilities (and of its departments, if it names any) who are on
duty or on leave. The staff table keeps only the current status, not its history, so "at the
round's start" is read as "now": an officer transferred out after the round began drops out of
scope. Whoever has already signed or submitted stays in scope whatever their status, so a
record, once made, always counts: coverage never falls when a record is added and never exceeds 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

ACTIVE_STATUSES = frozenset({"on_duty", "on_leave"})


@dataclass(frozen=True)
class Person:
    staff_id: int
    facility_id: int
    department_id: int | None
    status: str


@dataclass(frozen=True)
class Scope:
    facility_ids: frozenset[int]
    department_ids: frozenset[int] = frozenset()  # empty: every department

    def covers(self, person: Person) -> bool:
        if person.facility_id not in self.facility_ids:
            return False
        return not self.department_ids or person.department_id in self.department_ids


@dataclass(frozen=True)
class Tally:
    in_scope: int
    done: int
    missing: tuple[int, ...]  # staff ids, in the order given

    @property
    def ratio(self) -> Fraction:
        """Done over in scope; a scope without anybody counts as fully covered."""
        return Fraction(self.done, self.in_scope) if self.in_scope else Fraction(1)

    @property
    def percent(self) -> int:
        return int(self.ratio * 100)

    @property
    def complete(self) -> bool:
        return not self.missing


def in_scope(person: Person, scope: Scope, done: frozenset[int] | set[int]) -> bool:
    return scope.covers(person) and (person.status in ACTIVE_STATUSES or person.staff_id in done)


def tally(people: Iterable[Person], scope: Scope, done: frozenset[int] | set[int]) -> Tally:
    counted = [p for p in people if in_scope(p, scope, done)]
    finished = sum(1 for p in counted if p.staff_id in done)
    missing = tuple(p.staff_id for p in counted if p.staff_id not in done)
    return Tally(in_scope=len(counted), done=finished, missing=missing)


def tally_by(people: Iterable[Person], scope: Scope, done, key) -> dict:
    """One Tally per ``key(person)`` (facility id, or (facility id, department id)), for groups in scope."""
    groups: dict = {}
    for person in people:
        if in_scope(person, scope, done):
            groups.setdefault(key(person), []).append(person)
    return {group: tally(members, scope, done) for group, members in groups.items()}


def by_facility(person: Person) -> int:
    return person.facility_id


def by_department(person: Person) -> tuple[int, int | None]:
    return (person.facility_id, person.department_id)
