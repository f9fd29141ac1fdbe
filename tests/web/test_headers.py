"""WEB-02 (ASVS 3.4.1, 3.4.4, 3.4.5, 14.3.2): under production settings every route sends HSTS (a year,
subdomains included), nosniff, a same-origin referrer policy and ``Cache-Control: no-store``."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from production import production_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient
from web_routes import get_routes

from jiedu.common.cache_control import NoStoreMiddleware
from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

HEADER_SETTINGS = (
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "X_FRAME_OPTIONS",
)  # fmt: skip


def test_production_settings_turn_on_hsts_https_and_secure_cookies():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True


@pytest.fixture
def production_headers(settings):
    values = production_settings()
    for name in HEADER_SETTINGS:
        setattr(settings, name, values[name])


def assert_protective_headers(response, where: str) -> None:
    hsts = response.get("Strict-Transport-Security", "")
    max_age = re.search(r"max-age=(\d+)", hsts)
    assert max_age and int(max_age.group(1)) >= 31_536_000, f"{where}: HSTS is {hsts!r}"
    assert "includeSubDomains" in hsts, f"{where}: HSTS is {hsts!r}"
    assert response.get("X-Content-Type-Options") == "nosniff", where
    assert response.get("Referrer-Policy") == "same-origin", where
    assert response.get("X-Frame-Options") == "DENY", where
    assert "no-store" in response.get("Cache-Control", ""), f"{where}: Cache-Control is {response.get('Cache-Control')!r}"


def test_every_route_sends_the_headers_to_a_logged_in_user(two_facilities, production_headers):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = Client()
    client.force_login(leader_a)
    checked = 0
    for route in get_routes():
        url = route.url(facility_a)
        response = client.get(url, secure=True)
        assert response.status_code != 301, f"{url}: redirected although the request was HTTPS"
        assert_protective_headers(response, f"GET {url} ({response.status_code})")
        checked += 1
    assert checked >= 150, checked


def test_every_api_route_sends_them_to_a_token_client(two_facilities, production_headers):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=leader_a).key}")
    checked = 0
    for route in get_routes():
        if route.is_api:
            url = route.url(facility_a)
            assert_protective_headers(client.get(url, secure=True), f"token GET {url}")
            checked += 1
    assert checked >= 60, checked


@pytest.mark.parametrize("path", ["/accounts/login/", "/residents/", "/api/v1/residents/", "/no-such-page/"])
def test_anonymous_answers_are_not_stored_either(db, production_headers, path):
    assert_protective_headers(Client().get(path, secure=True), path)


def test_plain_http_is_redirected_to_https_in_production(db, production_headers):
    response = Client().get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_static_files_keep_their_own_caching():
    """WhiteNoise answers static files before this middleware; the path check keeps it that way."""
    response = HttpResponse("body {}", content_type="text/css")
    response["Cache-Control"] = "max-age=31536000, public, immutable"
    middleware = NoStoreMiddleware(lambda request: response)
    answered = middleware(RequestFactory().get("/static/jiedu/app.css"))
    assert answered["Cache-Control"] == "max-age=31536000, public, immutable"


def test_a_page_that_chose_a_cache_lifetime_is_still_not_stored():
    response = HttpResponse("<p>personal</p>")
    response["Cache-Control"] = "public, max-age=3600"
    answered = NoStoreMiddleware(lambda request: response)(RequestFactory().get("/residents/"))
    assert "no-store" in answered["Cache-Control"] and "public" not in answered["Cache-Control"]
    assert "max-age=0" in answered["Cache-Control"]
