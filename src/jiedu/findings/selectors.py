"""Reading findings: filtered lists, the rectification figures and rates, overdue lists, campaign progress.

Every function starts from ``visible_to(user)``, reads with ``values()`` queries (a fixed number,
whatever the number of findings) and computes the figures with ``findings.rates``: nothing is stored.

Stable signatures (the bureau panel calls them):

- ``rates_by_facility(user, *, campaign=None, start=None, end=None, as_of) -> RateTable``
- ``rates_by_area(...)``, ``rates_by_team(...)``, ``rates_by_month(...)``: the same arguments;
- ``overdue_findings(user, as_of, *, facility_ids=None) -> list[OverdueLine]``
- ``campaign_progress(user, campaign, as_of) -> CampaignProgress``
- ``figures(queryset, as_of) -> rates.Rates`` for any visible finding queryset.

``start``/``end`` bound the day found (inclusive); ``as_of`` is the day overdue is judged on.
A ``RateTable`` lists every group even when it has no finding: every visible facility (of the
campaign, when one is given), every area of the campaign's catalogue, every team of the campaign,
every month of the period; findings outside any group (no standard, no team) form a last row.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.findings import domain, rates
from jiedu.findings.models import Finding, RectificationMeasure
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.scoping import ALL_FACILITIES, can, facility_scope
from jiedu.standards.models import Area
from jiedu.supervision.models import Inspection, Team

FACTS = ("status", "deadline", "rectified_on")
OPEN_STATUSES = (domain.OPEN, domain.RECTIFYING, domain.SUBMITTED)
NO_GROUP = None


def findings(
    user, *, facility_ids: Iterable[int] | None = None, campaign=None, status: str = "", severity: str = "",
    origin: str = "", area=None, team=None, overdue_only: bool = False, start: datetime.date | None = None,
    end: datetime.date | None = None, as_of: datetime.date | None = None, q: str = "",
):  # fmt: skip
    """Visible findings, newest first, filtered; rows carry what the list and the export show."""
    rows = Finding.objects.visible_to(user).select_related(
        "facility", "campaign", "inspection__team", "standard__area", "responsible_department",
        "responsible_staff",
    )  # fmt: skip
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=list(facility_ids))
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if status:
        rows = rows.filter(status=status)
    if severity:
        rows = rows.filter(severity=severity)
    if origin:
        rows = rows.filter(origin=origin)
    if area is not None:
        rows = rows.filter(standard__area=area)
    if team is not None:
        rows = rows.filter(inspection__team=team)
    if start is not None:
        rows = rows.filter(found_on__gte=start)
    if end is not None:
        rows = rows.filter(found_on__lte=end)
    if overdue_only:
        rows = overdue(rows, as_of or timezone.localdate())
    if q:
        rows = rows.filter(Q(title__icontains=q) | Q(description__icontains=q))
    return rows


def overdue(queryset, as_of: datetime.date):
    """Past the deadline, neither rectified nor withdrawn (``rates.is_overdue`` as a filter)."""
    return queryset.filter(status__in=OPEN_STATUSES, deadline__lt=as_of)


def _facts(row: dict) -> rates.FindingFacts:
    return rates.FindingFacts(
        status=row["status"], deadline=row["deadline"], rectified_on=row["rectified_on"]
    )


def figures(queryset, as_of: datetime.date) -> rates.Rates:
    """Found · rectified · on time · overdue of a finding queryset, in one query."""
    return rates.rates((_facts(row) for row in queryset.order_by().values(*FACTS)), as_of)


@dataclass(frozen=True)
class RateRow:
    key: Hashable  # a facility, area or team id, the first day of a month, or None (no group)
    label: str
    rates: rates.Rates


@dataclass(frozen=True)
class RateTable:
    by: str
    rows: list[RateRow]
    total: rates.Rates


def _base(user, campaign, start, end):
    return findings(user, campaign=campaign, start=start, end=end).order_by()


def _table(by, groups: list[tuple[Hashable, str]], rows: Iterable[tuple[Hashable, dict]], as_of, none_label):
    """Rates per group in the order of ``groups``; findings of unknown groups follow, then the no-group row."""
    rows = list(rows)
    by_key = rates.rates_by(
        ((key, _facts(row)) for key, row in rows), as_of, keys=[key for key, _label in groups]
    )
    labels = dict(groups)
    listed = [RateRow(key, label, by_key[key]) for key, label in groups]
    extra = [key for key in by_key if key not in labels and key is not NO_GROUP]
    listed += [RateRow(key, str(key), by_key[key]) for key in extra]
    if NO_GROUP in by_key and NO_GROUP not in labels:
        listed.append(RateRow(NO_GROUP, none_label, by_key[NO_GROUP]))
    return RateTable(by=by, rows=listed, total=rates.total(by_key.values()))


def rates_by_facility(user, *, campaign=None, start=None, end=None, as_of: datetime.date) -> RateTable:
    facilities = Facility.objects.visible_to(user, roles.VIEW_SUPERVISION).order_by("code")
    if campaign is not None:
        facilities = facilities.filter(pk__in=campaign.facilities.values("pk"))
    groups = list(facilities.values_list("pk", "short_name"))
    rows = (
        (row["facility_id"], row) for row in _base(user, campaign, start, end).values("facility_id", *FACTS)
    )
    return _table("facility", groups, rows, as_of, "")


def rates_by_area(user, *, campaign=None, start=None, end=None, as_of: datetime.date) -> RateTable:
    found = list(_base(user, campaign, start, end).values("standard__area_id", *FACTS))
    areas = Area.objects.order_by("catalogue_id", "position", "code")
    if campaign is not None and campaign.catalogue_id is not None:
        areas = areas.filter(catalogue_id=campaign.catalogue_id)
    else:
        areas = areas.filter(pk__in={row["standard__area_id"] for row in found if row["standard__area_id"]})
    groups = [(pk, f"{code} {name}") for pk, code, name in areas.values_list("pk", "code", "name")]
    rows = ((row["standard__area_id"], row) for row in found)
    return _table("area", groups, rows, as_of, _("Not linked to a standard"))


def rates_by_team(user, *, campaign=None, start=None, end=None, as_of: datetime.date) -> RateTable:
    found = list(_base(user, campaign, start, end).values("inspection__team_id", *FACTS))
    teams = Team.objects.order_by("campaign_id", "kind", "id")  # on-site teams first, as set up
    if campaign is not None:
        teams = teams.filter(campaign=campaign)
    else:
        teams = teams.filter(
            pk__in={row["inspection__team_id"] for row in found if row["inspection__team_id"]}
        )
    groups = list(teams.values_list("pk", "name"))
    rows = ((row["inspection__team_id"], row) for row in found)
    return _table("team", groups, rows, as_of, _("Self-inspection or self-identified"))


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from ``first``'s to ``last``'s, inclusive."""
    listed, month = [], _month(first)
    while month <= last:
        listed.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return listed


