"""SQLite: snapshot, restore and table checksums through Python's ``sqlite3`` online backup API.

``Connection.backup`` with the default ``pages=-1`` copies every page in one step under one read
transaction: the copy is a consistent snapshot, and in WAL mode other connections keep writing
while it is taken. The checksums are computed on the copy, which is that snapshot exactly.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

from jiedu.backups import domain
from jiedu.backups.domain import BackupError, TableSummary

_BUSY_TIMEOUT_S = 20  # as settings.DATABASES: wait for a writer's commit instead of failing


def _regexp(pattern, value):
    if pattern is None or value is None:
        return None
    return bool(re.search(pattern, str(value)))


def _connect(name, *, read_only: bool = False) -> sqlite3.Connection:
    name = str(name)
    if name.startswith("file:"):  # an SQLite URI, e.g. the in-memory test database
        db = sqlite3.connect(name, uri=True, timeout=_BUSY_TIMEOUT_S)
    elif read_only:
        db = sqlite3.connect(Path(name).resolve().as_uri() + "?mode=ro", uri=True, timeout=_BUSY_TIMEOUT_S)
    else:
        db = sqlite3.connect(name, timeout=_BUSY_TIMEOUT_S)
    # CHECK constraints use REGEXP, which Django defines on its own connections; integrity_check evaluates them.
    db.create_function("REGEXP", 2, _regexp, deterministic=True)
    return db


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _order_by(db: sqlite3.Connection, table: str) -> str:
    columns = db.execute(f"PRAGMA table_info({_quote(table)})").fetchall()  # (cid, name, type, notnull, default, pk)
    key = [name for _, name, _, _, _, pk in sorted(columns, key=lambda c: c[5]) if pk]
    return ", ".join(_quote(name) for name in key) if key else "rowid"


def summarise(db: sqlite3.Connection) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """Row counts and checksums of every table, and the latest migration per app, read in one transaction."""
    db.execute("BEGIN")  # one read transaction: every table from the same state
    try:
        tables = {}
        for table in _tables(db):
            # Table and column names come from sqlite_master and table_info, quoted; no user input.
            query = f"SELECT * FROM {_quote(table)} ORDER BY {_order_by(db, table)}"  # noqa: S608  # nosec B608
            tables[table] = domain.summarise_rows(db.execute(query))
        migrations = {}
        if "django_migrations" in tables:
            migrations = domain.latest_migrations(db.execute("SELECT app, name FROM django_migrations"))
    finally:
        db.rollback()
    return tables, migrations


def _check_integrity(db: sqlite3.Connection, what: str) -> None:
    result = [row[0] for row in db.execute("PRAGMA integrity_check")]
    if result != ["ok"]:
        raise BackupError(f"{what} fails SQLite's integrity check: {'; '.join(result[:5])}")


def snapshot(database: dict, destination: Path) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """Copy the database to ``destination`` (a new file) and describe the copy."""
    with contextlib.closing(_connect(database["NAME"])) as source, contextlib.closing(_connect(destination)) as copy:
        source.backup(copy)
        # The copy is one self-contained file: no -wal beside it in the backup.
        copy.execute("PRAGMA journal_mode=DELETE")
        _check_integrity(copy, "the copy")
        return summarise(copy)


def describe_target(database: dict) -> str | None:
    """Why the target is not empty (it holds tables), or None when it is empty or does not exist yet."""
    path = str(database["NAME"])
    if not path.startswith("file:") and not Path(path).exists():
        return None
    with contextlib.closing(_connect(path)) as db:
        tables = _tables(db)
    return f"it holds {len(tables)} tables" if tables else None


def restore(backup_file: Path, database: dict) -> None:
    """Replace the target's whole content with the backup's, page by page, in one step."""
    path = str(database["NAME"])
    if not path.startswith("file:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(_connect(backup_file, read_only=True)) as source, contextlib.closing(_connect(path)) as target:
        source.backup(target)


def summarise_target(database: dict) -> tuple[dict[str, TableSummary], dict[str, str]]:
    with contextlib.closing(_connect(database["NAME"])) as db:
        _check_integrity(db, "the restored database")
        return summarise(db)
