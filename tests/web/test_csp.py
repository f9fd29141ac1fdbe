"""WEB-01 (ASVS 3.4.3, 3.4.6): every HTML page carries a strict Content-Security-Policy, and no page
or template relies on what that policy forbids (inline script, inline style, event attributes)."""

import re
from pathlib import Path

import pytest
from django.test import Client
from web_routes import get_routes

import jiedu
from test_scoping_contract import two_facilities  # noqa: F401  (fixture)

SRC = Path(jiedu.__file__).resolve().parent

EXPECTED = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "frame-ancestors": {"'none'"},
    "form-action": {"'self'"},
}
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", "*", "http:", "https:")

# A <script> that the browser would run without a src: anything but a JSON data block (json_script).
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.IGNORECASE)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = set(words[1:])
    return directives


def assert_strict_policy(response, where: str) -> None:
    header = response.get("Content-Security-Policy")
    assert header, f"{where}: no Content-Security-Policy header"
    policy = parse_csp(header)
    for directive, sources in EXPECTED.items():
        assert policy.get(directive) == sources, f"{where}: {directive} is {policy.get(directive)}, want {sources}"
    for directive, sources in policy.items():
        bad = [s for s in sources if s in UNSAFE]
        assert not bad, f"{where}: {directive} allows {bad}"


def assert_no_inline_code(html: str, where: str) -> None:
    for name, pattern in [
        ("inline <script>", INLINE_SCRIPT),
        ("<style> element", STYLE_ELEMENT),
        ("style attribute", STYLE_ATTRIBUTE),
        ("event-handler attribute", EVENT_ATTRIBUTE),
        ("javascript: URL", JS_URL),
    ]:
        match = pattern.search(html)
        assert match is None, f"{where}: {name}: {html[max(0, match.start() - 60): match.end() + 60]!r}"


def test_every_html_route_sends_the_strict_policy_and_renders_no_inline_code(two_facilities):  # noqa: F811
    facility_a, _facility_b, leader_a = two_facilities
    client = Client()
    client.force_login(leader_a)
    html_routes = 0
    for route in get_routes():
        url = route.url(facility_a)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert_strict_policy(response, f"GET {url} ({response.status_code})")
        assert_no_inline_code(response.content.decode(), f"GET {url}")
        html_routes += 1
    assert html_routes >= 60, html_routes


@pytest.mark.parametrize("path", ["/accounts/login/", "/no-such-page/", "/healthz"])
def test_anonymous_pages_and_error_pages_send_it_too(db, path):
    response = Client().get(path)
    assert_strict_policy(response, path)


def test_a_not_found_page_for_a_logged_in_user_has_the_policy(two_facilities):  # noqa: F811
    client = Client()
    client.force_login(two_facilities[2])
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_strict_policy(response, "404")


def _templates():
    return sorted(p for p in SRC.rglob("templates/**/*.html") if "vendor" not in p.parts)


def test_no_template_contains_inline_script_style_or_handlers():
    """The policy would block them in the browser; catching them here names the file."""
    assert len(_templates()) > 50
    for path in _templates():
        assert_no_inline_code(path.read_text(encoding="utf-8"), str(path.relative_to(SRC)))


def test_htmx_is_told_not_to_inject_styles_or_evaluate_code():
    base = (SRC / "templates" / "base.html").read_text(encoding="utf-8")
    meta = re.search(r"<meta name=\"htmx-config\" content='([^']*)'>", base)
    assert meta, "base.html must configure htmx through a meta tag"
    import json

    config = json.loads(meta.group(1))
    assert config == {"includeIndicatorStyles": False, "allowEval": False, "allowScriptTags": False}
    assert ".htmx-indicator" in (SRC / "static" / "jiedu" / "app.css").read_text(encoding="utf-8")


def test_the_inline_pdf_goes_without_the_page_policy(two_facilities):  # noqa: F811
    """Chrome's PDF viewer is a plugin: object-src 'none' on the PDF itself would block it."""
    from jiedu.people.models import Resident

    facility_a, _facility_b, leader_a = two_facilities
    client = Client()
    client.force_login(leader_a)
    resident = Resident.objects.get(facility=facility_a)
    response = client.get(f"/isolation/prerelease/{resident.pk}/handover.pdf")
    if response.status_code == 503:
        pytest.skip("no CJK font for PDFs on this machine (fonts-noto-cjk)")
    assert response["Content-Type"] == "application/pdf"
    assert "Content-Security-Policy" not in response
    assert "no-store" in response["Cache-Control"]