def rates_by_month(user, *, campaign=None, start=None, end=None, as_of: datetime.date) -> RateTable:
    """By the month found; every month of the period (the campaign's, up to ``as_of``) is listed."""
    found = list(_base(user, campaign, start, end).values("found_on", *FACTS))
    days = [row["found_on"] for row in found]
    first = start or (campaign.starts_on if campaign is not None else None)
    last = end or (min(campaign.ends_on, as_of) if campaign is not None else None)
    if days:
        first, last = min([first or min(days), *days]), max([last or max(days), *days])
    groups = [(m, f"{m:%Y-%m}") for m in months(first, last)] if first and last else []
    rows = ((_month(row["found_on"]), row) for row in found)
    return _table("month", groups, rows, as_of, "")


RATE_TABLES = {
    "facility": rates_by_facility,
    "area": rates_by_area,
    "team": rates_by_team,
    "month": rates_by_month,
}


@dataclass(frozen=True)
class OverdueLine:
    finding: Finding
    days_overdue: int


def overdue_findings(
    user, as_of: datetime.date, *, facility_ids: Iterable[int] | None = None
) -> list[OverdueLine]:
    """Every visible overdue finding, the longest overdue first, with the days past its deadline."""
    rows = overdue(findings(user, facility_ids=facility_ids), as_of).order_by(
        "deadline", "facility__code", "id"
    )
    return [OverdueLine(finding, (as_of - finding.deadline).days) for finding in rows]


