"""CFG-03 (ASVS 16.5.1, 13.4.4): with DEBUG off, failures show generic Chinese-first pages with no
traceback, setting or exception text; TRACE, TRACK and CONNECT are refused with 405."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from raising_urls import SECRET_IN_MESSAGE
from web_routes import all_routes

import jiedu
from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

TEMPLATES = Path(jiedu.__file__).resolve().parent / "templates"
CJK = re.compile(r"[\u4e00-\u9fff]")
LEAKS = ("Traceback", "RuntimeError", SECRET_IN_MESSAGE, "SECRET_KEY", "settings.py", "DJANGO_SETTINGS_MODULE",
         "site-packages", "Request Method", "URLconf")  # fmt: skip


def assert_generic(response, status: int, heading: str) -> None:
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    for leak in LEAKS:
        assert leak not in body, f"{status} page shows {leak!r}"
    assert settings.SECRET_KEY not in body
    h1 = re.search(r"<h1>(.*?)</h1>", body, re.S).group(1).strip()
    assert h1 == heading
    assert CJK.match(h1), "error pages put Chinese first"


@pytest.fixture
def logged_in(two_facilities, settings):  # noqa: F811
    settings.ROOT_URLCONF = "raising_urls"
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    client.force_login(two_facilities[2])
    return client


def test_a_page_that_raises_shows_the_generic_500(logged_in):
    assert_generic(logged_in.get("/boom/"), 500, "系统错误 / Server error")


def test_an_api_view_that_raises_answers_a_generic_json_500(logged_in):
    response = logged_in.get("/api/v1/boom/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    for leak in LEAKS:
        assert leak not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/no-such-endpoint/", "/api/v1/rooms/1.2/", "/api/v1/residents/x/y/"])
def test_an_unknown_api_path_answers_json_404(logged_in, path):
    response = logged_in.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_refusal_shows_the_generic_403_without_its_reason(logged_in):
    assert_generic(logged_in.get("/refused/"), 403, "无权访问 / Not allowed")


def test_an_unknown_page_shows_the_generic_404(logged_in):
    assert_generic(logged_in.get("/no/such/page/"), 404, "未找到 / Not found")


def test_the_500_template_needs_nothing_that_can_fail_again():
    """Django renders 500.html with an empty context after an error: no static files, no request."""
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "系统错误" in html and "<link" not in html
    for name in ("400.html", "403.html", "403_csrf.html", "404.html", "429.html", "500.html"):
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert '{% extends "error_base.html" %}' in text, name  # not base.html: no navigation, no database
        assert "{{ request" not in text and "exception" not in text, name


@pytest.mark.parametrize("method", ["TRACE", "TRACK", "CONNECT"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/residents/", "/healthz", "/static/jiedu/app.css"])
def test_trace_and_friends_are_refused_for_anyone(db, method, path):
    response = Client().generic(method, path)
    assert response.status_code == 405
    assert method not in response["Allow"] and "GET" in response["Allow"]


def test_trace_is_refused_on_every_route_for_a_logged_in_user(two_facilities):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = Client()
    client.force_login(leader_a)
    routes = all_routes()
    for route in routes:
        url = route.url(facility_a)
        response = client.generic("TRACE", url)
        assert response.status_code == 405, f"TRACE {url} → {response.status_code}"
        assert b"TRACE" not in response.content
    assert len(routes) >= 150
