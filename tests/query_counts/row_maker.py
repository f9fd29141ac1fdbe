"""Rows of every model, made by the factories in tests/factories*.py, for the query-count tests.

``add_rows(n, facility, actor)`` adds ``n`` rows of each model that has a factory: facility-owned
rows to ``facility``, region-wide rows (the catalogue, campaigns, facilities) to the region. The
factory of a model is found the way the scoping contract finds it, so a new app's factory file is
used the day it is added. Models that have a list page but no factory (the audit trail, the
personal-data access log) are written through their own services here.
"""

from __future__ import annotations

import datetime
import importlib
import itertools
from pathlib import Path

from factory.django import DjangoModelFactory

TESTS = Path(__file__).resolve().parent.parent

# The bureau is one row (its factory gets or creates it); a bare login shows on no list, a login
# with a role does (the membership factory makes one).
LEFT_OUT = {"Bureau", "User"}

_distinct = itertools.count(1)


def factories() -> dict:
    """model → the first factory for it in tests/factories*.py (files in name order)."""
    found: dict = {}
    for path in sorted(TESTS.glob("factories*.py")):
        module = importlib.import_module(path.stem)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, DjangoModelFactory)
                and not value._meta.abstract
                and value._meta.model is not None
            ):
                found.setdefault(value._meta.model, value)
    return {model: made_by for model, made_by in found.items() if model.__name__ not in LEFT_OUT}


def _owned_by_facility(model) -> bool:
    return any(f.name == "facility" for f in model._meta.get_fields())


def _arguments(model, facility) -> dict:
    """What a factory needs beyond its defaults so that ``n`` calls make ``n`` distinct rows."""
    name = model.__name__
    if name == "TargetScheme":  # one scheme per year: the factory gets or creates by year
        return {"year": 2000 + next(_distinct)}
    if name == "StandbyPolicy":  # one policy per facility and first day
        return {"facility": facility, "effective_from": datetime.date(2020, 1, 1) + datetime.timedelta(next(_distinct))}
    if name == "Facility":
        return {}
    return {"facility": facility} if _owned_by_facility(model) else {}


def _audit_event(facility, actor):
    from jiedu.audit import services

    services.record(actor=actor, action="resident.update", facility_id=facility.pk, target=facility)


def _access_log_entry(facility, actor):
    from jiedu.privacy import services

    services.log_access(actor=actor, subject=facility, kind="view", facility_id=facility.pk)


WITHOUT_FACTORY = (_audit_event, _access_log_entry)


def add_rows(n: int, facility, actor) -> None:
    for model, make in factories().items():
        for _ in range(n):
            make(**_arguments(model, facility))
    for build in WITHOUT_FACTORY:
        for _ in range(n):
            build(facility, actor)