@dataclass(frozen=True)
class CampaignProgress:
    campaign: object
    facilities: int  # visible facilities in the campaign's scope
    facilities_inspected: int  # …with at least one completed inspection
    inspections: dict[str, int] = field(default_factory=dict)  # inspection status → count
    findings: rates.Rates = rates.Rates(0, 0, 0, 0)
    statuses: dict[str, int] = field(default_factory=dict)  # finding status → count (withdrawn included)
    measures: int = 0

    @property
    def inspections_total(self) -> int:
        return sum(self.inspections.values())


def campaign_progress(user, campaign, as_of: datetime.date) -> CampaignProgress:
    """Where a campaign stands for ``user``: inspections done, findings found, rectified, overdue."""
    facilities = Facility.objects.visible_to(user, roles.VIEW_SUPERVISION).filter(
        pk__in=campaign.facilities.values("pk")
    )
    inspections = Inspection.objects.visible_to(user).filter(campaign=campaign).order_by()
    by_status = dict(inspections.values_list("status").annotate(n=Count("id")))
    inspected = (
        inspections.filter(status=Inspection.Status.COMPLETED).values("facility_id").distinct().count()
    )
    found = list(findings(user, campaign=campaign).order_by().values(*FACTS))
    statuses = Counter(row["status"] for row in found)
    measures = RectificationMeasure.objects.visible_to(user).filter(campaign=campaign).count()
    return CampaignProgress(
        campaign=campaign, facilities=facilities.count(), facilities_inspected=inspected, inspections=by_status,
        findings=rates.rates((_facts(row) for row in found), as_of), statuses=dict(statuses), measures=measures,
    )  # fmt: skip


def measures(user, *, campaign=None, facility_ids: Iterable[int] | None = None):
    rows = (
        RectificationMeasure.objects.visible_to(user)
        .select_related("facility", "campaign", "responsible_department")
        .prefetch_related("findings")
    )
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if facility_ids is not None:
        rows = rows.filter(facility_id__in=list(facility_ids))
    return rows


def timeline(finding: Finding):
    """The finding's steps, oldest first, with who took them and the evidence given."""
    return finding.events.select_related("actor").prefetch_related("evidence").order_by("at", "id")


def available_steps(user, finding: Finding) -> list[str]:
    """The steps ``user`` may take on ``finding`` now: its state, their permission, the actor rules."""
    from jiedu.findings.services import STEP_PERMISSIONS

    listed = []
    for action in domain.possible_actions(finding.status):
        permission = STEP_PERMISSIONS.get(action)
        if permission is None or not can(user, permission, finding.facility_id):
            continue
        actor = domain.Actor(user_id=user.pk, is_bureau=facility_scope(user, permission) is ALL_FACILITIES)
        try:
            if action in domain.VERIFIER_SIDE:
                domain.check_verifier(
                    origin=finding.origin, actor=actor, responsible_user_id=finding.responsible_user_id,
                    submitter_id=finding.submitted_by_id,
                )  # fmt: skip
            elif action in domain.DECIDER_SIDE:
                domain.check_authority(origin=finding.origin, actor=actor)
        except domain.RuleBroken:
            continue
        listed.append(action)
    return listed
