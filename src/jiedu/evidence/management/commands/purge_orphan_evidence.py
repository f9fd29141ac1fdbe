"""Remove evidence files that no row names (left behind by uploads whose transaction rolled back)."""

from django.core.management.base import BaseCommand

from jiedu.evidence.services import ORPHAN_MIN_AGE, purge_orphan_files


class Command(BaseCommand):
    help = "Delete files under EVIDENCE_ROOT that no evidence row names and that are older than an hour."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List the orphans, delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        orphans = purge_orphan_files(dry_run=dry_run, min_age=ORPHAN_MIN_AGE)
        for path in orphans:
            self.stdout.write(str(path))
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(self.style.SUCCESS(f"{len(orphans)} orphan evidence file(s) {verb}."))
