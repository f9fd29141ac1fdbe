"""The bureau's standardised-management panel: figures derived from finding records, per facility
for the bureau and only the own facility for a facility's users, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories_findings import FindingFactory, days, make_campaign, make_inspection, make_team
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db
URL = "/standards/panel/"


@pytest.fixture
def campaign(facility_a, facility_b, member):
    campaign = make_campaign(facilities=[facility_a, facility_b], name="2022年规范化管理制度落实年")
    team = make_team(campaign, leader=member(Role.BUREAU_LEADER), name="第一现场督导组")
    for facility in (facility_a, facility_b):
        make_inspection(campaign=campaign, facility=facility, team=team)
    return campaign


def _finding(campaign, facility, status="open", **fields):
    inspection = campaign.inspections.get(facility=facility)
    stamps = {}
    if status in ("submitted", "verified", "closed"):
        stamps.update(submitted_at=inspection.created_at, submitted_by=inspection.created_by)
    if status in ("verified", "closed"):
        stamps.update(verified_at=inspection.created_at, verified_by=campaign.created_by, rectified_on=days(-5))
    if status == "closed":
        stamps.update(closed_at=inspection.created_at)
    return FindingFactory(
        facility=facility, campaign=campaign, inspection=inspection, origin="inspection", status=status,
        **stamps, **fields,
    )  # fmt: skip


def _figure(response, name) -> str:
    html = response.content.decode()
    marker = f'data-figure="{name}">'
    start = html.index(marker) + len(marker)
    return html[start : html.index("<", start)]


def test_the_panel_derives_found_rectified_and_rate_from_the_records(client, member, campaign, facility_a, facility_b):
    for _ in range(3):
        _finding(campaign, facility_a, status="closed")
    _finding(campaign, facility_a, status="verified")
    _finding(campaign, facility_b, status="rectifying")
    _finding(campaign, facility_b, status="open", deadline=days(-2), found_on=days(-20))  # overdue
    _finding(campaign, facility_b, status="withdrawn", withdrawn_reason="重复记录")  # counts nowhere
    client.force_login(member(Role.BUREAU_SUPERVISOR))
    response = client.get(URL, {"campaign": campaign.pk})
    assert response.status_code == 200
    assert _figure(response, "found") == "6"
    assert _figure(response, "rectified") == "4"
    assert _figure(response, "rate") == "66.7%"
    assert _figure(response, "overdue") == "1"
    chart = response.context["panel"].chart
    assert chart["found"] == [4, 2] and chart["rectified"] == [4, 0] and chart["rate"] == [100.0, 0.0]
    # The bulletin sentence the bureau copies into its report, in the page's language (Chinese).
    sentence = response.content.decode().split('id="campaign-sentence">')[1].split("</p>")[0]
    assert "6" in sentence and "4" in sentence and "66.7%" in sentence and "2022年规范化管理制度落实年" in sentence


def test_rectifying_one_more_finding_moves_the_rate(client, member, campaign, facility_a):
    finding = _finding(campaign, facility_a, status="submitted")
    _finding(campaign, facility_a, status="closed")
    client.force_login(member(Role.BUREAU_LEADER))
    assert _figure(client.get(URL), "rate") == "50.0%"
    type(finding).objects.filter(pk=finding.pk).update(
        status="verified", verified_at=finding.submitted_at, verified_by=campaign.created_by, rectified_on=days(-1)
    )
    assert _figure(client.get(URL), "rate") == "100.0%"


def test_a_facility_sees_only_its_own_figures(client, member, campaign, facility_a, facility_b):
    _finding(campaign, facility_a, status="closed")
    for _ in range(2):
        _finding(campaign, facility_b, status="open", title="乙所值班记录缺失")
    client.force_login(member(Role.FACILITY_LEADER, facility_a))
    response = client.get(URL)
    assert _figure(response, "found") == "1" and _figure(response, "rate") == "100.0%"
    assert facility_b.short_name not in response.content.decode()
    assert "乙所值班记录缺失" not in response.content.decode()


def test_roles_without_supervision_rights_are_refused(client, member, facility_a):
    client.force_login(member(Role.GATE_OFFICER, facility_a))
    assert client.get(URL).status_code == 403


def test_the_panel_reads_a_fixed_number_of_queries(client, member, campaign, facility_a, facility_b):
    client.force_login(member(Role.BUREAU_SUPERVISOR))
    _finding(campaign, facility_a, status="open", deadline=days(-1), found_on=days(-10))
    client.get(URL)  # warm the session and memberships
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for facility in (facility_a, facility_b):
        for _ in range(6):
            _finding(campaign, facility, status="open", deadline=days(-1), found_on=days(-10))
    with CaptureQueriesContext(connection) as many:
        client.get(URL)
    assert len(many) == len(few)
