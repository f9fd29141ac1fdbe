"""Where one request's time goes: SQL statements and their time, the rest being Python."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.db import connection


def breakdown(action: Callable[[], object]) -> dict:
    statements, sql_seconds, slowest = 0, 0.0, []

    def wrapper(execute, sql, params, many, context):
        nonlocal statements, sql_seconds
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - started
            statements += 1
            sql_seconds += elapsed
            slowest.append((elapsed * 1000, " ".join(sql.split())[:200]))

    started = time.perf_counter()
    with connection.execute_wrapper(wrapper):
        action()
    total = time.perf_counter() - started
    slowest.sort(reverse=True)
    return {
        "statements": statements, "sql_ms": sql_seconds * 1000, "total_ms": total * 1000,
        "slowest": [{"ms": ms, "sql": text} for ms, text in slowest[:3]],
    }  # fmt: skip
