"""Demo hygiene history: a weekly 四位一体 inspection of every department, and the honour roll and
exposure board of each of the last two full months.

Inspections run from the first day of the earlier board month to ``today`` (8 to 13 weeks), one a
week per department on the facility's inspection day. Scores are mostly 85–98 around each
department's own level (a few excel), now and then low or failed, chosen by ``day_rng`` so every
run gives the same. Written through the services as the system user; idempotent: a department
already inspected that day, a day under a published board and a period already published are
skipped, so a second run writes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal
from random import Random

from django.db import transaction

from jiedu.demo.history import day_rng
from jiedu.hygiene import selectors, services
from jiedu.hygiene.models import HygieneBoard, HygieneInspection
from jiedu.organisation.models import Department, Facility

BOARD_MONTHS = 2
PROBLEMS = (
    "内务不整，被褥未按标准叠放",
    "卫生间地面积水、有异味",
    "走廊墙面有污渍",
    "物品摆放杂乱，储物柜未上锁",
    "垃圾未及时清运",
    "窗台、门框积灰",
    "个人卫生检查：个别人员指甲过长",
    "餐具未按要求消毒存放",
)
NOTE = "{year}年{month}月环境卫生“四位一体”检查结果，予以通报。"


def _month_start(day: datetime.date, back: int) -> datetime.date:
    year, month = day.year, day.month - back
    while month < 1:
        year, month = year - 1, month + 12
    return datetime.date(year, month, 1)


def board_periods(today: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """The last BOARD_MONTHS full months before today's, oldest first."""
    periods = []
    for back in range(BOARD_MONTHS, 0, -1):
        start = _month_start(today, back)
        periods.append((start, _month_start(today, back - 1) - datetime.timedelta(days=1)))
    return periods


def _level(facility, department) -> float:
    """How well a department keeps house, week after week: a few excel, most do well."""
    return Random(f"{facility.code}|{department.name}|hygiene").uniform(87, 97)


def _score(rng: Random, level: float) -> Decimal:
    roll = rng.random()
    if roll < 0.015:
        value = rng.uniform(50, 59.5)
    elif roll < 0.06:
        value = rng.uniform(65, 80)
    else:
        value = min(98.0, max(85.0, level + rng.uniform(-3, 3)))
    return Decimal(round(value * 2)) / 2


def _problems(rng: Random, score: Decimal) -> str:
    if score >= 90:
        return ""
    count = 1 if score >= 75 else 2
    return "；".join(rng.sample(PROBLEMS, count))


def _inspect_facility(system, facility, first: datetime.date, today: datetime.date) -> int:
    departments = list(Department.objects.filter(facility=facility, is_active=True).order_by("name"))
    weekday = Random(f"{facility.code}-hygiene").randint(0, 4)  # the facility's inspection day, Mon–Fri
    done = set(
        HygieneInspection.objects.filter(facility=facility, inspected_on__gte=first).values_list(
            "department_id", "inspected_on"
        )
    )
    written = 0
    week = first - datetime.timedelta(days=first.weekday())
    while week <= today:
        day = week + datetime.timedelta(days=weekday)
        week += datetime.timedelta(days=7)
        if day < first or day > today or selectors.board_covering(facility.pk, day) is not None:
            continue
        for department in departments:
            if (department.pk, day) in done:
                continue
            rng = day_rng(facility.code, day, f"hygiene|{department.name}")
            score = _score(rng, _level(facility, department))
            services.record_inspection(
                actor=system, facility=facility, department=department, inspected_on=day, score=score,
                problems=_problems(rng, score),
            )  # fmt: skip
            written += 1
    return written


def _publish(system, facility, today: datetime.date) -> int:
    written = 0
    for start, end in board_periods(today):
        if HygieneBoard.objects.filter(facility=facility, period_start=start, period_end=end).exists():
            continue
        if not selectors.marks(facility.pk, start, end):
            continue
        board = services.publish_board(
            actor=system,
            facility=facility,
            period_start=start,
            period_end=end,
            note=NOTE.format(year=start.year, month=start.month),
        )
        written += 1 + board.entries.count()
    return written


def seed_history(*, system, today: datetime.date, days: int) -> int:
    first = board_periods(today)[0][0]
    written = 0
    for facility in Facility.objects.order_by("code"):
        with transaction.atomic():
            written += _inspect_facility(system, facility, first, today)
            written += _publish(system, facility, today)
    return written
