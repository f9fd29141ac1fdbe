"""What a backup is, without touching a database or a disk: the manifest, the table checksum and
the comparisons a restore makes.

A table's checksum is sha256 over its rows in primary-key order, one canonical line per row (see
``canonical_row``). Values are taken as the database driver returns them, so the checksum belongs
to one engine: SQLite hands back text where PostgreSQL hands back datetimes, booleans and JSON.
The same data in both engines has the same row counts but not the same checksums.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

FORMAT = "jiedu-backup"
FORMAT_VERSION = 1
ENGINES = ("sqlite", "postgresql")
MANIFEST = "manifest.json"
# The manifest's own digest, in a file beside it: a damaged manifest is refused before anything is read from it.
MANIFEST_DIGEST = "manifest.json.sha256"
EVIDENCE_DIR = "evidence"
DATABASE_FILES = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
_NAME_PREFIX = "jiedu-backup-"


class BackupError(Exception):
    """The backup cannot be used (damaged, unknown format, wrong engine): nothing was changed."""


def backup_name(created_at: datetime.datetime) -> str:
    """The backup's directory name: its UTC creation time, sortable (jiedu-backup-20260101T020000Z)."""
    return _NAME_PREFIX + created_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _canonical_value(value):
    # Tags keep values of different types apart: the text "1", the integer 1, true and the bytes
    # "1" differ (an SQLite column may hold text in one row and a blob in the next).
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str):
        return "s:" + value
    if isinstance(value, float):
        return "f:" + repr(value)
    if isinstance(value, decimal.Decimal):
        return "d:" + str(value)
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:  # the session's time zone must not change the checksum
            value = value.astimezone(datetime.UTC)
        return "t:" + value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return "t:" + value.isoformat()
    if isinstance(value, datetime.timedelta):
        return "td:" + str(value // datetime.timedelta(microseconds=1))
    if isinstance(value, bytes | bytearray | memoryview):
        return "x:" + bytes(value).hex()
    if isinstance(value, uuid.UUID):
        return "u:" + str(value)
    if isinstance(value, dict | list):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return f"{type(value).__name__}:{value}"  # e.g. PostgreSQL inet as ipaddress objects


def canonical_row(row: Iterable) -> bytes:
    """One row as one line of UTF-8 JSON; different rows give different lines."""
    values = [_canonical_value(value) for value in row]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


@dataclass(frozen=True)
class TableSummary:
    rows: int
    sha256: str


def summarise_rows(rows: Iterable[Iterable]) -> TableSummary:
    """Row count and checksum of rows already in primary-key order."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(canonical_row(row))
        count += 1
    return TableSummary(count, digest.hexdigest())


def latest_migrations(applied: Iterable[tuple[str, str]]) -> dict[str, str]:
    """The latest applied migration per app, from django_migrations' (app, name) rows.

    Migration names start with a zero-padded number, so the greatest name is the latest.
    """
    latest: dict[str, str] = {}
    for app, name in applied:
        if name > latest.get(app, ""):
            latest[app] = name
    return dict(sorted(latest.items()))


def build_manifest(
    *,
    engine: str,
    created_at: datetime.datetime,
    migrations: Mapping[str, str],
    tables: Mapping[str, TableSummary],
    files: Mapping[str, str],
) -> dict:
    """The manifest written beside the dump: ``files`` maps each file's path in the backup to its sha256."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "engine": engine,
        "created_at": created_at.astimezone(datetime.UTC).isoformat(timespec="seconds"),
        "database_file": DATABASE_FILES[engine],
        "checksum": "sha256 over rows in primary-key order, values as the engine's driver returns them",
        "migrations": dict(sorted(migrations.items())),
        "tables": {name: {"rows": s.rows, "sha256": s.sha256} for name, s in sorted(tables.items())},
        "files": dict(sorted(files.items())),
    }


def encode_manifest(manifest: dict) -> bytes:
    return json.dumps(manifest, indent=2, ensure_ascii=False).encode() + b"\n"


def manifest_digest_line(manifest_bytes: bytes) -> str:
    """The content of manifest.json.sha256, in sha256sum's format (``sha256sum -c`` checks it too)."""
    return f"{hashlib.sha256(manifest_bytes).hexdigest()}  {MANIFEST}\n"


def read_manifest(manifest_bytes: bytes, digest_line: str) -> dict:
    """The manifest, if its digest matches and it is a backup this code can restore; else BackupError."""
    expected = digest_line.split(maxsplit=1)[0] if digest_line.strip() else ""
    if hashlib.sha256(manifest_bytes).hexdigest() != expected:
        raise BackupError(f"{MANIFEST} does not match {MANIFEST_DIGEST}: the backup is damaged")
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError(f"{MANIFEST} is not valid JSON: the backup is damaged") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} does not describe a Jiedu backup")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"backup format version {manifest.get('format_version')!r} cannot be restored by this version "
            f"(it restores version {FORMAT_VERSION})"
        )
    if manifest.get("engine") not in ENGINES:
        raise BackupError(f"unknown database engine {manifest.get('engine')!r} in {MANIFEST}")
    for key in ("tables", "files", "migrations"):
        if not isinstance(manifest.get(key), dict):
            raise BackupError(f"{MANIFEST} has no {key}")
    if manifest.get("database_file") not in manifest["files"]:
        raise BackupError(f"{MANIFEST} lists no database file")
    unsafe = [path for path in manifest["files"] if not safe_relative_path(path)]
    if unsafe:
        raise BackupError(f"{MANIFEST} names a file outside the backup: {unsafe[0]!r}")
    return manifest


def damaged_files(expected: Mapping[str, str], found: Mapping[str, str | None]) -> list[str]:
    """Problems between the manifest's file digests and the digests found on disk (None: file missing)."""
    problems = []
    for path, digest in sorted(expected.items()):
        actual = found.get(path)
        if actual is None:
            problems.append(f"{path}: missing")
        elif actual != digest:
            problems.append(f"{path}: checksum differs")
    return problems


def table_mismatches(expected: Mapping[str, Mapping], found: Mapping[str, TableSummary]) -> list[str]:
    """Differences between the manifest's tables and the restored database's, one line each."""
    problems = []
    for name in sorted(set(expected) | set(found)):
        want, have = expected.get(name), found.get(name)
        if have is None:
            problems.append(f"{name}: missing after restore")
        elif want is None:
            problems.append(f"{name}: not in the backup ({have.rows} rows)")
        elif want["rows"] != have.rows:
            problems.append(f"{name}: {have.rows} rows, the backup has {want['rows']}")
        elif want["sha256"] != have.sha256:
            problems.append(f"{name}: same row count ({have.rows}) but different content")
    return problems


def safe_relative_path(path: str) -> bool:
    """A path named in a manifest stays inside the backup and the evidence root (no ``..``, not absolute)."""
    parts = path.split("/")
    return bool(path) and not path.startswith("/") and "\\" not in path and all(p not in ("", ".", "..") for p in parts)
