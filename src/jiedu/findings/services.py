"""Findings, each step of their rectification, and the measures taken against them. Every write is audited.

Every step is one service: it checks the actor's permission on the finding's facility, applies the
pure rules (``domain.apply``), writes the changed fields and one ``FindingEvent``, and records an
audit event ``findings.<verb>``. Every service takes ``at`` (default: now) so that steps documented
on paper can be entered afterwards; ``at`` is never in the future and never before the last step.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import refuse_stale, save_versioned, validated_save
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.services import store_evidence
from jiedu.findings import domain
from jiedu.findings.models import Finding, FindingEvent, RectificationMeasure
from jiedu.organisation import roles
from jiedu.organisation.scoping import ALL_FACILITIES, facility_scope, require

ACTIVE_STAFF = ("on_duty", "on_leave")

# The permission each step needs on the finding's facility (the actor rules in ``domain`` come on top).
STEP_PERMISSIONS = {
    domain.START: roles.RECTIFY_FINDING,
    domain.SUBMIT: roles.RECTIFY_FINDING,
    domain.VERIFY: roles.VERIFY_FINDING,
    domain.REJECT: roles.VERIFY_FINDING,
    domain.CLOSE: roles.VERIFY_FINDING,
    domain.REOPEN: roles.VERIFY_FINDING,
    domain.EXTEND: roles.VERIFY_FINDING,
    domain.WITHDRAW: roles.RECORD_FINDING,
}


def _message(code: str) -> str:
    messages = {
        domain.FORBIDDEN_MOVE: _("This step is not possible while the finding is in its current state."),
        domain.VERIFIER_IS_RESPONSIBLE: _("The person responsible for the rectification cannot verify it."),
        domain.VERIFIER_IS_SUBMITTER: _("Whoever submitted the rectification cannot verify it."),
        domain.BUREAU_REQUIRED: _(
            "A finding of an inspection is decided by the bureau (independent verification)."
        ),
        domain.NOTE_REQUIRED: _("Describe what was done or found."),
        domain.EVIDENCE_REQUIRED: _("Attach at least one evidence file."),
        domain.REASON_REQUIRED: _("Give the reason."),
        domain.DEADLINE_BEFORE_FOUND: _("The deadline cannot lie before the day the problem was found."),
        domain.EXTENSION_NOT_LATER: _("An extension moves the deadline to a later day."),
        domain.FOUND_IN_FUTURE: _("The day found lies in the future."),
        domain.FOUND_OUTSIDE_CAMPAIGN: _("The day found lies outside the campaign's period."),
        domain.FOUND_BEFORE_INSPECTION: _("The day found lies before the inspection began."),
        domain.AT_IN_FUTURE: _("The time lies in the future."),
        domain.AT_BEFORE_PREVIOUS: _("The time lies before the finding's previous step."),
        domain.AT_BEFORE_FOUND: _("The time lies before the day the problem was found."),
    }
    return messages[code]


def _refuse(broken: domain.RuleBroken) -> DomainError:
    return DomainError(_message(broken.code), field=broken.field, code=broken.code)


def _local_day(at: datetime.datetime) -> datetime.date:
    return timezone.localdate(at)


def _actor(actor, facility_id: int, action: str) -> domain.Actor:
    return domain.Actor(user_id=actor.pk, is_bureau=facility_scope(actor, action) is ALL_FACILITIES)


def _state(finding: Finding) -> domain.State:
    last_at = finding.events.aggregate(last=Max("at"))["last"]
    return domain.State(
        status=finding.status, origin=finding.origin, found_on=finding.found_on, deadline=finding.deadline,
        responsible_user_id=finding.responsible_user_id, last_at=last_at, submitted_at=finding.submitted_at,
        submitted_by=finding.submitted_by_id,
        submitted_on=_local_day(finding.submitted_at) if finding.submitted_at else None,
        verified_at=finding.verified_at, verified_by=finding.verified_by_id, rectified_on=finding.rectified_on,
        closed_at=finding.closed_at, reopen_count=finding.reopen_count, withdrawn_reason=finding.withdrawn_reason,
    )  # fmt: skip


# State field → model field (ids for the user keys).
_WRITTEN = {
    "status": "status", "deadline": "deadline", "submitted_at": "submitted_at", "submitted_by": "submitted_by_id",
    "verified_at": "verified_at", "verified_by": "verified_by_id", "rectified_on": "rectified_on",
    "closed_at": "closed_at", "reopen_count": "reopen_count", "withdrawn_reason": "withdrawn_reason",
}  # fmt: skip


def _write(finding: Finding, after: domain.State, expected_version: int | None) -> list[str]:
    changed = []
    for state_field, model_field in _WRITTEN.items():
        value = getattr(after, state_field)
        if getattr(finding, model_field) != value:
            setattr(finding, model_field, value)
            changed.append(model_field.removesuffix("_id"))
    save_versioned(finding, expected_version=expected_version, update_fields=changed)
    return changed


def _evidence(actor, facility_id: int, files: Iterable, action: str) -> list[EvidenceFile]:
    """Stored uploads, or evidence rows already stored for the same facility."""
    stored = []
    for item in files:
        if isinstance(item, EvidenceFile):
            if item.facility_id != facility_id:
                raise DomainError(_("This file belongs to another facility."), field="files")
            stored.append(item)
        else:
            try:
                stored.append(store_evidence(actor=actor, facility=facility_id, upload=item, action=action))
            except DomainError as exc:
                # The forms and the API call the input "files"; the storage names it "file".
                raise DomainError(exc.message, field="files", code=exc.code) from exc
    return stored


def _event(finding, kind, actor, at, *, note="", evidence=(), deadline_before=None, deadline_after=None):
    event = FindingEvent(
        facility_id=finding.facility_id, finding=finding, kind=kind, actor=actor, at=at, note=note.strip(),
        deadline_before=deadline_before, deadline_after=deadline_after,
    )  # fmt: skip
    validated_save(event)
    if evidence:
        event.evidence.set(evidence)
    return event


def _locked(finding: Finding) -> Finding:
    return Finding.objects.select_for_update().get(pk=finding.pk)


def _step(
    *, actor, finding: Finding, action: str, kind: str, verb: str, at=None, note: str = "",
    files: Iterable = (), new_deadline: datetime.date | None = None, expected_version: int | None = None,
) -> Finding:  # fmt: skip
    """One lifecycle step: permission, the pure rules, the row, the event, the audit line.

    ``expected_version``, if the client sent one, is the version it read: a step taken meanwhile
    (a second verifier, say) makes this one stale (``common.services.save_versioned``). Without
    it the locked row and the state rules still let only the first of two such steps through.
    """
    permission = STEP_PERMISSIONS[action]
    require(actor, permission, finding.facility_id)
    finding = _locked(finding)
    refuse_stale(finding, expected_version)
    now = timezone.now()
    at = at or now
    files = list(files)
    move = domain.Move(
        action=action, actor=_actor(actor, finding.facility_id, permission), at=at, local_day=_local_day(at),
        note=note, evidence_count=len(files), new_deadline=new_deadline,
    )  # fmt: skip
    before = finding.deadline
    try:
        after = domain.apply(_state(finding), move, now=now)
    except domain.RuleBroken as broken:
        raise _refuse(broken) from broken
    evidence = _evidence(actor, finding.facility_id, files, permission)
    changed = _write(finding, after, expected_version)
    extended = action == domain.EXTEND
    _event(
        finding, kind, actor, at, note=note, evidence=evidence,
        deadline_before=before if extended else None, deadline_after=after.deadline if extended else None,
    )  # fmt: skip
    audit.record(
        actor=actor, action=f"findings.{verb}", facility_id=finding.facility_id, target=finding,
        changed_fields=changed + (["evidence"] if evidence else []) + (["note"] if note.strip() else []),
    )  # fmt: skip
    return finding


# --- Recording ----------------------------------------------------------------------------------


def _check_inspection(*, origin, inspection, campaign, facility_id, method):
    """An inspection finding comes from a team's inspection of this facility, by one of its methods."""
    if origin == Finding.Origin.INSPECTION and inspection is None:
        raise DomainError(_("Choose the inspection that found the problem."), field="inspection")
    if inspection is None:
        if method and method not in Finding.Method.values:
            raise DomainError(_("Choose how the problem was found."), field="method")
        return campaign
    if inspection.facility_id != facility_id:
        raise DomainError(_("The inspection is of another facility."), field="inspection")
    if origin == Finding.Origin.INSPECTION and inspection.is_self_inspection:
        raise DomainError(
            _("Problems a facility finds in its self-inspection are self-identified."), field="origin"
        )
    if origin == Finding.Origin.SELF_IDENTIFIED and not inspection.is_self_inspection:
        raise DomainError(
            _("Problems an inspection team finds are findings of the inspection."), field="origin"
        )
    if campaign is not None and campaign.pk != inspection.campaign_id:
        raise DomainError(_("The inspection belongs to another campaign."), field="campaign")
    used = domain.methods_used(
        site_check=inspection.by_site_check, ledger_review=inspection.by_ledger_review,
        video_patrol=inspection.by_video_patrol, talks=inspection.by_talks,
    )  # fmt: skip
    if method not in used:
        raise DomainError(_("Choose one of the methods the inspection used."), field="method")
    return inspection.campaign


