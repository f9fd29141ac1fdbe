"""What a generated region looks like: its size, its period and the times everything hangs on."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from jiedu.common.localtime import local_day_bounds

ROUND_INTERVAL = datetime.timedelta(hours=2)  # 每2小时测量体温1次: the built-in policy's interval
ROUNDS_PER_DAY = 12


@dataclass(frozen=True)
class RegionShape:
    """``days`` of history up to ``now``, for ``facilities`` facilities of ``residents`` residents in
    custody and ``staff`` staff each; ``large_facility`` (if not 0) is the first facility's
    population instead, so that one facility can be bigger than the rest."""

    days: int
    facilities: int = 10
    residents: int = 600
    staff: int = 300
    large_facility: int = 0
    seed: int = 1
    now: datetime.datetime = field(default_factory=lambda: timezone.now().replace(second=0, microsecond=0))

    def __post_init__(self):
        for name in ("days", "facilities", "residents", "staff"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if self.large_facility < 0:
            raise ValueError("large_facility cannot be negative")

    def residents_of(self, index: int) -> int:
        """Residents in custody at any time in facility ``index`` (0-based)."""
        return self.large_facility if index == 0 and self.large_facility else self.residents

    @property
    def today(self) -> datetime.date:
        return timezone.localdate(self.now)

    @property
    def first_day(self) -> datetime.date:
        return self.today - datetime.timedelta(days=self.days - 1)

    @property
    def start(self) -> datetime.datetime:
        return local_day_bounds(self.first_day)[0]

    def day_list(self) -> list[datetime.date]:
        return [self.first_day + datetime.timedelta(days=n) for n in range(self.days)]
