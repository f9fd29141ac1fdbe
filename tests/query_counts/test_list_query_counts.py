"""Lists read with a number of queries that does not grow with their rows (no N+1).

Every list endpoint of the API (from the router, so a new endpoint is covered the day it is
registered) and every page without an id in its URL (from the URLconf, as tests/web enumerates
them) is read once with N rows of every model and once with 3N, and must run the same number of
queries both times. Rows are made by the factories (tests/query_counts/row_maker.py); page sizes are
raised so that all rows are on the first page, or a page full at both sizes would hide an N+1.

Each route is read by the facility leader (who sees every row of the facility) and the bureau
leader (who sees every facility); a route neither may open is read by the first other role that may.
"""

from __future__ import annotations

import sys

import pytest
from django.core.cache import cache
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.mixins import ListModelMixin
from rest_framework.test import APIClient
from row_maker import add_rows
from web_routes import get_routes

from factories import BureauFactory, FacilityFactory, MembershipFactory, StaffFactory, UserFactory
from jiedu.api.pagination import StandardPagination
from jiedu.organisation.roles import BUREAU_ROLES, Role

N = 2
ALL_ON_ONE_PAGE = 10_000
FIRST_ROLES = (Role.FACILITY_LEADER, Role.BUREAU_LEADER)

# API routes left out, and why.
API_EXCEPTIONS = {
    "api:hygiene-board-preview": "a preview of one facility's board for one period (400 without both): no list",
}


@pytest.fixture
def one_page(monkeypatch):
    """Every page size of pages and API raised, so that all rows are listed on the first page."""
    monkeypatch.setattr(StandardPagination, "page_size", ALL_ON_ONE_PAGE)
    for name, module in list(sys.modules.items()):
        if name.startswith("jiedu."):
            for attribute, value in list(vars(module).items()):
                if attribute.endswith("PAGE_SIZE") and isinstance(value, int):
                    monkeypatch.setattr(module, attribute, ALL_ON_ONE_PAGE)


@pytest.fixture
def region(db, one_page):
    """Facility A, a login per role (a facility role at A, a bureau role region-wide), an actor."""
    BureauFactory()
    facility = FacilityFactory(code="A01")
    clients = {}
    for role in Role:
        user = UserFactory(username=f"counts_{role.value}")
        MembershipFactory(user=user, role=role, facility=None if role in BUREAU_ROLES else facility)
        if role == Role.FACILITY_OFFICER:  # the pages of one's own leave and screening form
            StaffFactory(facility=facility, user=user)
        client = APIClient()
        client.force_login(user)
        clients[role] = client
    return facility, clients, UserFactory(username="counts_actor")


def _read(client, url):
    cache.clear()  # rate-limit counters: the same login reads many routes
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def _readers(clients, url) -> list[Role]:
    """The roles a route is read as: the two first roles that may open it, else the first other one."""
    opened = [role for role in FIRST_ROLES if _read(clients[role], url)[0].status_code == 200]
    if opened:
        return opened
    for role in clients:
        if role not in FIRST_ROLES and _read(clients[role], url)[0].status_code == 200:
            return [role]
    return []


def _counts(clients, readers: dict) -> dict:
    counts = {}
    for url, roles in readers.items():
        for role in roles:
            response, queries = _read(clients[role], url)
            assert response.status_code == 200, f"{url} as {role.value}: {response.status_code}"
            counts[(url, role)] = (queries, response)
    return counts


def _growing(small: dict, large: dict) -> list[str]:
    return [
        f"{url} as {role.value}: {queries} queries with {N} rows, {large[url, role][0]} with {3 * N}"
        for (url, role), (queries, _response) in small.items()
        if queries != large[url, role][0]
    ]


def api_list_routes() -> dict[str, str]:
    """URL name → URL of every list route of the API router: list actions and list-level GET actions."""
    from jiedu.api.urls import router

    routes = {}
    for _prefix, viewset, basename in router.registry:
        if issubclass(viewset, ListModelMixin):
            routes[f"api:{basename}-list"] = reverse(f"api:{basename}-list")
        for extra in viewset.get_extra_actions():
            if not extra.detail and "get" in extra.mapping:
                routes[f"api:{basename}-{extra.url_name}"] = reverse(f"api:{basename}-{extra.url_name}")
    return {name: url for name, url in routes.items() if name not in API_EXCEPTIONS}


def test_every_api_list_reads_as_many_queries_with_3n_rows_as_with_n(region):
    facility, clients, actor = region
    routes = api_list_routes()
    add_rows(N, facility, actor)
    readers = {url: _readers(clients, url) for url in routes.values()}
    assert not [url for url, roles in readers.items() if not roles], "API lists no role may read"
    small = _counts(clients, readers)
    add_rows(2 * N, facility, actor)
    large = _counts(clients, readers)

    assert _growing(small, large) == []
    # The rows were listed, all on one page, to at least one reader: else equal counts prove nothing.
    listed: dict[str, list[int]] = {}
    for (url, _role), (_queries, response) in large.items():
        body = response.json()
        if "count" in body:
            assert body["count"] == len(body["results"]), f"{url} lists its rows on more than one page"
            listed.setdefault(url, []).append(body["count"])
    assert [url for url, counts in listed.items() if max(counts) < 3 * N] == []
    assert len(routes) >= 45


def test_every_list_page_reads_as_many_queries_with_3n_rows_as_with_n(region):
    facility, clients, actor = region
    pages = [r for r in get_routes() if not r.is_api and not r.takes_id]
    add_rows(N, facility, actor)
    # Pages no role opens with a GET (forms that only take a POST, redirects) list nothing.
    readers = {url: roles for url in {r.url(facility) for r in pages} if (roles := _readers(clients, url))}
    small = _counts(clients, readers)
    add_rows(2 * N, facility, actor)
    large = _counts(clients, readers)

    assert _growing(small, large) == []
    assert len(readers) >= 60
