"""A few findings a month per facility, each with the events of its life so far: recorded,
rectification started, submitted, verified by the leader (never the submitter) and closed."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from jiedu.findings.models import Finding, FindingEvent
from jiedu.scale.copying import NULL, day, stamp
from jiedu.scale.people import local_at
from jiedu.scale.shape import RegionShape

FINDINGS_PER_DAY = 3 / 30
TITLES = ("台账记录不完整", "消毒记录缺少浓度", "宿舍通风不及时", "应急预案未按期修订", "门岗登记信息缺项",
          "药品柜未上锁", "监控存在盲区", "值班记录签字不全")  # fmt: skip

FINDING_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "campaign_id", "inspection_id", "origin", "oversight",
    "method", "standard_id", "severity", "title", "description", "responsible_department_id",
    "responsible_staff_id", "responsible_user_id", "found_on", "deadline", "status", "recorded_by_id",
    "submitted_at", "submitted_by_id", "rectified_on", "verified_at", "verified_by_id", "closed_at",
    "reopen_count", "withdrawn_reason",
]  # fmt: skip
EVENT_COLUMNS = [
    "id", "created_at", "updated_at", "facility_id", "finding_id", "kind", "actor_id", "at", "note",
    "deadline_before", "deadline_after",
]  # fmt: skip


@dataclass
class FacilityFindings:
    facility_id: int
    department_ids: list[int]
    staff_ids: list[int]
    leader: int  # records, verifies and closes
    officer: int  # rectifies and submits


class FindingWriter:
    def __init__(self, shape: RegionShape, rng: random.Random, *, first_id: int, first_event_id: int):
        self.shape, self.rng = shape, rng
        self.next_id, self.next_event_id = first_id, first_event_id
        self.event_lines: list[str] = []

    def lines(self, facilities: list[FacilityFindings]):
        rng = self.rng
        for d in self.shape.day_list():
            for f in facilities:
                if rng.random() < FINDINGS_PER_DAY:
                    line = self._finding(f, d)
                    if line:
                        yield line

    def _event(self, f: FacilityFindings, finding_id: int, kind: str, actor: int, at: datetime.datetime):
        event_id, self.next_event_id = self.next_event_id, self.next_event_id + 1
        self.event_lines.append(
            f"{event_id}\t{stamp(at)}\t{stamp(at)}\t{f.facility_id}\t{finding_id}\t{kind}\t{actor}\t{stamp(at)}"
            f"\t\t{NULL}\t{NULL}\n"
        )

    def _finding(self, f: FacilityFindings, found_on: datetime.date) -> str | None:
        rng, now = self.rng, self.shape.now
        recorded = local_at(found_on, datetime.time(10), rng.randrange(300))
        if recorded > now:
            return None
        finding_id, self.next_id = self.next_id, self.next_id + 1
        steps = [(FindingEvent.Kind.RECORDED, f.leader, recorded, Finding.Status.OPEN)]
        started = recorded + datetime.timedelta(days=2)
        submitted = started + datetime.timedelta(days=rng.randint(8, 25))
        verified = submitted + datetime.timedelta(days=3)
        closed = verified + datetime.timedelta(days=1)
        steps += [
            (FindingEvent.Kind.STARTED, f.officer, started, Finding.Status.RECTIFYING),
            (FindingEvent.Kind.SUBMITTED, f.officer, submitted, Finding.Status.SUBMITTED),
            (FindingEvent.Kind.VERIFIED, f.leader, verified, Finding.Status.VERIFIED),
            (FindingEvent.Kind.CLOSED, f.leader, closed, Finding.Status.CLOSED),
        ]
        steps = [step for step in steps if step[2] <= now]
        for kind, actor, at, _ in steps:
            self._event(f, finding_id, kind, actor, at)
        status = steps[-1][3]
        reached = {step[0] for step in steps}
        is_submitted = FindingEvent.Kind.SUBMITTED in reached
        is_verified = FindingEvent.Kind.VERIFIED in reached
        return "\t".join((
            str(finding_id), stamp(recorded), stamp(steps[-1][2]), str(f.facility_id), NULL, NULL,
            Finding.Origin.SELF_IDENTIFIED, Finding.Oversight.INTERNAL, Finding.Method.SITE_CHECK, NULL,
            Finding.Severity.SERIOUS if rng.random() < 0.1 else Finding.Severity.GENERAL, rng.choice(TITLES), "",
            str(rng.choice(f.department_ids)), str(rng.choice(f.staff_ids)), NULL, day(found_on),
            day(found_on + datetime.timedelta(days=30)), status, str(f.leader),
            stamp(submitted) if is_submitted else NULL, str(f.officer) if is_submitted else NULL,
            day(submitted.date()) if is_verified else NULL, stamp(verified) if is_verified else NULL,
            str(f.leader) if is_verified else NULL,
            stamp(closed) if FindingEvent.Kind.CLOSED in reached else NULL, "0", "",
        )) + "\n"  # fmt: skip
