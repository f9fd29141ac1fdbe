"""Roles and what each may do: the one permission table (like Sentry's scope map).

A role is held through a Membership, either for one facility or for the whole bureau.
Actions are plain strings "<app>.<verb>"; models name the action needed to *see* them
(``view_action``) and to change them (``manage_action``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BUREAU_LEADER = "bureau_leader", _("Bureau leader")
    BUREAU_SUPERVISOR = "bureau_supervisor", _("Bureau supervisor")
    FACILITY_LEADER = "facility_leader", _("Facility leader")
    FACILITY_OFFICER = "facility_officer", _("Facility officer")
    MEDICAL_STAFF = "medical_staff", _("Medical staff")
    GATE_OFFICER = "gate_officer", _("Gate officer")
    PROSECUTOR = "prosecutor", _("Prosecutor")
    STATION_WORKER = "station_worker", _("Community station worker")
    # 三员分立: three administrators, each for one kind of duty, none reading personal data.
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


# The administrators are bureau-wide; a user holds at most one bureau-wide membership (a database
# constraint), so nobody holds two administrator roles, nor an administrator and a leader role.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Bureau roles hold their membership for the whole region (facility is NULL); all others for one facility.
BUREAU_ROLES = frozenset({Role.BUREAU_LEADER, Role.BUREAU_SUPERVISOR}) | ADMIN_ROLES
FACILITY_ROLES = frozenset(set(Role) - BUREAU_ROLES)

VIEW_ORGANISATION = "organisation.view"
MANAGE_ORGANISATION = "organisation.manage"
VIEW_STATIONS = "stations.view"
MANAGE_STATIONS = "stations.manage"
VIEW_STAFF = "people.view_staff"
MANAGE_STAFF = "people.manage_staff"
VIEW_RESIDENTS = "people.view_residents"
ADMIT_RESIDENT = "people.admit_resident"
UPDATE_RESIDENT = "people.update_resident"
REVEAL_PII = "people.reveal_pii"
VIEW_AUDIT = "audit.view"
# Administrators' duties (三员): accounts and role grants; login security (locks, second factors,
# sessions); the audit trail and the personal-data access log.
MANAGE_ACCOUNTS = "accounts.manage"
MANAGE_SECURITY = "security.manage"
VIEW_ACCESS_LOG = "audit.view_access_log"
# Epidemic control inside facilities: one read action for every ledger, one write action per duty.
VIEW_EPIDEMIC = "epidemic.view"
RECORD_GATE = "gate.record"
RECORD_TEMPERATURE = "health.record_temperature"
RECORD_ENVIRONMENT = "environment.record"
MANAGE_ISOLATION = "isolation.manage"
MANAGE_RELEASE = "isolation.manage_release"

# Epidemic control for staff: movements and test results of staff and their families are
# whereabouts and health data, read by leaders and the officers who manage them, not by everyone.
VIEW_STAFF_HEALTH = "staffcare.view"
MANAGE_STAFF_HEALTH = "staffcare.manage"

# Standardised management (规范化管理): the catalogue is the region's; inspections, findings and
# scores are per facility. Supervision records are read by leaders, officers and the prosecutor.
VIEW_STANDARDS = "standards.view"
MANAGE_STANDARDS = "standards.manage"
SELF_ASSESS = "standards.self_assess"
VIEW_SUPERVISION = "supervision.view"
MANAGE_SUPERVISION = "supervision.manage"
RECORD_FINDING = "findings.record"
RECTIFY_FINDING = "findings.rectify"
VERIFY_FINDING = "findings.verify"
RECORD_HYGIENE = "hygiene.record"

_READ_ALL = frozenset(
    {VIEW_ORGANISATION, VIEW_STATIONS, VIEW_STAFF, VIEW_RESIDENTS, VIEW_EPIDEMIC, VIEW_STANDARDS, VIEW_SUPERVISION}
)
# Bureau supervision teams inspect, record findings and verify rectification independently.
_SUPERVISE = frozenset({MANAGE_SUPERVISION, RECORD_FINDING, VERIFY_FINDING, RECORD_HYGIENE})
# A facility assesses itself, records its own findings, rectifies and verifies its self-identified ones.
_FACILITY_STANDARDS = frozenset({SELF_ASSESS, RECORD_FINDING, RECTIFY_FINDING, RECORD_HYGIENE})
_FACILITY_DUTIES = frozenset({RECORD_GATE, RECORD_TEMPERATURE, RECORD_ENVIRONMENT, MANAGE_ISOLATION, MANAGE_RELEASE})

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.BUREAU_LEADER: _READ_ALL | _SUPERVISE | {VIEW_AUDIT, VIEW_STAFF_HEALTH},
    Role.BUREAU_SUPERVISOR: _READ_ALL
    | _SUPERVISE
    | {MANAGE_ORGANISATION, MANAGE_STATIONS, VIEW_STAFF_HEALTH, MANAGE_STANDARDS},
    Role.FACILITY_LEADER: _READ_ALL
    | _FACILITY_DUTIES
    | {MANAGE_ORGANISATION, MANAGE_STATIONS, MANAGE_STAFF, ADMIT_RESIDENT, UPDATE_RESIDENT, VIEW_AUDIT, REVEAL_PII}
    | {VIEW_STAFF_HEALTH, MANAGE_STAFF_HEALTH}
    | _FACILITY_STANDARDS
    | {VERIFY_FINDING},
    Role.FACILITY_OFFICER: _READ_ALL
    | _FACILITY_DUTIES
    | {ADMIT_RESIDENT, UPDATE_RESIDENT, VIEW_STAFF_HEALTH, MANAGE_STAFF_HEALTH, RECTIFY_FINDING, REVEAL_PII},
    Role.MEDICAL_STAFF: frozenset(
        {
            VIEW_ORGANISATION, VIEW_RESIDENTS, VIEW_EPIDEMIC, RECORD_TEMPERATURE, RECORD_ENVIRONMENT,
            MANAGE_ISOLATION, VIEW_STAFF_HEALTH, MANAGE_STAFF_HEALTH, REVEAL_PII,
        }
    ),
    Role.GATE_OFFICER: frozenset({VIEW_ORGANISATION, VIEW_EPIDEMIC, RECORD_GATE}),
    # Read-only oversight of the facilities the prosecutor is assigned to (one membership each).
    Role.PROSECUTOR: frozenset(
        {VIEW_ORGANISATION, VIEW_STAFF, VIEW_RESIDENTS, VIEW_EPIDEMIC, VIEW_STANDARDS, VIEW_SUPERVISION}
    ),
    Role.STATION_WORKER: frozenset({VIEW_ORGANISATION, VIEW_STATIONS}),
    Role.SYSTEM_ADMIN: frozenset({VIEW_ORGANISATION, MANAGE_ACCOUNTS}),
    Role.SECURITY_ADMIN: frozenset({MANAGE_SECURITY}),
    Role.AUDIT_ADMIN: frozenset({VIEW_AUDIT, VIEW_ACCESS_LOG}),
}

# REVEAL_PII (leaders, officers, medical staff of their own facility) never shows a full identifier
# by itself: pages, the API and exports always mask. It allows the reveal-with-purpose step, one
# number at a time, each reveal logged with its typed purpose (privacy.services.reveal_identifier).


def actions_for(role: str) -> frozenset[str]:
    return ROLE_ACTIONS.get(role, frozenset())
