"""Reading campaigns, inspections and their scores, narrowed to what the user may see.

For other apps and the bureau panel:
- ``campaigns(user)``, ``inspections(user, *, campaign=None, facility=None, status=None)``;
- ``campaign_progress(user, campaign) -> CampaignProgress``: facilities inspected / in scope and
  inspections by status, with one row per visible facility in scope;
- ``team_workload(user, campaign) -> list[TeamLoad]``: inspections, facility-days, results and
  findings per team;
- ``inspection_scores(inspection) -> ScoreSheet``: earned / applicable maximum per area and in total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from jiedu.findings.models import Finding
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.standards.models import Area, Standard
from jiedu.supervision import domain
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team

STATUSES = tuple(Inspection.Status.values)
METHOD_LABELS = {
    domain.SITE_CHECK: _("On-site check"),
    domain.LEDGER_REVIEW: _("Ledger review"),
    domain.VIDEO_PATROL: _("Video patrol"),
    domain.TALK: _("Individual talks"),
}


def method_labels(inspection: Inspection) -> list[str]:
    flags = {name: getattr(inspection, name) for name in domain.METHOD_FIELDS.values()}
    return [str(METHOD_LABELS[code]) for code in domain.methods_of(flags)]


def campaigns(user):
    return Campaign.objects.visible_to(user).select_related("catalogue", "facility")


def inspections(user, *, campaign=None, facility=None, status=None, team=None):
    rows = Inspection.objects.visible_to(user).select_related("campaign", "facility", "team", "team__leader")
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if facility is not None:
        rows = rows.filter(facility=facility)
    if status:
        rows = rows.filter(status=status)
    if team is not None:
        rows = rows.filter(team=team)
    return rows


@dataclass
class FacilityProgress:
    facility: Facility
    inspections: list = field(default_factory=list)

    @property
    def inspected(self) -> bool:
        return any(i.status == Inspection.Status.COMPLETED for i in self.inspections)


@dataclass
class CampaignProgress:
    rows: list[FacilityProgress]
    by_status: dict[str, int]

    @property
    def in_scope(self) -> int:
        return len(self.rows)

    @property
    def inspected(self) -> int:
        return sum(1 for row in self.rows if row.inspected)

    @property
    def percent(self) -> int:
        return int(self.inspected * 100 / self.in_scope) if self.in_scope else 0

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        return [(value, label, self.by_status.get(value, 0)) for value, label in Inspection.Status.choices]


def campaign_progress(user, campaign: Campaign) -> CampaignProgress:
    """Facilities inspected (a completed inspection) over facilities in scope, and inspections by status."""
    return campaigns_progress(user, [campaign])[0]


def campaigns_progress(user, campaigns) -> list[CampaignProgress]:
    """``campaign_progress`` of each campaign, read with two queries however many campaigns there are."""
    campaigns = list(campaigns)
    visible = Facility.objects.visible_to(user, roles.VIEW_SUPERVISION).order_by("code")
    prefetch_related_objects(
        campaigns, Prefetch("facilities", queryset=visible, to_attr="_visible_facilities")
    )
    rows = {c.pk: {f.pk: FacilityProgress(f) for f in c._visible_facilities} for c in campaigns}
    found = inspections(user).filter(campaign__in=campaigns).order_by("starts_on", "id")
    for inspection in found:
        own = rows[inspection.campaign_id].get(inspection.facility_id)
        if own is not None:
            own.inspections.append(inspection)
    progress = []
    for campaign in campaigns:
        counts = Counter(i.status for row in rows[campaign.pk].values() for i in row.inspections)
        progress.append(
            CampaignProgress(
                rows=list(rows[campaign.pk].values()), by_status={s: counts.get(s, 0) for s in STATUSES}
            )
        )
    return progress


@dataclass
class TeamLoad:
    team: Team
    inspections: int = 0
    completed: int = 0
    facility_days: int = 0
    results: int = 0
    findings: int = 0
    facilities: set = field(default_factory=set)


def team_workload(user, campaign: Campaign) -> list[TeamLoad]:
    """Per team of the campaign, over the inspections the user may see: how much each has done.

    Facility-days add up the days of each inspection (a two-day visit to one facility: 2); findings
    are those recorded during the team's inspections, withdrawn ones left out.
    """
    teams = Team.objects.visible_to(user).filter(campaign=campaign).select_related("leader").order_by("id")
    loads = {team.pk: TeamLoad(team) for team in teams.prefetch_related("members")}
    visible = Inspection.objects.visible_to(user).filter(campaign=campaign, team__isnull=False)
    for team_id, facility_id, status, starts_on, ends_on in visible.values_list(
        "team_id", "facility_id", "status", "starts_on", "ends_on"
    ):
        load = loads[team_id]
        load.inspections += 1
        load.completed += status == Inspection.Status.COMPLETED
        load.facility_days += (ends_on - starts_on).days + 1
        load.facilities.add(facility_id)
    results = (
        InspectionResult.objects.visible_to(user)
        .filter(inspection__campaign=campaign, inspection__team__isnull=False)
        .values("inspection__team")
        .annotate(n=Count("id"))
    )
    for row in results:
        loads[row["inspection__team"]].results = row["n"]
    findings = (
        Finding.objects.visible_to(user)
        .filter(inspection__team__campaign=campaign)
        .exclude(status=Finding.Status.WITHDRAWN)
        .values("inspection__team")
        .annotate(n=Count("id"))
    )
    for row in findings:
        loads[row["inspection__team"]].findings = row["n"]
    return list(loads.values())


@dataclass
class AreaSheet:
    area: Area
    score: domain.Score
    lines: list = field(default_factory=list)  # (standard, result or None)

    @property
    def judged(self) -> int:
        return sum(1 for _standard, result in self.lines if result is not None)


@dataclass
class ScoreSheet:
    areas: list[AreaSheet]
    total: domain.Score

    def area(self, area_id: int) -> AreaSheet | None:
        return next((sheet for sheet in self.areas if sheet.area.pk == area_id), None)


def inspection_scores(inspection: Inspection, *, with_standards: bool = True) -> ScoreSheet:
    """Earned / applicable maximum by area of the campaign's catalogue, and the total.

    ``with_standards``: list every standard with its result (the entry page); else only the areas.
    """
    catalogue_id = inspection.campaign.catalogue_id
    results = list(inspection.results.select_related("standard", "recorded_by"))
    facts = [
        domain.ResultFacts(r.standard.area_id, r.verdict, r.points, r.standard.max_points) for r in results
    ]
    scores = domain.scores_by_area(facts)
    if catalogue_id is None:
        return ScoreSheet(areas=[], total=domain.total(scores.values()))
    sheets = {
        area.pk: AreaSheet(area, scores.get(area.pk, domain.Score()))
        for area in Area.objects.filter(catalogue_id=catalogue_id).order_by("position", "code")
    }
    if with_standards:
        by_standard = {r.standard_id: r for r in results}
        catalogue_standards = Standard.objects.filter(catalogue_id=catalogue_id)
        for standard in catalogue_standards.order_by("area__position", "position", "code"):
            sheets[standard.area_id].lines.append((standard, by_standard.get(standard.pk)))
    return ScoreSheet(areas=list(sheets.values()), total=domain.total(scores.values()))


def shortfalls(inspection: Inspection) -> list[InspectionResult]:
    """Standards partly or not met, with their notes, in catalogue order."""
    return list(
        inspection.results.filter(verdict__in=[domain.PARTLY, domain.NOT_MET])
        .select_related("standard", "standard__area")
        .order_by("standard__area__position", "standard__position", "standard__code")
    )


def inspection_findings(user, inspection: Inspection):
    return (
        Finding.objects.visible_to(user)
        .filter(inspection=inspection)
        .select_related("standard", "responsible_department")
        .order_by("found_on", "id")
    )


def people_of(team: Team | None) -> list:
    if team is None:
        return []
    return [team.leader, *team.members.order_by("username")]
