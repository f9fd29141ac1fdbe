"""Drill B: restart PostgreSQL while officers keep submitting whole zone rounds to a running gunicorn.

Proves: while the database is away the application answers 503 (or the connection fails), never
500; once PostgreSQL is back, the same gunicorn workers (nobody restarts them) answer 201 again
within a bounded time, because each request checks its pooled connection first
(CONN_HEALTH_CHECKS) and opens a new one; every round a client was told was stored is stored,
and every round, retried under its Idempotency-Key, is stored exactly once.

It restarts the whole PostgreSQL cluster (``pg_ctlcluster``, as root): run it where that is
acceptable (CI, a developer's machine), not against a shared server. PostgreSQL is always
waited for (``pg_isready``) before the drill ends, and started again if the restart failed.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest
from django.db import connection
from django.db.models import Count
from drill_data import RESIDENTS
from drill_server import request

from jiedu.health.models import TemperatureReading

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

CLIENTS = 3
ACKS_BEFORE_RESTART = 2 * CLIENTS
RESTART_TIMEOUT_S = 120
READY_TIMEOUT_S = 120
RECOVERY_S = 60  # after pg_isready, each officer's next rounds are acknowledged within this
ROUND_RETRY_S = 240  # one round is retried at most this long
PATH = "/api/v1/temperature-rounds/"
OUTAGE_ANSWERS = {503, None}  # the 503 page, or no HTTP answer (connection refused or reset)


def _cluster() -> list[str]:
    return [str(connection.pg_version // 10000), "main"]


def _pg_ctlcluster(action: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", *_cluster(), action],
        capture_output=True, text=True, timeout=RESTART_TIMEOUT_S, check=False,
    )  # fmt: skip


def _is_ready() -> bool:
    settings_dict = connection.settings_dict
    command = ["pg_isready", "-q", "-h", settings_dict["HOST"] or "127.0.0.1", "-p", str(settings_dict["PORT"] or 5432)]
    return subprocess.run(command, timeout=10, check=False).returncode == 0


def _wait_until_ready(timeout: float = READY_TIMEOUT_S) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _is_ready():
            return True
        time.sleep(0.5)
    return False


def _restart_postgresql() -> None:
    restarted = _pg_ctlcluster("restart")
    assert restarted.returncode == 0, f"pg_ctlcluster restart failed: {restarted.stderr}"


def _postmaster_started():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_postmaster_start_time()")
        return cursor.fetchone()[0]


class Officer(threading.Thread):
    """Submits one round after another, each retried (same key, same body) until acknowledged."""

    def __init__(self, server, zone, index: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.server, self.zone, self.index, self.stop = server, zone, index, stop
        self.rounds = []
        self.log: list[tuple[float, int | None]] = []  # (monotonic time, status) of every answer

    def run(self):
        number = 0
        while not self.stop.is_set():
            round_request = self.zone.round_request(self.index * 10_000 + number)
            number += 1
            self.rounds.append(round_request)
            deadline = time.monotonic() + ROUND_RETRY_S
            while time.monotonic() < deadline:
                answer = request(self.server.port, "POST", PATH, body=round_request.body, headers=round_request.headers)
                round_request.answers.append(answer)
                self.log.append((time.monotonic(), answer.status))
                if answer.status == 201:
                    break
                time.sleep(0.2)
            else:
                return  # never acknowledged: reported by the test

    def acknowledged_since(self, moment: float) -> int:
        return sum(1 for at, status in self.log if status == 201 and at >= moment)


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_restart_postgresql_under_load_the_application_recovers_without_a_restart(
    server, zone, record_testsuite_property
):
    server.start()
    workers = server.workers()
    started = _postmaster_started()
    stop = threading.Event()
    officers = [Officer(server, zone, index, stop) for index in range(CLIENTS)]
    for officer in officers:
        officer.start()
    try:
        assert _wait_for(lambda: sum(o.acknowledged_since(0) for o in officers) >= ACKS_BEFORE_RESTART, RECOVERY_S), (
            f"fewer than {ACKS_BEFORE_RESTART} rounds acknowledged before the restart\n{server.log_tail()}"
        )
        restart_began = time.monotonic()
        try:
            _restart_postgresql()
        finally:
            if not _wait_until_ready():
                _pg_ctlcluster("start")  # leave the machine's PostgreSQL running, whatever happened
                assert _wait_until_ready(), "PostgreSQL did not come back"
            connection.close()  # the test's own session ended with the restart
        back = time.monotonic()
        assert _postmaster_started() > started, "PostgreSQL was not restarted"

        recovered = _wait_for(lambda: all(o.acknowledged_since(back) >= 2 for o in officers), RECOVERY_S)
        assert recovered, f"no recovery within {RECOVERY_S} s of pg_isready\n{server.log_tail()}"
    finally:
        stop.set()
        for officer in officers:
            officer.join(timeout=ROUND_RETRY_S + 30)
    assert not any(officer.is_alive() for officer in officers)

    answers = [status for officer in officers for _, status in officer.log]
    unexpected = sorted({status for status in answers if status != 201 and status not in OUTAGE_ANSWERS})
    assert not unexpected, f"answers other than 201, 503 or no answer: {unexpected}\n{server.log_tail()}"
    during = [status for officer in officers for at, status in officer.log if at >= restart_began]
    record_testsuite_property("drill_b_rounds", sum(len(o.rounds) for o in officers))
    record_testsuite_property("drill_b_answers_503", during.count(503))
    record_testsuite_property("drill_b_no_answer", during.count(None))
    assert server.process.poll() is None and server.workers() == workers, "the gunicorn workers were replaced"

    rounds = [round_request for officer in officers for round_request in officer.rounds]
    late = [r.number for r in rounds if not r.acknowledged]
    assert not late, f"rounds never acknowledged: {late}\n{server.log_tail()}"
    stored = dict(
        TemperatureReading.objects.filter(zone=zone.zone).values("measured_at").annotate(n=Count("id")).values_list("measured_at", "n")
    )
    assert len(stored) == len(rounds) and set(stored.values()) == {RESIDENTS}, "a round is missing, partial or doubled"
    for round_request in rounds:
        named = {reading["id"] for reading in round_request.acknowledged.json()["readings"]}
        assert TemperatureReading.objects.filter(id__in=named, measured_at=round_request.measured_at).count() == RESIDENTS
