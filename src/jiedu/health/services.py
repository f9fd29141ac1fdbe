"""Temperature rounds: readings (one by one, a zone's whole round, historical imports, corrections)
and the fever alerts they raise (isolate the resident, or dismiss after a normal re-check).

Every write checks the actor's role for the facility and is audited by field names only. A
reading at or above the fever threshold in force on its day raises a fever alert, unless the
resident already has an open one; the alert's re-check time follows ``health.domain``.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError
from jiedu.epidemic.selectors import PolicyBook, policy_for
from jiedu.health import domain, selectors
from jiedu.health.models import FeverAlert, TemperatureReading
from jiedu.isolation.services import admit_to_isolation
from jiedu.organisation import roles
from jiedu.organisation.models import Room, Zone
from jiedu.organisation.scoping import require
from jiedu.people.models import Resident

READING_FIELDS = ["resident", "temperature_c", "measured_at", "measured_by", "zone"]


class RoundError(DomainError):
    """Some rows of a round are wrong; nothing was saved. ``rows`` maps a row's index (0-based) to
    {field: message}; the message names the first bad row (1-based, as people count)."""

    def __init__(self, rows: dict[int, dict[str, str]]):
        first = min(rows)
        message = next(iter(rows[first].values()))
        super().__init__(
            _("Row %(row)s: %(message)s") % {"row": first + 1, "message": message}, field="readings"
        )
        self.rows = rows


@dataclass
class RoundResult:
    readings: list[TemperatureReading]
    alerts: list[FeverAlert] = field(default_factory=list)


def checked_temperature(value) -> Decimal:
    """The value as a one-decimal Decimal in the valid range, else a DomainError on temperature_c."""
    try:
        temperature = Decimal(str(value).strip()).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        raise DomainError(_("Enter the temperature as a number, e.g. 36.5."), field="temperature_c") from None
    if not temperature.is_finite() or not domain.in_valid_range(temperature):
        raise DomainError(
            _("The temperature must be between %(low)s and %(high)s °C.")
            % {"low": domain.LOWEST_C, "high": domain.HIGHEST_C},
            field="temperature_c",
        )
    return temperature


def _checked_time(measured_at: datetime.datetime | None, now: datetime.datetime) -> datetime.datetime:
    measured_at = measured_at or now
    if measured_at > now:
        raise DomainError(_("A temperature cannot be measured in the future."), field="measured_at")
    return measured_at


def _custody_error(resident: Resident, facility_id: int, measured_at: datetime.datetime) -> str | None:
    """Was the resident held by this facility at ``measured_at``?"""
    if resident.facility_id != facility_id:
        return _("This belongs to another facility.")
    if measured_at < resident.admitted_at:
        return _("The time is before the resident's admission.")
    if resident.left_at is not None and measured_at >= resident.left_at:
        return _("The time is after the resident left the facility.")
    return None


def _resident_error(resident: Resident, facility_id: int, measured_at: datetime.datetime) -> str | None:
    """For readings taken now: the resident is also still present."""
    if resident.facility_id == facility_id and resident.status not in Resident.PRESENT_STATUSES:
        return _("This resident is no longer in custody.")
    return _custody_error(resident, facility_id, measured_at)


def _raise_fever_alerts(*, actor, readings: Sequence[TemperatureReading]) -> list[FeverAlert]:
    """An alert for each fever among ``readings`` whose resident has no open alert yet (one per
    resident). No permission check: the recording service has checked its own."""
    if not readings:
        return []
    book = PolicyBook({r.facility_id for r in readings})
    policies = {}  # (facility, day): a round's readings share one or two
    fevers, seen = [], set()
    for reading in sorted(readings, key=lambda r: (r.measured_at, r.pk)):
        key = (reading.facility_id, timezone.localdate(reading.measured_at))
        if key not in policies:
            policies[key] = book.policy(*key)
        policy = policies[key]
        if (
            domain.is_fever(reading.temperature_c, policy.fever_threshold_c)
            and reading.resident_id not in seen
        ):
            seen.add(reading.resident_id)
            fevers.append((reading, policy))
    already_open = set(
        FeverAlert.objects.filter(resident_id__in=seen, status=FeverAlert.Status.OPEN).values_list(
            "resident_id", flat=True
        )
    )
    alerts = []
    for reading, policy in fevers:
        if reading.resident_id in already_open:
            continue
        try:
            with transaction.atomic():
                alert = FeverAlert.objects.create(
                    facility_id=reading.facility_id, resident_id=reading.resident_id, reading=reading,
                    raised_at=reading.measured_at,
                    recheck_due_at=domain.recheck_due_at(reading.measured_at, policy.temperature_interval_minutes),
                )  # fmt: skip
        except IntegrityError:
            continue  # a concurrent reading opened one meanwhile: one open alert per resident is enough
        audit.record(
            actor=actor, action="fever_alert.raised", facility_id=alert.facility_id, target=alert,
            changed_fields=["resident", "reading", "raised_at", "status", "recheck_due_at"],
        )  # fmt: skip
        alerts.append(alert)
    return alerts


def _store(actor, rows: Sequence[tuple[Resident, Decimal, datetime.datetime, int | None]]) -> RoundResult:
    """Insert the readings in one statement and raise the fever alerts they call for."""
    readings = TemperatureReading.objects.bulk_create(
        TemperatureReading(
            facility_id=resident.facility_id, resident=resident, measured_at=measured_at,
            temperature_c=temperature, measured_by=actor, zone_id=zone_id,
        )
        for resident, temperature, measured_at, zone_id in rows
    )  # fmt: skip
    alerts = _raise_fever_alerts(actor=actor, readings=readings)
    # A new reading has no alert but the one it just raised: say so, so that showing the round
    # does not ask the database once per reading.
    relation = TemperatureReading._meta.get_field("fever_alert")
    for reading in readings:
        if not relation.is_cached(reading):
            relation.set_cached_value(reading, None)
    return RoundResult(readings, alerts)


@transaction.atomic
def record_reading(
    *, actor, resident: Resident, temperature_c, measured_at: datetime.datetime | None = None, note: str = ""
) -> TemperatureReading:
    """One resident's temperature, e.g. a re-check after a fever. Returns the reading (and
    ``reading.fever_alert`` exists when it raised one)."""
    require(actor, roles.RECORD_TEMPERATURE, resident.facility_id)
    temperature = checked_temperature(temperature_c)
    measured_at = _checked_time(measured_at, timezone.now())
    problem = _resident_error(resident, resident.facility_id, measured_at)
    if problem:
        raise DomainError(problem, field="resident")
    reading = TemperatureReading.objects.create(
        facility_id=resident.facility_id, resident=resident, measured_at=measured_at, temperature_c=temperature,
        measured_by=actor, zone_id=resident.current_zone_id, note=note,
    )  # fmt: skip
    audit.record(
        actor=actor, action="temperature.recorded", facility_id=resident.facility_id, target=reading,
        changed_fields=[*READING_FIELDS, *(["note"] if note else [])],
    )  # fmt: skip
    _raise_fever_alerts(actor=actor, readings=[reading])
    return reading


@transaction.atomic
def record_round(
    *,
    actor,
    zone: Zone,
    readings: Sequence[tuple[Resident, object]],
    measured_at: datetime.datetime | None = None,
) -> RoundResult:
    """A zone's whole round in one transaction: one bad row and nothing is saved (RoundError)."""
    require(actor, roles.RECORD_TEMPERATURE, zone.facility_id)
    measured_at = _checked_time(measured_at, timezone.now())
    if not readings:
        raise DomainError(_("Enter at least one temperature."), field="readings")
    errors: dict[int, dict[str, str]] = {}
    rows, seen = [], set()
    for index, (resident, value) in enumerate(readings):
        problem = _resident_error(resident, zone.facility_id, measured_at)
        if problem is None and resident.current_zone_id != zone.pk:
            problem = _("This resident is not in this zone.")
        if problem is None and resident.pk in seen:
            problem = _("This resident appears twice in the round.")
        seen.add(resident.pk)
        if problem:
            errors.setdefault(index, {})["resident"] = problem
        try:
            temperature = checked_temperature(value)
        except DomainError as exc:
            errors.setdefault(index, {})["temperature_c"] = exc.message
            continue
        rows.append((resident, temperature, measured_at, zone.pk))
    if errors:
        raise RoundError(errors)
    result = _store(actor, rows)
    audit.record(
        actor=actor, action="temperature.round_recorded", facility_id=zone.facility_id, target=zone,
        changed_fields=READING_FIELDS,
    )  # fmt: skip
    return result


