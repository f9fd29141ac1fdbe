"""What a restore checks through the application itself, on the restored database: the audit
trail's hash chain, the evidence rows' files, and migrations of this code not applied yet.

The restored database may not be the one in settings (``restore --database-url``), so the checks
run through a Django connection opened for it alone and closed afterwards.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

from jiedu.audit import chain
from jiedu.audit.management.commands.verify_audit import COLUMNS
from jiedu.audit.models import AuditEvent
from jiedu.evidence.models import EvidenceFile
from jiedu.evidence.services import stored_path


@dataclass
class TargetChecks:
    audit_rows: int = 0
    evidence_rows: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@contextlib.contextmanager
def django_connection(database: dict) -> Iterator[str]:
    """A connection alias for ``database`` in this thread only, closed and gone after the block.

    It is not added to settings.DATABASES: other threads never see it, and Django's test cases
    treat it as a connection made on the fly.
    """
    alias = f"restored_{secrets.token_hex(4)}"
    # configure_settings fills in Django's defaults (and insists on a "default" entry).
    settings_dict = connections.configure_settings({DEFAULT_DB_ALIAS: copy.deepcopy(database)})[DEFAULT_DB_ALIAS]
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = wrapper
    try:
        yield alias
    finally:
        wrapper.close()
        del connections[alias]


def _audit_chain(alias: str, checks: TargetChecks) -> None:
    rows = AuditEvent.objects.using(alias).order_by("id").values(*COLUMNS).iterator(chunk_size=5000)
    checks.audit_rows, broken = chain.first_break(rows)
    if broken is not None:
        checks.problems.append(
            f"audit chain broken at event {broken.event_id}: {broken.reason} "
            "(is JIEDU_AUDIT_KEY the key in use when the backup was taken?)"
        )


def _evidence(alias: str, evidence_root: Path, checks: TargetChecks) -> None:
    missing, changed = 0, 0
    for name, digest in EvidenceFile.objects.using(alias).values_list("stored_name", "sha256").iterator(chunk_size=2000):
        checks.evidence_rows += 1
        path = stored_path(evidence_root, name)
        if not path.is_file():
            missing += 1
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            changed += 1
    if missing:
        checks.problems.append(f"{missing} evidence rows name a file that is not in {evidence_root}")
    if changed:
        checks.problems.append(f"{changed} evidence files differ from the checksum their row records")


def _pending_migrations(alias: str, checks: TargetChecks) -> None:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        checks.notes.append(f"{len(plan)} migrations of this code are not applied yet: run `python -m jiedu migrate`")


def check_target(database: dict, evidence_root: Path) -> TargetChecks:
    checks = TargetChecks()
    with django_connection(database) as alias:
        _audit_chain(alias, checks)
        _evidence(alias, Path(evidence_root), checks)
        _pending_migrations(alias, checks)
    return checks
