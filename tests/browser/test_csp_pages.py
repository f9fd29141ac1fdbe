"""WEB-01 in the browser: the pages that run the most script (ECharts charts with tooltips, htmx
searches, the API schema UI) work under the Content-Security-Policy without a single violation
(the ``page`` fixture fails the test on any), and the policy really blocks an injected script."""

import pytest

from jiedu.accounts.models import User
from jiedu.organisation.models import Bureau, Membership
from jiedu.organisation.roles import Role
from test_scoping_contract import _facility_rows

PASSWORD = "Browser-Csp-2026x"
CHART_PAGES = [
    ("/", "#residents-chart"),
    ("/epidemic/panel/", "#epidemic-chart"),
    ("/health/compliance/", "#compliance-chart"),
    ("/environment/compliance/", "#area-chart"),
]


@pytest.fixture
def officer(transactional_db):
    bureau = Bureau.objects.create(code="NM", name="内蒙古自治区戒毒管理局")
    facility = _facility_rows(bureau, "A01", "甲", 1)
    # A role without a second factor, so the password completes the login.
    user = User.objects.create_user("csp_officer", password=PASSWORD, display_name="钱伟")
    Membership.objects.create(user=user, facility=facility, role=Role.FACILITY_OFFICER)
    return user


def _login(page, base_url):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", "csp_officer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base_url}/")


def test_charts_with_tooltips_work_under_the_policy(live_server, page, officer):
    _login(page, live_server.url)
    for path, chart in CHART_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert "object-src 'none'" in response.headers["content-security-policy"]
        page.wait_for_selector(f"{chart} svg")
        drawn = page.locator(f"{chart} svg *").count()
        box = page.locator(chart).bounding_box()
        # Sweep across the plot so that the axis tooltip opens (where the chart has data).
        for fraction in (0.3, 0.5, 0.7):
            page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * 0.6)
            page.wait_for_timeout(150)
        if path == "/":
            # The residents chart has data: its tooltip is drawn into the SVG (richText), not as HTML.
            assert page.locator(f"{chart} svg *").count() > drawn
    assert page.csp_violations == []


def test_htmx_search_and_navigation_work_under_the_policy(live_server, page, officer):
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/residents/")
    with page.expect_response(lambda r: "/residents/?" in r.url and r.status == 200):
        page.fill("#id_q", "李某")
    page.wait_for_selector("#resident-table")
    assert "李某甲" in page.inner_text("#resident-table")
    assert page.evaluate("() => htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("() => htmx.config.allowEval") is False


def test_the_api_schema_ui_works_under_the_policy(live_server, page, officer):
    _login(page, live_server.url)
    page.goto(f"{live_server.url}/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock-tag", timeout=15_000)
    assert "Jiedu API" in page.inner_text(".swagger-ui .info")


def test_the_policy_blocks_an_injected_inline_script(live_server, page, officer):
    _login(page, live_server.url)
    ran = page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.injected = true";
            document.body.appendChild(script);
            return window.injected === true;
        }"""
    )
    assert ran is False
    page.wait_for_timeout(100)
    assert any("script-src" in text for text in page.csp_violations), page.csp_violations
    page.csp_violations.clear()  # provoked on purpose
