"""Browser tests: Playwright for Python driving Debian's chromium, never a downloaded browser."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the test itself
# (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk (or run without -m browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


def _is_csp_violation(message) -> bool:
    # Chromium reports every blocked script, style or eval as a console error naming the policy.
    return message.type == "error" and "Content Security Policy" in message.text


@pytest.fixture
def page(browser):
    """A fresh page; the test fails if the browser reports any CSP violation (WEB-01).

    ``page.csp_violations`` lists them; a test that provokes one on purpose empties it.
    """
    context = browser.new_context(viewport={"width": 1180, "height": 820}, locale="zh-CN")
    page = context.new_page()
    page.csp_violations = []
    page.on("console", lambda message: _is_csp_violation(message) and page.csp_violations.append(message.text))
    yield page
    violations = list(page.csp_violations)
    context.close()
    if violations:
        pytest.fail("Content Security Policy violations in the browser console:\n" + "\n".join(violations))


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
