"""What the database refuses by itself, on SQLite and PostgreSQL alike."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from factories_supervision import (
    CampaignFactory,
    InspectionFactory,
    InspectionResultFactory,
    SupervisionStandardFactory,
    TeamFactory,
    VideoSessionFactory,
)


def _refused(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


@pytest.mark.django_db
def test_a_standardisation_campaign_needs_a_catalogue_and_a_facility_runs_only_self_inspections(facility_a):
    _refused(CampaignFactory, kind="standardisation", catalogue=None)
    _refused(CampaignFactory, facility=facility_a, kind="standardisation")
    _refused(CampaignFactory, starts_on=datetime.date(2026, 5, 1), ends_on=datetime.date(2026, 4, 1))


@pytest.mark.django_db
def test_team_names_are_unique_per_campaign():
    team = TeamFactory()
    _refused(TeamFactory, campaign=team.campaign, name=team.name)


@pytest.mark.django_db
def test_an_inspection_uses_a_method_and_is_stamped_when_completed(facility_a):
    _refused(
        InspectionFactory, facility=facility_a, by_site_check=False, by_ledger_review=False, by_video_patrol=False,
        by_talks=False,
    )  # fmt: skip
    _refused(InspectionFactory, facility=facility_a, status="completed")
    _refused(InspectionFactory, facility=facility_a, status="postponed")


@pytest.mark.django_db
def test_points_are_given_exactly_when_the_standard_applies(facility_a):
    _refused(InspectionResultFactory, facility=facility_a, verdict="not_applicable", points=Decimal("1"))
    _refused(InspectionResultFactory, facility=facility_a, verdict="met", points=None)
    _refused(InspectionResultFactory, facility=facility_a, verdict="partly", points=Decimal("-1"))


@pytest.mark.django_db
def test_one_result_per_standard_and_inspection(facility_a):
    result = InspectionResultFactory(facility=facility_a)
    _refused(InspectionResultFactory, facility=facility_a, inspection=result.inspection, standard=result.standard)
    other = SupervisionStandardFactory(catalogue=result.inspection.campaign.catalogue)
    assert InspectionResultFactory(facility=facility_a, inspection=result.inspection, standard=other).pk


@pytest.mark.django_db
def test_a_video_session_ends_after_it_starts_and_says_what_was_watched(facility_a):
    start = datetime.datetime(2026, 4, 1, 1, tzinfo=datetime.UTC)
    _refused(VideoSessionFactory, facility=facility_a, started_at=start, ended_at=start)
    _refused(VideoSessionFactory, facility=facility_a, areas_watched="")
