"""Every route of the URLconf as a concrete URL, for the web tests that must hold on all of them.

Routes come from the live URLconf (pages and the API router), so a route added tomorrow is covered
the day it is added. Ids are filled with a row of the given facility, found or built by the same
factories the scoping contract uses (tests/test_scoping_contract.py); DRF's ``.json`` format-suffix
duplicates are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

from test_scoping_contract import ID_PARAM, _object_of, _scoped_model, _url


def _region_params() -> dict:
    """Routes of region-wide rows (the standards catalogue) name their ids after the model."""
    from jiedu.standards.models import Area, CatalogueVersion, Standard

    return {"version_id": CatalogueVersion, "area_id": Area, "standard_id": Standard}


YEAR_PARAM = re.compile(r"\(\?P<year>[^)]*\)|<int:year>")
REGION_PARAM = re.compile(r"<int:(version_id|area_id|standard_id)>|\(\?P<(version_id|area_id|standard_id)>[^)]*\)")

# Routes a GET cannot meaningfully visit: logout is POST-only; the schema UI runs only in development.
GET_SKIPPED_PREFIXES = ("/accounts/logout/", "/i18n/")


@dataclass(frozen=True)
class Route:
    route: str  # the pattern as text, e.g. "residents/<int:pk>/"
    name: str  # namespaced URL name, e.g. "people:resident_detail"
    callback: object

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def takes_id(self) -> bool:
        return bool(ID_PARAM.search(self.route))

    def url(self, facility) -> str:
        """A concrete URL; an id route gets the pk of one of ``facility``'s rows."""
        pk = 0
        if self.takes_id:
            pk = _object_of(_scoped_model(self.callback), facility).pk
        route = YEAR_PARAM.sub("2022", self.route)  # a target-management year
        models = _region_params()
        route = REGION_PARAM.sub(
            lambda m: str(_object_of(models[m.group(1) or m.group(2)], facility).pk), route
        )
        return _url(route, pk)


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else (entry.namespace or namespace)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield Route(prefix + str(entry.pattern), name, entry.callback)


def all_routes() -> list[Route]:
    """Every route except format-suffix duplicates and routes with parameters other than an id."""
    routes = []
    for route in _walk(get_resolver().url_patterns):
        if "format" in route.route:
            continue
        rest = YEAR_PARAM.sub("", REGION_PARAM.sub("", ID_PARAM.sub("", route.route)))
        if "<" in rest or "(?P" in rest:
            raise AssertionError(f"{route.route}: teach tests/web/web_routes.py how to fill this parameter")
        routes.append(route)
    return routes


def get_routes() -> list[Route]:
    return [r for r in all_routes() if not _url(r.route, 0).startswith(GET_SKIPPED_PREFIXES)]
