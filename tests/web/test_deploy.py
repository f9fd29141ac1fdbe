"""CFG-01 (ASVS 13.4.2, 等保 8.1.4.4): Django's deployment checks pass under production settings, and
the API schema UI does not exist in production (API-01, ASVS 13.4.5)."""

import sys

from production import ROOT, production_env, production_settings, run_python


def _check_deploy(env):
    import subprocess

    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip


def test_check_deploy_passes_under_production_settings():
    result = _check_deploy(production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_in_development_mode():
    """Guards the test above: the same command does see the development shortcuts (DEBUG, no HSTS)."""
    env = production_env(JIEDU_ENV="development", DJANGO_DEBUG="true")
    result = _check_deploy(env)
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout  # no HSTS
    assert "security.W018" in result.stderr + result.stdout  # DEBUG on


def test_the_schema_ui_is_absent_in_production():
    assert production_settings()["JIEDU_API_DOCS"] is False
    code = (
        "import django; django.setup()\n"
        "from django.urls import NoReverseMatch, Resolver404, resolve, reverse\n"
        "try:\n    resolve('/api/v1/docs/'); print('resolved')\nexcept Resolver404:\n    print('404')\n"
        "try:\n    reverse('api:docs'); print('reversed')\nexcept NoReverseMatch:\n    print('no route')\n"
        "print(resolve('/api/v1/schema/').url_name)\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["404", "no", "route", "schema"]


def test_the_schema_ui_exists_in_development(member, facility_a):
    from django.test import Client

    from jiedu.organisation.roles import Role

    client = Client()
    client.force_login(member(Role.FACILITY_OFFICER, facility_a))
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    assert b"swagger-ui" in response.content
    assert Client().get("/api/v1/docs/").status_code in (401, 403)  # not for anonymous callers
