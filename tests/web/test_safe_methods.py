"""WEB-04 (ASVS 3.5.3): a GET changes nothing. Every GET route, pages and API lists and details, is
visited with the SQL captured; no INSERT, UPDATE or DELETE may reach a table other than these:"""

import re

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from web_routes import get_routes

from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

# model label → why a GET may write there. Only tables of installed apps count.
WRITES_ALLOWED_ON_GET = {
    # SESSION_SAVE_EVERY_REQUEST: each request renews the idle timeout (SESS-02).
    "sessions.Session": "the session's expiry moves on every request",
    # Refused reads are audited on purpose (a 404/403 on another facility's record is a security event).
    "audit.AuditEvent": "denied reads are audited",
    # Opening a person's record is logged on purpose (PI-02, GB/T 35273 11.7).
    "privacy.AccessLog": "reading a personal record is logged",
}
WRITE = re.compile(r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+[\"`]?(\w+)", re.IGNORECASE)


def _allowed_tables() -> set[str]:
    tables = set()
    for label in WRITES_ALLOWED_ON_GET:
        app_label, model_name = label.split(".")
        try:
            tables.add(apps.get_model(app_label, model_name)._meta.db_table)
        except LookupError:
            pass  # that app is not installed in this build
    return tables


def writes_in(queries) -> list[tuple[str, str]]:
    found = []
    for query in queries:
        match = WRITE.match(query["sql"])
        if match:
            found.append((match.group(1), query["sql"][:160]))
    return found


def test_no_get_route_writes_to_the_database(two_facilities):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    allowed = _allowed_tables()
    assert {"django_session", "audit_auditevent"} <= allowed
    client = Client()
    client.force_login(leader_a)
    visited, tables_written = 0, set()
    for route in get_routes():
        url = route.url(facility_a)
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        writes = writes_in(captured.captured_queries)
        unexpected = [(table, sql) for table, sql in writes if table not in allowed]
        assert not unexpected, f"GET {url} wrote: {unexpected}"
        tables_written |= {table for table, _ in writes}
        visited += 1
    assert visited >= 150, visited
    assert "django_session" in tables_written  # the capture works: the session renewal was seen


def test_the_detector_sees_a_write():
    """Guards the regular expression: these statements are what the backends send."""
    queries = [
        {"sql": 'INSERT INTO "people_resident" ("name") VALUES (%s)'},
        {"sql": 'UPDATE "people_resident" SET "name" = %s'},
        {"sql": 'DELETE FROM "people_resident" WHERE id = 1'},
        {"sql": 'SELECT "people_resident"."id" FROM "people_resident"'},
    ]
    assert [table for table, _ in writes_in(queries)] == ["people_resident"] * 3
