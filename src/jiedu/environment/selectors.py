"""Reads for the checklist, the compliance page, the ledger and the leaders' panels.

Every read starts from ``visible_to(user)``. A day is a local day (Asia/Shanghai); its
requirement is the policy in force that day (``PolicyBook``), its areas those key that day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from jiedu.common.localtime import local_day_bounds
from jiedu.environment import domain
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.epidemic.selectors import PolicyBook
from jiedu.organisation import roles
from jiedu.organisation.models import Facility

# Disinfections looked at to find the agent an area was last disinfected with (about ten days).
RECENT_DISINFECTIONS = 300


def _with_counts(areas, day: datetime.date):
    """Areas annotated with the ventilations and disinfections that count on ``day``: one query.

    Each count is a subquery over the day's records of the area's facility, so the database reads
    that day through the facility/time index rather than the area's whole history.
    """
    start, end = local_day_bounds(day)
    todays = EnvironmentRecord.objects.effective().filter(
        facility_id=OuterRef("facility_id"), area_id=OuterRef("pk"), performed_at__gte=start, performed_at__lt=end
    )

    def count(kind):
        counted = todays.filter(kind=kind).order_by().values("area_id").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return areas.key_on(day).annotate(
        ventilations_done=count(domain.VENTILATION), disinfections_done=count(domain.DISINFECTION)
    )


def _counts(areas) -> dict[tuple[int, str], int]:
    counts = {}
    for area in areas:
        counts[(area.pk, domain.VENTILATION)] = area.ventilations_done
        counts[(area.pk, domain.DISINFECTION)] = area.disinfections_done
    return counts


def _time_of_day(day: datetime.date, now: datetime.datetime) -> datetime.time:
    """How far into ``day`` we are: all of a past day, none of a future one."""
    local = timezone.localtime(now)
    if day < local.date():
        return datetime.time.max
    if day > local.date():
        return datetime.time.min
    return local.time()


@dataclass
class AreaStatus:
    area: KeyArea
    day: domain.AreaDay
    behind: dict[str, domain.Behind] = field(default_factory=dict)  # kind -> how far behind
    last_at: dict[str, datetime.datetime] = field(default_factory=dict)  # kind -> last time today
    latest: EnvironmentRecord | None = None  # today's latest record that counts (the one to undo)
    last_agent: str = ""
    last_concentration: str = ""

    @property
    def is_behind(self) -> bool:
        return bool(self.behind)


@dataclass
class DayReport:
    facility: Facility
    day: datetime.date
    requirement: domain.Requirement
    compliance: domain.FacilityDay
    areas: list[AreaStatus]

    @property
    def behind_count(self) -> int:
        return sum(1 for status in self.areas if status.is_behind)


def day_report(
    user,
    facility: Facility,
    day: datetime.date,
    *,
    now: datetime.datetime | None = None,
    window: domain.DayWindow = domain.DEFAULT_WINDOW,
) -> DayReport:
    """Per-area and facility compliance for ``day``, with who is behind schedule at ``now``."""
    now = now or timezone.now()
    requirement = domain.Requirement.from_policy(PolicyBook([facility.pk]).policy(facility.pk, day))
    areas = list(
        _with_counts(KeyArea.objects.visible_to(user).filter(facility=facility), day)
        .select_related("zone")
        .order_by("name")
    )
    counts = _counts(areas)
    compliance = domain.day_compliance([a.pk for a in areas], counts, requirement)
    behind = domain.behind_schedule(
        [a.pk for a in areas], counts, requirement, _time_of_day(day, now), window
    )
    statuses = [
        AreaStatus(area=area, day=area_day) for area, area_day in zip(areas, compliance.areas, strict=True)
    ]
    by_area = {status.area.pk: status for status in statuses}
    for late in behind:
        by_area[late.area_id].behind[late.kind] = late
    return DayReport(
        facility=facility, day=day, requirement=requirement, compliance=compliance, areas=statuses
    )


def today_board(user, facility: Facility, *, now: datetime.datetime | None = None) -> DayReport:
    """The checklist: today's report plus, per area, the last time of each kind, the latest record
    and the agent it was last disinfected with."""
    now = now or timezone.now()
    report = day_report(user, facility, timezone.localdate(now), now=now)
    by_area = {status.area.pk: status for status in report.areas}
    start, end = local_day_bounds(report.day)
    records = EnvironmentRecord.objects.visible_to(user).effective().filter(facility=facility)
    todays = records.filter(performed_at__gte=start, performed_at__lt=end).select_related("performed_by")
    for row in todays.order_by("performed_at", "id"):
        status = by_area.get(row.area_id)
        if status is not None:
            status.last_at[row.kind] = row.performed_at
            status.latest = row
    _fill_last_agents(records, report.areas)
    return report


def _fill_last_agents(records, statuses: list[AreaStatus]) -> None:
    """The agent and concentration each area was last disinfected with; else the facility's last."""
    recent = records.filter(kind=domain.DISINFECTION).order_by("-performed_at", "-id")
    last_by_area: dict[int, tuple[str, str]] = {}
    facility_last = None
    for area_id, agent, concentration in recent.values_list("area_id", "agent", "concentration")[
        :RECENT_DISINFECTIONS
    ]:
        facility_last = facility_last or (agent, concentration)
        last_by_area.setdefault(area_id, (agent, concentration))
    for status in statuses:
        agent, concentration = last_by_area.get(status.area.pk, facility_last or ("", ""))
        status.last_agent, status.last_concentration = agent, concentration


