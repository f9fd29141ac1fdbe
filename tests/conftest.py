"""Shared fixtures: a fast password hasher, a fresh key ring after settings overrides, and two
facilities with a login per role.

Factories live in tests/factories.py (importable as ``factories``: pytest puts this folder on
sys.path because it holds this conftest and no __init__.py).
"""

from __future__ import annotations

import pytest
from django.core.signals import setting_changed
from django.dispatch import receiver

from jiedu.common import crypto


def _flush_in_audit_maintenance():
    """Transactional tests end with ``flush``; the audit table's triggers refuse it outside maintenance."""
    from django.core.management.commands import flush

    from jiedu.audit.maintenance import audit_maintenance

    original = flush.Command.handle

    def handle(self, **options):
        with audit_maintenance(options.get("database", "default")):
            return original(self, **options)

    flush.Command.handle = handle


_flush_in_audit_maintenance()


def _test_logins_pass_the_second_factor():
    """``client.login`` and ``force_login`` give sessions that have shown a TOTP code (a confirmed
    device is created if the user has none), so leaders' pages open in tests as they did before
    the second factor. A client with ``password_only = True`` gets a password-only session, as
    tests/accounts need. ``client.login`` also hands axes the request it needs to count failures.
    """
    from django.http import HttpRequest
    from django.test.client import ClientMixin

    original_login, original_private_login = ClientMixin.login, ClientMixin._login

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return original_login(self, **credentials)

    def _login(self, user, backend=None):
        original_private_login(self, user, backend)
        if not getattr(self, "password_only", False):
            _mark_verified(self, user)

    ClientMixin.login, ClientMixin._login = login, _login


def _mark_verified(client, user):
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test login", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


_test_logins_pass_the_second_factor()


@receiver(setting_changed)
def _reset_key_ring(*, setting, **kwargs):
    """``crypto.key_ring`` is cached: any override of the JIEDU_* key settings (and its undoing) drops it."""
    if setting.startswith("JIEDU_"):
        crypto.key_ring.cache_clear()
        from jiedu.audit import chain

        chain.forget_key()


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _evidence_in_tmp(settings, tmp_path):
    """Evidence files of a test go to its own temporary directory, never into var/."""
    settings.EVIDENCE_ROOT = tmp_path / "evidence"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters live in the cache, keyed by user id; ids repeat from test to test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_personal_data_in_logs():
    """LOG-05: the log lines a test produced hold no full ID, mobile number or password (tests/log_leaks.py)."""
    import log_leaks

    found: list[str] = []
    log_leaks.install(found)
    yield
    assert not found, "personal data or a password reached the log output:\n" + "\n".join(found)


@pytest.fixture
def fresh_key_ring():
    """Start and end with no cached key ring, whatever the test did to the settings."""
    crypto.key_ring.cache_clear()
    yield
    crypto.key_ring.cache_clear()


@pytest.fixture
def facility_a(db):
    from factories import FacilityFactory

    return FacilityFactory(code="A01", name="甲强制隔离戒毒所", short_name="甲所")


@pytest.fixture
def facility_b(db):
    from factories import FacilityFactory

    return FacilityFactory(code="B01", name="乙强制隔离戒毒所", short_name="乙所")


@pytest.fixture
def member(db):
    """``member(role, facility=None, username=None)``: a login holding one active membership."""
    from factories import MembershipFactory, UserFactory

    def make(role, facility=None, *, username=None, is_active=True):
        user = UserFactory(username=username) if username else UserFactory()
        MembershipFactory(user=user, facility=facility, role=role, is_active=is_active)
        return user

    return make
