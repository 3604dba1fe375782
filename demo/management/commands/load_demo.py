"""python manage.py load_demo: the published record plus demo users, idempotently."""

import os
import re

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.commands import require_database
from common.loading import LoadError
from demo.published import FIXTURES, PUBLISHED_YEAR, load_demo
from directorates.periods import year_label_for

DEFAULT_DEMO_PASSWORD = "ccg-portal-demo"  # noqa: S105 - printed to the developer on purpose


class Command(BaseCommand):
    help = (
        "Load the published 2013/14 record, the 2015/16 OD plan, this year open for returns and "
        "demo log-ins."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(FIXTURES), help="Folder holding published/ and portal/."
        )
        parser.add_argument(
            "--open-year",
            default=None,
            help="The year to open for returns, e.g. 2014-15 (default: this financial year, so "
            "the demo's returns fall due on live dates).",
        )
        parser.add_argument(
            "--allow-demo-users",
            action="store_true",
            help="Create the demo log-ins even when DEBUG is off (they share a known password).",
        )

    def handle(self, *args, **options):
        from pathlib import Path

        if not settings.DEBUG and not options["allow_demo_users"]:
            raise CommandError(
                "load_demo creates log-ins with a known password; run it with DEBUG=1, "
                "or pass --allow-demo-users if you really mean to."
            )
        require_database()
        password = os.environ.get("DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)
        open_year = options["open_year"] or year_label_for(timezone.localdate())
        if not re.fullmatch(r"\d{4}-\d{2}", open_year) or open_year <= PUBLISHED_YEAR:
            raise CommandError(
                f"--open-year {open_year}: give a year after {PUBLISHED_YEAR}, such as 2014-15."
            )
        try:
            summary = load_demo(Path(options["fixtures"]), password=password, open_year=open_year)
        except LoadError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        # A database made afresh gives out the same ids and data versions again: what the
        # cache holds from an earlier one must not be read as this one's.
        cache.clear()
        self.stdout.write(
            f"Loaded {summary.kpis} KPIs with their 2013/14 figures (approved, locked) and "
            f"{summary.kpis_next_year} KPIs set up for {open_year} (open for returns)."
        )
        self.stdout.write(f"Demo log-ins (password: {password}):")
        for username in summary.users:
            self.stdout.write(f"  {username}")
