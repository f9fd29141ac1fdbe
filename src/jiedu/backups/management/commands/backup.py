"""``python -m jiedu backup --output DIR``: one backup directory of the database and the evidence files.

Safe while the application runs: SQLite is copied through the online backup API, PostgreSQL is
dumped from one exported snapshot; the manifest's row counts and checksums describe that snapshot.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jiedu.backups import services
from jiedu.backups.domain import BackupError


class Command(BaseCommand):
    help = "Back up the database and the evidence files into a new directory under --output, with a manifest."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, type=Path, help="Directory that receives the backup.")
        parser.add_argument(
            "--evidence-root", type=Path, default=None, help="Evidence files to include (default: JIEDU_EVIDENCE_ROOT)."
        )

    def handle(self, *args, output: Path, evidence_root: Path | None, **options):
        try:
            result = services.create_backup(
                output=output,
                database=settings.DATABASES["default"],
                evidence_root=evidence_root or Path(settings.EVIDENCE_ROOT),
            )
        except BackupError as exc:
            raise CommandError(f"backup failed: {exc}") from exc
        tables = result.manifest["tables"]
        evidence = sum(1 for name in result.manifest["files"] if name.startswith("evidence/"))
        self.stdout.write(
            f"{result.manifest['engine']} database: {len(tables)} tables, "
            f"{sum(t['rows'] for t in tables.values())} rows; {evidence} evidence files"
        )
        self.stdout.write(self.style.SUCCESS(f"backup written to {result.path}"))
