"""Campaigns, teams and inspections: every write, checked, atomic and audited.

Who may do what:
- the bureau (MANAGE_SUPERVISION region-wide) sets up campaigns and teams;
- an inspection by a team is planned, run and recorded by the bureau (MANAGE_SUPERVISION);
- a self-inspection is planned, run and recorded by the facility itself (SELF_ASSESS on it) or
  by the bureau; a facility may also set up its own self-inspection campaign.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiedu.audit import services as audit
from jiedu.common.errors import AccessDenied, DomainError
from jiedu.common.services import validated_save
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.services import store_evidence_files
from jiedu.organisation import roles
from jiedu.organisation.models import Membership
from jiedu.organisation.scoping import ALL_FACILITIES, can, facility_scope, require
from jiedu.supervision import domain
from jiedu.supervision.models import Campaign, Inspection, InspectionResult, Team, VideoSession

MESSAGES = {
    domain.UNKNOWN_VERDICT: gettext_lazy("Choose a verdict."),
    domain.POINTS_REQUIRED: gettext_lazy("Enter the points awarded (more than 0, less than %(maximum)s)."),
    domain.POINTS_NOT_APPLICABLE: gettext_lazy("A standard that does not apply earns no points."),
    domain.POINTS_OUT_OF_RANGE: gettext_lazy("The points lie between 0 and %(maximum)s."),
    domain.POINTS_PRECISION: gettext_lazy("Give the points with at most one decimal."),
    domain.MET_NEEDS_MAXIMUM: gettext_lazy("A standard met earns its full %(maximum)s points."),
    domain.PARTLY_BETWEEN: gettext_lazy("Partly met earns more than 0 and less than %(maximum)s points."),
    domain.NOT_MET_BELOW_MAXIMUM: gettext_lazy("Not met earns less than the full %(maximum)s points."),
    domain.FORBIDDEN_MOVE: gettext_lazy("The inspection cannot take this step from its current status."),
    domain.NOT_IN_PROGRESS: gettext_lazy("Start the inspection first; a completed inspection does not change."),
    domain.COMPLETED_WITHOUT_RESULTS: gettext_lazy("Record at least one result before completing the inspection."),
    domain.UNSIGNED_SESSIONS: gettext_lazy("Every video session must be signed off by its inspector first."),
    domain.NO_METHOD: gettext_lazy("Choose at least one inspection method."),
    domain.UNKNOWN_METHOD: gettext_lazy("Choose among the four inspection methods."),
    domain.VIDEO_TEAM_VIDEO_ONLY: gettext_lazy("A video monitoring team inspects by video patrol only."),
    domain.TEAM_REQUIRED: gettext_lazy("Choose the team that inspects."),
    domain.SELF_INSPECTION_WITHOUT_TEAM: gettext_lazy("A self-inspection is done by the facility, without a team."),
    domain.PERIOD_REVERSED: gettext_lazy("The end lies before the start."),
    domain.OUTSIDE_CAMPAIGN: gettext_lazy("The inspection lies outside the campaign (%(first)s to %(last)s)."),
    domain.LEADER_NOT_LEADERSHIP: gettext_lazy("The leader must be a member of the bureau's leadership."),
    domain.LEADER_LEADS_ANOTHER_TEAM: gettext_lazy("This person already leads a team of the campaign."),
    domain.LEADER_ALSO_MEMBER: gettext_lazy("The leader is not listed again among the members."),
    domain.NO_MEMBERS: gettext_lazy("Choose at least one member besides the leader."),
    domain.MEMBER_NOT_BUREAU: gettext_lazy("Members must hold a role at the bureau."),
    domain.SESSION_END_NOT_AFTER_START: gettext_lazy("The end must lie after the start."),
    domain.SESSION_TOO_LONG: gettext_lazy("A video session lasts at most 12 hours."),
    domain.SESSION_IN_FUTURE: gettext_lazy("The session cannot end in the future."),
    domain.SESSION_OUTSIDE_INSPECTION: gettext_lazy(
        "The session lies outside the inspection (%(first)s to %(last)s)."
    ),
    domain.SESSION_SIGNED_OFF: gettext_lazy("This video session is signed off and no longer changes."),
    domain.NOT_THE_INSPECTOR: gettext_lazy("Only the session's inspector signs it off."),
    domain.NO_VIDEO_PATROL: gettext_lazy("This inspection does not include video patrol."),
    domain.SIGN_OFF_BEFORE_END: gettext_lazy("The sign-off cannot lie before the session's end."),
    domain.AT_IN_FUTURE: gettext_lazy("The time lies in the future."),
}


def refusal(exc: domain.RuleBroken, *, field: str | None = None) -> DomainError:
    """The user's sentence for a broken rule; ``field`` overrides the rule's own input name."""
    params = {
        key: (f"{value:%Y-%m-%d}" if isinstance(value, datetime.date) else value) for key, value in exc.params.items()
    }
    message = str(MESSAGES[exc.code])
    return DomainError(message % params if params else message, field=field or exc.field)


def _apply(rule, *args, field: str | None = None, **kwargs):
    try:
        return rule(*args, **kwargs)
    except domain.RuleBroken as exc:
        raise refusal(exc, field=field) from exc


# --- Permissions ---------------------------------------------------------------------------------


def _require_bureau(actor) -> None:
    if facility_scope(actor, roles.MANAGE_SUPERVISION) is not ALL_FACILITIES:
        raise AccessDenied(roles.MANAGE_SUPERVISION, None)


def manage_action(actor, campaign: Campaign, facility_id: int) -> str:
    """The permission under which ``actor`` works on an inspection of ``facility_id``: a facility's
    SELF_ASSESS for a self-inspection, MANAGE_SUPERVISION otherwise (raises AccessDenied if neither)."""
    if campaign.kind == Campaign.Kind.SELF_INSPECTION and can(actor, roles.SELF_ASSESS, facility_id):
        return roles.SELF_ASSESS
    require(actor, roles.MANAGE_SUPERVISION, facility_id)
    return roles.MANAGE_SUPERVISION


def may_manage(actor, inspection: Inspection) -> bool:
    try:
        manage_action(actor, inspection.campaign, inspection.facility_id)
    except AccessDenied:
        return False
    return True


# --- Campaigns and teams -------------------------------------------------------------------------


@transaction.atomic
def create_campaign(
    *,
    actor,
    name: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    facilities: Iterable = (),
    catalogue=None,
    basis: str = "",
    facility=None,
) -> Campaign:
    """The bureau's campaign over ``facilities``; or, with ``facility``, a facility's own self-inspection.

    Standardisation supervision scores against a published catalogue version.
    """
    if facility is None:
        _require_bureau(actor)
        facilities = list(facilities)
        if not facilities:
            raise DomainError(_("Choose the facilities in scope."), field="facilities")
    else:
        require(actor, roles.SELF_ASSESS, facility)
        if kind != Campaign.Kind.SELF_INSPECTION:
            raise DomainError(_("A facility sets up only its own self-inspection."), field="kind")
        facilities = [facility]
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if kind not in Campaign.Kind.values:
        raise DomainError(_("Choose the kind of campaign."), field="kind")
    if ends_on < starts_on:
        raise DomainError(_("The end lies before the start."), field="ends_on")
    if kind == Campaign.Kind.STANDARDISATION and catalogue is None:
        raise DomainError(_("Standardisation supervision scores against a catalogue version."), field="catalogue")
    if catalogue is not None and catalogue.status != catalogue.Status.PUBLISHED:
        raise DomainError(_("Choose a published catalogue version."), field="catalogue")
    if Campaign.objects.filter(name=name).exists():
        raise DomainError(_("A campaign of this name exists already."), field="name")
    campaign = Campaign(
        facility=facility, name=name, kind=kind, catalogue=catalogue, basis=basis.strip(), starts_on=starts_on,
        ends_on=ends_on, created_by=actor,
    )  # fmt: skip
    validated_save(campaign)
    campaign.facilities.set(facilities)
    audit.record(
        actor=actor,
        action="supervision.campaign_created",
        facility_id=getattr(facility, "pk", None),
        target=campaign,
        changed_fields=["name", "kind", "starts_on", "ends_on", "facilities"]
        + (["catalogue"] if catalogue else [])
        + (["basis"] if campaign.basis else []),
    )
    return campaign


def _bureau_people(users: Iterable) -> dict[int, domain.Person]:
    ids = {user.pk for user in users}
    held: dict[int, set[str]] = {user_id: set() for user_id in ids}
    rows = Membership.objects.filter(user_id__in=ids, facility__isnull=True, is_active=True, user__is_active=True)
    for user_id, role in rows.values_list("user_id", "role"):
        held[user_id].add(role)
    return {user_id: domain.Person(user_id, frozenset(found)) for user_id, found in held.items()}


@transaction.atomic
def add_team(*, actor, campaign: Campaign, name: str, kind: str, leader, members: Iterable) -> Team:
    """A team of the campaign: led by a bureau leader who leads no other of its teams; bureau members."""
    _require_bureau(actor)
    members = list(dict.fromkeys(members))
    if campaign.kind == Campaign.Kind.SELF_INSPECTION:
        raise DomainError(_("A self-inspection campaign has no teams."), field="campaign")
    name = name.strip()
    if not name:
        raise DomainError(_("Enter the name."), field="name")
    if kind not in Team.Kind.values:
        raise DomainError(_("Choose the kind of team."), field="kind")
    if Team.objects.filter(campaign=campaign, name=name).exists():
        raise DomainError(_("The campaign has a team of this name already."), field="name")
    people = _bureau_people([leader, *members])
    leaders = Team.objects.filter(campaign=campaign).values_list("leader_id", flat=True)
    _apply(
        domain.check_team, leader=people[leader.pk], members=[people[m.pk] for m in members],
        leaders_in_campaign=list(leaders),
    )  # fmt: skip
    team = Team(campaign=campaign, name=name, kind=kind, leader=leader)
    validated_save(team)
    team.members.set(members)
    audit.record(
        actor=actor, action="supervision.team_created", facility_id=None, target=team,
        changed_fields=["name", "kind", "leader", "members"],
    )  # fmt: skip
    return team


# --- Inspections ---------------------------------------------------------------------------------


@transaction.atomic
def plan_inspection(
    *,
    actor,
    campaign: Campaign,
    facility,
    starts_on: datetime.date,
    ends_on: datetime.date,
    methods: Iterable[str],
    team: Team | None = None,
) -> Inspection:
    """An inspection of a facility in the campaign's scope by one of its teams (a self-inspection: none).

    ``methods``: codes among site_check, ledger_review, video_patrol, talk.
    """
    manage_action(actor, campaign, facility.pk)
    methods = set(methods)
    if not campaign.facilities.filter(pk=facility.pk).exists():
        raise DomainError(_("This facility is not in the campaign's scope."), field="facility")
    if team is not None and team.campaign_id != campaign.pk:
        raise DomainError(_("Choose a team of this campaign."), field="team")
    _apply(
        domain.check_plan, campaign_kind=campaign.kind, campaign_period=(campaign.starts_on, campaign.ends_on),
        team_kind=team.kind if team else None, methods=methods, starts_on=starts_on, ends_on=ends_on,
    )  # fmt: skip
    if Inspection.objects.filter(campaign=campaign, facility=facility, team=team, starts_on=starts_on).exists():
        raise DomainError(_("This inspection is planned already."), field="starts_on")
    inspection = Inspection(
        facility=facility, campaign=campaign, team=team, starts_on=starts_on, ends_on=ends_on, created_by=actor,
        **domain.method_flags(methods),
    )  # fmt: skip
    validated_save(inspection)
    audit.record(
        actor=actor, action="supervision.inspection_planned", facility_id=facility.pk, target=inspection,
        changed_fields=["campaign", "starts_on", "ends_on", "methods"] + (["team"] if team else []),
    )  # fmt: skip
    return inspection


@transaction.atomic
def start_inspection(*, actor, inspection: Inspection) -> Inspection:
    manage_action(actor, inspection.campaign, inspection.facility_id)
    inspection.status = _apply(domain.transition, inspection.status, Inspection.Status.IN_PROGRESS, field="status")
    validated_save(inspection, update_fields=["status"])
    audit.record(
        actor=actor, action="supervision.inspection_started", facility_id=inspection.facility_id, target=inspection,
        changed_fields=["status"],
    )  # fmt: skip
    return inspection


@transaction.atomic
def complete_inspection(
    *, actor, inspection: Inspection, summary: str = "", at: datetime.datetime | None = None
) -> Inspection:
    """Completed with who and when; a standardisation inspection needs a result, sessions their sign-off.

    ``at``: when the paper record of an earlier inspection is entered later, the time on it.
    """
    manage_action(actor, inspection.campaign, inspection.facility_id)
    now = timezone.now()
    at = at or now
    if at > now + domain.CLOCK_SKEW:
        raise DomainError(_("The time lies in the future."), field="at")
    if timezone.localdate(at) < inspection.starts_on:
        raise DomainError(_("The inspection cannot be completed before it starts."), field="at")
    _apply(
        domain.check_completion, status=inspection.status, campaign_kind=inspection.campaign.kind,
        results=inspection.results.count(),
        unsigned_sessions=inspection.video_sessions.filter(signed_off_at__isnull=True).count(),
    )  # fmt: skip
    changed = ["status", "completed_at", "completed_by"]
    inspection.status = Inspection.Status.COMPLETED
    inspection.completed_at = at
    inspection.completed_by = actor
    if summary.strip():
        inspection.summary = summary.strip()
        changed.append("summary")
    validated_save(inspection, update_fields=changed)
    audit.record(
        actor=actor, action="supervision.inspection_completed", facility_id=inspection.facility_id,
        target=inspection, changed_fields=changed,
    )  # fmt: skip
    return inspection


def _checked_entry(inspection: Inspection, entry: Mapping, *, suffix: str) -> tuple:
    standard = entry["standard"]
    if inspection.campaign.catalogue_id is None:
        raise DomainError(_("This campaign has no catalogue to score against."), field="standard")
    if standard.catalogue_id != inspection.campaign.catalogue_id:
        raise DomainError(_("The standard is not in the campaign's catalogue version."), field=f"standard{suffix}")
    verdict = entry["verdict"]
    try:
        points = domain.resolve_points(verdict, entry.get("points"), standard.max_points)
    except domain.RuleBroken as exc:
        raise refusal(exc, field=f"{exc.field}{suffix}") from exc
    return standard, verdict, points, (entry.get("note") or "").strip()


@transaction.atomic
def record_results(*, actor, inspection: Inspection, entries: Iterable[Mapping]) -> list[InspectionResult]:
    """Several standards at once (a whole area): all of them or, on any error, none.

    Each entry: ``standard``, ``verdict``, ``points`` (optional: met earns the maximum, not met 0),
    ``note``. A standard judged before is judged again. Errors name the input as ``points-<standard id>``.
    """
    manage_action(actor, inspection.campaign, inspection.facility_id)
    _apply(domain.check_in_progress, inspection.status, field="status")
    entries = list(entries)
    if not entries:
        raise DomainError(_("Judge at least one standard."), field="results")
    checked = [_checked_entry(inspection, entry, suffix=f"-{entry['standard'].pk}") for entry in entries]
    if len({standard.pk for standard, *_rest in checked}) < len(checked):
        raise DomainError(_("Each standard is judged once."), field="results")
    return _save_results(actor, inspection, checked)


@transaction.atomic
def record_result(
    *, actor, inspection: Inspection, standard, verdict: str, points: Decimal | None = None, note: str = ""
) -> InspectionResult:
    """One standard's verdict and points (again, if judged before)."""
    manage_action(actor, inspection.campaign, inspection.facility_id)
    _apply(domain.check_in_progress, inspection.status, field="status")
    entry = {"standard": standard, "verdict": verdict, "points": points, "note": note}
    return _save_results(actor, inspection, [_checked_entry(inspection, entry, suffix="")])[0]


