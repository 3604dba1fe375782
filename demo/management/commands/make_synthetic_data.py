"""python manage.py make_synthetic_data --scale N: synthetic KPIs beside the demo, once."""

from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from common.commands import require_database
from demo.synthetic import SyntheticDataError, make_synthetic_data

MAX_SCALE = 1000  # display orders are small integers; 1000 is ten times the benchmark's


class Command(BaseCommand):
    help = (
        "Add synthetic directorates, teams, KPIs, figures and approved returns beside the demo "
        "data (slugs start 'syn-'). Refuses if synthetic data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="1 is about the demo's size; 100 is 103 directorates, 1,030 KPIs, 10 years.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same data.")

    def handle(self, *args, **options):
        scale = options["scale"]
        if not 1 <= scale <= MAX_SCALE:
            raise CommandError(f"--scale is between 1 and {MAX_SCALE}.")
        require_database()
        try:
            summary = make_synthetic_data(scale, seed=options["seed"])
        except SyntheticDataError as exc:
            raise CommandError(str(exc)) from exc
        # A database made afresh gives out the same ids and data versions again: what the
        # cache holds from an earlier one must not be read as this one's.
        cache.clear()
        created = ", ".join(summary.years_created) or "none"
        self.stdout.write(
            f"Synthetic data at scale {scale} (seed {summary.seed}), "
            f"{summary.years[0]} to {summary.years[-1]}:\n"
            f"  {summary.directorates} directorates, {summary.teams} teams, {summary.kpis} KPIs, "
            f"{summary.kpi_years} KPI years, {summary.figures} figures, "
            f"{summary.returns} approved returns\n"
            f"  years created (locked): {created}\n"
            f"  {summary.rows} rows in {summary.seconds:.1f} s"
        )
