"""Fault drills (``make test-fault``): a real gunicorn on 127.0.0.1 against the test database.

PostgreSQL only, and on purpose not skipped elsewhere: a run that meant to drill and silently
skipped would prove nothing, so without PostgreSQL every drill fails and says why.
Every drill commits its rows (``django_db(transaction=True)``) so the server's workers see them, and every
wait is bounded; the server is killed in the fixture's teardown, whatever happened.
"""

from __future__ import annotations

import os

import pytest
from django.db import connection
from drill_data import Zone
from drill_server import Server


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/fault/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.fault)  # never in `make test`, even if a module forgets its mark


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.fail(
            "The fault drills need PostgreSQL: run them as "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/<name> make test-fault "
            f"(DATABASE_URL names a {connection.vendor} database now)."
        )


@pytest.fixture
def server(tmp_path):
    running = Server(connection.settings_dict, tmp_path)
    try:
        yield running
    finally:
        running.kill()


@pytest.fixture
def zone():
    return Zone()
