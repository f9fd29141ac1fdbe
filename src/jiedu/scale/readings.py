"""Temperature rounds every two hours for everyone in custody, and the rare fever they find.

Each slot's reading is taken at a random minute within its first 90 minutes; about one slot in
three hundred is missed, so compliance is high but not perfect. About one reading in 20,000 is a
fever: it raises an alert (as ``health.services`` would), and the resident's next reading, always
normal, is the re-check that lets the medical officer dismiss it. An alert whose re-check has
not come yet is still open.
"""

from __future__ import annotations

import bisect
import datetime
import random
from dataclasses import dataclass, field

from jiedu.common.localtime import local_day_bounds
from jiedu.health.models import FeverAlert
from jiedu.scale.copying import NULL, stamp
from jiedu.scale.people import Custody
from jiedu.scale.shape import ROUND_INTERVAL, ROUNDS_PER_DAY, RegionShape

MISSED_SLOT = 1 / 300
FEVER = 1 / 20_000
RECHECK_AFTER = datetime.timedelta(hours=1)
DISMISSED_AFTER = datetime.timedelta(minutes=10)
FIRST_MINUTE, LAST_MINUTE = 3, 90

READING_COLUMNS = [
    "id", "facility_id", "resident_id", "measured_at", "temperature_c", "measured_by_id", "zone_id",
    "corrects_id", "note", "created_at", "updated_at",
]  # fmt: skip
ALERT_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "resident_id", "reading_id", "raised_at", "status",
    "recheck_due_at", "resolved_at", "resolved_by_id", "dismissal_reason", "isolation_stay_id",
]  # fmt: skip


def _normal_temperatures(rng: random.Random) -> list[str]:
    return [f"{min(37.2, max(35.8, rng.gauss(36.5, 0.25))):.1f}" for _ in range(997)]


@dataclass
class FacilityRounds:
    facility_id: int
    stays: list[Custody]
    zone_ids: dict[str, int]
    measured_by: int
    arrivals: list = field(default_factory=list)
    pending: dict = field(default_factory=dict)


class ReadingWriter:
    """Yields COPY lines of readings, collecting the fever alerts (written after the readings)."""

    def __init__(self, shape: RegionShape, rng: random.Random, *, first_id: int, first_alert_id: int):
        self.shape, self.rng = shape, rng
        self.next_id, self.next_alert_id = first_id, first_alert_id
        self.normal = _normal_temperatures(rng)
        self.alert_lines: list[str] = []
        self.readings = 0

    def lines(self, facilities: list[FacilityRounds]):
        """Day by day, facility by facility, slot by slot: the order rounds are taken in."""
        now = self.shape.now
        for f in facilities:
            f.stays = sorted(f.stays, key=lambda s: s.admitted_at)
            f.arrivals = [s.admitted_at for s in f.stays]
            f.pending = {}  # resident -> the fever reading waiting for its re-check
        for d in self.shape.day_list():
            day_start, day_end = local_day_bounds(d)
            slots = []
            for slot in range(ROUNDS_PER_DAY):
                slot_start = day_start + slot * ROUND_INTERVAL
                if slot_start > now:
                    break
                moments = [
                    slot_start + datetime.timedelta(minutes=m) for m in range(FIRST_MINUTE, LAST_MINUTE)
                ]
                slots.append([(at, stamp(at)) for at in moments])
            for f in facilities:
                yield from self._day(f, d, day_start, day_end, slots)
        for f in facilities:
            for fever in f.pending.values():
                self._alert(f, fever, recheck_at=None)

    def _day(self, f: FacilityRounds, d: datetime.date, day_start, day_end, slots):
        rng, now, normal = self.rng, self.shape.now, self.normal
        random_, randrange = rng.random, rng.randrange
        pending = f.pending
        present = [s for s in f.stays[: bisect.bisect_left(f.arrivals, day_end)] if s.leaves_at > day_start]
        zones = {s.id: str(f.zone_ids[s.zone_type_on(d)]) for s in present}
        fid, uid = str(f.facility_id), str(f.measured_by)
        for times in slots:
            count = len(times)
            for stay in present:
                if random_() < MISSED_SLOT:
                    continue
                at, text_at = times[randrange(count)]
                if at < stay.admitted_at or at >= stay.leaves_at or at > now:
                    continue
                reading_id = self.next_id
                self.next_id += 1
                if stay.id in pending:
                    temperature = normal[reading_id % len(normal)]
                    self._alert(f, pending.pop(stay.id), recheck_at=at)
                elif random_() < FEVER:
                    temperature = f"{37.3 + randrange(12) / 10:.1f}"
                    pending[stay.id] = (stay.id, reading_id, at)
                else:
                    temperature = normal[randrange(997)]
                yield (
                    f"{reading_id}\t{fid}\t{stay.id}\t{text_at}\t{temperature}\t{uid}\t{zones[stay.id]}"
                    f"\t{NULL}\t\t{text_at}\t{text_at}\n"
                )

    def _alert(self, f: FacilityRounds, fever: tuple, *, recheck_at: datetime.datetime | None) -> None:
        resident_id, reading_id, raised_at = fever
        alert_id = self.next_alert_id
        self.next_alert_id += 1
        resolved = recheck_at + DISMISSED_AFTER if recheck_at is not None else None
        if resolved is not None and resolved > self.shape.now:
            resolved = None
        status = FeverAlert.Status.DISMISSED if resolved else FeverAlert.Status.OPEN
        self.alert_lines.append("\t".join((
            str(alert_id), stamp(raised_at), stamp(resolved or raised_at), str(f.facility_id), str(resident_id),
            str(reading_id), stamp(raised_at), status, stamp(raised_at + RECHECK_AFTER), stamp(resolved),
            str(f.measured_by) if resolved else NULL, "复测体温正常" if resolved else "", NULL,
        )) + "\n")  # fmt: skip
