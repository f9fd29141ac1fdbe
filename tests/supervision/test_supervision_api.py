"""The supervision API: campaigns, teams, inspections with their steps, results (one or in bulk),
video sessions with sign-off. Services do the work; errors are 400s on the field."""

import datetime

import pytest
from rest_framework.test import APIClient

from factories_supervision import InspectionFactory, InspectionResultFactory, VideoSessionFactory
from jiedu.organisation.roles import Role
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def api(supervisor):
    return client_for(supervisor)


def test_a_campaign_is_created_read_and_its_progress_counted(api, catalogue, facility_a, facility_b):
    response = api.post(
        "/api/v1/campaigns/",
        {"name": "2026年规范化建设督导", "kind": "standardisation", "catalogue": catalogue.pk, "starts_on": "2026-03-01",
         "ends_on": "2026-11-30", "facilities": [facility_a.pk, facility_b.pk]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    campaign_id = response.json()["id"]
    assert api.get(f"/api/v1/campaigns/{campaign_id}/").json()["teams"] == []
    progress = api.get(f"/api/v1/campaigns/{campaign_id}/progress/").json()
    assert (progress["in_scope"], progress["inspected"]) == (2, 0)
    assert {row["status"] for row in progress["by_status"]} == {"planned", "in_progress", "completed"}


def test_a_facility_user_cannot_create_a_bureau_campaign(member, catalogue, facility_a):
    response = client_for(member(Role.FACILITY_LEADER, facility_a)).post(
        "/api/v1/campaigns/",
        {"name": "督导", "kind": "standardisation", "catalogue": catalogue.pk, "starts_on": "2026-03-01",
         "ends_on": "2026-11-30", "facilities": [facility_a.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403 and not Campaign.objects.exists()


def test_a_standardisation_campaign_without_catalogue_is_a_400(api, facility_a):
    response = api.post(
        "/api/v1/campaigns/",
        {"name": "督导", "kind": "standardisation", "starts_on": "2026-03-01", "ends_on": "2026-11-30",
         "facilities": [facility_a.pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "catalogue" in response.json()


def test_a_facility_sees_only_campaigns_that_include_it(member, campaign, facility_a, facility_b, catalogue, api):
    other = api.post(
        "/api/v1/campaigns/",
        {"name": "乙所督导", "kind": "standardisation", "catalogue": catalogue.pk, "starts_on": "2026-03-01",
         "ends_on": "2026-11-30", "facilities": [facility_b.pk]},
        format="json",
    ).json()["id"]  # fmt: skip
    officer = client_for(member(Role.FACILITY_OFFICER, facility_a))

    ids = [row["id"] for row in officer.get("/api/v1/campaigns/").json()["results"]]

    assert ids == [campaign.pk]
    assert officer.get(f"/api/v1/campaigns/{other}/").status_code == 404


def test_teams_are_added_and_listed_per_campaign(api, campaign, bureau_leader, supervisor):
    response = api.post(
        "/api/v1/supervision-teams/",
        {"campaign": campaign.pk, "name": "第一现场督导组", "kind": "on_site", "leader": bureau_leader.pk,
         "members": [supervisor.pk]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 201, response.json()
    listed = api.get("/api/v1/supervision-teams/", {"campaign": campaign.pk}).json()["results"]
    assert [row["name"] for row in listed] == ["第一现场督导组"] and listed[0]["leader"] == bureau_leader.pk


def test_a_team_led_by_a_supervisor_is_a_400_on_leader(api, campaign, supervisor, member):
    response = api.post(
        "/api/v1/supervision-teams/",
        {"campaign": campaign.pk, "name": "组", "kind": "on_site", "leader": supervisor.pk,
         "members": [member(Role.BUREAU_SUPERVISOR).pk]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "leader" in response.json() and not Team.objects.exists()


def test_an_inspection_is_planned_started_scored_and_completed(api, campaign, team, facility_a, standards):
    planned = api.post(
        "/api/v1/inspections/",
        {"campaign": campaign.pk, "facility": facility_a.pk, "team": team.pk, "starts_on": "2026-06-02",
         "ends_on": "2026-06-03", "methods": ["site_check", "ledger_review"]},
        format="json",
    )  # fmt: skip
    assert planned.status_code == 201, planned.json()
    pk = planned.json()["id"]
    assert planned.json()["methods"] == ["site_check", "ledger_review"]

    assert api.post(f"/api/v1/inspections/{pk}/start/").json()["status"] == "in_progress"
    one = api.post(
        "/api/v1/inspection-results/", {"inspection": pk, "standard": standards[0].pk, "verdict": "met"}, format="json"
    )
    bulk = api.post(
        "/api/v1/inspection-results/bulk/",
        {"inspection": pk, "results": [
            {"standard": standards[1].pk, "verdict": "partly", "points": "2.5", "note": "记录不全"},
            {"standard": standards[2].pk, "verdict": "not_applicable"},
        ]},
        format="json",
    )  # fmt: skip
    scores = api.get(f"/api/v1/inspections/{pk}/scores/").json()
    completed = api.post(f"/api/v1/inspections/{pk}/complete/", {"summary": "总体良好"}, format="json")

    assert one.status_code == 201 and one.json()["points"] == "10.0"
    assert bulk.status_code == 201 and [r["points"] for r in bulk.json()] == ["2.5", None]
    assert [(s["name"], s["earned"], s["applicable_max"]) for s in scores] == [
        ("基本模式", "12.5", "15.0"), ("教育矫正", "0.0", "0.0")
    ]
    assert completed.status_code == 200 and completed.json()["status"] == "completed"
    assert completed.json()["completed_by"] is not None


def test_a_bad_bulk_entry_is_a_400_naming_the_row_and_saves_nothing(api, inspection, standards):
    response = api.post(
        "/api/v1/inspection-results/bulk/",
        {"inspection": inspection.pk, "results": [
            {"standard": standards[0].pk, "verdict": "met"},
            {"standard": standards[1].pk, "verdict": "met", "points": "3"},
        ]},
        format="json",
    )  # fmt: skip

    assert response.status_code == 400 and f"points-{standards[1].pk}" in response.json()
    assert not InspectionResult.objects.exists()


def test_completing_a_planned_inspection_is_a_400(api, campaign, team, facility_a):
    inspection = InspectionFactory(campaign=campaign, team=team, facility=facility_a)
    response = api.post(f"/api/v1/inspections/{inspection.pk}/complete/", {}, format="json")
    assert response.status_code == 400


def test_a_video_session_is_recorded_and_signed_off_only_by_its_inspector(api, inspection, team):
    created = api.post(
        "/api/v1/video-sessions/",
        {"inspection": inspection.pk, "areas_watched": "医疗区", "cameras": "医疗区走廊",
         "started_at": "2026-04-01T09:00:00+08:00", "ended_at": "2026-04-01T10:00:00+08:00", "inspector": team.leader.pk},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]

    refused = api.post(f"/api/v1/video-sessions/{pk}/sign-off/")
    signed = client_for(team.leader).post(f"/api/v1/video-sessions/{pk}/sign-off/")

    assert refused.status_code == 400
    assert signed.status_code == 200 and signed.json()["signed_off_at"] is not None


def test_evidence_is_attached_to_an_inspection_by_multipart(api, inspection):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from factories_evidence import png_bytes

    response = api.post(
        f"/api/v1/inspections/{inspection.pk}/evidence/",
        {"files": [SimpleUploadedFile("a.png", png_bytes()), SimpleUploadedFile("b.png", png_bytes())], "caption": "现场"},
        format="multipart",
    )

    assert response.status_code == 201 and len(response.json()) == 2
    assert inspection.evidence.count() == 2


def test_a_facility_sees_only_its_own_inspections_results_and_sessions(member, facility_a, facility_b):
    own = InspectionResultFactory(facility=facility_a)
    InspectionResultFactory(facility=facility_b)
    own_session = VideoSessionFactory(facility=facility_a)
    other_session = VideoSessionFactory(facility=facility_b)
    officer = client_for(member(Role.FACILITY_OFFICER, facility_a))

    inspections = {row["facility"] for row in officer.get("/api/v1/inspections/").json()["results"]}
    results = [row["id"] for row in officer.get("/api/v1/inspection-results/").json()["results"]]
    sessions = [row["id"] for row in officer.get("/api/v1/video-sessions/").json()["results"]]

    assert inspections == {facility_a.pk} and results == [own.pk] and sessions == [own_session.pk]
    assert officer.get(f"/api/v1/video-sessions/{other_session.pk}/").status_code == 404
    assert officer.post(f"/api/v1/video-sessions/{other_session.pk}/sign-off/").status_code == 404


def test_the_prosecutor_reads_but_cannot_plan(member, campaign, team, facility_a):
    prosecutor = client_for(member(Role.PROSECUTOR, facility_a))
    InspectionFactory(campaign=campaign, team=team, facility=facility_a)

    assert prosecutor.get("/api/v1/inspections/").json()["count"] == 1
    response = prosecutor.post(
        "/api/v1/inspections/",
        {"campaign": campaign.pk, "facility": facility_a.pk, "team": team.pk, "starts_on": "2026-06-02",
         "ends_on": "2026-06-03", "methods": ["site_check"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 403 and Inspection.objects.count() == 1


def test_a_facility_plans_its_self_inspection_without_a_team(member, self_campaign, facility_a):
    leader = client_for(member(Role.FACILITY_LEADER, facility_a))
    response = leader.post(
        "/api/v1/inspections/",
        {"campaign": self_campaign.pk, "facility": facility_a.pk, "starts_on": "2026-06-02",
         "ends_on": "2026-06-03", "methods": ["site_check", "talk"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    assert response.json()["team"] is None and datetime.date.fromisoformat(response.json()["starts_on"])