def _save_results(actor, inspection: Inspection, checked: list[tuple]) -> list[InspectionResult]:
    existing = {r.standard_id: r for r in inspection.results.filter(standard__in=[c[0] for c in checked])}
    created, changed, saved = [], [], []
    for standard, verdict, points, note in checked:
        result = existing.get(standard.pk) or InspectionResult(
            facility_id=inspection.facility_id, inspection=inspection, standard=standard
        )
        result.verdict, result.points, result.note, result.recorded_by = verdict, points, note, actor
        result.full_clean(validate_unique=False, validate_constraints=False)
        (changed if result.pk else created).append(result)
        saved.append(result)
    try:
        with transaction.atomic():
            InspectionResult.objects.bulk_create(created)
            now = timezone.now()
            for result in changed:
                result.updated_at = now
            InspectionResult.objects.bulk_update(changed, ["verdict", "points", "note", "recorded_by", "updated_at"])
    except IntegrityError as exc:
        raise DomainError(_("This conflicts with an existing record."), code="conflict") from exc
    audit.record(
        actor=actor, action="supervision.results_recorded", facility_id=inspection.facility_id, target=inspection,
        changed_fields=["verdict", "points"] + (["note"] if any(c[3] for c in checked) else []),
    )  # fmt: skip
    return saved


