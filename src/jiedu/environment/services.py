"""Key areas and their ventilation and disinfection records.

Which places are key areas is facility management (MANAGE_ORGANISATION); recording what was
done in them is a duty of the officers and medical staff (RECORD_ENVIRONMENT). Records are
append-only: a correction or a retraction is a new row pointing at the one it replaces.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jiedu.audit import services as audit
from jiedu.common.errors import DomainError, StaleVersion
from jiedu.common.services import apply_changes, refuse_stale, save_versioned, validated_save
from jiedu.environment import domain
from jiedu.environment.models import EnvironmentRecord, KeyArea
from jiedu.organisation import roles
from jiedu.organisation.scoping import require

RECORD_FIELDS = [
    "area",
    "kind",
    "performed_at",
    "performed_by",
    "duration_minutes",
    "agent",
    "concentration",
    "note",
]


def _check_zone(facility_id: int, zone) -> None:
    if zone is not None and zone.facility_id != facility_id:
        raise DomainError(_("This belongs to another facility."), field="zone")


def _clean_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the area a name."), field="name")
    return name


def _current_named(facility_id: int, name: str, *, exclude_pk=None):
    current = KeyArea.objects.filter(facility_id=facility_id, name=name, key_until__isnull=True)
    return current.exclude(pk=exclude_pk) if exclude_pk else current


@transaction.atomic
def create_key_area(*, actor, facility, name: str, zone=None, note: str = "") -> KeyArea:
    """Mark a place as a key area from today on (marking is never back-dated: past days keep
    the areas they had). An area unmarked today is simply marked again, keeping its records."""
    require(actor, roles.MANAGE_ORGANISATION, facility)
    name = _clean_name(name)
    _check_zone(facility.pk, zone)
    if _current_named(facility.pk, name).exists():
        raise DomainError(_("A key area with this name already exists here."), field="name")
    today = timezone.localdate()
    area = KeyArea.objects.filter(facility=facility, name=name, key_until=today).first()
    if area is not None:
        area.key_until, area.zone, area.note = None, zone, note
        validated_save(area, update_fields=["key_until", "zone", "note"])
        changed = ["key_until", "zone", "note"]
    else:
        area = KeyArea(facility=facility, name=name, zone=zone, key_since=today, note=note)
        validated_save(area)
        changed = ["name", "zone", "key_since", "note"]
    audit.record(
        actor=actor, action="keyarea.marked", facility_id=facility.pk, target=area, changed_fields=changed
    )
    return area


@transaction.atomic
def update_key_area(*, actor, area: KeyArea, expected_version: int | None = None, **changes) -> KeyArea:
    """Rename an area, link it to a zone or change its note; its key period has its own services.

    ``expected_version``: the version the change was based on (``common.services.save_versioned``).
    """
    require(actor, roles.MANAGE_ORGANISATION, area.facility_id)
    refuse_stale(area, expected_version)
    if "facility" in changes and changes.pop("facility").pk != area.facility_id:
        raise DomainError(_("A record cannot move to another facility."), field="facility")
    unknown = set(changes) - {"name", "zone", "note"}
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    if "name" in changes:
        changes["name"] = _clean_name(changes["name"])
        if (
            area.key_until is None
            and _current_named(area.facility_id, changes["name"], exclude_pk=area.pk).exists()
        ):
            raise DomainError(_("A key area with this name already exists here."), field="name")
    _check_zone(area.facility_id, changes.get("zone"))
    changed = apply_changes(area, changes)
    if changed:
        save_versioned(area, expected_version=expected_version, update_fields=changed)
        audit.record(
            actor=actor,
            action="keyarea.updated",
            facility_id=area.facility_id,
            target=area,
            changed_fields=changed,
        )
    return area


@transaction.atomic
def unmark_key_area(*, actor, area: KeyArea) -> KeyArea:
    """From today on the area is no longer a key area; its past days keep counting."""
    require(actor, roles.MANAGE_ORGANISATION, area.facility_id)
    if area.key_until is not None:
        raise DomainError(_("This area is no longer a key area."))
    area.key_until = timezone.localdate()
    validated_save(area, update_fields=["key_until"])
    audit.record(
        actor=actor,
        action="keyarea.unmarked",
        facility_id=area.facility_id,
        target=area,
        changed_fields=["key_until"],
    )
    return area


@dataclass(frozen=True)
class Entry:
    """What one record says; shared by single, corrected and batch recording."""

    area: KeyArea
    kind: str
    performed_at: datetime.datetime
    agent: str = ""
    concentration: str = ""
    duration_minutes: int | None = None
    note: str = ""
    performed_by: object = None  # who did it, when someone else enters it (batch); else the actor


def _checked(entry: Entry, *, now: datetime.datetime) -> Entry:
    """The entry with its text trimmed, or a DomainError naming the field at fault."""
    if entry.kind not in domain.KINDS:
        raise DomainError(_("Choose ventilation or disinfection."), field="kind")
    if timezone.is_naive(entry.performed_at):
        raise DomainError(_("Give the time with its time zone."), field="performed_at")
    if entry.performed_at > now:
        raise DomainError(_("The time lies in the future."), field="performed_at")
    day = timezone.localdate(entry.performed_at)
    if not entry.area.is_key_on(day):
        raise DomainError(_("This area was not a key area on that day."), field="area")
    agent, concentration = entry.agent.strip(), entry.concentration.strip()
    if entry.kind == domain.DISINFECTION:
        if not agent:
            raise DomainError(_("Name the disinfectant used."), field="agent")
        if not concentration:
            raise DomainError(_("Give the concentration used."), field="concentration")
    elif agent or concentration:
        raise DomainError(_("A ventilation has no disinfectant."), field="agent")
    if entry.duration_minutes is not None and not 1 <= entry.duration_minutes <= 720:
        raise DomainError(_("The duration must lie between 1 and 720 minutes."), field="duration_minutes")
    return Entry(
        area=entry.area, kind=entry.kind, performed_at=entry.performed_at, agent=agent,
        concentration=concentration, duration_minutes=entry.duration_minutes, note=entry.note.strip(),
        performed_by=entry.performed_by,
    )  # fmt: skip


def _row(entry: Entry, *, actor, corrects=None, is_retraction=False) -> EnvironmentRecord:
    return EnvironmentRecord(
        facility_id=entry.area.facility_id, area=entry.area, kind=entry.kind, performed_at=entry.performed_at,
        performed_by=entry.performed_by or actor, duration_minutes=entry.duration_minutes, agent=entry.agent,
        concentration=entry.concentration, note=entry.note, corrects=corrects, is_retraction=is_retraction,
    )  # fmt: skip


@transaction.atomic
def record_environment(
    *,
    actor,
    area: KeyArea,
    kind: str,
    performed_at: datetime.datetime | None = None,
    agent: str = "",
    concentration: str = "",
    duration_minutes: int | None = None,
    note: str = "",
) -> EnvironmentRecord:
    """Record one ventilation or disinfection of a key area, now unless ``performed_at`` says when."""
    require(actor, roles.RECORD_ENVIRONMENT, area.facility_id)
    now = timezone.now()
    entry = _checked(
        Entry(
            area=area, kind=kind, performed_at=performed_at or now, agent=agent or "",
            concentration=concentration or "", duration_minutes=duration_minutes, note=note or "",
        ),
        now=now,
    )  # fmt: skip
    row = _row(entry, actor=actor)
    validated_save(row)
    audit.record(
        actor=actor, action="environment.recorded", facility_id=row.facility_id, target=row,
        changed_fields=RECORD_FIELDS,
    )  # fmt: skip
    return row


def _superseded(original: EnvironmentRecord) -> StaleVersion:
    latest = original
    while (newer := EnvironmentRecord.objects.filter(corrects=latest).first()) is not None:
        latest = newer
    return StaleVersion(
        current=latest, message=_("This record has already been corrected; correct the latest version.")
    )


@transaction.atomic
def correct_environment_record(
    *,
    actor,
    original: EnvironmentRecord,
    retract: bool = False,
    note: str = "",
    **changes,
) -> EnvironmentRecord:
    """Replace a record by a corrected copy (``changes``: area, kind, performed_at, agent,
    concentration, duration_minutes), or retract it (a tap on the wrong button): a new row either
    way, pointing at the original, which then no longer counts.

    Records never change in place, so the row's id is its version: correcting a row that someone
    has corrected already is refused as stale (StaleVersion, a 409) with the latest row of its chain.
    """
    require(actor, roles.RECORD_ENVIRONMENT, original.facility_id)
    if EnvironmentRecord.objects.filter(corrects=original).exists():
        raise _superseded(original)
    if original.is_retraction:
        raise DomainError(_("A retraction cannot be corrected."))
    unknown = set(changes) - {"area", "kind", "performed_at", "agent", "concentration", "duration_minutes"}
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %(f)s") % {"f": ", ".join(sorted(unknown))})
    values = {
        name: getattr(original, name) for name in ("area", "kind", "performed_at", "agent", "concentration")
    }
    values["duration_minutes"] = original.duration_minutes
    values.update({k: v for k, v in changes.items() if v is not None})
    if values["area"].facility_id != original.facility_id:
        raise DomainError(_("This belongs to another facility."), field="area")
    if values["kind"] == domain.VENTILATION and "kind" in changes and "agent" not in changes:
        values["agent"] = values["concentration"] = ""
    entry = Entry(**values, note=note)
    if not retract:
        entry = _checked(entry, now=timezone.now())
    row = _row(entry, actor=actor, corrects=original, is_retraction=retract)
    try:
        validated_save(row)
    except DomainError as exc:  # two corrections of one record at once: the database keeps one
        raise _superseded(original) from exc
    audit.record(
        actor=actor, action="environment.retracted" if retract else "environment.corrected",
        facility_id=row.facility_id, target=row, changed_fields=["corrects", "note", *sorted(changes)],
    )  # fmt: skip
    return row


@transaction.atomic
def record_environment_batch(*, actor, facility, entries: list[Entry]) -> list[EnvironmentRecord]:
    """Many records of one facility in one insert (a catch-up from the paper ledger, the demo
    history): all checked first, all saved or none, one audit event for the batch."""
    require(actor, roles.RECORD_ENVIRONMENT, facility)
    now = timezone.now()
    rows = []
    for entry in entries:
        if entry.area.facility_id != facility.pk:
            raise DomainError(_("This belongs to another facility."), field="area")
        rows.append(_row(_checked(entry, now=now), actor=actor))
    if not rows:
        return rows
    try:
        with transaction.atomic():
            created = EnvironmentRecord.objects.bulk_create(rows)
    except IntegrityError as exc:
        raise DomainError(_("This conflicts with an existing record."), code="conflict") from exc
    audit.record(
        actor=actor, action="environment.recorded_batch", facility_id=facility.pk, target=None,
        changed_fields=RECORD_FIELDS,
    )  # fmt: skip
    return created
