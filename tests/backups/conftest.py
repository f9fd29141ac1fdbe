"""A source database that other threads can write to while it is backed up, and a fresh target.

PostgreSQL: the test database itself, with committed rows (``transaction=True``). SQLite: the
test database lives in memory with a shared cache, where a reader and a writer lock each other
out at once; production runs on a file in WAL mode, so for these tests the default connection
is pointed at a file copy of the test database, and pointed back afterwards.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3

import environ
import psycopg
import pytest
from django.db import connection, connections

from jiedu.backups import postgresql


@pytest.fixture
def source_database(tmp_path):
    """Settings of the database the test writes to; tests using it are marked
    ``django_db(transaction=True)``, so their rows are committed and other threads see them."""
    if connection.vendor == "postgresql":
        yield connection.settings_dict
        return
    with _default_database_in_a_file(tmp_path / "source.sqlite3"):
        yield connection.settings_dict


@contextlib.contextmanager
def _default_database_in_a_file(path):
    settings_dict = connections.settings["default"]  # the same dict as settings.DATABASES["default"]
    connection.ensure_connection()
    memory = connection.connection
    with contextlib.closing(sqlite3.connect(path)) as copy:
        memory.backup(copy)  # the migrated schema, without migrating again
    name = settings_dict["NAME"]
    # Detach rather than close: the in-memory test database disappears with its last connection.
    connection.connection = None
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        connection.close()
        settings_dict["NAME"] = name
        connection.connection = memory


def _maintenance_parameters() -> dict:
    """Where to create and drop databases: the server of DATABASE_URL, its ``postgres`` database."""
    params = postgresql.connection_parameters(connection.settings_dict)
    return {**params, "dbname": "postgres", "autocommit": True}


@pytest.fixture
def restore_target(tmp_path):
    """Settings of a fresh, empty database to restore into (same engine as the tests run on)."""
    if connection.vendor == "sqlite":
        yield {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "restored.sqlite3")}
        return
    # Named after DATABASE_URL's database (its owner's prefix), not the test database.
    base = environ.Env.db_url_config(environ.Env().str("DATABASE_URL"))["NAME"]
    name = f"{base}_restore_{secrets.token_hex(4)}"
    with psycopg.connect(**_maintenance_parameters()) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**connection.settings_dict, "NAME": name, "TEST": {}}
    finally:
        with psycopg.connect(**_maintenance_parameters()) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
