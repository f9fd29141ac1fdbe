"""Whole rounds through the API against COPY of the same rows.

The API side: client threads post whole rounds (POST /api/v1/temperature-rounds/, one zone's
residents each) to gunicorn for a fixed time; readings/s counts the readings of rounds answered
201. The reference: the same number of rows, of the same residents and zones, COPYed into the
same table with its indexes in place, in a transaction that is then rolled back.
"""

from __future__ import annotations

import datetime
import http.client
import json
import threading
import time
from urllib.parse import urlsplit

import psycopg

from jiedu.scale.bench.timing import summary_ms

ROUND_PATH = "/api/v1/temperature-rounds/"
TEMPERATURES = ("36.2", "36.4", "36.5", "36.6", "36.8")


def round_bodies(plan: dict) -> list[tuple[str, bytes]]:
    """(token, JSON body) of one round per zone of the plan."""
    bodies = []
    for item in plan["rounds"]:
        readings = [
            {"resident": resident, "temperature_c": TEMPERATURES[n % len(TEMPERATURES)]}
            for n, resident in enumerate(item["residents"])
        ]
        bodies.append((item["token"], json.dumps({"zone": item["zone"], "readings": readings}).encode()))
    return bodies


def post_rounds(base: str, plan: dict, *, seconds: float, threads: int) -> dict:
    host = urlsplit(base)
    bodies = round_bodies(plan)
    size = plan["round_size"]
    lock, latencies, outcome = threading.Lock(), [], {"rounds": 0, "failed": 0, "statuses": {}}
    deadline = time.monotonic() + seconds

    def client(offset: int):
        conn = http.client.HTTPConnection(host.hostname, host.port, timeout=120)
        n = offset
        while time.monotonic() < deadline:
            token, body = bodies[n % len(bodies)]
            n += threads
            started = time.perf_counter()
            conn.request("POST", ROUND_PATH, body=body, headers={
                "Authorization": f"Token {token}", "Content-Type": "application/json"})  # fmt: skip
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                outcome["statuses"][response.status] = outcome["statuses"].get(response.status, 0) + 1
                outcome["rounds" if response.status == 201 else "failed"] += 1
        conn.close()

    started = time.perf_counter()
    workers = [threading.Thread(target=client, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    readings = outcome["rounds"] * size
    return {
        "readings": readings, "rounds": outcome["rounds"], "failed": outcome["failed"], "seconds": elapsed,
        "readings_per_second": readings / elapsed, "statuses": outcome["statuses"], "threads": threads,
        "round_size": size, "latency": summary_ms(latencies) if latencies else None,
    }  # fmt: skip


def copy_reference(url: str, plan: dict, rows: int) -> dict:
    """COPY ``rows`` readings of the plan's residents (rolled back), as rows/s."""
    pairs = [
        (item["facility"], item["zone"], r, item["user"])
        for item in plan["rounds"]
        for r in item["residents"]
    ]
    now = datetime.datetime.now(datetime.UTC).isoformat()
    started = time.perf_counter()
    with psycopg.connect(url) as conn, conn.cursor() as cursor:
        with cursor.copy(
            "COPY health_temperaturereading (facility_id, resident_id, measured_at, temperature_c, measured_by_id,"
            " zone_id, note, created_at, updated_at) FROM STDIN"
        ) as copy:
            block = []
            for n in range(rows):
                facility, zone, resident, user = pairs[n % len(pairs)]
                block.append(
                    f"{facility}\t{resident}\t{now}\t{TEMPERATURES[n % 5]}\t{user}\t{zone}\t\t{now}\t{now}\n"
                )
                if len(block) >= 20_000:
                    copy.write("".join(block))
                    block.clear()
            copy.write("".join(block))
        elapsed = time.perf_counter() - started
        conn.rollback()
    return {"rows": rows, "seconds": elapsed, "rows_per_second": rows / elapsed}