@transaction.atomic
def import_historical_round(
    *, actor, zone: Zone, rows: Sequence[tuple[Resident, object, datetime.datetime]]
) -> RoundResult:
    """A round taken earlier (paper sheets, the demo history): each row keeps its own time, and
    each resident must have been held at that time; their zone and status now are not checked
    (they may have moved or left since). Audited once."""
    require(actor, roles.RECORD_TEMPERATURE, zone.facility_id)
    now = timezone.now()
    checked = []
    for index, (resident, value, measured_at) in enumerate(rows):
        try:
            temperature = checked_temperature(value)
            _checked_time(measured_at, now)
            problem = _custody_error(resident, zone.facility_id, measured_at)
            if problem:
                raise DomainError(problem, field="resident")
        except DomainError as exc:
            raise RoundError({index: {exc.field: exc.message}}) from exc
        checked.append((resident, temperature, measured_at, zone.pk))
    if not checked:
        return RoundResult([])
    result = _store(actor, checked)
    audit.record(
        actor=actor, action="temperature.round_imported", facility_id=zone.facility_id, target=zone,
        changed_fields=READING_FIELDS,
    )  # fmt: skip
    return result


@transaction.atomic
def correct_reading(*, actor, reading: TemperatureReading, temperature_c, note: str) -> TemperatureReading:
    """A wrong entry is corrected by a new reading that points at it; the old row is kept."""
    require(actor, roles.RECORD_TEMPERATURE, reading.facility_id)
    temperature = checked_temperature(temperature_c)
    if not note.strip():
        raise DomainError(_("Say why the reading is corrected."), field="note")
    locked = TemperatureReading.objects.select_for_update().get(pk=reading.pk)
    if TemperatureReading.objects.filter(corrects=locked).exists():
        raise DomainError(_("This reading has already been corrected: correct the latest one."))
    correction = TemperatureReading.objects.create(
        facility_id=locked.facility_id, resident=locked.resident, measured_at=locked.measured_at,
        temperature_c=temperature, measured_by=actor, zone_id=locked.zone_id, corrects=locked, note=note.strip(),
    )  # fmt: skip
    audit.record(
        actor=actor, action="temperature.corrected", facility_id=locked.facility_id, target=correction,
        changed_fields=["temperature_c", "corrects", "note"],
    )  # fmt: skip
    _raise_fever_alerts(actor=actor, readings=[correction])
    return correction


