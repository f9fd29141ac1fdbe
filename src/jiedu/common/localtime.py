"""Local days (Asia/Shanghai by default) as aware half-open intervals, for day-by-day ledgers."""

import datetime

from django.utils import timezone


def local_day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start, end) of ``day`` in the current time zone; both ends are local midnights."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))
    return start, end