def _check_campaign(campaign, facility_id, standard):
    if campaign is not None and not campaign.facilities.filter(pk=facility_id).exists():
        raise DomainError(_("The campaign does not include this facility."), field="campaign")
    if standard is None:
        return
    if campaign is not None and standard.catalogue_id != campaign.catalogue_id:
        raise DomainError(_("Choose a standard of the campaign's catalogue."), field="standard")


def _check_responsible(department, staff, facility_id):
    if department.facility_id != facility_id or not department.is_active:
        raise DomainError(_("Choose an active unit of this facility."), field="responsible_department")
    if (
        staff.facility_id != facility_id
        or staff.department_id != department.pk
        or staff.status not in ACTIVE_STAFF
    ):
        raise DomainError(_("Choose a serving member of the responsible unit."), field="responsible_staff")


@transaction.atomic
def record_finding(
    *, actor, facility, origin: str, severity: str, title: str, responsible_department, responsible_staff,
    found_on: datetime.date, deadline: datetime.date, inspection=None, campaign=None, standard=None,
    method: str = "", oversight: str = Finding.Oversight.INTERNAL, description: str = "", files: Iterable = (),
    at: datetime.datetime | None = None,
) -> Finding:  # fmt: skip
    """Record a problem found by an inspection team, or by the facility itself (self-identified).

    An inspection's finding takes the inspection's campaign and one of its methods; the standard is
    one of the campaign's catalogue. The responsible person serves in the responsible unit of the
    facility; their login is kept so that they can never verify their own rectification.
    """
    require(actor, roles.RECORD_FINDING, facility)
    if origin not in Finding.Origin.values:
        raise DomainError(_("Choose where the finding comes from."), field="origin")
    if severity not in Finding.Severity.values:
        raise DomainError(_("Choose a severity."), field="severity")
    if oversight not in Finding.Oversight.values:
        raise DomainError(_("Choose internal supervision or external oversight."), field="oversight")
    if not title.strip():
        raise DomainError(_("Describe the problem in a few words."), field="title")
    campaign = _check_inspection(
        origin=origin, inspection=inspection, campaign=campaign, facility_id=facility.pk, method=method
    )
    _check_campaign(campaign, facility.pk, standard)
    _check_responsible(responsible_department, responsible_staff, facility.pk)
    now = timezone.now()
    at = at or now
    try:
        domain.check_found_on(
            found_on, today=_local_day(now), period=(campaign.starts_on, campaign.ends_on) if campaign else None,
            inspection_start=inspection.starts_on if inspection else None,
        )  # fmt: skip
        domain.check_deadline(found_on, deadline)
        domain.check_moment(at, now=now, previous=None)
        if _local_day(at) < found_on:
            raise domain.RuleBroken(domain.AT_BEFORE_FOUND)
        status = domain.transition(None, domain.RECORD)
    except domain.RuleBroken as broken:
        raise _refuse(broken) from broken
    finding = Finding(
        facility=facility, origin=origin, inspection=inspection, campaign=campaign, standard=standard,
        method=method, oversight=oversight, severity=severity, title=title.strip(), description=description.strip(),
        responsible_department=responsible_department, responsible_staff=responsible_staff,
        responsible_user_id=responsible_staff.user_id, found_on=found_on, deadline=deadline, status=status,
        recorded_by=actor,
    )  # fmt: skip
    validated_save(finding)
    evidence = _evidence(actor, facility.pk, files, roles.RECORD_FINDING)
    if evidence:
        finding.evidence.set(evidence)
    _event(finding, FindingEvent.Kind.RECORDED, actor, at, note=description, evidence=evidence)
    set_fields = [
        "origin",
        "severity",
        "title",
        "responsible_department",
        "responsible_staff",
        "found_on",
        "deadline",
    ]
    optional = {
        "inspection": inspection, "campaign": campaign, "standard": standard, "method": method,
        "description": finding.description, "evidence": evidence,
    }  # fmt: skip
    audit.record(
        actor=actor, action="findings.recorded", facility_id=facility.pk, target=finding,
        changed_fields=set_fields + ["oversight"] + [name for name, value in optional.items() if value],
    )  # fmt: skip
    return finding


