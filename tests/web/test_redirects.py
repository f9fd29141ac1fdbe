"""WEB-05 (ASVS 3.7.2): no ``next`` parameter sends a user off our host: not the login form's, not
the facility switcher's, not the language switcher's, not the login redirect's."""

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from jiedu.accounts.models import User
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role

PASSWORD = "Redirect-Test-2026x"
HOSTILE = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/accounts/login/",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:/evil.example",
    " //evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def assert_stays_on_our_host(response, where: str) -> None:
    assert response.status_code in (301, 302), f"{where} → {response.status_code}"
    location = response["Location"]
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), f"{where} → {location!r}"
    assert "evil" not in location and not location.lower().startswith(("javascript:", "data:")), location
    assert urlsplit(location).netloc in ("", "testserver"), location


@pytest.fixture
def officer(facility_a):
    # A role that needs no second factor: the password alone completes the login.
    user = User.objects.create_user("redirect_officer", password=PASSWORD)
    Membership.objects.create(user=user, facility=facility_a, role=Role.FACILITY_OFFICER)
    return user


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_redirects_off_our_host(officer, target):
    client = Client()
    response = client.post(
        f"{reverse('accounts:login')}?next={target}", {"username": officer.username, "password": PASSWORD, "next": target}
    )
    assert_stays_on_our_host(response, f"login next={target!r}")
    assert "_auth_user_id" in client.session  # the login itself worked


@pytest.mark.parametrize("target", HOSTILE)
def test_the_login_form_does_not_carry_a_hostile_next(db, target):
    page = Client().get(reverse("accounts:login"), {"next": target}).content.decode()
    # The login form's hidden field (the language switcher's ``next`` is this page's own path).
    carried = re.search(r'<input type="hidden" name="next" value="([^"]*)">', page)
    assert carried is not None and carried.group(1) == "", carried


@pytest.mark.parametrize("target", HOSTILE[:4])
def test_a_logged_in_user_sent_to_login_is_not_bounced_away(officer, target):
    client = Client()
    client.force_login(officer)
    response = client.get(reverse("accounts:login"), {"next": target})
    assert_stays_on_our_host(response, f"logged-in login next={target!r}")


@pytest.mark.parametrize("target", HOSTILE)
def test_facility_switcher_never_redirects_off_our_host(officer, facility_a, target):
    client = Client()
    client.force_login(officer)
    response = client.post(reverse("accounts:switch_facility"), {"facility": facility_a.pk, "next": target})
    assert_stays_on_our_host(response, f"switch next={target!r}")


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switcher_never_redirects_off_our_host(officer, target):
    client = Client()
    client.force_login(officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": target})
    assert_stays_on_our_host(response, f"setlang next={target!r}")


def test_the_login_redirect_keeps_the_whole_requested_path(db):
    """The ``next`` that LoginRequiredMiddleware writes is quoted, so a query string is not cut."""
    response = Client().get("/residents/", {"q": "李", "page": "2"})
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(reverse("accounts:login") + "?next=")
    assert "&page=" not in location and "%26page%3D2" in location
