"""Taking a backup (database snapshot, evidence files, manifest) and restoring one with checks.

A backup is one directory named by its UTC time. It is written under a ``.partial`` name and
renamed when complete, so an interrupted run never looks like a backup. It holds the personal
data the database holds (encrypted identifiers, health records, the audit trail): directories
0700, files 0600. It does NOT hold the keys (JIEDU_DATA_KEYS, JIEDU_BLIND_INDEX_KEY,
JIEDU_AUDIT_KEY): without the same keys a restored database is unreadable and its audit chain fails.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from jiedu.backups import domain, postgresql, sqlite
from jiedu.backups.domain import BackupError
from jiedu.backups.target_checks import TargetChecks, check_target

_CHUNK = 1024 * 1024
_ENGINES = {"django.db.backends.sqlite3": "sqlite", "django.db.backends.postgresql": "postgresql"}


def engine_of(database: dict) -> str:
    engine = _ENGINES.get(database.get("ENGINE", ""))
    if engine is None:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {database.get('ENGINE') or 'an unknown engine'}")
    return engine


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_hashing(source: Path, destination: Path) -> str:
    """Copy a file (through a temporary name, so a reader never sees half of it); return its sha256."""
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = destination.with_name(destination.name + ".partial")
    digest = hashlib.sha256()
    with source.open("rb") as reader, partial.open("wb") as writer:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            writer.write(chunk)
        writer.flush()
        os.fsync(writer.fileno())
    partial.chmod(0o600)
    partial.replace(destination)
    return digest.hexdigest()


def _evidence_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


@dataclass(frozen=True)
class BackupResult:
    path: Path
    manifest: dict


def create_backup(
    *, output: Path, database: dict, evidence_root: Path, now: Callable[[], datetime.datetime] = timezone.now
) -> BackupResult:
    """Snapshot the database, then copy the evidence files, then write the manifest.

    Evidence files are copied after the snapshot: a file is written before its row commits, so
    every file the snapshot's rows name is already there (later uploads are copied too, harmless).
    """
    engine = engine_of(database)
    created_at = now()
    final = Path(output) / domain.backup_name(created_at)
    if final.exists():
        raise BackupError(f"{final} exists already")
    work = final.with_name(final.name + ".partial")
    work.mkdir(parents=True, mode=0o700)
    try:
        database_file = work / domain.DATABASE_FILES[engine]
        snapshot = sqlite.snapshot if engine == "sqlite" else postgresql.snapshot
        tables, migrations = snapshot(database, database_file)
        database_file.chmod(0o600)
        files = {database_file.name: file_sha256(database_file)}
        root = Path(evidence_root)
        for path in _evidence_files(root):
            relative = f"{domain.EVIDENCE_DIR}/{path.relative_to(root).as_posix()}"
            files[relative] = _copy_hashing(path, work / relative)
        manifest = domain.build_manifest(
            engine=engine, created_at=created_at, migrations=migrations, tables=tables, files=files
        )
        encoded = domain.encode_manifest(manifest)
        (work / domain.MANIFEST).write_bytes(encoded)
        (work / domain.MANIFEST_DIGEST).write_text(domain.manifest_digest_line(encoded))
        for name in (domain.MANIFEST, domain.MANIFEST_DIGEST):
            (work / name).chmod(0o600)
        for directory in (path for path in work.rglob("*") if path.is_dir()):
            directory.chmod(0o700)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupResult(final, manifest)


def verify_backup(path: Path) -> dict:
    """The manifest of an intact backup; BackupError naming every missing or changed file otherwise."""
    path = Path(path)
    if not path.is_dir():
        raise BackupError(f"{path} is not a backup directory")
    try:
        manifest_bytes = (path / domain.MANIFEST).read_bytes()
        digest_line = (path / domain.MANIFEST_DIGEST).read_text()
    except FileNotFoundError as exc:
        raise BackupError(f"{Path(exc.filename).name} is missing: the backup is damaged or incomplete") from exc
    manifest = domain.read_manifest(manifest_bytes, digest_line)
    found = {
        relative: file_sha256(path / relative) if (path / relative).is_file() else None
        for relative in manifest["files"]
    }
    problems = domain.damaged_files(manifest["files"], found)
    if problems:
        raise BackupError("the backup is damaged, nothing was restored:\n  " + "\n  ".join(problems))
    return manifest


def _evidence_entries(manifest: dict) -> list[str]:
    prefix = domain.EVIDENCE_DIR + "/"
    return [relative for relative in manifest["files"] if relative.startswith(prefix)]


def _existing_evidence(root: Path) -> int:
    return len(_evidence_files(root))


@dataclass
class RestoreReport:
    engine: str
    created_at: str
    tables: int = 0
    rows: int = 0
    evidence_files: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checks: TargetChecks | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def restore_backup(*, path: Path, database: dict, evidence_root: Path, force: bool = False) -> RestoreReport:
    """Restore a verified backup into ``database`` and ``evidence_root``, then compare with the manifest.

    Refused before anything is touched: a damaged backup, another engine's backup, a target that
    holds tables or evidence files (unless ``force``). The report lists every difference found.
    """
    path, evidence_root = Path(path), Path(evidence_root)
    manifest = verify_backup(path)
    engine = engine_of(database)
    if manifest["engine"] != engine:
        raise BackupError(f"this is a {manifest['engine']} backup; the target database is {engine}")
    module = sqlite if engine == "sqlite" else postgresql
    in_use = module.describe_target(database)
    if in_use and not force:
        raise BackupError(f"the target database is not empty ({in_use}); --force replaces its content")
    existing = _existing_evidence(evidence_root)
    if existing and not force:
        raise BackupError(f"{evidence_root} holds {existing} files; --force restores over them")

    database_file = path / manifest["database_file"]
    if engine == "sqlite":
        sqlite.restore(database_file, database)
    else:
        postgresql.restore(database_file, database, replace=bool(in_use))
    report = RestoreReport(engine=engine, created_at=manifest["created_at"])
    for relative in _evidence_entries(manifest):
        target = evidence_root / relative.removeprefix(domain.EVIDENCE_DIR + "/")
        if _copy_hashing(path / relative, target) != manifest["files"][relative]:
            report.problems.append(f"{relative}: changed while it was restored")
        report.evidence_files += 1

    tables, migrations = module.summarise_target(database)
    report.tables = len(tables)
    report.rows = sum(summary.rows for summary in tables.values())
    report.problems += domain.table_mismatches(manifest["tables"], tables)
    if migrations != manifest["migrations"]:
        report.problems.append("the restored migration state differs from the manifest's")
    report.checks = check_target(database, evidence_root)
    report.problems += report.checks.problems
    report.notes += report.checks.notes
    return report
