"""Reads for the cross-check: preparing uploads (parse, hash, blind-index phones) and saved runs.

Plain phone numbers stop in ``prepare``: what leaves it carries only their blind indexes, so the
prepared upload can wait in the session between the dry run and the save without holding a phone.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field

from jiedu.common import crypto
from jiedu.crosscheck import domain, parsing
from jiedu.crosscheck.models import CrossCheckRun
from jiedu.people.models import PHONE_CONTEXT, Staff


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


@dataclass(frozen=True)
class Prepared:
    """Both files, parsed and hashed; safe to keep in the session (no phone in plain text)."""

    dingtalk_name: str
    dingtalk_sha256: str
    healthcode_name: str
    healthcode_sha256: str
    dingtalk: tuple[domain.Entry, ...]
    healthcode: tuple[domain.Entry, ...]

    def to_session(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_session(cls, data: dict) -> Prepared:
        entries = {
            key: tuple(domain.Entry(**entry) for entry in data[key]) for key in ("dingtalk", "healthcode")
        }
        return cls(**{**data, **entries})


@dataclass
class Problems:
    """Whole-file refusals and row errors, per file ("dingtalk" / "healthcode")."""

    refusals: dict[str, str] = field(default_factory=dict)
    errors: dict[str, list[parsing.RowError]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.refusals or self.errors)


def _phone_index(phone: str) -> str:
    return crypto.blind_index(phone, context=PHONE_CONTEXT) if phone else ""


def _parse(problems: Problems, which: str, parser, upload: Upload):
    try:
        rows, errors = parser(upload.data)
    except parsing.SheetRefused as refused:
        problems.refusals[which] = refused.message
        return None
    if errors:
        problems.errors[which] = errors
    return rows


def prepare(*, dingtalk: Upload, healthcode: Upload) -> tuple[Prepared | None, Problems]:
    problems = Problems()
    checkins = _parse(problems, "dingtalk", parsing.parse_dingtalk, dingtalk)
    codes = _parse(problems, "healthcode", parsing.parse_healthcode, healthcode)
    if problems:
        return None, problems
    prepared = Prepared(
        dingtalk_name=dingtalk.name[:200], dingtalk_sha256=hashlib.sha256(dingtalk.data).hexdigest(),
        healthcode_name=healthcode.name[:200], healthcode_sha256=hashlib.sha256(healthcode.data).hexdigest(),
        dingtalk=tuple(
            domain.Entry(r.row, r.name, r.police_number, _phone_index(r.phone), r.place) for r in checkins
        ),
        healthcode=tuple(
            domain.Entry(r.row, r.name, "", _phone_index(r.phone), r.location, r.colour) for r in codes
        ),
    )  # fmt: skip
    return prepared, problems


def staff_keys(facility_id: int) -> list[domain.StaffKey]:
    rows = Staff.objects.filter(facility_id=facility_id).values_list(
        "pk", "name", "police_number", "phone_index"
    )
    return [domain.StaffKey(*row) for row in rows]


def compare(facility_id: int, prepared: Prepared) -> domain.Report:
    return domain.cross_check(staff_keys(facility_id), prepared.dingtalk, prepared.healthcode)


def runs(user):
    return CrossCheckRun.objects.visible_to(user).select_related("facility", "uploaded_by")
