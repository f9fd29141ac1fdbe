"""Fixtures for the supervision tests: a small published catalogue, bureau people and a campaign."""

import datetime
from decimal import Decimal

import pytest

from factories_supervision import (
    CampaignFactory,
    SupervisionAreaFactory,
    SupervisionCatalogueFactory,
    SupervisionStandardFactory,
)
from jiedu.organisation.roles import Role
from jiedu.supervision import services


@pytest.fixture
def catalogue(db):
    """Two areas (基本模式, 教育矫正) of two standards each: 10 + 5 and 10 + 5 points."""
    version = SupervisionCatalogueFactory()
    for position, name in enumerate(("基本模式", "教育矫正"), start=1):
        area = SupervisionAreaFactory(catalogue=version, code=f"A{position}", name=name, position=position)
        SupervisionStandardFactory(catalogue=version, area=area, code=f"{position}.1", max_points=Decimal("10"))
        SupervisionStandardFactory(catalogue=version, area=area, code=f"{position}.2", max_points=Decimal("5"))
    return version


@pytest.fixture
def standards(catalogue):
    return list(catalogue.standards.order_by("code"))


@pytest.fixture
def bureau_leader(member):
    return member(Role.BUREAU_LEADER, username="zhang_leader")


@pytest.fixture
def supervisor(member):
    return member(Role.BUREAU_SUPERVISOR, username="wu_supervisor")


@pytest.fixture
def campaign(catalogue, facility_a, facility_b, supervisor):
    return services.create_campaign(
        actor=supervisor, name="2026年规范化建设督导", kind="standardisation", catalogue=catalogue,
        starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 11, 30), facilities=[facility_a, facility_b],
    )  # fmt: skip


@pytest.fixture
def team(campaign, bureau_leader, supervisor, member):
    second = member(Role.BUREAU_SUPERVISOR, username="chen_supervisor")
    return services.add_team(
        actor=supervisor, campaign=campaign, name="第一现场督导组", kind="on_site", leader=bureau_leader,
        members=[supervisor, second],
    )  # fmt: skip


@pytest.fixture
def inspection(campaign, team, facility_a, supervisor):
    """An inspection of facility A by the on-site team, started, using all four methods."""
    planned = services.plan_inspection(
        actor=supervisor, campaign=campaign, facility=facility_a, team=team, starts_on=datetime.date(2026, 4, 1),
        ends_on=datetime.date(2026, 4, 2), methods=["site_check", "ledger_review", "video_patrol", "talk"],
    )  # fmt: skip
    return services.start_inspection(actor=supervisor, inspection=planned)


@pytest.fixture
def self_campaign(facility_a, facility_b, supervisor):
    return CampaignFactory(
        name="对照十一个严禁自查自纠", kind="self_inspection", catalogue=None, basis="十一个严禁",
        facilities=[facility_a, facility_b],
    )  # fmt: skip
