#!/usr/bin/env python
"""Known vulnerabilities in the locked dependencies (CFG-02, ASVS 15.2.1 and 15.1.2), plus an SBOM.

    .venv/bin/python scripts/audit_dependencies.py     # what `make security` runs

Runs pip-audit on requirements.lock (exact pins with hashes, so nothing is installed or resolved)
against PyPI's vulnerability data. Outcomes, each printed plainly:

- vulnerabilities found and not reviewed: the list, exit 1;
- none found: "pip-audit: 0 known vulnerabilities in N packages" and the CycloneDX SBOM written to
  var/sbom.json, exit 0;
- the database cannot be reached (no network, or a mirror without vulnerability data, which makes
  pip-audit skip every package): "SKIPPED: vulnerability database unreachable", exit 0 -- never a
  silent pass.

Reviewed exceptions go in .ci/pip-audit-ignore.txt, one "ID  YYYY-MM-DD  reason" per line; an entry
older than 90 days counts as unreviewed again.
"""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements.lock"
IGNORES = ROOT / ".ci" / "pip-audit-ignore.txt"
SBOM = ROOT / "var" / "sbom.json"
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
REVIEW_DAYS = 90
BASE = ["-r", str(LOCK), "--require-hashes", "--disable-pip", "--progress-spinner", "off"]


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def reviewed_ignores(today: datetime.date) -> list[str]:
    """IDs reviewed within REVIEW_DAYS; stale or malformed lines are reported and not honoured."""
    ids = []
    if not IGNORES.exists():
        return ids
    for line in IGNORES.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split(None, 2)
        try:
            reviewed = datetime.date.fromisoformat(parts[1])
        except (IndexError, ValueError):
            print(f"pip-audit: ignored entry without a review date: {line!r}")
            continue
        if (today - reviewed).days > REVIEW_DAYS or len(parts) < 3:
            print(f"pip-audit: review of {parts[0]} is older than {REVIEW_DAYS} days or has no reason: not honoured")
            continue
        ids.append(parts[0])
    return ids


def pip_audit(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(PIP_AUDIT), *BASE, *args], cwd=ROOT, capture_output=True, text=True, timeout=600)  # noqa: S603


def main() -> int:
    ignores = reviewed_ignores(datetime.date.today())
    ignore_args = [arg for vuln in ignores for arg in ("--ignore-vuln", vuln)]
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "audit.json"
        result = pip_audit("-f", "json", "-o", str(report_path), *ignore_args)
        try:
            report = json.loads(report_path.read_text())
        except (OSError, ValueError):
            report = None
    if report is None:
        # pip-audit stopped before writing a report: a network or service error, not a finding.
        print("SKIPPED: vulnerability database unreachable (pip-audit could not query it)")
        print("  " + (result.stderr.strip().splitlines() or ["no message"])[-1])
        return 0
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    if dependencies and not audited:
        print(f"SKIPPED: vulnerability database unreachable ({len(skipped)} of {len(dependencies)} packages "
              "could not be looked up; a PyPI mirror without vulnerability data does this)")  # fmt: skip
        return 0
    vulnerable = [d for d in audited if d.get("vulns")]
    for dependency in skipped:
        print(f"pip-audit: NOT AUDITED {dependency['name']} {dependency.get('version', '')}: {dependency['skip_reason']}")
    if vulnerable:
        print(f"pip-audit: {sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities:")
        for dependency in vulnerable:
            for vuln in dependency["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
                print(f"  {dependency['name']} {dependency['version']}: {vuln['id']} (fixed in: {fixes})")
        print("Upgrade in pyproject.toml and regenerate the lock files, or record a dated review in "
              f"{shown(IGNORES)}.")  # fmt: skip
        return 1
    print(f"pip-audit: 0 known vulnerabilities in {len(audited)} packages"
          + (f" ({len(ignores)} reviewed exceptions)" if ignores else ""))  # fmt: skip
    SBOM.parent.mkdir(exist_ok=True)
    sbom = pip_audit("-f", "cyclonedx-json", "-o", str(SBOM), *ignore_args)
    if sbom.returncode != 0 or not SBOM.exists():
        print("pip-audit: the SBOM could not be written:\n" + sbom.stderr)
        return 1
    components = len(json.loads(SBOM.read_text()).get("components", []))
    print(f"SBOM: {shown(SBOM)} (CycloneDX, {components} components)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
