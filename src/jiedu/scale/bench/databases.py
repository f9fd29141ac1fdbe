"""The benchmark databases: created next to the configured server, migrated and filled in
subprocesses (each with its own DATABASE_URL), dropped at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

PREFIX = "jiedu_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    """BENCH_DATABASE_URL, else DATABASE_URL if it is PostgreSQL, else the local server."""
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_SERVER


def url_for(name: str) -> str:
    parts = urlsplit(server_url())
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin():
    return psycopg.connect(url_for("postgres"), autocommit=True)


def create(name: str) -> str:
    if not name.startswith(PREFIX):
        raise ValueError(f"benchmark databases are named {PREFIX}*")
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url_for(name)


def drop(name: str) -> None:
    if not name.startswith(PREFIX):
        raise ValueError(f"only {PREFIX}* databases are dropped here")
    with _admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def size_bytes(name: str) -> int:
    with _admin() as conn:
        return conn.execute("SELECT pg_database_size(%s)", [name]).fetchone()[0]


def environment(url: str) -> dict:
    env = dict(os.environ, DATABASE_URL=url, DJANGO_DEBUG="false")
    env["DJANGO_SETTINGS_MODULE"] = "jiedu.scale.bench.settings"
    return env


def run(url: str, *args: str, capture: bool = False) -> str:
    """``python <args>`` against the database at ``url``; its output when ``capture``."""
    completed = subprocess.run(  # noqa: S603  (our own interpreter and fixed module names)
        [sys.executable, *args], env=environment(url), check=True, text=True,
        stdout=subprocess.PIPE if capture else None,
    )  # fmt: skip
    return completed.stdout if capture else ""


def prepare(
    name: str, *, days: int, facilities: int, residents: int, staff: int, large_facility: int = 0
) -> str:
    """A fresh database ``name``, migrated, holding a generated region; returns its URL."""
    url = create(name)
    run(url, "-m", "jiedu", "migrate", "--no-input", "-v", "0")
    run(url, "-m", "jiedu", "generate-scale", "--days", str(days), "--facilities", str(facilities),
        "--residents", str(residents), "--staff", str(staff), "--large-facility", str(large_facility))  # fmt: skip
    return url
