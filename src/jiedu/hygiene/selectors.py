"""Reading hygiene inspections and boards, and previewing a board before it is published."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q

from jiedu.hygiene import domain
from jiedu.hygiene.models import HygieneBoard, HygieneBoardEntry, HygieneInspection
from jiedu.organisation.models import Department


def inspections(
    user, *, facility_ids=None, department=None, since: datetime.date | None = None,
    until: datetime.date | None = None, below: int | None = None,
):  # fmt: skip
    """The ledger, newest first: the inspections the user may see, filtered."""
    rows = HygieneInspection.objects.visible_to(user).select_related("facility", "department", "inspector")
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=list(facility_ids))
    if department is not None:
        rows = rows.filter(department=department)
    if since is not None:
        rows = rows.filter(inspected_on__gte=since)
    if until is not None:
        rows = rows.filter(inspected_on__lte=until)
    if below is not None:
        rows = rows.filter(score__lt=below)
    return rows


def boards(user, *, facility_ids=None):
    rows = (
        HygieneBoard.objects.visible_to(user)
        .select_related("facility", "published_by")
        .annotate(
            honour_count=Count("entries", filter=Q(entries__listed_on=domain.HONOUR)),
            exposure_count=Count("entries", filter=Q(entries__listed_on=domain.EXPOSURE)),
        )
        .order_by("-period_start", "facility__code")
    )
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=list(facility_ids))
    return rows


def board_covering(facility_id: int, day: datetime.date) -> HygieneBoard | None:
    """A published board of the facility whose period includes ``day`` (its inspections are frozen)."""
    return (
        HygieneBoard.objects.filter(facility_id=facility_id, period_start__lte=day, period_end__gte=day)
        .order_by("period_start")
        .first()
    )


def marks(facility_id: int, period_start: datetime.date, period_end: datetime.date) -> list[domain.Mark]:
    rows = HygieneInspection.objects.filter(
        facility_id=facility_id, inspected_on__gte=period_start, inspected_on__lte=period_end
    ).values_list("department_id", "inspected_on", "score")
    return [domain.Mark(department_id, day, score) for department_id, day, score in rows]


@dataclass(frozen=True)
class Line:
    """One department on a list, with its name: a preview listing or a frozen entry alike."""

    department: Department
    average: object
    inspections: int
    reason: str


@dataclass(frozen=True)
class Lists:
    honour: list[Line]
    exposure: list[Line]
    inspected: int | None  # departments inspected in the period (a preview only)
    inspections: int | None


def preview(facility_id: int, period_start, period_end, thresholds: domain.Thresholds) -> Lists:
    """What publishing now would list: computed from the inspections, nothing stored."""
    found = marks(facility_id, period_start, period_end)
    listings = domain.board(found, thresholds)
    names = Department.objects.in_bulk({m.department_id for m in found})
    lines = {domain.HONOUR: [], domain.EXPOSURE: []}
    for listing in listings:
        lines[listing.board].append(
            Line(names[listing.department_id], listing.average, listing.inspections, listing.reason)
        )
    return Lists(
        honour=lines[domain.HONOUR], exposure=lines[domain.EXPOSURE],
        inspected=len({m.department_id for m in found}), inspections=len(found),
    )  # fmt: skip


def published(board: HygieneBoard) -> Lists:
    """The board's frozen entries, as published: never recomputed (best first, worst first)."""
    lines = {domain.HONOUR: [], domain.EXPOSURE: []}
    for entry in entries(board):
        lines[entry.listed_on].append(
            Line(entry.department, entry.average_score, entry.inspections, entry.reason)
        )
    honour = sorted(lines[domain.HONOUR], key=lambda line: (-line.average, line.department.name))
    exposure = sorted(lines[domain.EXPOSURE], key=lambda line: (line.average, line.department.name))
    return Lists(honour=honour, exposure=exposure, inspected=None, inspections=None)


def entries(board: HygieneBoard):
    return HygieneBoardEntry.objects.filter(board=board).select_related("department")
