"""Gate events (about 50 a day per facility) and the ventilation and disinfection of key areas
(five and three times a day each), for every day of the period up to now."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from jiedu.environment import domain as environment
from jiedu.gatelog import domain as gate
from jiedu.scale.copying import NULL, stamp, text
from jiedu.scale.people import local_at
from jiedu.scale.shape import RegionShape

GATE_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "event_kind", "subject_kind", "subject_name", "staff_id",
    "organisation", "vehicle_plate", "approver", "approval_purpose", "approval_valid_until", "temperature_c",
    "disinfected", "security_checked", "received_by", "occurred_at", "outcome", "refusal_reasons",
    "closed_management", "fever_threshold_c", "registered_by_id", "corrects_id",
]  # fmt: skip
ENVIRONMENT_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "area_id", "kind", "performed_at", "performed_by_id",
    "duration_minutes", "agent", "concentration", "note", "corrects_id", "is_retraction",
]  # fmt: skip
STAFF_PASSAGES, VISITORS, VEHICLES, HANDOVERS = 20, 3, 2, 3  # a day: 2×20 + 3 + 2 + 3 ≈ 50 events
VENTILATION_HOURS = (7, 10, 13, 16, 19)
DISINFECTION_HOURS = (8, 14, 20)


@dataclass
class FacilityActivity:
    facility_id: int
    gate_staff: list[tuple[int, str]]  # (staff id, name) of those who pass the gate
    key_area_ids: list[int]
    gate_user: int
    environment_user: int


class GateWriter:
    def __init__(self, shape: RegionShape, rng: random.Random, first_id: int):
        self.shape, self.rng, self.next_id = shape, rng, first_id

    def _line(self, f: FacilityActivity, at: datetime.datetime, **v) -> str | None:
        if at > self.shape.now:
            return None
        row_id, self.next_id = self.next_id, self.next_id + 1
        approved = v.get("approver", "")
        valid_until = stamp(at.replace(hour=0, minute=0) + datetime.timedelta(days=1)) if approved else NULL
        reasons = v.get("reasons", [])
        return "\t".join((
            str(row_id), stamp(at), stamp(at), str(f.facility_id), v["event"], v["subject"], text(v["name"]),
            str(v["staff"]) if v.get("staff") else NULL, v.get("organisation", ""), v.get("plate", ""), approved,
            v.get("purpose", "") if approved else "", valid_until, v.get("temperature", NULL),
            "t" if v.get("checked") else "f", "t" if v.get("checked") else "f", v.get("received_by", ""),
            stamp(at), "refused" if reasons else "admitted",
            "[" + ", ".join(f'"{r}"' for r in reasons) + "]", "t", "37.3", str(f.gate_user), NULL,
        )) + "\n"  # fmt: skip

    def lines(self, facilities: list[FacilityActivity]):
        rng = self.rng
        for d in self.shape.day_list():
            for f in facilities:
                events = []
                for staff_id, name in rng.sample(f.gate_staff, min(STAFF_PASSAGES, len(f.gate_staff))):
                    arrive = local_at(d, datetime.time(7), rng.randrange(120))
                    temperature = f"{rng.uniform(36.0, 36.9):.1f}"
                    events.append((arrive, dict(event=gate.ENTRY, subject="staff", name=name, staff=staff_id,
                                                approver="值班所领导", purpose="返岗执勤", temperature=temperature,
                                                checked=True)))  # fmt: skip
                    leave = local_at(d, datetime.time(17), rng.randrange(180))
                    events.append((leave, dict(event=gate.EXIT, subject="staff", name=name, staff=staff_id)))
                for n in range(VISITORS):
                    at = local_at(d, datetime.time(9), rng.randrange(420))
                    refused = rng.random() < 0.3
                    events.append((at, dict(event=gate.ENTRY, subject="visitor", name=f"来访人员{n + 1}",
                                            organisation="呼和浩特市人民检察院", temperature="36.6", checked=True,
                                            reasons=[gate.APPROVAL_MISSING] if refused else [],
                                            approver="" if refused else "所长", purpose="工作检查")))  # fmt: skip
                for n in range(VEHICLES):
                    at = local_at(d, datetime.time(8), rng.randrange(540))
                    events.append((at, dict(event=gate.ENTRY, subject="vehicle", name=f"驾驶员{n + 1}",
                                            plate=f"蒙A{rng.randrange(10000, 99999)}", approver="后勤科长",
                                            purpose="物资运送", temperature="36.5", checked=True)))  # fmt: skip
                for n in range(HANDOVERS):
                    at = local_at(d, datetime.time(10), rng.randrange(360))
                    events.append((at, dict(event=gate.HANDOVER, subject="goods", name=f"配送员{n + 1}",
                                            organisation="物资供应站", received_by="值班民警")))  # fmt: skip
                events.sort(key=lambda e: e[0])
                for at, values in events:
                    line = self._line(f, at, **values)
                    if line:
                        yield line


class EnvironmentWriter:
    def __init__(self, shape: RegionShape, rng: random.Random, first_id: int):
        self.shape, self.rng, self.next_id = shape, rng, first_id

    def lines(self, facilities: list[FacilityActivity]):
        rng, now = self.rng, self.shape.now
        done = [(h, environment.VENTILATION) for h in VENTILATION_HOURS]
        done += [(h, environment.DISINFECTION) for h in DISINFECTION_HOURS]
        done.sort()
        for d in self.shape.day_list():
            for f in facilities:
                for hour, kind in done:
                    for area_id in f.key_area_ids:
                        at = local_at(d, datetime.time(hour), rng.randrange(40))
                        if at > now:
                            continue
                        row_id, self.next_id = self.next_id, self.next_id + 1
                        disinfection = kind == environment.DISINFECTION
                        yield "\t".join((
                            str(row_id), stamp(at), stamp(at), str(f.facility_id), str(area_id), kind, stamp(at),
                            str(f.environment_user), "30", "含氯消毒液" if disinfection else "",
                            "500mg/L" if disinfection else "", "", NULL, "f",
                        )) + "\n"  # fmt: skip
