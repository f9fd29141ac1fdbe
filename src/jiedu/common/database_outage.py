"""While the database cannot be reached, every request answers 503 with Retry-After, not 500.

Django turns an exception raised inside any middleware or view into a response at that layer,
so an outer middleware never sees it raised. ``got_request_exception`` is sent first, with the
exception being handled: the receiver below marks the request, and the middleware (placed
before the session and authentication middleware) replaces that request's response with the
503. The next request connects afresh (CONN_HEALTH_CHECKS): nothing to restart.

Only connection failures count: an error PostgreSQL reports about a query (a deadlock, a
statement timeout, a constraint) is still the 500 it was.
"""

from __future__ import annotations

import logging
import sqlite3
import sys

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10
# SQLSTATE classes of connection trouble: 08 connection exception, 57P operator intervention
# (server shutting down or starting up, connection terminated by an administrator).
_CONNECTION_SQLSTATES = ("08", "57P")
# SQLite: the file cannot be opened, or another writer holds it beyond the busy timeout.
_SQLITE_UNAVAILABLE = {sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED}
_MARK = "_jiedu_database_unavailable"


def is_connection_failure(exc: BaseException | None) -> bool:
    """Is this the database being unreachable (rather than a query it refused)?"""
    if isinstance(exc, InterfaceError):
        return True  # the connection is closed or broken
    if not isinstance(exc, OperationalError):
        return False
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        return getattr(cause, "sqlite_errorcode", None) in _SQLITE_UNAVAILABLE
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate is None:
        # No answer from a server at all: refused, reset, closed, timed out before any reply.
        return True
    return sqlstate.startswith(_CONNECTION_SQLSTATES)


def unavailable_response(request) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The service is temporarily unavailable. Please try again shortly.")}, status=503
        )
    else:
        # No request context: the context processors would query the database again.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@receiver(got_request_exception)
def _mark_connection_failure(sender, request=None, **kwargs):
    if request is not None and is_connection_failure(sys.exc_info()[1]):
        setattr(request, _MARK, True)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except (OperationalError, InterfaceError) as exc:
            # Raised through every layer only when DEBUG_PROPAGATE_EXCEPTIONS is on.
            if not is_connection_failure(exc):
                raise
            setattr(request, _MARK, True)
        if getattr(request, _MARK, False):
            logger.warning("database unavailable: answered 503 to %s %s", request.method, request.path)
            return unavailable_response(request)
        return response