def compliance_trend(user, facility: Facility, *, last_day: datetime.date, days: int) -> list[dict]:
    """Facility compliance per day for ``days`` days up to ``last_day``: three queries in all."""
    first_day = last_day - datetime.timedelta(days=days - 1)
    book = PolicyBook([facility.pk])
    areas = list(
        KeyArea.objects.visible_to(user)
        .filter(facility=facility, key_since__lte=last_day)
        .filter(Q(key_until__isnull=True) | Q(key_until__gt=first_day))
        .values_list("pk", "key_since", "key_until")
    )
    start, _ = local_day_bounds(first_day)
    _, end = local_day_bounds(last_day)
    counts: dict[datetime.date, dict[tuple[int, str], int]] = {}
    records = (
        EnvironmentRecord.objects.visible_to(user)
        .effective()
        .filter(facility=facility, performed_at__gte=start, performed_at__lt=end)
    )
    for area_id, kind, at in records.values_list("area_id", "kind", "performed_at"):
        day_counts = counts.setdefault(timezone.localdate(at), {})
        day_counts[(area_id, kind)] = day_counts.get((area_id, kind), 0) + 1
    trend = []
    for offset in range(days):
        day = first_day + datetime.timedelta(days=offset)
        key_ids = [pk for pk, since, until in areas if domain.is_key_on(since, until, day)]
        requirement = domain.Requirement.from_policy(book.policy(facility.pk, day))
        result = domain.day_compliance(key_ids, counts.get(day, {}), requirement)
        trend.append({"day": day, "ventilation": result.ventilation, "disinfection": result.disinfection})
    return trend


def compliance_by_facility(
    user,
    day: datetime.date,
    *,
    now: datetime.datetime | None = None,
    window: domain.DayWindow = domain.DEFAULT_WINDOW,
) -> dict[int, dict]:
    """Ventilation and disinfection compliance of every facility the user may see, for ``day``.

    ``{facility_id: {"ventilation": rate, "disinfection": rate, "overdue_areas": n}}``; rates are
    floats in [0, 1] (1 when nothing was required), ``overdue_areas`` counts key areas behind
    schedule at ``now`` (for a past day: every area that missed anything). Facilities without key
    areas that day are listed with rates 1 and no overdue areas. Three queries, whatever the number
    of facilities: the visible facilities, their key areas with the day's counts, the policy rows.
    """
    now = now or timezone.now()
    at = _time_of_day(day, now)
    facility_ids = list(
        Facility.objects.visible_to(user, action=roles.VIEW_EPIDEMIC).values_list("pk", flat=True)
    )
    areas_by_facility: dict[int, list] = {facility_id: [] for facility_id in facility_ids}
    for area in _with_counts(KeyArea.objects.visible_to(user).filter(facility_id__in=facility_ids), day):
        areas_by_facility[area.facility_id].append(area)
    book = PolicyBook(facility_ids)
    result = {}
    for facility_id, areas in areas_by_facility.items():
        requirement = domain.Requirement.from_policy(book.policy(facility_id, day))
        counts = _counts(areas)
        area_ids = [a.pk for a in areas]
        compliance = domain.day_compliance(area_ids, counts, requirement)
        behind = domain.behind_schedule(area_ids, counts, requirement, at, window)
        result[facility_id] = {
            "ventilation": compliance.ventilation.rate,
            "disinfection": compliance.disinfection.rate,
            "overdue_areas": len({late.area_id for late in behind}),
        }
    return result


def ledger(user, *, facility_ids=None, area=None, kind="", date_from=None, date_to=None):
    """Every record, corrections and retractions included, newest first, for the log and export."""
    rows = EnvironmentRecord.objects.visible_to(user).select_related(
        "facility", "area", "area__zone", "performed_by", "corrects", "correction"
    )
    if facility_ids:
        rows = rows.filter(facility_id__in=facility_ids)
    if area is not None:
        rows = rows.filter(area=area)
    if kind:
        rows = rows.filter(kind=kind)
    if date_from:
        rows = rows.filter(performed_at__gte=local_day_bounds(date_from)[0])
    if date_to:
        rows = rows.filter(performed_at__lt=local_day_bounds(date_to)[1])
    return rows.order_by("-performed_at", "-id")
