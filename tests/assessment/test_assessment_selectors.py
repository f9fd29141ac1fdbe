"""Scores from records: which results and findings count, ranking, scoping, a constant number of queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import FacilityFactory
from factories_assessment import (
    TargetSchemeFactory,
    assessment_campaign,
    assessment_catalogue,
    assessment_finding,
    assessment_inspection,
)
from jiedu.assessment import domain, selectors
from jiedu.organisation.roles import Role
from jiedu.supervision.models import Campaign

pytestmark = pytest.mark.django_db
YEAR = 2022
D = Decimal


@pytest.fixture
def world(facility_a, facility_b):
    catalogue, standards = assessment_catalogue(standards=(10, 10, 10))
    campaign = assessment_campaign(facilities=[facility_a, facility_b], catalogue=catalogue, year=YEAR)
    return campaign, standards


def test_a_facility_is_scored_from_its_latest_completed_results_of_the_year(member, facility_a, world):
    campaign, (s1, s2, s3) = world
    assessment_inspection(campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 4, 1),
                          results=[(s1, "2"), (s2, "10"), (s3, None)])  # fmt: skip
    assessment_inspection(
        campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 9, 1), results=[(s1, "8")]
    )
    # Not counted: an inspection still in progress, another year's, a self-inspection campaign's.
    assessment_inspection(campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 10, 1),
                          results=[(s2, "0")], completed=False)  # fmt: skip
    next_year = assessment_campaign(facilities=[facility_a], catalogue=campaign.catalogue, year=YEAR + 1)
    assessment_inspection(
        campaign=next_year, facility=facility_a, on=datetime.date(YEAR + 1, 4, 1), results=[(s3, "0")]
    )
    own = assessment_campaign(
        facilities=[facility_a], catalogue=None, year=YEAR, kind=Campaign.Kind.SELF_INSPECTION
    )
    assessment_inspection(
        campaign=own, facility=facility_a, on=datetime.date(YEAR, 5, 1), results=[(s3, "0")]
    )
    bureau = member(Role.BUREAU_LEADER)
    row = selectors.facility_score(bureau, facility_a, YEAR)
    assert (row.score.earned, row.score.applicable) == (
        D("18"),
        D("20"),
    )  # s1 latest 8, s2 10, s3 not applicable
    assert row.score.inspection_part == D("63.00") and row.score.total == D("93.00")


def test_findings_of_the_year_cost_points_with_a_line_each(member, facility_a, world):
    campaign, (s1, _s2, _s3) = world
    assessment_inspection(
        campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 4, 1), results=[(s1, "10")]
    )
    overdue = assessment_finding(facility=facility_a, found_on=datetime.date(YEAR, 5, 1),
                                 deadline=datetime.date(YEAR, 12, 19), severity="serious", title="监控室值班记录不全")  # fmt: skip
    assessment_finding(facility=facility_a, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 6, 1),
                       status="closed", rectified_on=datetime.date(YEAR, 5, 20))  # on time  # fmt: skip
    assessment_finding(
        facility=facility_a, found_on=datetime.date(YEAR - 1, 5, 1), deadline=datetime.date(YEAR - 1, 6, 1)
    )
    row = selectors.facility_score(member(Role.BUREAU_LEADER), facility_a, YEAR)
    assert [(line.finding_id, line.points) for line in row.score.deductions] == [(overdue.pk, D("-2"))]
    assert "监控室值班记录不全" in row.score.deductions[0].text and "12" in row.score.deductions[0].text
    assert (row.score.rates.found, row.score.rates.rectified, row.score.rates.overdue) == (2, 1, 1)
    assert row.score.total == D("70.00") + D("28")


def test_the_stored_scheme_of_the_year_applies(member, facility_a, world):
    TargetSchemeFactory(year=YEAR, inspection_points=D("60"), open_general=D("3"))
    assessment_finding(
        facility=facility_a, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 12, 31)
    )
    ranking = selectors.scores(member(Role.BUREAU_LEADER), YEAR)
    row = next(r for r in ranking.rows if r.facility == facility_a)
    assert not ranking.scheme_is_default
    assert row.score.rectification_part == D("37") and row.score.not_inspected


def test_the_bureau_sees_every_facility_ranked_with_ties_sharing_a_rank(
    member, facility_a, facility_b, world
):
    campaign, (s1, _s2, _s3) = world
    third = FacilityFactory()
    for facility in (facility_a, facility_b):
        assessment_inspection(
            campaign=campaign, facility=facility, on=datetime.date(YEAR, 4, 1), results=[(s1, "9")]
        )
    ranking = selectors.scores(member(Role.BUREAU_SUPERVISOR), YEAR)
    assert ranking.ranked
    assert [(row.facility, row.rank) for row in ranking.rows] == [
        (facility_a, 1),
        (facility_b, 1),
        (third, 3),
    ]
    assert ranking.rows[-1].score.not_inspected


def test_a_facility_sees_only_its_own_score_without_a_rank(member, facility_a, facility_b, world):
    ranking = selectors.scores(member(Role.FACILITY_OFFICER, facility_a), YEAR)
    assert [row.facility for row in ranking.rows] == [facility_a]
    assert not ranking.ranked and ranking.rows[0].rank is None


def test_a_past_year_is_judged_on_its_last_day():
    assert selectors.judged_on(YEAR, datetime.date(2026, 11, 24)) == datetime.date(YEAR, 12, 31)
    assert selectors.judged_on(2026, datetime.date(2026, 11, 24)) == datetime.date(2026, 11, 24)


def _queries(user):
    with CaptureQueriesContext(connection) as captured:
        selectors.scores(user, YEAR)
    return len(captured)


def test_scores_take_the_same_number_of_queries_for_one_facility_or_many(member, facility_a, world):
    campaign, standards = world
    bureau = member(Role.BUREAU_LEADER)
    assessment_inspection(campaign=campaign, facility=facility_a, on=datetime.date(YEAR, 4, 1),
                          results=[(s, "5") for s in standards])  # fmt: skip
    assessment_finding(
        facility=facility_a, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 6, 1)
    )
    few = _queries(bureau)
    for _ in range(4):
        facility = FacilityFactory()
        campaign.facilities.add(facility)
        assessment_inspection(campaign=campaign, facility=facility, on=datetime.date(YEAR, 4, 2),
                              results=[(s, "7") for s in standards])  # fmt: skip
        for _n in range(3):
            assessment_finding(
                facility=facility, found_on=datetime.date(YEAR, 5, 1), deadline=datetime.date(YEAR, 6, 1)
            )
    bureau = member(Role.BUREAU_LEADER)  # a fresh user object: memberships are loaded again
    assert _queries(bureau) == few <= 5


def test_the_domain_rank_matches_the_rows(member, facility_a, facility_b, world):
    ranking = selectors.scores(member(Role.BUREAU_LEADER), YEAR)
    assert [row.rank for row in ranking.rows] == domain.rank([row.score for row in ranking.rows])
