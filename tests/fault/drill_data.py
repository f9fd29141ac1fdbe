"""The drills' data: one zone of residents in custody, an officer's API token, and whole-zone
rounds, each told apart by its own measured_at."""

from __future__ import annotations

import datetime
import json
import time
import uuid

from django.db import connection
from django.utils import timezone
from rest_framework.authtoken.models import Token

from factories import MembershipFactory, ResidentFactory, UserFactory, ZoneFactory
from jiedu.organisation.roles import Role

RESIDENTS = 50


class Zone:
    """One zone of ~50 residents in custody and a token of an officer who records their rounds."""

    def __init__(self):
        self.zone = ZoneFactory()
        officer = UserFactory()
        MembershipFactory(user=officer, facility=self.zone.facility, role=Role.MEDICAL_STAFF)
        self.residents = [ResidentFactory(facility=self.zone.facility, current_zone=self.zone) for _ in range(RESIDENTS)]
        self.token = Token.objects.create(user=officer).key
        # Rounds are told apart by their time: each gets its own second, yesterday (always in the past).
        self.base_time = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)

    def round_request(self, number: int) -> RoundRequest:
        measured_at = self.base_time + datetime.timedelta(seconds=number)
        body = {
            "zone": self.zone.pk,
            "measured_at": measured_at.isoformat(),
            "readings": [{"resident": r.pk, "temperature_c": "36.5"} for r in self.residents],
        }
        return RoundRequest(number, measured_at, body, self.token)


class RoundRequest:
    """One whole zone round, sent again and again with the same key and body until acknowledged."""

    def __init__(self, number, measured_at, body, token):
        self.number, self.measured_at = number, measured_at
        self.body = json.dumps(body).encode()
        self.headers = {
            "Authorization": f"Token {token}", "Content-Type": "application/json",
            "Idempotency-Key": str(uuid.uuid4()),
        }  # fmt: skip
        self.answers = []  # every Answer, in order

    @property
    def acknowledged(self):
        return next((a for a in self.answers if a.status == 201), None)


def wait_until_server_sessions_end(timeout: float = 60) -> None:
    """Wait until no other session is connected to the test database: a killed server's last
    COMMIT has been carried out or rolled back by PostgreSQL before the drill counts rows."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"the killed server's database sessions were still open after {timeout:.0f} s")
