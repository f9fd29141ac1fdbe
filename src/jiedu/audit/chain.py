"""The audit trail's tamper evidence: every row carries HMAC-SM3(key, previous row's hash ‖ its own fields).

Rows are chained in id order. Writers take one lock per transaction before reading the previous
hash (PostgreSQL: a transaction-level advisory lock; SQLite: IMMEDIATE transactions already let
one writer at a time), so id order is commit order and no two rows share a predecessor.
Changing, removing or reordering a row breaks the chain at the next row; ``verify-audit`` finds it.
The key (``JIEDU_AUDIT_KEY``) lives outside the database, so someone who can write to the
database cannot recompute the chain after tampering.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from jiedu.common.crypto import hmac_sm3

GENESIS = "0" * 64
# Any fixed 64-bit number: the one advisory lock every audit writer takes on PostgreSQL.
_PG_LOCK_ID = 7_310_001_180

HASHED_FIELDS = (
    "occurred_at", "actor_id", "actor_username", "role", "facility_id", "action", "target_type", "target_id",
    "changed_fields", "ip", "request_id", "outcome",
)  # fmt: skip


@lru_cache(maxsize=1)
def _key() -> bytes:
    key = base64.b64decode(settings.JIEDU_AUDIT_KEY)
    if len(key) < 16:
        raise ImproperlyConfigured("JIEDU_AUDIT_KEY must be base64 of at least 16 bytes")
    return key


def forget_key() -> None:
    _key.cache_clear()


def _canonical(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    return value


def row_hash(prev_hash: str, fields: dict) -> str:
    payload = {name: _canonical(fields.get(name)) for name in HASHED_FIELDS}
    message = prev_hash.encode() + json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hmac_sm3(_key(), message).hex()


def lock_for_append() -> None:
    """Serialise audit writers until the surrounding transaction ends (call inside ``atomic``)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_ID])


@dataclass(frozen=True)
class Break:
    event_id: int
    reason: str


def first_break(rows: Iterable[dict], *, anchor: str | None = None) -> tuple[int, Break | None]:
    """Walk rows in id order; return (rows checked, the first broken row or None).

    ``anchor``: the hash the first row should point to. None trusts the first row's ``prev_hash``
    (after a retention purge the oldest remaining row points to a purged one).
    """
    expected_prev = anchor
    checked = 0
    for row in rows:
        if expected_prev is not None and row["prev_hash"] != expected_prev:
            return checked, Break(row["id"], "prev_hash does not match the previous row")
        if row_hash(row["prev_hash"], row) != row["row_hash"]:
            return checked, Break(row["id"], "row_hash does not match the row's contents")
        expected_prev = row["row_hash"]
        checked += 1
    return checked, None
