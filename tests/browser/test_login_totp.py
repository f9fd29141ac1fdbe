"""An administrator logs in with a password and a TOTP code (issue 6: AUTH-01, AUTH-02), and an
administrator without an authenticator sets one up from the QR page drawn by the platform itself."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from totp_step import enter_code, give_authenticator

from jiedu.accounts.models import User
from jiedu.organisation.models import Membership
from jiedu.organisation.roles import Role

PASSWORD = "Browser-Admin-2026"


@pytest.fixture
def security_admin(transactional_db):
    user = User.objects.create_user("secadmin", password=PASSWORD, display_name="包晓东")
    Membership.objects.create(user=user, facility=None, role=Role.SECURITY_ADMIN)
    return user


def _password_step(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")


def test_an_administrator_logs_in_with_password_and_code(live_server, page, screenshot, security_admin):
    device = give_authenticator(security_admin)
    base = live_server.url
    _password_step(page, base, "secadmin")
    page.wait_for_url(f"{base}/accounts/otp/?next=/")
    assert page.locator("nav.mainnav").count() == 0  # nothing to navigate to before the code
    screenshot(page, "login-totp-code-step")

    page.goto(f"{base}/accounts/security/")  # a password alone opens nothing
    page.wait_for_url(f"{base}/accounts/otp/?next=/accounts/security/")
    enter_code(page, device)
    page.wait_for_url(f"{base}/accounts/security/")
    assert page.locator("[data-locked-usernames]").count() == 1
    screenshot(page, "login-totp-security-page")


def test_an_administrator_without_an_authenticator_sets_one_up(live_server, page, screenshot, security_admin):
    base = live_server.url
    _password_step(page, base, "secadmin")
    page.wait_for_url(f"{base}/accounts/otp/setup/?next=/")
    qr = page.locator("img.otp-qr")
    qr.wait_for()
    assert page.evaluate("img => img.complete && img.naturalWidth > 0", qr.element_handle())
    screenshot(page, "login-totp-setup")

    secret = page.locator("[data-otp-secret]").inner_text().replace(" ", "")
    totp = TOTP(b32decode(secret))
    page.fill("#id_token", f"{totp.token():06d}")
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/")
    assert TOTPDevice.objects.get(user=security_admin).confirmed
