"""AUTH-05 (等保 8.1.4.1a; ASVS 6.2.1/6.2.4/6.2.9/6.2.11) and AUTH-06 (等保 8.1.4.1a 定期更换 — a
documented deviation from ASVS 6.2.10; ASVS 6.2.3, 7.4.3): password rules, age and change."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import LOGIN_URL, T0
from factories import PASSWORD, FacilityFactory
from jiedu.accounts import services
from jiedu.accounts.models import User, UserSession
from jiedu.accounts.password_validation import character_classes
from jiedu.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSPHRASE_64 = "correct horse battery staple on the Yellow River bank at dawn 42"
PASSPHRASE_128 = (PASSPHRASE_64 + " and the grassland wind keeps blowing past yurts by the lake, 2026")[:128]


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Sh0rt-Pass!", "password_too_short"),  # 11 characters
        ("alllowercaseletters", "password_too_simple"),  # one class
        ("lowercase-and-dashes", "password_too_simple"),  # two classes
        ("123456789012345", "password_entirely_numeric"),
        ("Password1234", "password_too_common"),  # on Django's 20,000-entry list
        ("Qwertyuiop123", "password_too_common"),
        ("My-Jiedu-Pass-2026", "password_context_word"),  # the platform's name
        ("Baotou-Facility-2026", "password_context_word"),  # a facility's code
        ("呼和浩特市强制隔离戒毒所A1", "password_context_word"),  # a facility's name
        ("Zhangsan-Winter-2026", "password_too_similar"),  # the username
    ],
)
def test_weak_passwords_are_refused(password, code):
    FacilityFactory(code="BAOTOU", name="包头市强制隔离戒毒所", short_name="包头所")
    FacilityFactory(code="HHHT", name="呼和浩特市强制隔离戒毒所", short_name="呼市所")
    user = User(username="zhangsan-winter")
    with pytest.raises(ValidationError) as refused:
        validate_password(password, user)
    assert code in {error.code for error in refused.value.error_list}


@pytest.mark.parametrize(
    "password", [PASSPHRASE_64, PASSPHRASE_128, "Grassland-Yurt-7788", "草原上的蒙古包Yurt7788"]
)
def test_strong_passwords_and_long_passphrases_are_accepted(password):
    assert len(PASSPHRASE_64) == 64 and len(PASSPHRASE_128) == 128
    validate_password(password, User(username="zhangsan"))


@pytest.mark.parametrize(
    ("password", "classes"), [("abc", 1), ("abcDEF", 2), ("abcDEF123", 3), ("abcDEF123!", 4), ("戒毒abc1", 3)]
)
def test_character_classes_count(password, classes):
    assert character_classes(password) == classes


def test_password_changed_at_is_set_by_every_new_password_but_not_by_a_rehash(settings):
    with time_machine.travel(T0, tick=False):
        user = User.objects.create_user("rehash", password=PASSWORD)
    assert user.password_changed_at == T0
    # A stronger hasher configured later upgrades the hash at the next login: not a new password.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    assert user.check_password(PASSWORD)
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_") and user.password_changed_at == T0
    later = T0 + datetime.timedelta(days=3)
    with time_machine.travel(later, tick=False):
        user.set_password("Another-Strong-Pass-2026")
        user.save(update_fields=["password"])  # even a partial save records the change
    user.refresh_from_db()
    assert user.password_changed_at == later


def _officer_logged_in(member, facility, when) -> tuple[User, Client]:
    from jiedu.organisation.roles import Role

    with time_machine.travel(when, tick=False):  # the password's age counts from here
        user = member(Role.FACILITY_OFFICER, facility, username="ageing")
        client = Client()
        client.force_login(user)
    return user, client


def test_a_password_older_than_ninety_days_sends_the_user_to_the_change_page(settings, member, facility_a):
    assert settings.JIEDU_PASSWORD_MAX_AGE_DAYS == 90
    user, _ = _officer_logged_in(member, facility_a, T0)
    with time_machine.travel(T0 + datetime.timedelta(days=89), tick=False):
        client = Client()
        client.force_login(user)
        assert client.get("/").status_code == 200
    with time_machine.travel(T0 + datetime.timedelta(days=91), tick=False):
        client = Client()
        client.force_login(user)
        page = client.get("/residents/")
        assert page.status_code == 302 and page["Location"] == "/accounts/password/?next=/residents/"
        api = client.get("/api/v1/residents/")
        assert api.status_code == 403 and api.json()["code"] == "password_expired"
        change_page = client.get("/accounts/password/")
        assert change_page.status_code == 200 and b"messages warning" in change_page.content
        assert client.post("/accounts/logout/").status_code == 302  # logging out still works


def test_changing_the_password_needs_the_current_one(member, facility_a):
    user, client = _officer_logged_in(member, facility_a, datetime.datetime.now(datetime.UTC))
    new = "Fresh-Grassland-2027"
    for data in (
        {"new_password1": new, "new_password2": new},
        {"old_password": "wrong", "new_password1": new, "new_password2": new},
    ):
        response = client.post("/accounts/password/", data)
        assert response.status_code == 400
        assert b"field-error" in response.content
    weak = client.post(
        "/accounts/password/", {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert weak.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_change_ends_the_users_other_sessions(member, facility_a):
    """Another session's cookie, replayed after the change, opens nothing (Django's session hash)."""
    user, desk = _officer_logged_in(member, facility_a, datetime.datetime.now(datetime.UTC))
    laptop = Client()
    laptop.force_login(user)
    laptop_cookie = laptop.cookies["sessionid"].value
    # Keep a copy of the laptop's session row, to show the hash check alone refuses it as well.
    from django.contrib.sessions.models import Session

    laptop_row = Session.objects.get(session_key=laptop_cookie)
    new = "Fresh-Grassland-2027"
    response = desk.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new, "next": "/"},
    )
    assert response.status_code == 302 and response["Location"] == "/"
    assert desk.get("/").status_code == 200  # this session carries on under a new key
    assert UserSession.objects.filter(user=user).count() == 1

    replay = Client()
    replay.cookies["sessionid"] = laptop_cookie
    assert replay.get("/")["Location"].startswith(LOGIN_URL)
    laptop_row.save()  # the row is back: only the password hash inside it can refuse it now
    assert replay.get("/")["Location"].startswith(LOGIN_URL)

    user.refresh_from_db()
    assert user.check_password(new) and not services.password_expired(user)
    assert AuditEvent.objects.filter(action="auth.password_changed", actor=user).count() == 1
