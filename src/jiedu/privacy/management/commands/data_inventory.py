"""``python -m jiedu data-inventory``: check docs/data-inventory.yaml against the models (PI-05).

``--missing`` prints the YAML for fields not listed yet; without it the command lists every problem
and exits non-zero when there is one.
"""

from django.core.management.base import BaseCommand, CommandError

from jiedu.privacy import inventory


class Command(BaseCommand):
    help = "Check the data inventory against the models, or print entries for unlisted fields."

    def add_arguments(self, parser):
        parser.add_argument(
            "--missing", action="store_true", help="Print YAML stubs for fields not listed yet."
        )

    def handle(self, *args, missing=False, **options):
        if missing:
            self.stdout.write(inventory.stubs() or "# every field is listed")
            return
        found = inventory.problems()
        if found:
            raise CommandError("data inventory out of date:\n" + "\n".join(found))
        fields = sum(len(names) for names in inventory.model_fields().values())
        self.stdout.write(f"data inventory complete: {fields} fields")
