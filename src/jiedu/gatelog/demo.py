"""Demo gate history: the last ``days`` days at every facility's gate, recorded through the service.

Each day: the morning shift change (on-coming staff enter with the rotation approval, the night
shift leaves), now and then a lawyer's visit, a supply lorry in and out, goods handed over at the
gate. Family visits are suspended under closed management, so a relative who turns up anyway is
refused for want of an approval; a few fevers, expired approvals and skipped checks complete it.

Deterministic (``day_rng``) and idempotent per facility and day: a day with any gate event at a
facility is left alone. Today is not filled: its passages happen in front of the demo audience.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random

from django.db import transaction
from django.utils import timezone

from jiedu.demo.history import day_rng
from jiedu.demo.names import person_name
from jiedu.gatelog.models import GateEvent
from jiedu.gatelog.services import record_gate_event
from jiedu.organisation.models import Facility, Membership
from jiedu.organisation.roles import Role
from jiedu.people.models import Staff

# Vehicle plates by league/city (蒙A 呼和浩特 … 蒙M 阿拉善); region-run facilities sit near Hohhot.
PLATE_LETTERS = {
    "呼和浩特": "A", "包头": "B", "乌海": "C", "赤峰": "D", "呼伦贝尔": "E", "兴安": "F", "通辽": "G",
    "锡林郭勒": "H", "乌兰察布": "J", "鄂尔多斯": "K", "巴彦淖尔": "L", "阿拉善": "M",
}  # fmt: skip
LAW_FIRMS = ("内蒙古正和律师事务所", "内蒙古北辰律师事务所", "内蒙古天衡律师事务所")
SUPPLIERS = ("塞外粮油配送有限公司", "北疆果蔬配送中心")
COURIERS = ("中国邮政", "顺丰速运", "京东物流")
GUARD_BRIGADE = "警戒护卫大队"


class Cast:
    """The people of one facility the gate sees every day."""

    def __init__(self, facility: Facility, system):
        self.facility = facility
        on_duty = Staff.objects.filter(facility=facility, status=Staff.Status.ON_DUTY)
        self.staff = list(on_duty.select_related("department"))
        self.leaders = [s.name for s in self.staff if s.is_leadership] or ["值班所领导"]
        guards = [s.name for s in self.staff if s.department and s.department.name == GUARD_BRIGADE]
        self.guards = guards or ["门岗值班民警"]
        gate_login = Membership.objects.filter(
            facility=facility, role=Role.GATE_OFFICER, is_active=True
        ).first()
        self.registrar = gate_login.user if gate_login else system
        plates = Random(f"{facility.code}-plates")
        letter = next((v for k, v in PLATE_LETTERS.items() if k in facility.name), "A")
        self.lorries = [f"蒙{letter}{plates.randint(10000, 99999)}" for _ in SUPPLIERS]


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _who(subject_kind: str, name: str, organisation: str = "", **more) -> dict:
    return {"subject_kind": subject_kind, "subject_name": name, "organisation": organisation, **more}


def _checked(rng: Random) -> dict:
    temperature = Decimal(rng.randint(361, 369)) / 10
    return {"temperature_c": temperature, "disinfected": True, "security_checked": True}


def _approval(cast: Cast, rng: Random, purpose: str, valid_until: datetime.datetime) -> dict:
    approver = rng.choice(cast.leaders)
    return {"approver": approver, "approval_purpose": purpose, "approval_valid_until": valid_until}


def _shift_change(cast: Cast, rng: Random, day: datetime.date) -> list[dict]:
    """The day shift comes in with the rotation approval; the night shift leaves."""
    if len(cast.staff) < 10:
        return []
    size = rng.randint(3, 5)
    crew = rng.sample(cast.staff, 2 * size)
    rotation = _approval(cast, rng, "轮岗换班", _at(day, 23, 59))
    passages = []
    for i, member in enumerate(crew):
        unit = member.department.name if member.department else ""
        person = _who("staff", member.name, unit, staff=member)
        if i >= size:
            passages.append({"event_kind": "exit", "occurred_at": _at(day, 8, 20 + 3 * (i - size)), **person})
            continue
        checks = _checked(rng)
        if rng.random() < 0.04:
            checks["security_checked"] = False  # waved through in the rush, so refused
        arrival = _at(day, 7, 40 + 3 * i)
        passages.append({"event_kind": "entry", "occurred_at": arrival, **person, **rotation, **checks})
    return passages


def _visitors(cast: Cast, rng: Random, day: datetime.date) -> list[dict]:
    passages = []
    if rng.random() < 0.4:
        lawyer = _who("visitor", person_name(rng, male=rng.random() < 0.7), rng.choice(LAW_FIRMS))
        # Now and then the approval ran out the day before: the lawyer is turned away.
        valid_until = _at(day, 17, 0) if rng.random() > 0.15 else _at(day - datetime.timedelta(days=1), 17, 0)
        approval = _approval(cast, rng, "律师会见", valid_until)
        leaving = {"event_kind": "exit", "occurred_at": _at(day, 11, rng.randint(0, 40)), **lawyer}
        arrival = _at(day, 9, rng.randint(30, 59))
        passages.append(
            {
                "event_kind": "entry",
                "occurred_at": arrival,
                **lawyer,
                **approval,
                **_checked(rng),
                "then": leaving,
            }
        )
    if rng.random() < 0.15:  # family visits are suspended: a relative who comes anyway has no approval
        relative = _who("visitor", person_name(rng, male=rng.random() < 0.5), "家属")
        arrival = _at(day, 14, rng.randint(0, 59))
        passages.append({"event_kind": "entry", "occurred_at": arrival, **relative, **_checked(rng)})
    return passages


def _supplies(cast: Cast, rng: Random, day: datetime.date) -> list[dict]:
    """A supply lorry in and out, and parcels handed over at the gate without contact."""
    which = rng.randrange(len(SUPPLIERS))
    lorry = _who("vehicle", person_name(rng, male=True), SUPPLIERS[which], vehicle_plate=cast.lorries[which])
    arrival = _at(day, 10, rng.randint(0, 50))
    checks = _checked(rng)
    if rng.random() < 0.08:  # a feverish driver: the lorry stays outside
        checks["temperature_c"] = Decimal(rng.randint(374, 383)) / 10
    approval = _approval(cast, rng, "生活物资配送", _at(day, 18, 0))
    leaving = {"event_kind": "exit", "occurred_at": arrival + datetime.timedelta(minutes=35), **lorry}
    passages = [
        {"event_kind": "entry", "occurred_at": arrival, **lorry, **checks, **approval, "then": leaving}
    ]
    for hour in range(15, 15 + rng.randint(1, 2)):
        courier = _who(
            "goods", person_name(rng, male=True), rng.choice(COURIERS), received_by=rng.choice(cast.guards)
        )
        approval = _approval(cast, rng, "无接触交接快递包裹", _at(day, 20, 0))
        passages.append(
            {
                "event_kind": "handover",
                "occurred_at": _at(day, hour, rng.randint(0, 59)),
                **courier,
                **approval,
            }
        )
    return passages


def plan_day(cast: Cast, day: datetime.date) -> list[dict]:
    rng = day_rng(cast.facility.code, day, "gatelog")
    passages = _shift_change(cast, rng, day) + _visitors(cast, rng, day) + _supplies(cast, rng, day)
    return sorted(passages, key=lambda p: p["occurred_at"])


def _filled_days(facility: Facility, since: datetime.date) -> set[datetime.date]:
    times = GateEvent.objects.filter(facility=facility, occurred_at__gte=_at(since, 0, 0))
    return {timezone.localdate(t) for t in times.values_list("occurred_at", flat=True)}


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = 0
    first = today - datetime.timedelta(days=days)
    for facility in Facility.objects.order_by("code"):
        cast = Cast(facility, system)
        filled = _filled_days(facility, first)
        for offset in range(days):
            day = first + datetime.timedelta(days=offset)
            if day in filled:
                continue
            with transaction.atomic():
                written += _record_day(cast, plan_day(cast, day))
    return written


def _record_day(cast: Cast, passages: list[dict]) -> int:
    """Record the day's passages; whoever is let in leaves again later (``then``)."""
    written = 0
    for passage in passages:
        follow_up = passage.pop("then", None)
        event = record_gate_event(actor=cast.registrar, facility=cast.facility, **passage)
        written += 1
        if follow_up and event.outcome == GateEvent.Outcome.ADMITTED:
            record_gate_event(actor=cast.registrar, facility=cast.facility, **follow_up)
            written += 1
    return written
