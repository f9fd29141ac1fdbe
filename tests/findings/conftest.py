"""A small region for findings tests: two facilities, a campaign with a catalogue, a team inspecting
facility A, and one login per role that takes part in rectification."""

from types import SimpleNamespace

import pytest
from findings_helpers import record

from factories_findings import make_campaign, make_inspection, make_team, responsible
from jiedu.organisation.roles import Role
from jiedu.standards.models import Standard


@pytest.fixture
def world(member, facility_a, facility_b):
    supervisor = member(Role.BUREAU_SUPERVISOR)
    bureau_leader = member(Role.BUREAU_LEADER)
    campaign = make_campaign(facilities=[facility_a, facility_b])
    team = make_team(campaign, leader=bureau_leader, name="第一现场督导组")
    inspection = make_inspection(campaign=campaign, facility=facility_a, team=team)
    department, staff = responsible(facility_a)
    return SimpleNamespace(
        a=facility_a, b=facility_b, campaign=campaign, team=team, inspection=inspection,
        standard=Standard.objects.filter(catalogue=campaign.catalogue).order_by("code").first(),
        department=department, staff=staff, supervisor=supervisor, bureau_leader=bureau_leader,
        leader_a=member(Role.FACILITY_LEADER, facility_a), officer_a=member(Role.FACILITY_OFFICER, facility_a),
        officer_b=member(Role.FACILITY_OFFICER, facility_b),
    )  # fmt: skip


@pytest.fixture
def recorded(world):
    """An inspection finding of facility A recorded by the supervisor, open."""
    return record(world)
