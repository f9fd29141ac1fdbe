"""Restore drill: a backup taken while another thread keeps recording temperatures is restored
into a fresh database; row counts, checksums, the audit chain and the evidence files all match
the backup, and the backup describes its snapshot, not the live database.

Runs on the database the suite runs on (SQLite by default, PostgreSQL with DATABASE_URL).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connection

from factories import MembershipFactory, ResidentFactory, UserFactory, ZoneFactory
from factories_evidence import PDF_BYTES, EvidenceFileFactory
from jiedu.audit import chain
from jiedu.audit.management.commands.verify_audit import COLUMNS
from jiedu.audit.models import AuditEvent
from jiedu.backups import postgresql, services, sqlite
from jiedu.backups.target_checks import django_connection
from jiedu.health import services as health
from jiedu.health.models import TemperatureReading
from jiedu.organisation.roles import Role

pytestmark = pytest.mark.django_db(transaction=True)

WAIT_S = 60  # every wait is bounded; on a loaded machine a few writes still take well under this


def _seed():
    """A facility's zone with residents, a medical officer, a round and its audit rows, evidence files."""
    zone = ZoneFactory()
    officer = UserFactory()
    MembershipFactory(user=officer, facility=zone.facility, role=Role.MEDICAL_STAFF)
    residents = [ResidentFactory(facility=zone.facility, current_zone=zone) for _ in range(8)]
    health.record_round(actor=officer, zone=zone, readings=[(r, "36.5") for r in residents])
    EvidenceFileFactory(facility=zone.facility)
    EvidenceFileFactory(facility=zone.facility, content=PDF_BYTES, stored_name="ab" * 16 + ".pdf")
    return officer, residents


class Writer(threading.Thread):
    """Records one temperature after another (a reading and an audit row each) until stopped."""

    def __init__(self, officer, resident):
        super().__init__(daemon=True)
        self.officer, self.resident = officer, resident
        self.committed = 0
        self.errors: list[BaseException] = []
        self.stop = threading.Event()
        self.progress = threading.Condition()

    def run(self):
        try:
            while not self.stop.is_set():
                health.record_reading(actor=self.officer, resident=self.resident, temperature_c="36.6")
                with self.progress:
                    self.committed += 1
                    self.progress.notify_all()
        except Exception as exc:  # noqa: BLE001  (reported by the test: a writer must never fail)
            self.errors.append(exc)
        finally:
            connection.close()

    def wait_for(self, more: int) -> None:
        """Block until ``more`` further readings are committed (bounded)."""
        with self.progress:
            target = self.committed + more
            assert self.progress.wait_for(lambda: self.committed >= target or self.errors, timeout=WAIT_S), (
                f"the writer committed {self.committed} readings, {target} expected"
            )
        assert not self.errors, self.errors


@pytest.fixture
def writer(source_database):
    officer, residents = _seed()
    thread = Writer(officer, residents[0])
    thread.start()
    yield thread
    thread.stop.set()
    thread.join(timeout=WAIT_S)
    assert not thread.is_alive(), "the writer did not stop"


def _restored_audit_chain(database):
    with django_connection(database) as alias:
        rows = AuditEvent.objects.using(alias).order_by("id").values(*COLUMNS)
        return chain.first_break(rows.iterator())


def test_restore_drill_backup_while_writing_then_restore_into_a_fresh_database(
    writer, source_database, restore_target, tmp_path, settings, monkeypatch
):
    writer.wait_for(3)
    before = TemperatureReading.objects.count()
    # While the snapshot is open (PostgreSQL: the exporting transaction; SQLite: before the copy
    # is read), the writer commits three more readings: it is not blocked, and they are not in the backup.
    module = postgresql if connection.vendor == "postgresql" else sqlite
    summarise = module.summarise

    def summarise_after_more_writes(db):
        writer.wait_for(3)
        return summarise(db)

    monkeypatch.setattr(module, "summarise", summarise_after_more_writes)
    backup = services.create_backup(
        output=tmp_path / "backups", database=source_database, evidence_root=Path(settings.EVIDENCE_ROOT)
    )
    monkeypatch.setattr(module, "summarise", summarise)
    writer.wait_for(2)
    writer.stop.set()
    writer.join(timeout=WAIT_S)
    assert not writer.errors, writer.errors
    after = TemperatureReading.objects.count()

    manifest = backup.manifest
    in_backup = manifest["tables"]["health_temperaturereading"]["rows"]
    assert before <= in_backup <= after - 5  # the snapshot, not the database as it is now
    assert manifest["engine"] == connection.vendor
    evidence_root = Path(settings.EVIDENCE_ROOT)
    assert {name for name in manifest["files"] if name.startswith("evidence/")} == {
        f"evidence/{path.relative_to(evidence_root).as_posix()}" for path in evidence_root.rglob("*") if path.is_file()
    }

    restored_evidence = tmp_path / "restored-evidence"
    report = services.restore_backup(path=backup.path, database=restore_target, evidence_root=restored_evidence)

    assert report.ok, report.problems
    assert report.tables == len(manifest["tables"])
    assert report.rows == sum(table["rows"] for table in manifest["tables"].values())
    assert report.evidence_files == report.checks.evidence_rows == 2
    with django_connection(restore_target) as alias:
        assert TemperatureReading.objects.using(alias).count() == in_backup
    checked, broken = _restored_audit_chain(restore_target)
    assert broken is None and checked == manifest["tables"]["audit_auditevent"]["rows"]
    for name in manifest["files"]:
        if name.startswith("evidence/"):
            restored = restored_evidence / name.removeprefix("evidence/")
            assert restored.read_bytes() == (backup.path / name).read_bytes()
