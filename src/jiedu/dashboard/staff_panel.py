"""The staff epidemic-control panel: per facility, today, from the records (issue: staff side).

Reports missing today, reviews pending, staff on leave, standby shifts under way and how many of
their members are cleared for duty, the overseas ledger by category, and the coverage of the
latest screening round. A fixed number of queries whatever the number of facilities.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from jiedu.organisation import roles
from jiedu.organisation.models import Facility
from jiedu.overseas.models import Category, OverseasEntry
from jiedu.overseas.selectors import with_current_status
from jiedu.screening import selectors as screening
from jiedu.screening.models import ScreeningRound
from jiedu.staffleave import domain as leave_domain
from jiedu.staffleave.models import DailyReport, LeavePeriod
from jiedu.standby import domain as standby_domain
from jiedu.standby import selectors as standby
from jiedu.standby.models import StandbyMember, StandbyShift

MAX_STANDBY_DAYS = 60  # the database's upper bound on a shift's length


@dataclass
class StaffFigures:
    facility: Facility
    on_leave: int = 0
    missing_reports: int = 0
    reviews_pending: int = 0
    shifts_under_way: int = 0
    standby_members: int = 0
    cleared_for_duty: int = 0
    overseas: dict = field(default_factory=dict)  # category → count
    screening_percent: int | None = None

    @property
    def overseas_rows(self) -> list[tuple[str, int]]:
        return [(value, self.overseas.get(value, 0)) for value in Category.values]


def latest_round(user) -> ScreeningRound | None:
    """The most recent screening round the user can see: the panel shows its coverage."""
    return ScreeningRound.objects.visible_to(user).order_by("-starts_on", "-id").first()


_LOOK_UP = object()


def staff_figures(
    user, facility_ids=None, *, now: datetime.datetime | None = None, screening_round=_LOOK_UP
) -> list[StaffFigures]:
    """``screening_round``: the round whose coverage to show; looked up when not given."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    facilities = Facility.objects.visible_to(user, action=roles.VIEW_STAFF_HEALTH).order_by("code")
    if facility_ids:
        facilities = facilities.filter(pk__in=facility_ids)
    rows = {f.pk: StaffFigures(facility=f) for f in facilities}
    ids = list(rows)

    on_leave = list(
        LeavePeriod.objects.filter(facility_id__in=ids, starts_on__lte=today, ends_on__gte=today).values_list(
            "facility_id", "staff_id"
        )
    )
    reported = set(DailyReport.objects.filter(facility_id__in=ids, day=today).values_list("staff_id", flat=True))
    for facility_id, n in Counter(f for f, _ in on_leave).items():
        rows[facility_id].on_leave = n
    for facility_id, n in Counter(f for f, staff in on_leave if staff not in reported).items():
        rows[facility_id].missing_reports = n
    pending = (
        DailyReport.objects.filter(facility_id__in=ids)
        .exclude(status=leave_domain.FACILITY_CHECKED)
        .values("facility_id")
        .annotate(n=Count("id"))
    )
    for row in pending:
        rows[row["facility_id"]].reviews_pending = row["n"]

    # Shifts whose standby period includes today; each member's clearance right now.
    recent = StandbyShift.objects.filter(
        facility_id__in=ids, starts_on__lte=today, starts_on__gte=today - datetime.timedelta(days=MAX_STANDBY_DAYS)
    )
    under_way = [s for s in recent if s.starts_on <= today < s.planned_duty_on]
    members = list(StandbyMember.objects.filter(shift__in=under_way).select_related("shift"))
    earliest = min((s.standby_start for s in under_way), default=now) - standby_domain.SAMPLE_WINDOW
    tests = list(standby.current_tests([m.staff_id for m in members], earliest))
    for shift in under_way:
        rows[shift.facility_id].shifts_under_way += 1
    for member in members:
        figures = rows[member.shift.facility_id]
        figures.standby_members += 1
        figures.cleared_for_duty += standby.clearance(member, tests, now).cleared

    overseas = (
        with_current_status(OverseasEntry.objects.filter(facility_id__in=ids))
        .order_by()
        .values("facility_id", "current_category")
        .annotate(n=Count("id"))
    )
    for row in overseas:
        rows[row["facility_id"]].overseas[row["current_category"]] = row["n"]

    if screening_round is _LOOK_UP:
        screening_round = latest_round(user)
    if screening_round is not None:
        for coverage in screening.coverage(user, screening_round):
            if coverage.facility.pk in rows:
                rows[coverage.facility.pk].screening_percent = coverage.commitments.percent
    return [rows[pk] for pk in ids]

