"""Campaigns, teams and inspections through the services: permissions, rules, all-or-nothing, audit."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from factories_evidence import PDF_BYTES, png_bytes
from factories_supervision import SupervisionCatalogueFactory, SupervisionStandardFactory
from jiedu.audit.models import AuditEvent
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.evidence.models import EvidenceFile
from jiedu.organisation.roles import Role
from jiedu.supervision import services
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team

SESSION_START = datetime.datetime(2026, 4, 1, 1, tzinfo=datetime.UTC)  # 09:00 local


def _field(exc_info) -> str:
    return exc_info.value.field


def _campaign_kwargs(version, *facilities, **overrides):
    overrides.setdefault("catalogue", version)
    return {
        "name": "督导", "kind": "standardisation", "starts_on": datetime.date(2026, 3, 1),
        "ends_on": datetime.date(2026, 11, 30), "facilities": list(facilities), **overrides,
    }  # fmt: skip


# --- Campaigns -----------------------------------------------------------------------------------


def test_the_bureau_creates_a_campaign_and_it_is_audited(supervisor, catalogue, facility_a, facility_b):
    campaign = services.create_campaign(actor=supervisor, **_campaign_kwargs(catalogue, facility_a, facility_b))

    assert campaign.facility is None and set(campaign.facilities.all()) == {facility_a, facility_b}
    event = AuditEvent.objects.get(action="supervision.campaign_created")
    assert event.target_id == str(campaign.pk) and "facilities" in event.changed_fields


@pytest.mark.parametrize("role", [Role.FACILITY_LEADER, Role.FACILITY_OFFICER, Role.PROSECUTOR])
def test_facility_users_cannot_create_bureau_campaigns(member, role, catalogue, facility_a):
    with pytest.raises(AccessDenied):
        services.create_campaign(actor=member(role, facility_a), **_campaign_kwargs(catalogue, facility_a))
    assert not Campaign.objects.exists()


def test_a_facility_leader_sets_up_its_own_self_inspection_only(member, facility_a, facility_b, catalogue):
    leader = member(Role.FACILITY_LEADER, facility_a)

    own = services.create_campaign(
        actor=leader, facility=facility_a, **_campaign_kwargs(None, kind="self_inspection", name="本所自查")
    )
    with pytest.raises(DomainError) as wrong_kind:
        services.create_campaign(actor=leader, facility=facility_a, **_campaign_kwargs(catalogue, name="本所督导"))
    with pytest.raises(AccessDenied):
        services.create_campaign(
            actor=leader, facility=facility_b, **_campaign_kwargs(None, kind="self_inspection", name="乙所自查")
        )

    assert list(own.facilities.all()) == [facility_a] and own.facility == facility_a
    assert _field(wrong_kind) == "kind"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"catalogue": None}, "catalogue"),
        ({"facilities": []}, "facilities"),
        ({"ends_on": datetime.date(2026, 2, 1)}, "ends_on"),
        ({"name": "  "}, "name"),
    ],
)
def test_campaign_input_errors_name_their_field(supervisor, catalogue, facility_a, overrides, field):
    with pytest.raises(DomainError) as caught:
        services.create_campaign(actor=supervisor, **_campaign_kwargs(catalogue, facility_a, **overrides))
    assert _field(caught) == field
    assert not Campaign.objects.exists()


def test_standardisation_needs_a_published_catalogue(supervisor, facility_a):
    draft = SupervisionCatalogueFactory(status="draft", published_at=None)

    with pytest.raises(DomainError) as caught:
        services.create_campaign(actor=supervisor, **_campaign_kwargs(draft, facility_a))

    assert _field(caught) == "catalogue"


def test_a_campaign_name_is_taken_once(supervisor, catalogue, facility_a, campaign):
    with pytest.raises(DomainError) as caught:
        services.create_campaign(actor=supervisor, **_campaign_kwargs(catalogue, facility_a, name=campaign.name))
    assert _field(caught) == "name"


# --- Teams ---------------------------------------------------------------------------------------


def test_a_team_is_led_by_a_bureau_leader_with_bureau_members(team, bureau_leader):
    assert team.leader == bureau_leader and team.members.count() == 2
    assert AuditEvent.objects.filter(action="supervision.team_created", target_id=str(team.pk)).exists()


def test_a_supervisor_cannot_lead_a_team(campaign, supervisor, member):
    with pytest.raises(DomainError) as caught:
        services.add_team(
            actor=supervisor, campaign=campaign, name="第二组", kind="on_site", leader=supervisor,
            members=[member(Role.BUREAU_SUPERVISOR)],
        )  # fmt: skip
    assert _field(caught) == "leader"


def test_a_leader_leads_at_most_one_team_per_campaign(campaign, team, bureau_leader, supervisor):
    with pytest.raises(DomainError) as caught:
        services.add_team(
            actor=supervisor, campaign=campaign, name="视频监控督导组", kind="video", leader=bureau_leader,
            members=[supervisor],
        )  # fmt: skip
    assert _field(caught) == "leader" and Team.objects.count() == 1


def test_facility_staff_cannot_be_team_members(campaign, bureau_leader, supervisor, member, facility_a):
    with pytest.raises(DomainError) as caught:
        services.add_team(
            actor=supervisor, campaign=campaign, name="第二组", kind="on_site", leader=bureau_leader,
            members=[member(Role.FACILITY_OFFICER, facility_a)],
        )  # fmt: skip
    assert _field(caught) == "members"


def test_an_inactive_leadership_membership_does_not_count(campaign, supervisor, member):
    retired = member(Role.BUREAU_LEADER, is_active=False)
    with pytest.raises(DomainError) as caught:
        services.add_team(
            actor=supervisor, campaign=campaign, name="第二组", kind="on_site", leader=retired, members=[supervisor]
        )
    assert _field(caught) == "leader"


def test_a_facility_leader_cannot_set_up_teams(campaign, bureau_leader, supervisor, member, facility_a):
    with pytest.raises(AccessDenied):
        services.add_team(
            actor=member(Role.FACILITY_LEADER, facility_a), campaign=campaign, name="第二组", kind="on_site",
            leader=bureau_leader, members=[supervisor],
        )  # fmt: skip


def test_a_self_inspection_campaign_has_no_teams(self_campaign, bureau_leader, supervisor):
    with pytest.raises(DomainError) as caught:
        services.add_team(
            actor=supervisor, campaign=self_campaign, name="组", kind="on_site", leader=bureau_leader,
            members=[supervisor],
        )  # fmt: skip
    assert _field(caught) == "campaign"


# --- Planning ------------------------------------------------------------------------------------


def _plan(actor, campaign, facility, team=None, **overrides):
    kwargs = {
        "starts_on": datetime.date(2026, 5, 6), "ends_on": datetime.date(2026, 5, 7),
        "methods": ["site_check", "ledger_review"], **overrides,
    }  # fmt: skip
    return services.plan_inspection(actor=actor, campaign=campaign, facility=facility, team=team, **kwargs)


def test_the_bureau_plans_an_inspection_of_a_facility_in_scope(supervisor, campaign, team, facility_a):
    inspection = _plan(supervisor, campaign, facility_a, team)

    assert inspection.status == "planned" and inspection.by_site_check and not inspection.by_talks
    assert AuditEvent.objects.filter(action="supervision.inspection_planned", facility_id=facility_a.pk).exists()


def test_a_facility_outside_the_campaign_is_refused(supervisor, campaign, team):
    from factories import FacilityFactory

    with pytest.raises(DomainError) as caught:
        _plan(supervisor, campaign, FacilityFactory(), team)
    assert _field(caught) == "facility"


def test_a_team_of_another_campaign_is_refused(supervisor, campaign, team, catalogue, facility_a, bureau_leader):
    other = services.create_campaign(actor=supervisor, **_campaign_kwargs(catalogue, facility_a, name="另一轮"))
    with pytest.raises(DomainError) as caught:
        _plan(supervisor, other, facility_a, team)
    assert _field(caught) == "team"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"methods": []}, "methods"),
        ({"starts_on": datetime.date(2026, 12, 2), "ends_on": datetime.date(2026, 12, 3)}, "starts_on"),
        ({"ends_on": datetime.date(2026, 5, 1)}, "ends_on"),
    ],
)
def test_planning_errors_name_their_field(supervisor, campaign, team, facility_a, overrides, field):
    with pytest.raises(DomainError) as caught:
        _plan(supervisor, campaign, facility_a, team, **overrides)
    assert _field(caught) == field


def test_an_inspection_by_a_team_needs_the_bureau(member, campaign, team, facility_a):
    with pytest.raises(AccessDenied):
        _plan(member(Role.FACILITY_LEADER, facility_a), campaign, facility_a, team)


def test_a_facility_plans_and_records_its_own_self_inspection(member, self_campaign, facility_a, facility_b):
    leader = member(Role.FACILITY_LEADER, facility_a)

    inspection = _plan(leader, self_campaign, facility_a)
    services.start_inspection(actor=leader, inspection=inspection)
    services.complete_inspection(actor=leader, inspection=inspection, summary="自查完毕")

    inspection.refresh_from_db()
    assert inspection.team is None and inspection.status == "completed" and inspection.completed_by == leader
    with pytest.raises(AccessDenied):
        _plan(leader, self_campaign, facility_b)


def test_a_self_inspection_has_no_team_and_a_standardisation_inspection_needs_one(
    supervisor, self_campaign, campaign, team, facility_a
):
    with pytest.raises(DomainError) as with_team:
        _plan(supervisor, self_campaign, facility_a, team)
    with pytest.raises(DomainError) as without_team:
        _plan(supervisor, campaign, facility_a, None)
    assert _field(with_team) == _field(without_team) == "team"


def test_a_video_team_patrols_by_video_only(supervisor, campaign, facility_a, member):
    video = services.add_team(
        actor=supervisor, campaign=campaign, name="视频监控督导组", kind="video",
        leader=member(Role.BUREAU_LEADER), members=[supervisor],
    )  # fmt: skip
    with pytest.raises(DomainError) as caught:
        _plan(supervisor, campaign, facility_a, video, methods=["video_patrol", "talk"])
    assert _field(caught) == "methods"
    assert _plan(supervisor, campaign, facility_a, video, methods=["video_patrol"]).by_video_patrol


def test_the_same_inspection_is_not_planned_twice(supervisor, campaign, team, facility_a):
    _plan(supervisor, campaign, facility_a, team)
    with pytest.raises(DomainError):
        _plan(supervisor, campaign, facility_a, team)
    assert Inspection.objects.count() == 1


# --- Steps and results ---------------------------------------------------------------------------


def test_results_wait_for_the_start(supervisor, campaign, team, facility_a, standards):
    planned = _plan(supervisor, campaign, facility_a, team)
    with pytest.raises(DomainError) as caught:
        services.record_result(actor=supervisor, inspection=planned, standard=standards[0], verdict="met")
    assert _field(caught) == "status"


def test_a_result_gets_its_points_from_the_verdict_and_is_judged_again(supervisor, inspection, standards):
    first = services.record_result(actor=supervisor, inspection=inspection, standard=standards[0], verdict="met")
    again = services.record_result(
        actor=supervisor, inspection=inspection, standard=standards[0], verdict="partly", points=Decimal("6.5"),
        note="台账不全",
    )  # fmt: skip

    assert first.points == Decimal("10") and again.pk == first.pk
    stored = InspectionResult.objects.get()
    assert (stored.verdict, stored.points, stored.note) == ("partly", Decimal("6.5"), "台账不全")


def test_points_that_contradict_the_verdict_are_a_field_error(supervisor, inspection, standards):
    with pytest.raises(DomainError) as caught:
        services.record_result(
            actor=supervisor, inspection=inspection, standard=standards[0], verdict="met", points=Decimal("8")
        )
    assert _field(caught) == "points" and not InspectionResult.objects.exists()


def test_a_standard_of_another_catalogue_is_refused(supervisor, inspection):
    with pytest.raises(DomainError) as caught:
        services.record_result(
            actor=supervisor, inspection=inspection, standard=SupervisionStandardFactory(), verdict="met"
        )
    assert _field(caught) == "standard"


def test_bulk_results_are_all_or_nothing(supervisor, inspection, standards):
    good = {"standard": standards[0], "verdict": "met"}
    bad = {"standard": standards[1], "verdict": "partly", "points": Decimal("5")}  # max is 5

    with pytest.raises(DomainError) as caught:
        services.record_results(actor=supervisor, inspection=inspection, entries=[good, bad])

    assert _field(caught) == f"points-{standards[1].pk}"
    assert not InspectionResult.objects.exists()
    saved = services.record_results(
        actor=supervisor, inspection=inspection,
        entries=[good, {**bad, "points": Decimal("2.5")}, {"standard": standards[2], "verdict": "not_applicable"}],
    )  # fmt: skip
    assert [r.points for r in saved] == [Decimal("10"), Decimal("2.5"), None]
    assert AuditEvent.objects.filter(action="supervision.results_recorded").count() == 1


def test_a_facility_user_cannot_record_results_of_a_bureau_inspection(member, inspection, standards, facility_a):
    with pytest.raises(AccessDenied):
        services.record_result(
            actor=member(Role.FACILITY_LEADER, facility_a), inspection=inspection, standard=standards[0], verdict="met"
        )


def test_completion_needs_a_result_and_stamps_who_and_when(supervisor, inspection, standards):
    with pytest.raises(DomainError):
        services.complete_inspection(actor=supervisor, inspection=inspection)
    services.record_result(actor=supervisor, inspection=inspection, standard=standards[0], verdict="met")

    done = services.complete_inspection(actor=supervisor, inspection=inspection, summary="总体良好")

    done.refresh_from_db()
    assert done.status == "completed" and done.completed_by == supervisor and done.completed_at is not None
    with pytest.raises(DomainError) as caught:
        services.record_result(actor=supervisor, inspection=done, standard=standards[1], verdict="met")
    assert _field(caught) == "status"


def test_a_planned_inspection_cannot_be_completed(supervisor, campaign, team, facility_a):
    planned = _plan(supervisor, campaign, facility_a, team)
    with pytest.raises(DomainError):
        services.complete_inspection(actor=supervisor, inspection=planned)
    planned.refresh_from_db()
    assert planned.status == "planned" and planned.completed_at is None


# --- Evidence and video sessions -----------------------------------------------------------------


def _png(name="现场.png"):
    return SimpleUploadedFile(name, png_bytes(), content_type="image/png")


def test_evidence_is_stored_and_attached_while_in_progress(supervisor, inspection):
    stored = services.attach_evidence(
        actor=supervisor, inspection=inspection, uploads=[_png(), SimpleUploadedFile("台账.pdf", PDF_BYTES)]
    )

    assert {f.kind for f in stored} == {"image", "pdf"}
    assert set(inspection.evidence.all()) == set(stored)
    assert all(f.facility_id == inspection.facility_id for f in stored)


def test_one_bad_file_attaches_none(supervisor, inspection):
    with pytest.raises(DomainError) as caught:
        services.attach_evidence(
            actor=supervisor, inspection=inspection, uploads=[_png(), SimpleUploadedFile("x.exe", b"MZ\x90\x00")]
        )
    assert _field(caught) == "files" and "x.exe" in caught.value.message
    assert not EvidenceFile.objects.exists() and not inspection.evidence.exists()


def _session(actor, inspection, **overrides):
    kwargs = {
        "areas_watched": "二大队宿舍", "cameras": "二大队宿舍走廊-03", "started_at": SESSION_START,
        "ended_at": SESSION_START + datetime.timedelta(hours=2), **overrides,
    }  # fmt: skip
    return services.record_video_session(actor=actor, inspection=inspection, **kwargs)


def test_a_video_session_is_recorded_screenshotted_and_signed_off_by_its_inspector(supervisor, inspection, team):
    session = _session(supervisor, inspection)
    services.attach_screenshots(actor=supervisor, session=session, uploads=[_png("截图.png")])
    other = team.leader

    with pytest.raises(DomainError):
        services.sign_off_video_session(actor=other, session=session)
    services.sign_off_video_session(actor=supervisor, session=session)

    session.refresh_from_db()
    assert session.signed_off_at is not None and session.screenshots.count() == 1
    with pytest.raises(DomainError):
        services.attach_screenshots(actor=supervisor, session=session, uploads=[_png()])
    with pytest.raises(DomainError):
        services.sign_off_video_session(actor=supervisor, session=session)


def test_the_inspector_may_be_another_team_member_but_not_an_outsider(supervisor, inspection, team, member):
    session = _session(supervisor, inspection, inspector=team.leader)
    assert session.inspector == team.leader
    with pytest.raises(DomainError) as caught:
        _session(supervisor, inspection, inspector=member(Role.BUREAU_SUPERVISOR))
    assert _field(caught) == "inspector"


def test_screenshots_are_images(supervisor, inspection):
    session = _session(supervisor, inspection)
    with pytest.raises(DomainError) as caught:
        services.attach_screenshots(actor=supervisor, session=session, uploads=[SimpleUploadedFile("a.pdf", PDF_BYTES)])
    assert _field(caught) == "files" and not session.screenshots.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ended_at": SESSION_START}, "ended_at"),
        ({"ended_at": SESSION_START + datetime.timedelta(hours=13)}, "ended_at"),
        ({"started_at": SESSION_START - datetime.timedelta(days=2), "ended_at": SESSION_START - datetime.timedelta(days=2, hours=-1)}, "started_at"),
        ({"areas_watched": " "}, "areas_watched"),
    ],
)
def test_video_session_errors_name_their_field(supervisor, inspection, overrides, field):
    with pytest.raises(DomainError) as caught:
        _session(supervisor, inspection, **overrides)
    assert _field(caught) == field


def test_only_inspections_with_video_patrol_have_sessions(supervisor, campaign, team, facility_a):
    inspection = services.start_inspection(actor=supervisor, inspection=_plan(supervisor, campaign, facility_a, team))
    with pytest.raises(DomainError) as caught:
        _session(supervisor, inspection, started_at=datetime.datetime(2026, 5, 6, 1, tzinfo=datetime.UTC),
                 ended_at=datetime.datetime(2026, 5, 6, 2, tzinfo=datetime.UTC))  # fmt: skip
    assert _field(caught) == "inspection"


def test_an_unsigned_session_blocks_completion(supervisor, inspection, standards):
    services.record_result(actor=supervisor, inspection=inspection, standard=standards[0], verdict="met")
    session = _session(supervisor, inspection)
    with pytest.raises(DomainError):
        services.complete_inspection(actor=supervisor, inspection=inspection)
    services.sign_off_video_session(actor=supervisor, session=session)
    assert services.complete_inspection(actor=supervisor, inspection=inspection).status == "completed"
