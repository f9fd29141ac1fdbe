"""Drill A: kill -9 the application server (master and workers) while officers submit whole zone
rounds, restart it, and retry every round that was not acknowledged with the same
Idempotency-Key and body.

Proves: an acknowledged round is stored (a 201 is sent only after the commit); a round is stored
whole or not at all, even when its worker dies mid-request; a retry of a round whose answer was
lost (stored, never acknowledged) replays the first answer and stores nothing twice, also when
an acknowledged round is sent again after the restart; after the retries every round is stored
exactly once.
"""

from __future__ import annotations

import queue
import threading
import time

import pytest
from django.db.models import Count
from drill_data import RESIDENTS, wait_until_server_sessions_end
from drill_server import request

from jiedu.health.models import TemperatureReading

pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ROUNDS = 24
CLIENTS = 4
KILL_AFTER_ACKS = 3
WAIT_S = 120
PATH = "/api/v1/temperature-rounds/"


def _post(server, round_request):
    answer = request(server.port, "POST", PATH, body=round_request.body, headers=round_request.headers)
    round_request.answers.append(answer)
    return answer


def _stored(zone) -> dict:
    """Readings stored per round (by its measured_at)."""
    counts = (
        TemperatureReading.objects.filter(zone=zone.zone)
        .values("measured_at")
        .annotate(n=Count("id"))
        .values_list("measured_at", "n")
    )
    return dict(counts)


def _submit_once_each(server, rounds, acked_enough: threading.Event):
    """Officers send each round once, in parallel; sets ``acked_enough`` after KILL_AFTER_ACKS 201s."""
    pending = queue.Queue()
    for round_request in rounds:
        pending.put(round_request)
    lock = threading.Lock()
    acked = [0]

    def officer():
        while True:
            try:
                round_request = pending.get_nowait()
            except queue.Empty:
                return
            if _post(server, round_request).status == 201:
                with lock:
                    acked[0] += 1
                    if acked[0] >= KILL_AFTER_ACKS:
                        acked_enough.set()

    threads = [threading.Thread(target=officer, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    return threads


def _retry_until_acknowledged(server, rounds):
    deadline = time.monotonic() + WAIT_S
    pending = queue.Queue()
    for round_request in rounds:
        pending.put(round_request)

    def officer():
        while True:
            try:
                round_request = pending.get_nowait()
            except queue.Empty:
                return
            while time.monotonic() < deadline and _post(server, round_request).status != 201:
                time.sleep(0.2)

    threads = [threading.Thread(target=officer, daemon=True) for _ in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT_S + 10)


def test_kill_9_during_bulk_submissions_then_retry_stores_every_round_exactly_once(server, zone, record_testsuite_property):
    rounds = [zone.round_request(number) for number in range(ROUNDS)]
    server.start()
    acked_enough = threading.Event()

    officers = _submit_once_each(server, rounds, acked_enough)
    assert acked_enough.wait(timeout=WAIT_S), f"fewer than {KILL_AFTER_ACKS} rounds acknowledged\n{server.log_tail()}"
    server.kill()
    for thread in officers:
        thread.join(timeout=WAIT_S)
    assert not any(thread.is_alive() for thread in officers)
    wait_until_server_sessions_end()

    acknowledged = {r.number: r.acknowledged for r in rounds if r.acknowledged}
    unacknowledged = [r for r in rounds if r.number not in acknowledged]
    assert unacknowledged, "the kill came after every round was acknowledged: nothing was interrupted"
    answers = [a.status for r in rounds for a in r.answers]
    assert set(answers) <= {201, None}, f"answers other than 201 or no answer: {answers}\n{server.log_tail()}"

    # Right after the kill, before any retry: each round is stored whole or not at all, and every
    # acknowledged round is stored, with the readings its answer named.
    stored = _stored(zone)
    assert set(stored.values()) <= {RESIDENTS}, f"a round is stored in part: {sorted(stored.values())}"
    for number, answer in acknowledged.items():
        round_request = rounds[number]
        assert stored.get(round_request.measured_at) == RESIDENTS, f"acknowledged round {number} is not stored"
        named = {reading["id"] for reading in answer.json()["readings"]}
        in_database = set(
            TemperatureReading.objects.filter(zone=zone.zone, measured_at=round_request.measured_at).values_list("id", flat=True)
        )
        assert named == in_database
    stored_but_unanswered = {r.number for r in unacknowledged if stored.get(r.measured_at) == RESIDENTS}
    # What this run exercised, in the JUnit report (CI keeps it): the kill's timing varies.
    record_testsuite_property("drill_a_acknowledged_before_kill", len(acknowledged))
    record_testsuite_property("drill_a_stored_but_unanswered_at_kill", len(stored_but_unanswered))
    record_testsuite_property("drill_a_not_stored_at_kill", len(unacknowledged) - len(stored_but_unanswered))

    server.start()
    _retry_until_acknowledged(server, unacknowledged)

    late = [r.number for r in rounds if not r.acknowledged]
    assert not late, f"rounds never acknowledged after the restart: {late}\n{server.log_tail()}"
    # A client whose 201 got lost on the way sends its acknowledged round again: the first answer
    # comes back, kept across the kill, and nothing is stored twice.
    for number, first in acknowledged.items():
        again = _post(server, rounds[number])
        assert again.status == 201 and again.headers.get("idempotency-replayed") == "true"
        assert again.json() == first.json()
    for round_request in unacknowledged:
        answer = round_request.acknowledged
        replayed = answer.headers.get("idempotency-replayed") == "true"
        # A round stored before the kill whose answer was lost is replayed, not stored again.
        assert replayed == (round_request.number in stored_but_unanswered), round_request.number
    stored = _stored(zone)
    assert len(stored) == ROUNDS and set(stored.values()) == {RESIDENTS}
    duplicates = (
        TemperatureReading.objects.filter(zone=zone.zone)
        .values("resident", "measured_at")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not duplicates.exists()
    for round_request in rounds:
        named = {reading["id"] for reading in round_request.acknowledged.json()["readings"]}
        assert len(named) == RESIDENTS
        assert TemperatureReading.objects.filter(id__in=named, measured_at=round_request.measured_at).count() == RESIDENTS
