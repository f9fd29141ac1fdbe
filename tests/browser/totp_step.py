"""The second login step in a browser test: the code an authenticator app would show right now."""

import time

from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def give_authenticator(user) -> TOTPDevice:
    """A confirmed TOTP device, as if the user had set up an authenticator app earlier."""
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def enter_code(page, device: TOTPDevice) -> None:
    """After the password: fill in the code on the second-step page and continue."""
    page.wait_for_selector("#id_token")
    page.fill("#id_token", current_code(device))
    page.click("button[type=submit].primary")
