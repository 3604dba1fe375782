"""Email reminders about returns due soon or overdue; cron runs it once a day."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from kpis.returns.reminders import send_reminders


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
        sent = send_reminders(today=day, within_days=within)
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'} for {day.isoformat()}.")
