"""Recording passages through the gate. Admitted or refused, every passage becomes a row."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.common.services import validated_save
from jiedu.epidemic.selectors import policy_for
from jiedu.gatelog import domain
from jiedu.gatelog.models import GateEvent
from jiedu.organisation import roles
from jiedu.organisation.scoping import require

# Tablets and servers disagree by a little; an event further ahead than this is a typing error.
CLOCK_SKEW = datetime.timedelta(minutes=5)

AUDIT_ACTIONS = {
    (domain.ENTRY, GateEvent.Outcome.ADMITTED): "gate.entry_admitted",
    (domain.ENTRY, GateEvent.Outcome.REFUSED): "gate.entry_refused",
    (domain.EXIT, GateEvent.Outcome.ADMITTED): "gate.exit",
    (domain.HANDOVER, GateEvent.Outcome.ADMITTED): "gate.goods_handover",
    (domain.HANDOVER, GateEvent.Outcome.REFUSED): "gate.goods_handover_refused",
}


def _clean_plate(plate: str) -> str:
    """蒙A 12345 and 蒙a·12345 are the same plate: no spaces or dots, upper case."""
    return "".join(ch for ch in plate if ch not in " ·.-\t").upper()


def _check_input(facility, values: dict, now: datetime.datetime) -> None:
    """Input errors the officer fixes before anything is judged; none of them is a refusal."""
    event_kind, subject_kind = values["event_kind"], values["subject_kind"]
    staff, corrects = values["staff"], values["corrects"]
    if event_kind == domain.HANDOVER and subject_kind != GateEvent.SubjectKind.GOODS:
        raise DomainError(_("A contact-free hand-over is for goods."), field="subject_kind")
    if not values["subject_name"]:
        raise DomainError(_("Enter the name."), field="subject_name")
    if staff is not None and subject_kind != GateEvent.SubjectKind.STAFF:
        raise DomainError(_("Only staff passages link to a staff member."), field="staff")
    if staff is not None and staff.facility_id != facility.pk:
        raise DomainError(_("This belongs to another facility."), field="staff")
    if subject_kind == GateEvent.SubjectKind.VEHICLE and not values["vehicle_plate"]:
        raise DomainError(_("Enter the vehicle plate."), field="vehicle_plate")
    if event_kind == domain.HANDOVER and not values["received_by"]:
        raise DomainError(_("Enter the officer who receives the goods."), field="received_by")
    missing = domain.incomplete_approval(
        values["approver"], values["approval_purpose"], values["approval_valid_until"]
    )
    if missing:
        raise DomainError(
            _("An approval needs the approver, the purpose and its validity."), field=missing[0]
        )
    temperature_c = values["temperature_c"]
    if temperature_c is not None and not domain.temperature_in_range(temperature_c):
        raise DomainError(_("A temperature is between 34.0 and 43.0 °C."), field="temperature_c")
    if values["occurred_at"] > now + CLOCK_SKEW:
        raise DomainError(_("The time lies in the future."), field="occurred_at")
    if corrects is not None:
        if corrects.facility_id != facility.pk:
            raise DomainError(_("This belongs to another facility."), field="corrects")
        if GateEvent.objects.filter(corrects=corrects).exists():
            raise DomainError(_("This event has already been corrected."), field="corrects")


@transaction.atomic
def record_gate_event(
    *,
    actor,
    facility,
    event_kind: str,
    subject_kind: str,
    subject_name: str,
    organisation: str = "",
    staff=None,
    vehicle_plate: str = "",
    approver: str = "",
    approval_purpose: str = "",
    approval_valid_until: datetime.datetime | None = None,
    temperature_c: Decimal | None = None,
    disinfected: bool = False,
    security_checked: bool = False,
    received_by: str = "",
    occurred_at: datetime.datetime | None = None,
    corrects: GateEvent | None = None,
) -> GateEvent:
    """Judge a passage by the facility's policy for its day and record it, admitted or refused.

    A refusal is not an error: the refused passage is saved with its reasons and returned.
    Input that cannot describe a passage (no name, a temperature of 50 °C) raises DomainError.
    """
    require(actor, roles.RECORD_GATE, facility)
    now = timezone.now()
    occurred_at = occurred_at or now
    values = {
        "event_kind": event_kind, "subject_kind": subject_kind, "subject_name": subject_name.strip(),
        "organisation": organisation.strip(), "staff": staff, "vehicle_plate": _clean_plate(vehicle_plate),
        "approver": approver.strip(), "approval_purpose": approval_purpose.strip(),
        "approval_valid_until": approval_valid_until, "temperature_c": temperature_c, "disinfected": disinfected,
        "security_checked": security_checked, "received_by": received_by.strip(), "occurred_at": occurred_at,
        "corrects": corrects,
    }  # fmt: skip
    _check_input(facility, values, now)
    policy = policy_for(facility.pk, timezone.localdate(occurred_at))
    passage = domain.Passage(
        event_kind=event_kind,
        approval_valid_until=approval_valid_until,
        temperature_c=temperature_c,
        disinfected=disinfected,
        security_checked=security_checked,
    )
    reasons = domain.refusal_reasons(policy=policy, passage=passage, now=occurred_at)
    outcome = GateEvent.Outcome.REFUSED if reasons else GateEvent.Outcome.ADMITTED
    event = GateEvent(
        facility=facility,
        outcome=outcome,
        refusal_reasons=reasons,
        closed_management=policy.closed_management,
        fever_threshold_c=policy.fever_threshold_c,
        registered_by=actor,
        **values,
    )
    validated_save(event)
    audit.record(
        actor=actor,
        action=AUDIT_ACTIONS[(event_kind, outcome)],
        facility_id=facility.pk,
        target=event,
        changed_fields=[name for name, value in values.items() if value not in (None, "", False)],
    )
    return event
