"""Restores that must be refused or reported: a damaged backup (nothing touched), a target that
is not empty (unless --force), a manifest the restored data does not match, another audit key;
and the commands as an operator runs them."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from factories import MembershipFactory, ResidentFactory, UserFactory, ZoneFactory
from factories_evidence import EvidenceFileFactory
from jiedu.backups import domain, postgresql, services, sqlite
from jiedu.backups.domain import BackupError
from jiedu.health import services as health
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup(source_database, tmp_path, settings):
    """A backup of a facility with a round of readings (and their audit rows) and one evidence file."""
    zone = ZoneFactory()
    officer = UserFactory()
    MembershipFactory(user=officer, facility=zone.facility, role=Role.MEDICAL_STAFF)
    residents = [ResidentFactory(facility=zone.facility, current_zone=zone) for _ in range(3)]
    health.record_round(actor=officer, zone=zone, readings=[(r, "36.8") for r in residents])
    EvidenceFileFactory(facility=zone.facility)
    return services.create_backup(
        output=tmp_path / "backups", database=source_database, evidence_root=Path(settings.EVIDENCE_ROOT)
    ).path


def _url(database: dict) -> str:
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


def _target_is_empty(database: dict) -> bool:
    module = sqlite if database["ENGINE"].endswith("sqlite3") else postgresql
    return module.describe_target(database) is None


def _rewrite_manifest(path: Path, change) -> None:
    """Change the manifest and give it a matching digest, as a careless hand edit would."""
    manifest = json.loads((path / domain.MANIFEST).read_bytes())
    change(manifest)
    encoded = domain.encode_manifest(manifest)
    (path / domain.MANIFEST).write_bytes(encoded)
    (path / domain.MANIFEST_DIGEST).write_text(domain.manifest_digest_line(encoded))


def test_a_backup_is_one_private_directory_named_by_its_utc_time(backup):
    assert backup.name.startswith("jiedu-backup-") and backup.name.endswith("Z")
    assert backup.stat().st_mode & 0o777 == 0o700
    assert all(p.stat().st_mode & 0o077 == 0 for p in backup.rglob("*"))
    manifest = json.loads((backup / domain.MANIFEST).read_bytes())
    assert manifest["migrations"]["health"].startswith("0")
    assert manifest["tables"]["health_temperaturereading"]["rows"] == 3
    assert not list(backup.parent.glob("*.partial"))


@pytest.mark.parametrize("damage", ["database", "evidence", "missing evidence", "manifest"])
def test_a_damaged_backup_is_refused_and_nothing_is_touched(backup, restore_target, tmp_path, damage):
    manifest = json.loads((backup / domain.MANIFEST).read_bytes())
    evidence = next(name for name in manifest["files"] if name.startswith("evidence/"))
    if damage == "database":
        with (backup / manifest["database_file"]).open("r+b") as handle:
            handle.seek(5000)
            byte = handle.read(1)
            handle.seek(5000)
            handle.write(bytes([byte[0] ^ 0xFF]))
        expected = f"{manifest['database_file']}: checksum differs"
    elif damage == "evidence":
        (backup / evidence).write_bytes(b"not the photo")
        expected = f"{evidence}: checksum differs"
    elif damage == "missing evidence":
        (backup / evidence).unlink()
        expected = f"{evidence}: missing"
    else:
        text = (backup / domain.MANIFEST).read_text().replace('"rows": 3', '"rows": 4')
        (backup / domain.MANIFEST).write_text(text)
        expected = "manifest.json does not match manifest.json.sha256"
    restored_evidence = tmp_path / "restored-evidence"

    with pytest.raises(BackupError, match="damaged") as refused:
        services.restore_backup(path=backup, database=restore_target, evidence_root=restored_evidence)

    assert expected in str(refused.value)
    assert _target_is_empty(restore_target)
    assert not restored_evidence.exists()


def test_a_database_that_is_not_empty_is_refused_unless_forced(backup, restore_target, tmp_path):
    evidence_root = tmp_path / "restored-evidence"
    assert services.restore_backup(path=backup, database=restore_target, evidence_root=evidence_root).ok

    with pytest.raises(BackupError, match="the target database is not empty"):
        services.restore_backup(path=backup, database=restore_target, evidence_root=tmp_path / "elsewhere")
    assert not (tmp_path / "elsewhere").exists()

    report = services.restore_backup(path=backup, database=restore_target, evidence_root=evidence_root, force=True)
    assert report.ok, report.problems


def test_an_evidence_folder_that_is_not_empty_is_refused_unless_forced(backup, restore_target, tmp_path):
    evidence_root = tmp_path / "restored-evidence"
    (evidence_root / "zz").mkdir(parents=True)
    (evidence_root / "zz" / "zz-someone-elses.png").write_bytes(b"x")

    with pytest.raises(BackupError, match="holds 1 files"):
        services.restore_backup(path=backup, database=restore_target, evidence_root=evidence_root)
    assert _target_is_empty(restore_target)

    report = services.restore_backup(path=backup, database=restore_target, evidence_root=evidence_root, force=True)
    assert report.ok, report.problems
    assert (evidence_root / "zz" / "zz-someone-elses.png").exists()  # files not in the backup are left alone


def test_a_restore_that_does_not_match_the_manifest_is_reported_and_the_command_fails(backup, restore_target, tmp_path):
    _rewrite_manifest(backup, lambda m: m["tables"]["health_temperaturereading"].update(rows=4))
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError, match="1 differences"):
        call_command(
            "restore", str(backup), "--database-url", _url(restore_target),
            "--evidence-root", str(tmp_path / "restored-evidence"), stdout=out, stderr=err,
        )  # fmt: skip

    assert "MISMATCH health_temperaturereading: 3 rows, the backup has 4" in err.getvalue()


def test_a_restore_under_another_audit_key_reports_the_broken_chain(backup, restore_target, tmp_path, settings):
    settings.JIEDU_AUDIT_KEY = "YW5vdGhlci1hdWRpdC1rZXktMDEyMzQ1Njc4OWFiY2RlZg=="
    report = services.restore_backup(path=backup, database=restore_target, evidence_root=tmp_path / "restored-evidence")
    assert not report.ok
    assert any("audit chain broken" in problem and "JIEDU_AUDIT_KEY" in problem for problem in report.problems)


def test_a_backup_of_the_other_engine_is_refused(backup, restore_target, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite_manifest(backup, lambda m: m.update(engine=other))
    with pytest.raises(BackupError, match=f"this is a {other} backup"):
        services.restore_backup(path=backup, database=restore_target, evidence_root=tmp_path / "restored-evidence")
    assert _target_is_empty(restore_target)


def test_the_commands_back_up_and_restore_as_an_operator_runs_them(source_database, restore_target, tmp_path, settings):
    zone = ZoneFactory()
    ResidentFactory(facility=zone.facility, current_zone=zone)
    EvidenceFileFactory(facility=zone.facility)
    out = StringIO()

    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)

    written = out.getvalue()
    assert "1 evidence files" in written
    (path,) = (tmp_path / "backups").iterdir()
    assert f"backup written to {path}" in written

    out = StringIO()
    settings.EVIDENCE_ROOT = tmp_path / "restored-evidence"
    call_command("restore", str(path), "--database-url", _url(restore_target), stdout=out)
    assert "restore verified" in out.getvalue()
    assert "evidence files restored: 1; rows naming one: 1" in out.getvalue()

    with pytest.raises(CommandError, match="restore refused: the target database is not empty"):
        call_command("restore", str(path), "--database-url", _url(restore_target), stdout=StringIO())


def test_a_target_that_is_no_database_url_or_another_engine_is_refused(backup, tmp_path):
    with pytest.raises(CommandError, match="is not a database URL"):
        call_command("restore", str(backup), "--database-url", "nonsense", stdout=StringIO())
    with pytest.raises(CommandError, match="backups support SQLite and PostgreSQL, not django.db.backends.mysql"):
        call_command("restore", str(backup), "--database-url", "mysql://db.example/jiedu", stdout=StringIO())
