"""Second factor for the demo logins (development only).

Each demo login of a role that needs a second factor gets a TOTP device whose secret is derived
from DEMO_PASSWORD and the username, so re-seeding keeps it and `python -m jiedu demo-otp
<username>` can print the current code without a phone. Real accounts enrol with a random secret.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "demo"


def demo_key(username: str) -> str:
    """20 bytes, hex (TOTPDevice.key's format), the same on every run with the same demo password."""
    digest = hmac.new(settings.DEMO_PASSWORD.encode(), f"jiedu-demo-otp:{username}".encode(), hashlib.sha256)
    return digest.hexdigest()[:40]


def ensure_device(user) -> TOTPDevice | None:
    """Give ``user`` its demo device unless it already has exactly that one; the new device or None."""
    key = demo_key(user.username)
    if TOTPDevice.objects.filter(user=user, key=key, confirmed=True).exists():
        return None
    TOTPDevice.objects.filter(user=user).delete()
    return TOTPDevice.objects.create(user=user, key=key, name=DEVICE_NAME, confirmed=True)


def current_code(device: TOTPDevice, now: float | None = None) -> tuple[str, int]:
    """The code the device accepts now, and the seconds it stays the newest."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = now if now is not None else time.time()
    remaining = device.step - int(totp.time - device.t0) % device.step
    return f"{totp.token():0{device.digits}d}", remaining
