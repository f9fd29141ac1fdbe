"""Recent history for the demo region: each domain app may ship ``<app>/demo.py`` with

    def seed_history(*, system, today: datetime.date, days: int) -> int

which fills the last ``days`` days through that app's services, skips days already filled (so a
second run the same day writes nothing) and returns the number of rows it wrote.
"""

from __future__ import annotations

import datetime
import zlib
from importlib import import_module
from importlib.util import find_spec
from random import Random

from django.apps import apps

HISTORY_DAYS = 21


def day_rng(facility_code: str, day: datetime.date, salt: str = "") -> Random:
    """The same random choices for the same facility and day on every run."""
    return Random(zlib.crc32(f"{facility_code}|{day.isoformat()}|{salt}".encode()))


# Isolation first: it releases and isolates residents, which rounds and ledgers then respect.
FIRST = ("epidemic", "isolation")


def history_modules():
    found = [
        (config.label, import_module(f"{config.name}.demo"))
        for config in apps.get_app_configs()
        if config.name.startswith("jiedu.") and config.label != "demo" and find_spec(f"{config.name}.demo")
    ]
    found.sort(key=lambda pair: FIRST.index(pair[0]) if pair[0] in FIRST else len(FIRST))
    return found


def seed_history(*, system, today: datetime.date, days: int = HISTORY_DAYS) -> dict[str, int]:
    return {label: module.seed_history(system=system, today=today, days=days) for label, module in history_modules()}
