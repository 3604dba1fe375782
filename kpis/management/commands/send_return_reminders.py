"""Email reminders about returns due soon or overdue; cron runs it once a day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from common.commands import require_database
from kpis.returns.reminders import run_reminders

SHOWN_NAMES = 10  # people without an email address named in the warning


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today wants a date as YYYY-MM-DD, not '{text}'") from exc


class Command(BaseCommand):
    help = (
        "Email the members of each team whose return for a quarter of the open year is due "
        "within DAYS days or overdue and not submitted; at most once a day per return and person."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--within", type=int, default=5, metavar="DAYS", help="days ahead (default 5)"
        )
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="run as if on this day")

    def handle(self, *args, within: int, today: str | None, **options):
        if within < 0:
            raise CommandError("--within wants a number of days, 0 or more")
        day = _day(today) if today else timezone.localdate()
        require_database()
        run = run_reminders(today=day, within_days=within)
        sent = run.sent
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'} for {day.isoformat()}.")
        if run.open_year is None:
            self.stderr.write(
                "There is no open year, so no return is due: open one in Django admin "
                "(Financial years)."
            )
        if run.no_email:
            count = len(run.no_email)
            names = ", ".join(run.no_email[:SHOWN_NAMES])
            more = f" and {count - SHOWN_NAMES} more" if count > SHOWN_NAMES else ""
            self.stderr.write(
                self.style.WARNING(
                    f"Skipped {count} {'person' if count == 1 else 'people'} with no email "
                    f"address, whose teams' returns are due: {names}{more}. Give them one in "
                    "Django admin (Users) and they are reminded on the next run."
                )
            )
