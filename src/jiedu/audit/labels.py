"""Readable labels for the audit page: codes stay in the table, people read words."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from jiedu.organisation.roles import Role

ACTION_LABELS = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    # Login hardening, second factor and sessions (issue 6, accounts app).
    "auth.locked_out": _("Login locked after failed attempts"),
    "auth.ip_throttled": _("Address blocked after failed logins"),
    "auth.unlocked": _("Login unlocked"),
    "auth.ip_unblocked": _("Address unblocked"),
    "auth.otp_verified": _("Second-factor code accepted"),
    "auth.otp_failed": _("Wrong second-factor code"),
    "otp.device_confirmed": _("Authenticator app set up"),
    "otp.device_reset": _("Authenticator app removed"),
    "auth.password_changed": _("Password changed"),
    "auth.session_expired": _("Session reached its maximum length"),
    "auth.sessions_ended": _("All sessions of a login ended"),
    "user.disabled": _("Login disabled"),
    "auth.account_disabled_idle": _("Login disabled after long inactivity"),
    # Administrators and personal-data access (issue 6, administration and privacy apps).
    "user.enabled": _("Login enabled"),
    "membership.granted": _("Role granted"),
    "membership.revoked": _("Role revoked"),
    "membership.administrator_appointed": _("Administrator appointed"),
    "audit.chain_verified": _("Audit trail integrity checked"),
    "audit.trail_viewed": _("Audit trail read"),
    "pii.revealed": _("Full ID or phone number revealed"),
    "privacy.access_log_viewed": _("Personal data access log read"),
    "export.requested": _("Export approval requested"),
    "export.approved": _("Export approved"),
    "export.rejected": _("Export rejected"),
    "export.downloaded": _("Approved export downloaded"),
    "export.approval_missing": _("Export refused: no approval"),
    "export.approval_invalid": _("Export refused: approval not valid"),
    "personal_data.purged": _("Expired personal data deleted"),
    "facility.created": _("Facility created"),
    "facility.updated": _("Facility updated"),
    "department.created": _("Department created"),
    "department.updated": _("Department updated"),
    "zone.created": _("Zone created"),
    "zone.updated": _("Zone updated"),
    "room.created": _("Room created"),
    "room.updated": _("Room updated"),
    "room.deactivated": _("Room deactivated"),
    "communitystation.created": _("Station created"),
    "communitystation.updated": _("Station updated"),
    "resident.admitted": _("Resident admitted"),
    "resident.updated": _("Resident updated"),
    "staff.created": _("Staff member registered"),
    "staff.updated": _("Staff member updated"),
    "user.created": _("Login created"),
    "user.password_reset": _("Password reset"),
    "membership.created": _("Role granted"),
    "policy.set": _("Epidemic policy set"),
    "gate.entry_admitted": _("Gate entry admitted"),
    "gate.entry_refused": _("Gate entry refused"),
    "gate.exit": _("Gate exit recorded"),
    "gate.goods_handover": _("Contact-free goods hand-over recorded"),
    "gate.goods_handover_refused": _("Contact-free goods hand-over refused"),
    "temperature.recorded": _("Temperature recorded"),
    "temperature.round_recorded": _("Temperature round recorded"),
    "temperature.round_imported": _("Historical temperature round imported"),
    "temperature.corrected": _("Temperature reading corrected"),
    "fever_alert.raised": _("Fever alert raised"),
    "fever_alert.isolated": _("Fever alert: resident isolated"),
    "fever_alert.dismissed": _("Fever alert dismissed after re-check"),
    "isolation.admitted": _("Placed in isolation"),
    "isolation.ended": _("Isolation ended"),
    "isolation.transferred": _("Moved to another isolation room"),
    "prerelease.item_recorded": _("Pre-release item recorded"),
    "prerelease.item_replaced": _("Pre-release item recorded again"),
    "prerelease.handover_recorded": _("Release hand-over recorded"),
    "prerelease.handover_replaced": _("Release hand-over recorded again"),
    "resident.released": _("Resident released"),
    "overseas.entry_created": _("Overseas ledger entry created"),
    "overseas.status_recorded": _("Overseas ledger status recorded"),
    "standby.shift_created": _("Standby shift created"),
    "standby.member_added": _("Added to standby shift"),
    "standby.member_removed": _("Removed from standby shift"),
    "standby.test_recorded": _("Nucleic-acid test recorded"),
    "standby.duty_started": _("Started duty after standby"),
    "standby.policy_set": _("Standby rule set"),
    "leave.period_created": _("Leave period created"),
    "leave.report_submitted": _("Daily leave report submitted"),
    "leave.report_reviewed_department": _("Daily leave report reviewed by the department"),
    "leave.report_checked_facility": _("Daily leave report checked by the facility"),
    "leave.return_reported": _("Return-to-work report submitted"),
    "leave.area_created": _("Leave area created"),
    "leave.inspector_assigned": _("Area inspector assigned"),
    "leave.patrol_recorded": _("Patrol visit recorded"),
    "screening.round_created": _("Screening round created"),
    "screening.form_submitted": _("Screening form submitted"),
    "screening.commitment_recorded": _("Commitment recorded"),
    "crosscheck.run_saved": _("DingTalk and health-code cross-check saved"),
    "keyarea.marked": _("Key area marked"),
    "keyarea.updated": _("Key area updated"),
    "keyarea.unmarked": _("Key area unmarked"),
    "environment.recorded": _("Ventilation/disinfection recorded"),
    "environment.corrected": _("Environment record corrected"),
    "environment.retracted": _("Environment record withdrawn"),
    "environment.recorded_batch": _("Environment records entered in a batch"),
    "standards.draft_created": _("Catalogue draft created"),
    "standards.published": _("Catalogue version published"),
    "standards.retired": _("Catalogue version retired"),
    "standards.area_added": _("Standards area added"),
    "standards.area_updated": _("Standards area updated"),
    "standards.area_removed": _("Standards area removed"),
    "standards.standard_added": _("Standard added"),
    "standards.standard_updated": _("Standard updated"),
    "standards.standard_removed": _("Standard removed"),
    "standards.imported": _("Catalogue imported from Excel"),
    "standards.self_assessment_started": _("Self-assessment started"),
    "standards.self_assessment_scored": _("Self-assessment scored"),
    "standards.self_assessment_submitted": _("Self-assessment submitted"),
    "findings.recorded": _("Finding recorded"),
    "findings.started": _("Rectification started"),
    "findings.submitted": _("Rectification submitted"),
    "findings.verified": _("Rectification verified"),
    "findings.rejected": _("Rectification failed verification"),
    "findings.closed": _("Finding closed"),
    "findings.reopened": _("Finding reopened"),
    "findings.extended": _("Rectification deadline extended"),
    "findings.withdrawn": _("Finding withdrawn"),
    "findings.measure_recorded": _("Rectification measure recorded"),
    "findings.measure_completed": _("Rectification measure completed"),
    "evidence.uploaded": _("Evidence file uploaded"),
    "evidence.downloaded": _("Evidence file downloaded"),
    "supervision.campaign_created": _("Supervision campaign created"),
    "supervision.team_created": _("Supervision team formed"),
    "supervision.inspection_planned": _("Inspection planned"),
    "supervision.inspection_started": _("Inspection started"),
    "supervision.inspection_completed": _("Inspection completed"),
    "supervision.results_recorded": _("Inspection results recorded"),
    "supervision.evidence_attached": _("Inspection evidence attached"),
    "supervision.video_session_recorded": _("Video inspection session recorded"),
    "supervision.screenshots_attached": _("Video screenshots attached"),
    "supervision.video_session_signed_off": _("Video inspection session signed off"),
    "hygiene.inspection_recorded": _("Hygiene inspection recorded"),
    "hygiene.inspection_corrected": _("Hygiene inspection corrected"),
    "hygiene.board_published": _("Honour roll and exposure board published"),
    "assessment.scheme_set": _("Target-management scheme set"),
    # Permission codes, which denied attempts record as their action.
    "organisation.view": _("View the organisation"),
    "organisation.manage": _("Manage the organisation"),
    "stations.view": _("View stations"),
    "stations.manage": _("Manage stations"),
    "people.view_staff": _("View staff"),
    "people.manage_staff": _("Manage staff"),
    "people.view_residents": _("View residents"),
    "people.admit_resident": _("Admit residents"),
    "people.update_resident": _("Update residents"),
    "people.reveal_pii": _("Reveal personal identifiers"),
    "audit.view": _("Read the audit trail"),
    "security.manage": _("Manage login security"),
    "accounts.manage": _("Manage logins and roles"),
    "audit.view_access_log": _("Read the personal data access log"),
    "administration.view": _("Open the administration pages"),
    "administration.appoint": _("Appoint administrators"),
    "privacy.export_request": _("Look up an export request"),
    "epidemic.view": _("View epidemic ledgers"),
    "gate.record": _("Record gate passages"),
    "health.record_temperature": _("Record temperatures"),
    "environment.record": _("Record ventilation and disinfection"),
    "isolation.manage": _("Manage isolation"),
    "isolation.manage_release": _("Manage releases"),
    "standards.view": _("View the standards catalogue"),
    "standards.manage": _("Manage the standards catalogue"),
    "standards.self_assess": _("Self-assess against the standards"),
    "supervision.view": _("View supervision records"),
    "supervision.manage": _("Manage supervision"),
    "findings.record": _("Record findings"),
    "findings.rectify": _("Rectify findings"),
    "findings.verify": _("Verify rectification"),
    "hygiene.record": _("Record hygiene inspections"),
}


def action_label(code: str) -> str:
    """Known actions by name; a denied read shows as the permission it lacked."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    return code


def role_label(codes: str) -> str:
    labels = {**dict(Role.choices), "system": _("System")}
    return "、".join(str(labels.get(code, code)) for code in codes.split(",") if code)


def field_labels(target_type: str, names: list[str]) -> str:
    """Changed fields by their (translated) verbose names, in the order recorded."""
    try:
        meta = apps.get_model(target_type)._meta if target_type else None
    except (LookupError, ValueError):
        meta = None
    shown = []
    for name in names:
        try:
            shown.append(str(meta.get_field(name).verbose_name) if meta else name)
        except Exception:  # noqa: BLE001 - a field since removed still shows by its code
            shown.append(name)
    return "、".join(shown)


def target_label(target_type: str) -> str:
    if not target_type:
        return ""
    try:
        return str(apps.get_model(target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return target_type
