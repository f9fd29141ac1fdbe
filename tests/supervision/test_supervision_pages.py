"""Pages: campaigns and their progress, teams, planning, the inspection page with htmx results,
evidence, video sessions and findings; who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from factories import PASSWORD, DepartmentFactory, StaffFactory
from factories_evidence import png_bytes
from factories_supervision import InspectionFactory
from jiedu.findings.models import Finding
from jiedu.organisation.roles import Role
from jiedu.supervision import services
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team, VideoSession


def _client(user):
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def bureau(supervisor):
    return _client(supervisor)


# --- Campaigns -----------------------------------------------------------------------------------


def test_the_campaign_list_shows_progress_per_campaign(bureau, campaign, inspection, standards, supervisor):
    services.record_result(actor=supervisor, inspection=inspection, standard=standards[0], verdict="met")
    services.complete_inspection(actor=supervisor, inspection=inspection)

    body = bureau.get("/supervision/").content.decode()

    assert f'data-campaign-id="{campaign.pk}"' in body
    assert 'data-inspected="1" data-in-scope="2"' in body
    assert 'id="campaign-create"' in body


def test_the_bureau_sets_up_a_campaign_over_chosen_facilities(bureau, catalogue, facility_a, facility_b):
    response = bureau.post(
        "/supervision/campaigns/new/",
        {"name": "2026年规范化建设督导", "kind": "standardisation", "catalogue": catalogue.pk, "basis": "",
         "starts_on": "2026-03-01", "ends_on": "2026-11-30", "facilities": [facility_a.pk, facility_b.pk]},
    )  # fmt: skip

    created = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/campaigns/{created.pk}/"
    assert created.facilities.count() == 2


def test_a_standardisation_campaign_without_catalogue_shows_the_error_beside_the_field(bureau, facility_a):
    response = bureau.post(
        "/supervision/campaigns/new/",
        {"name": "督导", "kind": "standardisation", "starts_on": "2026-03-01", "ends_on": "2026-11-30",
         "facilities": [facility_a.pk]},
    )  # fmt: skip

    assert response.status_code == 400 and 'id="id_catalogue-error"' in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_facility_leader_sees_only_its_own_self_inspection_choice(member, facility_a):
    leader = _client(member(Role.FACILITY_LEADER, facility_a))

    page = leader.get("/supervision/campaigns/new/").content.decode()
    response = leader.post(
        "/supervision/campaigns/new/",
        {"name": "本所自查", "kind": "self_inspection", "starts_on": "2026-05-01", "ends_on": "2026-05-31",
         "facility": facility_a.pk},
    )  # fmt: skip

    assert 'name="facilities"' not in page and 'value="standardisation"' not in page
    assert response.status_code == 302 and Campaign.objects.get().facility == facility_a


def test_an_officer_may_not_set_up_campaigns_or_teams(member, facility_a):
    officer = _client(member(Role.FACILITY_OFFICER, facility_a))
    assert officer.get("/supervision/campaigns/new/").status_code == 403
    assert officer.get("/supervision/teams/new/").status_code == 403


def test_the_campaign_page_shows_teams_and_only_own_facility_rows(member, campaign, team, facility_a, facility_b):
    InspectionFactory(campaign=campaign, team=team, facility=facility_b)
    own = InspectionFactory(campaign=campaign, team=team, facility=facility_a, starts_on=datetime.date(2026, 5, 5),
                            ends_on=datetime.date(2026, 5, 5))  # fmt: skip
    officer = _client(member(Role.FACILITY_OFFICER, facility_a))

    body = officer.get(f"/supervision/campaigns/{campaign.pk}/").content.decode()

    assert f'data-facility-id="{facility_a.pk}"' in body and f'data-facility-id="{facility_b.pk}"' not in body
    assert f'data-inspection-id="{own.pk}"' in body
    assert team.leader.username in body and 'class="team-member"' in body
    assert 'id="team-create"' not in body and 'id="inspection-plan"' not in body


def test_a_campaign_without_the_users_facility_answers_404(member, catalogue, supervisor, facility_a, facility_b):
    other = services.create_campaign(
        actor=supervisor, name="乙所督导", kind="standardisation", catalogue=catalogue,
        starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 11, 30), facilities=[facility_b],
    )  # fmt: skip
    officer = _client(member(Role.FACILITY_OFFICER, facility_a))

    assert officer.get(f"/supervision/campaigns/{other.pk}/").status_code == 404
    assert officer.get(f"/supervision/campaigns/{other.pk}/workload/").status_code == 404


def test_the_bureau_sets_up_a_team(bureau, campaign, bureau_leader, supervisor):
    form = bureau.get(f"/supervision/teams/new/?campaign={campaign.pk}").content.decode()
    response = bureau.post(
        "/supervision/teams/new/",
        {"campaign": campaign.pk, "name": "第一现场督导组", "kind": "on_site", "leader": bureau_leader.pk,
         "members": [supervisor.pk]},
    )  # fmt: skip

    assert f'<option value="{bureau_leader.pk}"' in form
    assert response.status_code == 302 and Team.objects.get().leader == bureau_leader


def test_a_team_led_by_a_supervisor_shows_the_error_beside_the_leader(bureau, campaign, supervisor, member):
    response = bureau.post(
        "/supervision/teams/new/",
        {"campaign": campaign.pk, "name": "组", "kind": "on_site", "leader": supervisor.pk,
         "members": [member(Role.BUREAU_SUPERVISOR).pk]},
    )  # fmt: skip

    assert response.status_code == 400 and not Team.objects.exists()


def test_the_workload_page_counts_per_team(bureau, campaign, inspection, team, standards, supervisor, facility_a):
    services.record_results(
        actor=supervisor, inspection=inspection, entries=[{"standard": s, "verdict": "met"} for s in standards[:3]]
    )
    staff = StaffFactory(facility=facility_a, department=DepartmentFactory(facility=facility_a))
    Finding.objects.create(
        facility=facility_a, campaign=campaign, inspection=inspection, origin="inspection", title="台账不全",
        responsible_department=staff.department, responsible_staff=staff, found_on=datetime.date(2026, 4, 1),
        deadline=datetime.date(2026, 5, 1), recorded_by=supervisor,
    )  # fmt: skip

    body = bureau.get(f"/supervision/campaigns/{campaign.pk}/workload/").content.decode()

    row = body[body.index(f'data-team-id="{team.pk}"') :]
    assert '<td data-col="inspections">1</td>' in row and '<td data-col="facility-days">2</td>' in row
    assert '<td data-col="results">3</td>' in row and '<td data-col="findings">1</td>' in row


# --- Planning ------------------------------------------------------------------------------------


def test_planning_starts_with_the_campaign_then_the_inspection(bureau, campaign, team, facility_a):
    choose = bureau.get("/supervision/inspections/new/").content.decode()
    form = bureau.get(f"/supervision/inspections/new/?campaign={campaign.pk}").content.decode()
    response = bureau.post(
        "/supervision/inspections/new/",
        {"campaign": campaign.pk, "facility": facility_a.pk, "team": team.pk, "starts_on": "2026-06-02",
         "ends_on": "2026-06-03", "methods": ["site_check", "talk"]},
    )  # fmt: skip

    assert 'id="inspection-plan-form"' not in choose and 'id="inspection-plan-form"' in form
    created = Inspection.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/inspections/{created.pk}/"
    assert created.by_talks and not created.by_video_patrol


def test_a_plan_outside_the_campaign_shows_the_error(bureau, campaign, team, facility_a):
    response = bureau.post(
        "/supervision/inspections/new/",
        {"campaign": campaign.pk, "facility": facility_a.pk, "team": team.pk, "starts_on": "2026-12-02",
         "ends_on": "2026-12-03", "methods": ["site_check"]},
    )  # fmt: skip

    assert response.status_code == 400 and 'id="id_starts_on-error"' in response.content.decode()


def test_a_facility_user_cannot_plan_a_bureau_inspection(member, campaign, facility_a):
    leader = _client(member(Role.FACILITY_LEADER, facility_a))
    assert leader.get(f"/supervision/inspections/new/?campaign={campaign.pk}").status_code == 403


# --- The inspection page -------------------------------------------------------------------------


def test_the_inspection_page_shows_methods_areas_and_the_findings_link(bureau, inspection):
    body = bureau.get(f"/supervision/inspections/{inspection.pk}/").content.decode()

    assert 'id="inspection-methods"' in body and body.count('class="badge">') >= 4
    assert body.count('class="card area-card"') == 2
    assert f'?inspection={inspection.pk}"' in body[body.index('id="record-finding"') :]
    assert 'id="complete-inspection"' in body and 'id="video-session-form"' in body


def test_results_of_an_area_are_saved_with_htmx_and_show_points_of_maximum(bureau, inspection, standards):
    area = standards[0].area
    first, second = [s for s in standards if s.area_id == area.pk]

    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/results/",
        {"area": area.pk, f"verdict-{first.pk}": "met", f"verdict-{second.pk}": "partly", f"points-{second.pk}": "2.5",
         f"note-{second.pk}": "记录不全"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    body = response.content.decode()
    assert response.status_code == 200 and f'id="area-{area.pk}"' in body
    assert 'data-earned="12.5" data-max="15' in body and "area-saved" in body
    assert 'id="score-summary" hx-swap-oob="true"' in body
    assert InspectionResult.objects.get(standard=second).points == Decimal("2.5")


def test_a_wrong_point_count_is_shown_beside_its_row_and_nothing_is_saved(bureau, inspection, standards):
    area = standards[0].area
    first, second = [s for s in standards if s.area_id == area.pk]

    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/results/",
        {"area": area.pk, f"verdict-{first.pk}": "met", f"verdict-{second.pk}": "partly", f"points-{second.pk}": "5"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    assert f'id="id_points-{second.pk}-error"' in response.content.decode()
    assert not InspectionResult.objects.exists()


def test_without_htmx_the_results_redirect_back_to_the_area(bureau, inspection, standards):
    area = standards[0].area
    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/results/", {"area": area.pk, f"verdict-{standards[0].pk}": "met"}
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#area-{area.pk}")


def test_start_and_complete_from_the_page(bureau, campaign, team, facility_a, supervisor, standards):
    planned = services.plan_inspection(
        actor=supervisor, campaign=campaign, facility=facility_a, team=team, starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 6, 1), methods=["site_check"],
    )  # fmt: skip

    assert bureau.post(f"/supervision/inspections/{planned.pk}/start/").status_code == 302
    refused = bureau.post(f"/supervision/inspections/{planned.pk}/complete/", {"summary": ""})
    planned.refresh_from_db()
    services.record_result(actor=supervisor, inspection=planned, standard=standards[0], verdict="met")
    done = bureau.post(f"/supervision/inspections/{planned.pk}/complete/", {"summary": "良好"})

    assert refused.status_code == 400 and "error" in refused.content.decode()
    planned.refresh_from_db()
    assert done.status_code == 302 and planned.status == "completed" and planned.summary == "良好"


def test_evidence_is_uploaded_and_listed_with_a_download_link(bureau, inspection):
    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/evidence/",
        {"files": [SimpleUploadedFile("现场.png", png_bytes()), SimpleUploadedFile("截图.png", png_bytes())],
         "caption": "宿舍"},
    )  # fmt: skip

    assert response.status_code == 302 and inspection.evidence.count() == 2
    body = bureau.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert body.count("/download/") == 2 and "现场.png" in body


def test_a_refused_file_is_shown_beside_the_upload(bureau, inspection):
    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/evidence/", {"files": [SimpleUploadedFile("a.exe", b"MZ\x00")]}
    )
    assert response.status_code == 400 and 'id="id_files-error"' in response.content.decode()


def test_a_video_session_is_recorded_and_signed_off_by_its_inspector(bureau, inspection, supervisor, team):
    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/video-sessions/",
        {"areas_watched": "二大队宿舍", "cameras": "二大队宿舍走廊-03", "started_at": "2026-04-01T09:00",
         "ended_at": "2026-04-01T10:30", "observations": "秩序良好"},
    )  # fmt: skip
    session = VideoSession.objects.get()
    page = bureau.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    leader_page = _client(team.leader).get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    shots = bureau.post(
        f"/supervision/video-sessions/{session.pk}/screenshots/",
        {f"shots-{session.pk}-files": [SimpleUploadedFile("截图.png", png_bytes())]},
    )
    signed = bureau.post(f"/supervision/video-sessions/{session.pk}/sign-off/")

    assert response.status_code == 302 and session.inspector == supervisor
    assert 'class="primary sign-off"' in page and 'class="primary sign-off"' not in leader_page
    session.refresh_from_db()
    assert shots.status_code == 302 and session.screenshots.count() == 1
    assert signed.status_code == 302 and session.signed_off_at is not None


def test_a_session_ending_before_it_starts_shows_the_error(bureau, inspection):
    response = bureau.post(
        f"/supervision/inspections/{inspection.pk}/video-sessions/",
        {"areas_watched": "医疗区", "started_at": "2026-04-01T10:00", "ended_at": "2026-04-01T09:00"},
    )
    assert response.status_code == 400 and 'id="id_ended_at-error"' in response.content.decode()


def test_a_facility_sees_its_inspection_read_only_and_another_facilitys_not_at_all(
    member, inspection, facility_a, facility_b, standards, supervisor
):
    services.record_result(actor=supervisor, inspection=inspection, standard=standards[0], verdict="met")
    other = InspectionFactory(facility=facility_b)
    officer = _client(member(Role.FACILITY_OFFICER, facility_a))

    body = officer.get(f"/supervision/inspections/{inspection.pk}/").content.decode()

    assert 'class="area-form"' not in body and 'data-verdict="met"' in body
    assert 'id="complete-inspection"' not in body and 'id="evidence-form"' not in body
    assert officer.get(f"/supervision/inspections/{other.pk}/").status_code == 404
    assert officer.post(f"/supervision/inspections/{inspection.pk}/start/").status_code == 403


def test_the_prosecutor_reads_but_cannot_act(member, inspection, facility_a, standards):
    prosecutor = _client(member(Role.PROSECUTOR, facility_a))

    assert prosecutor.get(f"/supervision/inspections/{inspection.pk}/").status_code == 200
    response = prosecutor.post(
        f"/supervision/inspections/{inspection.pk}/results/",
        {"area": standards[0].area_id, f"verdict-{standards[0].pk}": "met"},
    )
    assert response.status_code == 403 and not InspectionResult.objects.exists()


def test_the_inspection_list_shows_only_own_facility(member, facility_a, facility_b):
    own = InspectionFactory(facility=facility_a)
    other = InspectionFactory(facility=facility_b)

    body = _client(member(Role.FACILITY_OFFICER, facility_a)).get("/supervision/inspections/").content.decode()

    assert f'data-inspection-id="{own.pk}"' in body and f'data-inspection-id="{other.pk}"' not in body


def test_a_gate_officer_cannot_open_supervision(member, facility_a):
    assert _client(member(Role.GATE_OFFICER, facility_a)).get("/supervision/").status_code == 403


def test_pages_use_no_inline_script_or_style(bureau, inspection):
    body = bureau.get(f"/supervision/inspections/{inspection.pk}/").content.decode()
    assert "<script>" not in body and " style=" not in body and " onclick=" not in body
