"""WEB-03 (ASVS 3.5.1, 3.3.2): a write without the CSRF token is refused on every route.

Pages: Django's CsrfViewMiddleware refuses before the view runs (403, templates/403_csrf.html).
API: DRF's SessionAuthentication enforces the token for session clients (403 "CSRF Failed").
A route exempted from CSRF, or a middleware removed, makes these tests fail.
"""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from web_routes import all_routes

from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

CSRF_PAGE_MARKER = 'data-error="csrf"'


def _csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def assert_csrf_refusal(response, where: str) -> None:
    assert response.status_code == 403, f"{where} → {response.status_code}"
    if response.get("Content-Type", "").startswith("application/json"):
        assert "CSRF" in response.json()["detail"], f"{where}: refused for another reason: {response.json()}"
    else:
        assert CSRF_PAGE_MARKER in response.content.decode(), f"{where}: refused, but not by the CSRF check"


def test_every_page_refuses_a_post_without_token(two_facilities):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = _csrf_client(leader_a)
    checked = 0
    for route in all_routes():
        if route.is_api:
            continue
        url = route.url(facility_a)
        assert_csrf_refusal(client.post(url, {"name": "x", "next": "/"}), f"POST {url}")
        checked += 1
    assert checked >= 80, checked


def test_every_api_write_refuses_a_session_client_without_token(two_facilities):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = _csrf_client(leader_a)
    checked = 0
    for route in all_routes():
        if not route.is_api or "schema" in route.route or "docs" in route.route:
            continue
        url = route.url(facility_a)
        methods = ("post", "put", "patch", "delete") if route.takes_id else ("post",)
        for method in methods:
            response = getattr(client, method)(url, data="{}", content_type="application/json")
            if response.status_code == 405 and method != "post":
                continue  # the route has no such method at all: nothing to protect
            assert_csrf_refusal(response, f"{method.upper()} {url}")
            checked += 1
    assert checked >= 40, checked


@pytest.mark.parametrize("url_name", ["accounts:login", "set_language", "accounts:logout"])
def test_public_and_account_forms_need_the_token_too(two_facilities, url_name):  # noqa: F811
    user = None if url_name == "accounts:login" else two_facilities[2]
    response = _csrf_client(user).post(reverse(url_name), {"username": "leader_a", "password": "x", "language": "en"})
    assert_csrf_refusal(response, url_name)


def test_the_same_post_with_its_token_passes_the_check(two_facilities):  # noqa: F811
    """Guards the tests above: the 403 comes from the missing token, not from the route."""
    facility_a, _facility_b, leader_a = two_facilities
    client = _csrf_client(leader_a)
    client.get(reverse("dashboard:home"))  # sets the CSRF cookie
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(reverse("accounts:switch_facility"), {"facility": facility_a.pk, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    api = client.post("/api/v1/zones/", data="{}", content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert api.status_code == 400  # past the CSRF check, refused for its empty body
