"""Cross-check of DingTalk check-ins against the health-code list: pure matching on plain data.

Phones never reach this module in plain text: the selector hands over their blind indexes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

UNMATCHED_DINGTALK = "unmatched_dingtalk"
UNMATCHED_HEALTHCODE = "unmatched_healthcode"
MISSING_IN_DINGTALK = "missing_in_dingtalk"
MISSING_IN_HEALTHCODE = "missing_in_healthcode"
LOCATION_MISMATCH = "location_mismatch"
CODE_NOT_GREEN = "code_not_green"
KINDS = (
    UNMATCHED_DINGTALK, UNMATCHED_HEALTHCODE, MISSING_IN_DINGTALK, MISSING_IN_HEALTHCODE,
    LOCATION_MISMATCH, CODE_NOT_GREEN,
)  # fmt: skip
GREEN = "green"


@dataclass(frozen=True)
class StaffKey:
    staff_id: int
    name: str
    police_number: str
    phone_index: str


@dataclass(frozen=True)
class Entry:
    """One uploaded row: ``where`` is the DingTalk place or the health-code location."""

    row: int
    name: str
    police_number: str
    phone_index: str
    where: str
    colour: str = GREEN


@dataclass(frozen=True)
class Finding:
    kind: str
    staff_id: int | None
    name: str
    row: int | None = None
    place: str = ""
    location: str = ""
    colour: str = ""


@dataclass
class Report:
    dingtalk_matched: dict[int, int] = field(default_factory=dict)  # row -> staff id
    healthcode_matched: dict[int, int] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)

    def of_kind(self, kind: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind == kind]

    def counts(self) -> dict[str, int]:
        return {kind: len(self.of_kind(kind)) for kind in KINDS}


def match_entry(entry: Entry, staff: Sequence[StaffKey]) -> StaffKey | None:
    """By police number when the row has one that is known, else by name and phone together."""
    if entry.police_number:
        for person in staff:
            if person.police_number == entry.police_number:
                return person
    if entry.phone_index:
        for person in staff:
            if person.name == entry.name and person.phone_index == entry.phone_index:
                return person
    return None


CITY = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:市|盟)")
DISTRICT = re.compile(r"[\u4e00-\u9fff]{1,8}?(?:区|县|旗)")
NOISE = re.compile(r"[\s,，。·\-/（）()]")


def _clean(text: str) -> str:
    return NOISE.sub("", text or "")


def same_area(place: str, location: str) -> bool:
    """Same district when both name one, else same city when both name one, else one text contains the other.

    A check-in at "呼和浩特市赛罕区大学西街" and a health code located at "赛罕区" agree.
    """
    place, location = _clean(place), _clean(location)
    for pattern in (DISTRICT, CITY):
        left, right = set(pattern.findall(place)), set(pattern.findall(location))
        if left and right:
            # The city prefix is stripped from districts, so "呼和浩特市赛罕区" matches "赛罕区".
            if pattern is DISTRICT:
                left = {CITY.sub("", d) for d in left}
                right = {CITY.sub("", d) for d in right}
            return bool(left & right)
    return place in location or location in place


def cross_check(staff: Sequence[StaffKey], dingtalk: Sequence[Entry], healthcode: Sequence[Entry]) -> Report:
    report = Report()
    by_id = {person.staff_id: person for person in staff}
    places: dict[int, list[str]] = {}
    codes: dict[int, Entry] = {}
    for entry in sorted(dingtalk, key=lambda e: e.row):
        person = match_entry(entry, staff)
        if person is None:
            report.findings.append(
                Finding(UNMATCHED_DINGTALK, None, entry.name, entry.row, place=entry.where)
            )
            continue
        report.dingtalk_matched[entry.row] = person.staff_id
        places.setdefault(person.staff_id, []).append(entry.where)
    for entry in sorted(healthcode, key=lambda e: e.row):
        person = match_entry(entry, staff)
        if person is None:
            report.findings.append(
                Finding(UNMATCHED_HEALTHCODE, None, entry.name, entry.row, location=entry.where)
            )
            continue
        report.healthcode_matched[entry.row] = person.staff_id
        codes.setdefault(person.staff_id, entry)
    for staff_id in sorted(set(codes) - set(places)):
        report.findings.append(
            Finding(MISSING_IN_DINGTALK, staff_id, by_id[staff_id].name, codes[staff_id].row)
        )
    for staff_id in sorted(set(places) - set(codes)):
        report.findings.append(Finding(MISSING_IN_HEALTHCODE, staff_id, by_id[staff_id].name))
    for staff_id in sorted(set(places) & set(codes)):
        code = codes[staff_id]
        if not any(same_area(place, code.where) for place in places[staff_id]):
            report.findings.append(
                Finding(LOCATION_MISMATCH, staff_id, by_id[staff_id].name, code.row,
                        place=sorted(places[staff_id])[0], location=code.where)
            )  # fmt: skip
    for staff_id in sorted(codes):
        code = codes[staff_id]
        if code.colour != GREEN:
            report.findings.append(
                Finding(CODE_NOT_GREEN, staff_id, by_id[staff_id].name, code.row, colour=code.colour)
            )
    return report
