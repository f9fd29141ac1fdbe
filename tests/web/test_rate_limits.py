"""API-02 (ASVS 2.4.1, 15.2.2): exports and searches are limited per user per minute; request N+1 gets
429 with Retry-After, and the window reopens once a minute has passed (time patched)."""

import datetime

import pytest
import time_machine
from django.test import Client
from rest_framework.test import APIClient
from web_routes import all_routes

from jiedu.accounts.models import User
from jiedu.common import rate_limits
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role
from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

START = datetime.datetime(2026, 11, 2, 9, 0, tzinfo=datetime.UTC)
# Search pages: the list pages with a search box (``q``); their API twins are limited by the throttle.
SEARCH_PAGES = ("people:resident_list", "people:staff_list", "health:log")


def export_routes():
    """Page routes named like an export: ``gatelog:export``, ``people:resident_export``, ``isolation:export_stays``."""
    routes = []
    for route in all_routes():
        name = route.name.split(":")[-1]
        if not route.is_api and (name.endswith("export") or name.startswith("export_")):
            routes.append(route)
    return routes


def test_every_export_route_is_rate_limited():
    routes = export_routes()
    assert len(routes) >= 12, [r.name for r in routes]
    missing = [r.name for r in routes if getattr(r.callback, "rate_limit_scope", None) != "export"]
    assert not missing, f"add @rate_limited('export') to: {missing}"


def test_every_search_page_is_rate_limited():
    by_name = {r.name: r for r in all_routes()}
    for name in SEARCH_PAGES:
        assert getattr(by_name[name].callback, "rate_limit_scope", None) == "search", name


def test_the_api_throttles_are_on_for_every_endpoint(settings):
    classes = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]
    assert "jiedu.common.rate_limits.SearchRateThrottle" in classes
    assert "jiedu.common.rate_limits.ScopedRateThrottle" in classes


def assert_throttled(response, where: str) -> int:
    assert response.status_code == 429, f"{where} → {response.status_code}"
    retry_after = int(response["Retry-After"])
    assert 1 <= retry_after <= 60, retry_after
    return retry_after


def test_each_export_allows_one_more_than_nothing_then_429(two_facilities, settings):  # noqa: F811
    """With a rate of 1/min, every export route answers its first request and refuses the second."""
    facility_a, _facility_b, leader_a = two_facilities
    settings.JIEDU_EXPORT_RATE = "1/min"
    client = Client()
    client.force_login(leader_a)
    with time_machine.travel(START, tick=False) as clock:
        for route in export_routes():
            url = route.url(facility_a)
            first = client.get(url)
            assert first.status_code != 429, f"first GET {url} was refused"
            retry_after = assert_throttled(client.get(url), f"second GET {url}")
            body = client.get(url).content.decode()
            assert "请求过于频繁" in body and "Traceback" not in body
            clock.shift(datetime.timedelta(seconds=retry_after + 1))  # the next route starts afresh


def test_the_export_window_reopens_after_a_minute(two_facilities, settings):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    settings.JIEDU_EXPORT_RATE = "3/min"
    client = Client()
    client.force_login(leader_a)
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(3):
            assert client.get("/gate/log/export/").status_code == 200
        assert_throttled(client.get("/gate/log/export/"), "4th export")
        # Exports share one budget per user, whichever ledger they come from.
        assert_throttled(client.get("/health/log/export/"), "another ledger's export")
        clock.shift(datetime.timedelta(seconds=59))
        assert client.get("/gate/log/export/").status_code == 429
        clock.shift(datetime.timedelta(seconds=2))
        assert client.get("/gate/log/export/").status_code == 200


def test_the_limit_is_per_user(two_facilities, settings):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    settings.JIEDU_EXPORT_RATE = "1/min"
    colleague = User.objects.create_user("colleague_a", password="x-Strong-Pass-2026")
    Membership.objects.create(user=colleague, facility=facility_a, role=Role.FACILITY_LEADER)
    first, second = Client(), Client()
    first.force_login(leader_a)
    second.force_login(colleague)
    with time_machine.travel(START, tick=False):
        assert first.get("/gate/log/export/").status_code == 200
        assert first.get("/gate/log/export/").status_code == 429
        assert second.get("/gate/log/export/").status_code == 200


@pytest.mark.parametrize("path", ["/residents/", "/staff/", "/health/log/"])
def test_search_pages_count_only_searches(two_facilities, settings, path):  # noqa: F811
    settings.JIEDU_SEARCH_RATE = "2/min"
    client = Client()
    client.force_login(two_facilities[2])
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            assert client.get(path).status_code == 200  # browsing without a search term is not counted
        assert client.get(path, {"q": "李某"}).status_code == 200
        assert client.get(path, {"q": "张"}).status_code == 200
        assert_throttled(client.get(path, {"q": "王"}), f"3rd search on {path}")
        assert client.get(path).status_code == 200
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(path, {"q": "王"}).status_code == 200


@pytest.mark.parametrize("endpoint", ["/api/v1/residents/", "/api/v1/staff/"])
def test_api_searches_are_throttled_per_user(two_facilities, settings, endpoint):  # noqa: F811
    settings.JIEDU_SEARCH_RATE = "3/min"
    client = APIClient()
    client.force_authenticate(two_facilities[2])
    with time_machine.travel(START, tick=False) as clock:
        for _ in range(5):
            assert client.get(endpoint).status_code == 200
        for _ in range(3):
            assert client.get(endpoint, {"q": "李某"}).status_code == 200
        response = client.get(endpoint, {"q": "李某"})
        assert_throttled(response, f"4th API search on {endpoint}")
        assert "detail" in response.json()
        clock.shift(datetime.timedelta(seconds=61))
        assert client.get(endpoint, {"q": "李某"}).status_code == 200


def test_an_api_view_declaring_the_export_scope_is_throttled(rf, settings, db):
    """API exports (none yet) declare ``throttle_scope = "export"``; the scoped throttle counts them."""
    from rest_framework.request import Request

    settings.JIEDU_EXPORT_RATE = "1/min"
    user = User.objects.create_user("api_exporter", password="x-Strong-Pass-2026")

    class ExportView:
        throttle_scope = "export"

    def request():
        wrapped = Request(rf.get("/api/v1/anything/"))
        wrapped.user = user
        return wrapped

    throttle = rate_limits.ScopedRateThrottle()
    with time_machine.travel(START, tick=False):
        assert throttle.allow_request(request(), ExportView())
        assert not rate_limits.ScopedRateThrottle().allow_request(request(), ExportView())
