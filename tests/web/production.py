"""The real production settings, read in a subprocess (settings are computed once, at import).

Tests that must hold "under production settings" take the values from here and apply them with a
settings override, so what they check is what JIEDU_ENV=production actually produces.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def production_env(**overrides: str) -> dict[str, str]:
    """The environment of a production process: the required secrets set, nothing from a .env file."""
    env = dict(os.environ)
    env.update(
        JIEDU_ENV="production",
        DJANGO_SETTINGS_MODULE="jiedu.settings",
        DJANGO_SECRET_KEY="test-only-" + base64.b64encode(os.urandom(48)).decode(),
        JIEDU_DATA_KEYS="k1:" + base64.b64encode(os.urandom(16)).decode(),
        JIEDU_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        JIEDU_AUDIT_KEY=base64.b64encode(os.urandom(32)).decode(),
        DJANGO_ALLOWED_HOSTS="jiedu.intranet.example,testserver",
    )
    env.pop("JIEDU_DATA_KEY_ID", None)
    env.pop("DJANGO_DEBUG", None)
    # The browser tests' conftest sets this for Playwright's event loop in the test process; a
    # production process never has it (check --deploy refuses it: async.E001).
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def run_python(code: str, env: dict[str, str] | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], env=env or production_env(), cwd=ROOT, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip


@lru_cache(maxsize=1)
def production_settings() -> dict:
    """The security-relevant settings as JIEDU_ENV=production computes them."""
    names = [
        "DEBUG", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_SSL_REDIRECT",
        "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS", "JIEDU_API_DOCS", "CONTENT_SECURITY_POLICY",
    ]  # fmt: skip
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])
