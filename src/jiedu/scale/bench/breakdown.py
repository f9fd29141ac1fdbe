"""Where one request's time goes: SQL statements and their time, the rest being Python."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection


def breakdown(action: Callable[[], object]) -> dict:
    statements, sql_seconds = 0, 0.0

    def wrapper(execute, sql, params, many, context):
        nonlocal statements, sql_seconds
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            statements += 1
            sql_seconds += time.perf_counter() - started

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        action()
    total = time.perf_counter() - started
    return {"statements": statements, "sql_ms": sql_seconds * 1000, "total_ms": total * 1000}