def _locked_open(alert: FeverAlert) -> FeverAlert:
    locked = FeverAlert.objects.select_for_update().select_related("resident", "reading").get(pk=alert.pk)
    if not locked.is_open:
        raise DomainError(_("This fever alert has already been settled."), code="conflict")
    return locked


def _resolution_time(alert: FeverAlert, at: datetime.datetime | None) -> datetime.datetime:
    at = at or timezone.now()
    if at < alert.raised_at:
        raise DomainError(_("An alert cannot be settled before it was raised."))
    return at


@transaction.atomic
def accept_isolation(
    *, actor, alert: FeverAlert, room: Room | None = None, at: datetime.datetime | None = None
) -> FeverAlert:
    """The proposed placement, in one action: the resident moves into a free single room of the
    fever isolation zone (the proposal unless ``room`` is given) and the alert is settled."""
    require(actor, roles.MANAGE_ISOLATION, alert.facility_id)
    alert = _locked_open(alert)
    at = _resolution_time(alert, at)
    room = room or selectors.propose_fever_room(alert.facility_id)
    if room is None:
        raise DomainError(_("No single room is free in the fever isolation zone."), field="room")
    stay = admit_to_isolation(actor=actor, resident=alert.resident, room=room, reason="fever", started_at=at)
    alert.status, alert.resolved_at, alert.resolved_by, alert.isolation_stay = (
        FeverAlert.Status.ISOLATED, at, actor, stay,
    )  # fmt: skip
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "isolation_stay", "updated_at"])
    audit.record(
        actor=actor, action="fever_alert.isolated", facility_id=alert.facility_id, target=alert,
        changed_fields=["status", "resolved_at", "resolved_by", "isolation_stay"],
    )  # fmt: skip
    return alert


@transaction.atomic
def dismiss_alert(
    *, actor, alert: FeverAlert, reason: str, at: datetime.datetime | None = None
) -> FeverAlert:
    """Close an alert without isolation: only after a re-check (a later reading, or a correction
    of the alert's reading) below the threshold."""
    require(actor, roles.RECORD_TEMPERATURE, alert.facility_id)
    alert = _locked_open(alert)
    at = _resolution_time(alert, at)
    if not reason.strip():
        raise DomainError(_("Give the reason for dismissing the alert."), field="reason")
    recheck = (
        TemperatureReading.objects.filter(
            resident_id=alert.resident_id, measured_at__gte=alert.reading.measured_at
        )
        .exclude(pk=alert.reading_id)
        .order_by("-measured_at", "-id")
        .first()
    )
    if recheck is None:
        raise DomainError(_("Record the re-check temperature before dismissing the alert."))
    policy = policy_for(alert.facility_id, timezone.localdate(recheck.measured_at))
    if domain.is_fever(recheck.temperature_c, policy.fever_threshold_c):
        raise DomainError(_("The re-check still shows a fever: isolate the resident instead."))
    alert.status, alert.resolved_at, alert.resolved_by, alert.dismissal_reason = (
        FeverAlert.Status.DISMISSED, at, actor, reason.strip(),
    )  # fmt: skip
    alert.save(update_fields=["status", "resolved_at", "resolved_by", "dismissal_reason", "updated_at"])
    audit.record(
        actor=actor, action="fever_alert.dismissed", facility_id=alert.facility_id, target=alert,
        changed_fields=["status", "resolved_at", "resolved_by", "dismissal_reason"],
    )  # fmt: skip
    return alert
