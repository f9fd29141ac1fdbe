"""Demo history: last month's region-wide epidemic screening (人人填写排查表、个个签订承诺书) with a
few officers still missing, and the "十一个严禁" commitment campaign, complete at most facilities.

Written through the services as the system user, dated on the days the paper was signed.
Deterministic (``day_rng``) and idempotent: a round that already exists (by name) is left alone.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from jiedu.demo.history import day_rng
from jiedu.organisation.models import Facility
from jiedu.people.models import Staff
from jiedu.screening import services
from jiedu.screening.domain import ACTIVE_STATUSES
from jiedu.screening.models import ScreeningRound

SCREENING_SHARE = 0.97  # of staff who hand in form and letter in time; the rest are the "missing"
CAMPAIGN_NAME = "“十一个严禁”承诺书签订"
HOMES = ("政治处档案室", "各大队内勤档案柜")
TRAVEL_PLACES = ("呼和浩特市（探亲）", "包头市（就医）", "北京市（出差）")


def _previous_month(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    last_day = today.replace(day=1) - datetime.timedelta(days=1)
    return last_day.replace(day=1), last_day


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _active_staff(facility):
    return list(Staff.objects.filter(facility=facility, status__in=ACTIVE_STATUSES).order_by("police_number"))


def _screening_round(system, facilities, today: datetime.date) -> int:
    starts_on, month_end = _previous_month(today)
    name = f"{starts_on.year}年{starts_on.month}月疫情防控人员排查"
    if ScreeningRound.objects.filter(name=name, facility__isnull=True).exists():
        return 0
    screening_round = services.create_round(
        actor=system, name=name, kind=ScreeningRound.Kind.SCREENING, starts_on=starts_on,
        ends_on=min(starts_on + datetime.timedelta(days=9), month_end), facilities=facilities,
    )  # fmt: skip
    written = 1
    for facility in facilities:
        rng = day_rng(facility.code, starts_on, "screening")
        for staff in _active_staff(facility):
            if rng.random() > SCREENING_SHARE:
                continue
            day = starts_on + datetime.timedelta(days=rng.randint(0, 4))
            answers = {}
            if rng.random() < 0.04:
                answers = {"travelled": True, "travel_places": rng.choice(TRAVEL_PLACES)}
            submitted_at = _at(day, rng.randint(8, 17))
            services.submit_form(
                actor=system, round=screening_round, staff=staff, submitted_at=submitted_at, **answers
            )
            services.record_commitment(
                actor=system, round=screening_round, staff=staff, signed_on=day, paper_filed_at=HOMES[0]
            )
            written += 2
    return written


def _campaign(system, facilities, today: datetime.date) -> int:
    if ScreeningRound.objects.filter(name=CAMPAIGN_NAME, facility__isnull=True).exists():
        return 0
    starts_on = today - datetime.timedelta(days=20)
    campaign = services.create_round(
        actor=system, name=CAMPAIGN_NAME, kind=ScreeningRound.Kind.COMMITMENT, starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=14), facilities=facilities,
    )  # fmt: skip
    written = 1
    for facility in facilities:
        rng = day_rng(facility.code, starts_on, "campaign")
        staff = _active_staff(facility)
        # Most facilities reach every officer; now and then one still waits for a few on leave.
        if rng.random() < 0.25:
            staff = staff[: max(0, len(staff) - rng.randint(1, 3))]
        if staff:
            services.record_commitments(
                actor=system, round=campaign, staff_members=staff,
                signed_on=starts_on + datetime.timedelta(days=rng.randint(1, 6)), paper_filed_at=rng.choice(HOMES),
            )  # fmt: skip
            written += len(staff)
    return written


def seed_history(*, system, today: datetime.date, days: int) -> int:
    facilities = list(Facility.objects.order_by("code"))
    if not facilities:
        return 0
    return _screening_round(system, facilities, today) + _campaign(system, facilities, today)
