"""Demo overseas ledger: a few staff members and relatives abroad, planning to return or back.

Most facilities have nobody or one person in the ledger, a few have up to four; the first facility
has a relative with the whole story: registered abroad, then a planned return, then back home.
Written through the services (audited like any officer's entry). Idempotent per facility: a
facility with any ledger entry is left alone.
"""

from __future__ import annotations

import datetime
from random import Random

from django.db import transaction

from jiedu.demo.history import day_rng
from jiedu.demo.names import person_name
from jiedu.organisation.models import Facility
from jiedu.overseas import domain, services
from jiedu.overseas.models import OverseasEntry
from jiedu.people.models import Staff

PLACES = (
    ("蒙古国 乌兰巴托", "OM223 乌兰巴托—呼和浩特"),
    ("俄罗斯 莫斯科", "CA910 莫斯科—北京，动车至呼和浩特"),
    ("澳大利亚 墨尔本", "CZ344 墨尔本—广州，转机至呼和浩特"),
    ("日本 东京", "CA926 东京—北京，高铁至呼和浩特"),
    ("英国 伦敦", "CA938 伦敦—北京，航班至呼和浩特"),
    ("美国 洛杉矶", "CA984 洛杉矶—北京，高铁至呼和浩特"),
)
REASONS = {"child": "留学", "spouse": "陪读", "sibling": "务工", "parent": "探亲", domain.SELF: "因公出访"}
RESIDENCES = ("呼和浩特市赛罕区居民小区", "包头市昆都仑区居民小区", "集宁区居民小区", "本所单身宿舍")
DAY = datetime.timedelta(days=1)


def _abroad(rng: Random, place: str, relation: str, name: str) -> dict:
    return {
        "category": domain.ABROAD,
        "residence_abroad": place,
        "reason_abroad": REASONS.get(relation, "探亲"),
        "contact_method": rng.choice(("微信视频，每周一次", "电话，每周两次", "微信，每日报平安")),
        "notes": f"{name}在外情况已登记",
    }


def _planning(rng: Random, route: str, effective: datetime.date) -> dict:
    return {
        "category": domain.PLANNING,
        "planned_return_date": effective + rng.randint(10, 40) * DAY,
        "planned_route": route,
        "reported_on": effective - DAY,
        "testing_quarantine_arrangements": "入境后集中隔离14天、居家健康监测7天，期间两次核酸检测，社区和单位双报备",
    }


def _returned(rng: Random, route: str, returned_on: datetime.date) -> dict:
    return {
        "category": domain.RETURNED,
        "return_date": returned_on,
        "current_residence": rng.choice(RESIDENCES),
        "return_route": route,
        "fever_or_cough": False,
        "recent_medical_control": "入境集中隔离14天期满解除，核酸两次阴性，无发热咳嗽就诊记录",
    }


def _person(rng: Random, staff: Staff, taken: set[int]) -> tuple[str, str]:
    """(relation, name): mostly relatives; a staff member themself at most once."""
    relation = rng.choice(("child", "child", "spouse", "sibling", "parent", domain.SELF))
    if relation == domain.SELF and staff.pk in taken:
        relation = "child"
    if relation == domain.SELF:
        taken.add(staff.pk)
        return relation, ""
    return relation, person_name(rng, male=rng.random() < 0.5)


def _write(system, staff: Staff, relation: str, name: str, steps: list[tuple[datetime.date, dict]]) -> int:
    (first_day, first), *later = steps
    entry = services.create_entry(
        actor=system, facility=staff.facility, staff=staff, relation=relation, person_name=name,
        effective_date=first_day, **first,
    )  # fmt: skip
    for day, status in later:
        services.record_status(actor=system, entry=entry, effective_date=day, **status)
    return 1 + len(later)


def _story(rng: Random, today: datetime.date, *, relation: str, name: str, full: bool) -> list:
    place, route = rng.choice(PLACES)
    registered = today - rng.randint(90, 200) * DAY
    abroad = (registered, _abroad(rng, place, relation, name or "本人"))
    if full:  # the whole way home: abroad → planning → returned
        planned = today - 45 * DAY
        home = (today - 20 * DAY, _returned(rng, route, today - 22 * DAY))
        return [abroad, (planned, _planning(rng, route, planned)), home]
    kind = rng.choice((domain.ABROAD, domain.ABROAD, domain.PLANNING, domain.RETURNED))
    if kind == domain.PLANNING:
        planned = today - rng.randint(1, 10) * DAY
        return [abroad, (planned, _planning(rng, route, planned))]
    if kind == domain.RETURNED:
        back = today - rng.randint(5, 60) * DAY
        return [(back, _returned(rng, route, back - DAY))]
    return [abroad]


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = 0
    for index, facility in enumerate(Facility.objects.order_by("code")):
        if OverseasEntry.objects.filter(facility=facility).exists():
            continue
        on_duty = Staff.objects.filter(facility=facility, status=Staff.Status.ON_DUTY)
        staff = list(on_duty.order_by("police_number"))
        rng = day_rng(facility.code, today, "overseas")
        people = 1 if index == 0 else rng.choice((0, 0, 0, 1, 1, 2, 3, 4))
        if not staff:
            continue
        taken: set[int] = set()
        with transaction.atomic():
            for number in range(people):
                member = rng.choice(staff)
                relation, name = _person(rng, member, taken)
                story = _story(rng, today, relation=relation, name=name, full=index == 0 and number == 0)
                written += _write(system, member, relation, name, story)
    return written
