"""Reading the year's target-management scores: every visible facility, in four queries.

Stable signatures (other apps may call them):

- ``scheme_for(year) -> TargetScheme`` (the stored scheme, else an unsaved one with the defaults);
- ``scores(user, year, *, as_of=None, facility_ids=None) -> Ranking``;
- ``facility_score(user, facility, year, *, as_of=None) -> Row``.

Scores are never stored: inspection results and findings are read with ``values()`` (one query
each, whatever the number of facilities) and scored by ``assessment.domain``. The year is judged
as of its last day, or today while it runs.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.utils import timezone

from jiedu.assessment import domain
from jiedu.assessment.models import TargetScheme
from jiedu.findings.models import Finding
from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope
from jiedu.supervision.models import Campaign, Inspection, InspectionResult

SCHEME_FIELDS = (
    "full_marks", "inspection_points", "open_general", "open_serious", "open_major", "overdue", "late_rectified",
)  # fmt: skip


def scheme_for(year: int) -> TargetScheme:
    scheme = TargetScheme.objects.filter(year=year).first()
    return scheme if scheme is not None else TargetScheme(year=year)


def as_domain(scheme: TargetScheme) -> domain.Scheme:
    return domain.Scheme(**{name: getattr(scheme, name) for name in SCHEME_FIELDS})


def judged_on(year: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return min(today, datetime.date(year, 12, 31))


def may_see_ranking(user) -> bool:
    """The ranking compares facilities: the bureau's (region-wide viewers) only."""
    return facility_scope(user, roles.VIEW_SUPERVISION) is ALL_FACILITIES


@dataclass(frozen=True)
class Row:
    facility: Facility
    score: domain.FacilityScore
    rank: int | None  # None for a viewer who does not see the ranking


@dataclass(frozen=True)
class Ranking:
    year: int
    as_of: datetime.date
    scheme: TargetScheme
    rows: list[Row]  # best first (facility code on ties)
    ranked: bool

    @property
    def scheme_is_default(self) -> bool:
        return self.scheme.pk is None


def _results(facility_ids, year: int) -> dict[int, list[domain.Result]]:
    rows = InspectionResult.objects.filter(
        facility_id__in=facility_ids,
        inspection__status=Inspection.Status.COMPLETED,
        inspection__campaign__kind=Campaign.Kind.STANDARDISATION,
        inspection__ends_on__year=year,
    ).values_list(
        "facility_id", "standard_id", "standard__max_points", "points", "inspection__ends_on", "inspection_id"
    )
    grouped = defaultdict(list)
    for facility_id, standard_id, max_points, points, day, inspection_id in rows:
        grouped[facility_id].append(domain.Result(standard_id, max_points, points, day, inspection_id))
    return grouped


def _findings(facility_ids, year: int) -> dict[int, list[domain.FindingFact]]:
    rows = Finding.objects.filter(facility_id__in=facility_ids, found_on__year=year).values_list(
        "facility_id", "pk", "title", "severity", "status", "found_on", "deadline", "rectified_on"
    )
    grouped = defaultdict(list)
    for facility_id, *facts in rows:
        grouped[facility_id].append(domain.FindingFact(*facts))
    return grouped


def scores(user, year: int, *, as_of: datetime.date | None = None, facility_ids=None) -> Ranking:
    """Every facility the user may see (narrowed to ``facility_ids``), scored and, for the bureau, ranked."""
    as_of = as_of or judged_on(year)
    scheme = scheme_for(year)
    facilities = Facility.objects.visible_to(user, action=roles.VIEW_SUPERVISION).order_by("code")
    if facility_ids is not None:
        facilities = facilities.filter(pk__in=list(facility_ids))
    facilities = list(facilities)
    ids = [f.pk for f in facilities]
    results, findings = _results(ids, year), _findings(ids, year)
    rules = as_domain(scheme)
    scored = [
        (f, domain.score_facility(rules, results.get(f.pk, ()), findings.get(f.pk, ()), as_of))
        for f in facilities
    ]
    ranked = may_see_ranking(user)
    places = domain.rank([score for _f, score in scored]) if ranked else [None] * len(scored)
    rows = [Row(f, score, place) for (f, score), place in zip(scored, places, strict=True)]
    rows.sort(key=lambda row: (-row.score.total, row.facility.code))
    return Ranking(year=year, as_of=as_of, scheme=scheme, rows=rows, ranked=ranked)


def facility_score(user, facility: Facility, year: int, *, as_of: datetime.date | None = None) -> Row:
    """One facility's score (``facility`` already visible); its rank among all when the user sees the ranking."""
    if may_see_ranking(user):
        ranking = scores(user, year, as_of=as_of)
        return next(row for row in ranking.rows if row.facility.pk == facility.pk)
    return scores(user, year, as_of=as_of, facility_ids=[facility.pk]).rows[0]


def years(today: datetime.date | None = None) -> list[int]:
    """Years to offer: those with a scheme, a standardisation campaign or a finding, and this year."""
    today = today or timezone.localdate()
    found = set(TargetScheme.objects.values_list("year", flat=True))
    found |= {
        d.year for d in Campaign.objects.filter(kind=Campaign.Kind.STANDARDISATION).dates("starts_on", "year")
    }
    found.add(today.year)
    return sorted(found, reverse=True)