# --- The lifecycle ------------------------------------------------------------------------------


@transaction.atomic
def start_rectification(
    *, actor, finding: Finding, note: str = "", at=None, expected_version: int | None = None
) -> Finding:
    """The responsible unit starts rectifying (open → rectifying)."""
    return _step(
        actor=actor, finding=finding, action=domain.START,
        kind=FindingEvent.Kind.STARTED, verb="started", at=at, note=note, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def submit_rectification(
    *, actor, finding: Finding, note: str, files: Iterable, at=None, expected_version: int | None = None
) -> Finding:
    """Submit the rectification for verification: what was done, and at least one evidence file."""
    return _step(
        actor=actor, finding=finding, action=domain.SUBMIT,
        kind=FindingEvent.Kind.SUBMITTED, verb="submitted", at=at, note=note, files=files,
        expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def verify(*, actor, finding: Finding, note: str = "", at=None, expected_version: int | None = None) -> Finding:
    """Verification passed; the rectification date is the day of the accepted submission.

    Never by the responsible person nor the submitter; an inspection's finding by the bureau.
    """
    return _step(
        actor=actor, finding=finding, action=domain.VERIFY,
        kind=FindingEvent.Kind.VERIFIED, verb="verified", at=at, note=note, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def reject(*, actor, finding: Finding, note: str, at=None, expected_version: int | None = None) -> Finding:
    """Verification failed: back to rectifying, counted as reopened; the note says what is missing."""
    return _step(
        actor=actor, finding=finding, action=domain.REJECT,
        kind=FindingEvent.Kind.REJECTED, verb="rejected", at=at, note=note, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def close(*, actor, finding: Finding, note: str = "", at=None, expected_version: int | None = None) -> Finding:
    """Close a verified finding (the verifier's side)."""
    return _step(
        actor=actor, finding=finding, action=domain.CLOSE,
        kind=FindingEvent.Kind.CLOSED, verb="closed", at=at, note=note, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def reopen(*, actor, finding: Finding, reason: str, at=None, expected_version: int | None = None) -> Finding:
    """A verified or closed problem found again: back to rectifying, no longer counted as rectified."""
    return _step(
        actor=actor, finding=finding, action=domain.REOPEN,
        kind=FindingEvent.Kind.REOPENED, verb="reopened", at=at, note=reason, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def extend_deadline(
    *, actor, finding: Finding, new_deadline: datetime.date, reason: str, at=None,
    expected_version: int | None = None,
) -> Finding:  # fmt: skip
    """A later deadline with a reason: the bureau for inspection findings, else the facility leadership."""
    return _step(
        actor=actor, finding=finding, action=domain.EXTEND, kind=FindingEvent.Kind.EXTENDED, verb="extended",
        at=at, note=reason, new_deadline=new_deadline, expected_version=expected_version,
    )  # fmt: skip


@transaction.atomic
def withdraw(*, actor, finding: Finding, reason: str, at=None, expected_version: int | None = None) -> Finding:
    """A finding recorded in error, withdrawn before verification; it then counts nowhere."""
    return _step(
        actor=actor, finding=finding, action=domain.WITHDRAW,
        kind=FindingEvent.Kind.WITHDRAWN, verb="withdrawn", at=at, note=reason, expected_version=expected_version,
    )  # fmt: skip


# --- Measures -----------------------------------------------------------------------------------


@transaction.atomic
def record_measure(
    *, actor, facility, title: str, responsible_department, due_on: datetime.date, findings: Iterable[Finding],
    campaign=None, description: str = "", at: datetime.datetime | None = None,
) -> RectificationMeasure:  # fmt: skip
    """整改措施: one measure of a facility against one or more of its findings (of the same campaign)."""
    require(actor, roles.RECORD_FINDING, facility)
    findings = list(findings)
    if not title.strip():
        raise DomainError(_("Describe the measure in a few words."), field="title")
    if responsible_department.facility_id != facility.pk or not responsible_department.is_active:
        raise DomainError(_("Choose an active unit of this facility."), field="responsible_department")
    if campaign is not None and not campaign.facilities.filter(pk=facility.pk).exists():
        raise DomainError(_("The campaign does not include this facility."), field="campaign")
    if not findings:
        raise DomainError(_("Choose the findings the measure addresses."), field="findings")
    for finding in findings:
        if finding.facility_id != facility.pk:
            raise DomainError(_("A finding of another facility was chosen."), field="findings")
        if campaign is not None and finding.campaign_id != campaign.pk:
            raise DomainError(_("Choose findings of the same campaign."), field="findings")
        if finding.status == Finding.Status.WITHDRAWN:
            raise DomainError(_("A withdrawn finding needs no measure."), field="findings")
    now = timezone.now()
    try:
        domain.check_moment(at or now, now=now, previous=None)
    except domain.RuleBroken as broken:
        raise _refuse(broken) from broken
    measure = RectificationMeasure(
        facility=facility, campaign=campaign, title=title.strip(), description=description.strip(),
        responsible_department=responsible_department, due_on=due_on, recorded_by=actor,
    )  # fmt: skip
    validated_save(measure)
    measure.findings.set(findings)
    audit.record(
        actor=actor, action="findings.measure_recorded", facility_id=facility.pk, target=measure,
        changed_fields=["title", "responsible_department", "due_on", "findings"]
        + (["campaign"] if campaign else []) + (["description"] if measure.description else []),
    )  # fmt: skip
    return measure


@transaction.atomic
def complete_measure(
    *, actor, measure: RectificationMeasure, completed_on: datetime.date | None = None,
    at: datetime.datetime | None = None,
) -> RectificationMeasure:  # fmt: skip
    """Mark a measure carried out, on ``completed_on`` (default: the day of ``at``)."""
    require(actor, roles.RECTIFY_FINDING, measure.facility_id)
    measure = RectificationMeasure.objects.select_for_update().get(pk=measure.pk)
    if measure.completed_on is not None:
        raise DomainError(_("This measure is already completed."), field="completed_on")
    now = timezone.now()
    at = at or now
    completed_on = completed_on or _local_day(at)
    try:
        domain.check_moment(at, now=now, previous=None)
    except domain.RuleBroken as broken:
        raise _refuse(broken) from broken
    if completed_on > _local_day(now):
        raise DomainError(_("The day lies in the future."), field="completed_on")
    measure.completed_on = completed_on
    validated_save(measure, update_fields=["completed_on"])
    audit.record(
        actor=actor, action="findings.measure_completed", facility_id=measure.facility_id, target=measure,
        changed_fields=["completed_on"],
    )  # fmt: skip
    return measure
