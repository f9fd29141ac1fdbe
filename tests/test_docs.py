"""Documentation that code depends on: every environment variable is in .env.example, and the
production rules written there hold (the process refuses to start without its secrets)."""

import ast
import base64
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ROOT / "src" / "jiedu" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"
REQUIRED_IN_PRODUCTION = ("DJANGO_SECRET_KEY", "JIEDU_DATA_KEYS", "JIEDU_BLIND_INDEX_KEY", "JIEDU_AUDIT_KEY")


def _variables_read_by_settings() -> set[str]:
    """Names passed as the first argument to ``env(...)``, ``env.<cast>(...)`` or
    ``_required_in_production(...)`` anywhere in settings.py."""
    names = set()
    for node in ast.walk(ast.parse(SETTINGS.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        reads_env = (
            (isinstance(func, ast.Name) and func.id in {"env", "_required_in_production"})
            or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env")
        )  # fmt: skip
        first = node.args[0]
        if reads_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def _variables_documented() -> set[str]:
    # Both "NAME=value" and the commented-out "# NAME=value" count: most variables are optional.
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text(encoding="utf-8")))


def test_settings_reads_the_variables_we_expect_to_find():
    # Guards the AST walk itself: if settings stopped using these helpers, the next test would pass vacuously.
    assert set(REQUIRED_IN_PRODUCTION) | {"JIEDU_ENV", "DATABASE_URL"} <= _variables_read_by_settings()


def test_every_environment_variable_is_in_env_example():
    missing = _variables_read_by_settings() - _variables_documented()
    assert not missing, f"add to .env.example, with a comment: {sorted(missing)}"


def test_env_example_lists_no_variable_that_settings_does_not_read():
    stale = _variables_documented() - _variables_read_by_settings()
    assert not stale, f"settings.py no longer reads these; remove them from .env.example: {sorted(stale)}"


def _production_env(**overrides: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        JIEDU_ENV="production",
        DJANGO_SETTINGS_MODULE="jiedu.settings",
        DJANGO_SECRET_KEY="test-only-" + "s" * 50,
        JIEDU_DATA_KEYS="k1:" + base64.b64encode(os.urandom(16)).decode(),
        JIEDU_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode(),
        JIEDU_AUDIT_KEY=base64.b64encode(os.urandom(32)).decode(),
    )
    env.pop("JIEDU_DATA_KEY_ID", None)
    env.update(overrides)
    return env


def _start(env: dict[str, str]) -> subprocess.CompletedProcess:
    # Loading the key ring too proves that the formats documented in .env.example are accepted.
    code = "import django; django.setup(); from jiedu.common.crypto import key_ring; key_ring()"
    return subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("name", REQUIRED_IN_PRODUCTION)
def test_production_refuses_to_start_without(name):
    # Empty rather than unset: an empty value in the environment also wins over a developer's .env file.
    result = _start(_production_env(**{name: ""}))
    assert result.returncode != 0
    assert name in result.stderr


def test_production_starts_with_its_secrets_set():
    result = _start(_production_env())
    assert result.returncode == 0, result.stderr
