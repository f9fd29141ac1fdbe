"""``python -m jiedu generate-scale --days N``: a region of realistic size in PostgreSQL, for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from jiedu.scale.generator import ScaleError, generate
from jiedu.scale.shape import RegionShape


class Command(BaseCommand):
    help = "Fill an empty PostgreSQL database with a generated region (COPY, one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, required=True, help="Days of history, up to now.")
        parser.add_argument("--facilities", type=int, default=10)
        parser.add_argument("--residents", type=int, default=600, help="Residents in custody per facility.")
        parser.add_argument("--staff", type=int, default=300, help="Staff per facility.")
        parser.add_argument(
            "--large-facility",
            type=int,
            default=0,
            help="Residents of the first facility instead of --residents (0: the same).",
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, **options):
        try:
            shape = RegionShape(
                days=options["days"], facilities=options["facilities"], residents=options["residents"],
                staff=options["staff"], large_facility=options["large_facility"], seed=options["seed"],
            )  # fmt: skip
            generate(shape, echo=self.stdout.write)
        except (ScaleError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