@transaction.atomic
def attach_evidence(*, actor, inspection: Inspection, uploads: Iterable, caption: str = "") -> list[EvidenceFile]:
    """Photos, scans and ledgers seen during the inspection, while it is in progress."""
    action = manage_action(actor, inspection.campaign, inspection.facility_id)
    _apply(domain.check_in_progress, inspection.status, field="files")
    uploads = list(uploads)
    if not uploads:
        raise DomainError(_("Choose at least one file."), field="files")
    stored = store_evidence_files(
        actor=actor, facility=inspection.facility_id, uploads=uploads, caption=caption, action=action
    )
    inspection.evidence.add(*stored)
    audit.record(
        actor=actor, action="supervision.evidence_attached", facility_id=inspection.facility_id,
        target=inspection, changed_fields=["evidence"],
    )  # fmt: skip
    return stored


# --- Video sessions ------------------------------------------------------------------------------


def _team_user_ids(team: Team | None) -> set[int]:
    if team is None:
        return set()
    return {team.leader_id, *team.members.values_list("pk", flat=True)}


@transaction.atomic
def record_video_session(
    *,
    actor,
    inspection: Inspection,
    areas_watched: str,
    started_at: datetime.datetime,
    ended_at: datetime.datetime,
    cameras: str = "",
    observations: str = "",
    inspector=None,
) -> VideoSession:
    """视频巡查: what was watched, when, what was seen. ``inspector``: the team's member who watched
    (default: the actor), the only one who may sign the session off."""
    manage_action(actor, inspection.campaign, inspection.facility_id)
    _apply(domain.check_video_patrol, inspection.by_video_patrol)
    _apply(domain.check_in_progress, inspection.status, field="inspection")
    inspector = inspector or actor
    if inspector.pk != actor.pk and inspector.pk not in _team_user_ids(inspection.team):
        raise DomainError(_("The inspector must belong to the inspecting team."), field="inspector")
    areas_watched = areas_watched.strip()
    if not areas_watched:
        raise DomainError(_("Say which areas were watched."), field="areas_watched")
    _apply(
        domain.check_session_times, started_at=started_at, ended_at=ended_at, now=timezone.now(),
        local_days=(timezone.localdate(started_at), timezone.localdate(ended_at)),
        inspection_period=(inspection.starts_on, inspection.ends_on),
    )  # fmt: skip
    session = VideoSession(
        facility_id=inspection.facility_id, inspection=inspection, areas_watched=areas_watched,
        cameras=cameras.strip(), started_at=started_at, ended_at=ended_at, observations=observations.strip(),
        inspector=inspector,
    )  # fmt: skip
    validated_save(session)
    audit.record(
        actor=actor, action="supervision.video_session_recorded", facility_id=inspection.facility_id,
        target=session,
        changed_fields=["areas_watched", "started_at", "ended_at", "inspector"]
        + [name for name in ("cameras", "observations") if getattr(session, name)],
    )  # fmt: skip
    return session


