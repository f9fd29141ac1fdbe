"""Second factor (等保 8.1.4.1d, ASVS 6.3.3 and 6.5): TOTP codes from an authenticator app,
through django-otp (otp_totp). Required for the roles in JIEDU_OTP_REQUIRED_ROLES, available to all.

A code is accepted within one 30-second step either side (TOTPDevice.tolerance = 1, no drift
following: OTP_TOTP_SYNC = False) and only once: ``last_t`` refuses any step not newer than the
last one used. Wrong codes slow the next try down (django-otp's throttling, doubling each time).
"""

from __future__ import annotations

import io
from base64 import b32encode
from binascii import unhexlify

import django_otp
import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from jiedu.accounts import sessions
from jiedu.audit import services as audit
from jiedu.audit.models import AuditEvent
from jiedu.organisation.roles import MANAGE_SECURITY
from jiedu.organisation.scoping import active_memberships, require

# The secret being enrolled lives in the session until its first code confirms it: showing the
# enrolment page writes nothing to the database.
PENDING_KEY = "jiedu_otp_pending_key"
TOLERANCE = 1  # steps of 30 s either side (ASVS 6.5.5: a code lives at most about a minute)
DEVICE_NAME = "authenticator"

VERIFY, SETUP = "verify", "setup"


def required_for(user) -> bool:
    """Leaders and administrators (JIEDU_OTP_REQUIRED_ROLES) and any superuser."""
    if user.is_superuser:
        return True
    required = set(settings.JIEDU_OTP_REQUIRED_ROLES)
    return any(m.role in required for m in active_memberships(user))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def step_needed(user) -> str | None:
    """VERIFY when the session must still show a code, SETUP when the user must first enrol one."""
    if confirmed_device(user) is not None:
        return VERIFY
    return SETUP if required_for(user) else None


def refusal(device: TOTPDevice) -> bool:
    """True while django-otp's throttling refuses to check codes for this device."""
    allowed, _ = device.verify_is_allowed()
    return not allowed


def verify(request, token: str) -> bool:
    """Check the code against the user's device; on success the session is verified with a new key."""
    user = request.user
    device = confirmed_device(user)
    verified = device is not None and django_otp.verify_token(user, device.persistent_id, token) is not None
    if not verified:
        audit.record(
            actor=user, action="auth.otp_failed", facility_id=None, outcome=AuditEvent.Outcome.FAILED
        )
        return False
    _step_up(request, device)
    audit.record(actor=user, action="auth.otp_verified", facility_id=None)
    return True


def _step_up(request, device: TOTPDevice) -> None:
    device.refresh_from_db()
    django_otp.login(request, device)
    sessions.cycle_key(request)  # SESS-01: the verified session never reuses the password-only key


# --- Enrolment ---------------------------------------------------------------------------------


def pending_key(request) -> str:
    key = request.session.get(PENDING_KEY)
    if not key:
        key = request.session[PENDING_KEY] = random_hex(20)
    return key


def secret_for_display(key_hex: str) -> str:
    """The base32 secret an authenticator app asks for when typed by hand, in groups of four."""
    secret = b32encode(unhexlify(key_hex)).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user, key_hex: str) -> str:
    return TOTPDevice(user=user, key=key_hex).config_url


def qr_svg(uri: str) -> bytes:
    """The QR code as an SVG drawn here: no external service ever sees the secret."""
    out = io.BytesIO()
    segno.make(uri, error="m").save(out, kind="svg", scale=5, border=2, xmldecl=False)
    return out.getvalue()


def confirm_setup(request, token: str) -> bool:
    """The first code from the app confirms the pending secret; it replaces any earlier device."""
    user = request.user
    key = request.session.get(PENDING_KEY)
    if not key:
        return False
    with transaction.atomic():
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, key=key, defaults={"name": DEVICE_NAME, "confirmed": False, "tolerance": TOLERANCE}
        )
        verified = django_otp.verify_token(user, device.persistent_id, token) is not None
        if verified:
            TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
            TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
            audit.record(actor=user, action="otp.device_confirmed", facility_id=None, target=device)
    if not verified:
        audit.record(
            actor=user, action="auth.otp_failed", facility_id=None, outcome=AuditEvent.Outcome.FAILED
        )
        return False
    del request.session[PENDING_KEY]
    _step_up(request, device)
    return True


def reset_devices(*, actor, user) -> int:
    """The security administrator removes a lost authenticator; the user enrols again at next login."""
    require(actor, MANAGE_SECURITY, None)
    with transaction.atomic():
        count, _ = TOTPDevice.objects.filter(user=user).delete()
        sessions.end_sessions(user)
        audit.record(actor=actor, action="otp.device_reset", facility_id=None, target=user)
    return count
