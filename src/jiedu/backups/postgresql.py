"""PostgreSQL: ``pg_dump -Fc`` of an exported snapshot, ``pg_restore``, and table checksums.

The backup opens a REPEATABLE READ transaction, exports its snapshot (``pg_export_snapshot()``)
and hands it to ``pg_dump --snapshot``; the row counts and checksums are read in that same
transaction, so they describe exactly what the dump holds even while the application writes.
The password reaches pg_dump and pg_restore through PGPASSWORD in their environment, never on
their command line (which every local user can read in the process list).
"""

from __future__ import annotations

import os
import shutil
import subprocess  # nosec B404
from pathlib import Path

import psycopg
from psycopg import sql

from jiedu.backups import domain
from jiedu.backups.domain import BackupError, TableSummary

# libpq connection parameters Django's OPTIONS may carry, and the variable each has for pg_dump/pg_restore.
_LIBPQ_ENV = {
    "host": "PGHOST", "port": "PGPORT", "user": "PGUSER", "password": "PGPASSWORD", "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL", "passfile": "PGPASSFILE", "service": "PGSERVICE", "options": "PGOPTIONS",
    "connect_timeout": "PGCONNECT_TIMEOUT", "target_session_attrs": "PGTARGETSESSIONATTRS",
    "application_name": "PGAPPNAME",
}  # fmt: skip
# OPTIONS that Django's backend reads itself: no meaning for libpq.
_DJANGO_ONLY_OPTIONS = {"isolation_level", "server_side_binding", "assume_role", "pool", "cursor_factory"}
_ROWS_PER_FETCH = 2000
_TOOL_TIMEOUT_S = 6 * 3600  # a very large database still finishes; a hung tool does not hang forever


def connection_parameters(database: dict) -> dict[str, str]:
    """libpq parameters from a Django DATABASES entry; an option libpq does not know is refused
    rather than dropped (dropping ``sslmode`` would silently connect without TLS)."""
    params = {
        "dbname": database.get("NAME") or "", "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "", "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }  # fmt: skip
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in _DJANGO_ONLY_OPTIONS:
            continue
        if key not in _LIBPQ_ENV:
            raise BackupError(f"database OPTIONS {key!r} cannot be passed to pg_dump/pg_restore")
        params[key] = str(value)
    if not params["dbname"]:
        raise BackupError("the database settings name no database")
    return {key: value for key, value in params.items() if value}


def _tool_environment(params: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    env.update({_LIBPQ_ENV[key]: value for key, value in params.items()})
    return env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} not found: install the PostgreSQL client (Debian: postgresql-client)")
    return path


def _run(command: list[str], params: dict[str, str]) -> None:
    # Fixed programs (pg_dump, pg_restore) with an argument list from settings, never a shell.
    result = subprocess.run(  # noqa: S603  # nosec B603
        command, env=_tool_environment(params), stdin=subprocess.DEVNULL, capture_output=True, text=True,
        timeout=_TOOL_TIMEOUT_S, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed (exit {result.returncode}): {result.stderr.strip()[-2000:]}")


def _connect(params: dict[str, str]) -> psycopg.Connection:
    try:
        return psycopg.connect(**params)
    except psycopg.OperationalError as exc:
        raise BackupError(f"cannot connect to database {params['dbname']!r}: {exc}") from exc


def _order_expression(column: str, category: str) -> sql.Composable:
    # Text keys in byte order: the restored database may have another default collation.
    if category == "S":
        return sql.SQL("{} COLLATE \"C\"").format(sql.Identifier(column))
    return sql.Identifier(column)


def _tables(conn: psycopg.Connection) -> list[tuple[int, str]]:
    return conn.execute(
        "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' ORDER BY c.relname"
    ).fetchall()


def _order_by(conn: psycopg.Connection, oid: int) -> sql.Composable:
    key = conn.execute(
        "SELECT a.attname, t.typcategory FROM pg_index i "
        "CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, position) "
        "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum "
        "JOIN pg_type t ON t.oid = a.atttypid "
        "WHERE i.indrelid = %s AND i.indisprimary ORDER BY k.position",
        [oid],
    ).fetchall()
    if not key:  # no primary key: every column, in table order
        key = conn.execute(
            "SELECT a.attname, t.typcategory FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
            "WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [oid],
        ).fetchall()
    return sql.SQL(", ").join(_order_expression(name, category) for name, category in key)


def summarise(conn: psycopg.Connection) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """Row counts and checksums of every table of the current schema, in the connection's transaction."""
    tables = {}
    for oid, name in _tables(conn):
        query = sql.SQL("SELECT * FROM {} ORDER BY {}").format(sql.Identifier(name), _order_by(conn, oid))
        with conn.cursor(name="jiedu_backup_rows") as cursor:  # server-side: a large table is streamed
            cursor.itersize = _ROWS_PER_FETCH
            cursor.execute(query)
            tables[name] = domain.summarise_rows(cursor)
    migrations = {}
    if "django_migrations" in tables:
        migrations = domain.latest_migrations(conn.execute("SELECT app, name FROM django_migrations"))
    return tables, migrations


def snapshot(database: dict, destination: Path) -> tuple[dict[str, TableSummary], dict[str, str]]:
    """Dump the database to ``destination`` and describe the same snapshot."""
    params = connection_parameters(database)
    pg_dump = _tool("pg_dump")
    with _connect(params) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        (snapshot_id,) = conn.execute("SELECT pg_export_snapshot()").fetchone()
        # The exporting transaction stays open until pg_dump is done and the checksums are read.
        _run([pg_dump, "--format=custom", "--no-password", f"--snapshot={snapshot_id}",
              f"--file={destination}", f"--dbname={params['dbname']}"], params)  # fmt: skip
        described = summarise(conn)
        conn.rollback()
    return described


def describe_target(database: dict) -> str | None:
    """Why the target is not empty (it holds tables), or None when it is empty."""
    with _connect(connection_parameters(database)) as conn:
        (count,) = conn.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S')"
        ).fetchone()
    return f"it holds {count} tables, views or sequences" if count else None


def restore(backup_file: Path, database: dict, *, replace: bool) -> None:
    """pg_restore in one transaction (all or nothing); ``replace`` drops the backup's objects first."""
    params = connection_parameters(database)
    command = [_tool("pg_restore"), "--no-owner", "--no-password", "--exit-on-error", "--single-transaction"]
    if replace:
        command += ["--clean", "--if-exists"]
    _run([*command, f"--dbname={params['dbname']}", str(backup_file)], params)


def summarise_target(database: dict) -> tuple[dict[str, TableSummary], dict[str, str]]:
    with _connect(connection_parameters(database)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        described = summarise(conn)
        conn.rollback()
    return described