@transaction.atomic
def attach_screenshots(*, actor, session: VideoSession, uploads: Iterable, caption: str = "") -> list[EvidenceFile]:
    """Screenshots (images only) of a session not yet signed off."""
    action = manage_action(actor, session.inspection.campaign, session.facility_id)
    _apply(domain.check_session_open, session.signed_off_at, field="files")
    uploads = list(uploads)
    if not uploads:
        raise DomainError(_("Choose at least one file."), field="files")
    stored = store_evidence_files(
        actor=actor, facility=session.facility_id, uploads=uploads, caption=caption, action=action
    )
    if any(file.kind != EvidenceFile.Kind.IMAGE for file in stored):
        raise DomainError(_("Screenshots are JPEG or PNG images."), field="files")
    session.screenshots.add(*stored)
    audit.record(
        actor=actor, action="supervision.screenshots_attached", facility_id=session.facility_id, target=session,
        changed_fields=["screenshots"],
    )  # fmt: skip
    return stored


@transaction.atomic
def sign_off_video_session(*, actor, session: VideoSession, at: datetime.datetime | None = None) -> VideoSession:
    """The inspector signs the session off; from then on it no longer changes."""
    manage_action(actor, session.inspection.campaign, session.facility_id)
    now = timezone.now()
    at = at or now
    _apply(
        domain.check_sign_off, actor_id=actor.pk, inspector_id=session.inspector_id,
        signed_off_at=session.signed_off_at, ended_at=session.ended_at, at=at, now=now,
    )  # fmt: skip
    session.signed_off_at = at
    validated_save(session, update_fields=["signed_off_at"])
    audit.record(
        actor=actor, action="supervision.video_session_signed_off", facility_id=session.facility_id,
        target=session, changed_fields=["signed_off_at"],
    )  # fmt: skip
    return session
