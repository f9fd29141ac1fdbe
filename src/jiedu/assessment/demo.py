"""Demo target-management schemes: the 2022 one the bureau's report assesses, and this year's.

Both use the default split (70 points from inspection results, 30 for rectification) and
deductions. Written through ``set_scheme`` as the system user; a year that has a scheme is left
alone, so a second run writes nothing.
"""

from __future__ import annotations

import datetime

from jiedu.assessment import selectors, services
from jiedu.assessment.models import TargetScheme

REPORT_YEAR = 2022


def seed_history(*, system, today: datetime.date, days: int) -> int:
    written = 0
    for year in sorted({REPORT_YEAR, today.year}):
        if TargetScheme.objects.filter(year=year).exists():
            continue
        defaults = TargetScheme(year=year)
        services.set_scheme(
            actor=system, year=year, **{name: getattr(defaults, name) for name in selectors.SCHEME_FIELDS}
        )
        written += 1
    return written
