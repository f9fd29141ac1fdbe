"""With the database unreachable, pages and the API answer 503 with Retry-After (never a 500 or
a traceback), and answer normally again once it is back, with nothing restarted.

The outage is simulated by making the connection fail as a stopped server does. Django's test
client re-raises any exception a view raised even when the response was replaced, so these
clients are told not to: a real server only sends the response.
"""

import contextlib
import sqlite3
from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from rest_framework.authtoken.models import Token

from jiedu.common.database_outage import RETRY_AFTER_SECONDS, is_connection_failure
from jiedu.organisation.roles import Role

PAGE = "/health/alerts/"
API = "/api/v1/temperature-readings/"


class _ServerError(Exception):
    """Stands for a psycopg error: a server's answer carries an SQLSTATE, a failed connection none."""

    def __init__(self, sqlstate):
        super().__init__("server said no")
        self.sqlstate = sqlstate


def _failing(cause=None):
    def ensure_connection():
        raise OperationalError("connection refused") from cause

    return ensure_connection


@pytest.fixture
def officer(member, facility_a):
    return member(Role.MEDICAL_STAFF, facility_a)


@pytest.fixture
def page_client(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    return client


@pytest.fixture
def api_client(officer):
    token = Token.objects.create(user=officer)
    return Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Token {token.key}")


@pytest.fixture
def database_down(db):
    """The database refuses connections until ``database_down.stop()`` (undone before the test
    database is rolled back, which needs the connection)."""
    outage = mock.patch.object(connection, "ensure_connection", _failing())
    outage.start()
    yield outage
    with contextlib.suppress(RuntimeError):  # already stopped by the test
        outage.stop()


def test_a_page_answers_503_in_chinese_with_retry_after_and_works_again_when_the_database_is_back(
    page_client, database_down
):
    response = page_client.get(PAGE)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.content.decode()
    assert "服务暂时不可用" in body and "Traceback" not in body and "OperationalError" not in body

    database_down.stop()
    assert page_client.get(PAGE).status_code == 200


def test_an_api_call_answers_503_json_with_retry_after_and_works_again_when_the_database_is_back(
    api_client, database_down
):
    response = api_client.get(API)

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == ["detail"]

    database_down.stop()
    assert api_client.get(API).status_code == 200


def test_a_failure_while_saving_the_session_after_the_view_is_a_503_too(page_client):
    """The session middleware writes after the view has answered (SESSION_SAVE_EVERY_REQUEST)."""
    lost = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(SessionStore, "save", side_effect=lost):
        response = page_client.get(PAGE)
    assert response.status_code == 503


def test_with_debug_on_the_developer_gets_the_503_page_too_not_a_traceback(page_client, database_down, settings):
    settings.DEBUG = True
    response = page_client.get(PAGE)
    assert response.status_code == 503
    assert "Traceback" not in response.content.decode()


def test_a_query_the_server_refuses_is_still_a_500(api_client):
    """A deadlock (SQLSTATE 40P01) is no outage: the 500 it was stays a 500."""
    with mock.patch.object(connection, "ensure_connection", _failing(cause=_ServerError("40P01"))):
        response = api_client.get(API)
    assert response.status_code == 500
    assert "Retry-After" not in response


def _sqlite_error(code):
    error = sqlite3.OperationalError("sqlite says no")
    error.sqlite_errorcode = code
    return error


def _wrapped(cause):
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as exc:
        return exc


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (InterfaceError("connection already closed"), True),
        (_wrapped(_ServerError(None)), True),  # refused, reset or closed: no server answer
        (_wrapped(_ServerError("57P01")), True),  # terminating connection due to administrator command
        (_wrapped(_ServerError("57P03")), True),  # the database system is starting up
        (_wrapped(_ServerError("08006")), True),  # connection failure
        (_wrapped(_ServerError("40P01")), False),  # deadlock detected
        (_wrapped(_ServerError("57014")), False),  # statement timeout
        (_wrapped(_sqlite_error(sqlite3.SQLITE_BUSY)), True),  # database is locked beyond the timeout
        (_wrapped(_sqlite_error(sqlite3.SQLITE_CANTOPEN)), True),
        (_wrapped(_sqlite_error(sqlite3.SQLITE_ERROR)), False),  # e.g. no such table
        (ValueError("not a database error"), False),
    ],
)
def test_only_connection_failures_count_as_an_outage(error, outage):
    assert is_connection_failure(error) is outage
