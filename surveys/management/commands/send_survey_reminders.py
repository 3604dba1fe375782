"""Email one reminder to each invitee who has not answered a survey due soon; cron runs it daily."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from surveys.services import REMINDER_DAYS, send_reminders


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--today wants a date as YYYY-MM-DD, not '{text}'") from exc


class Command(BaseCommand):
    help = (
        "Email each invitee who has not answered a survey whose replies are due within DAYS "
        "days one reminder with their link; at most one per invitee however often it runs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--within",
            type=int,
            default=REMINDER_DAYS,
            metavar="DAYS",
            help=f"days before the due date (default {REMINDER_DAYS})",
        )
        parser.add_argument("--today", metavar="YYYY-MM-DD", help="run as if on this day")

    def handle(self, *args, within: int, today: str | None, **options):
        if within < 0:
            raise CommandError("--within wants a number of days, 0 or more")
        day = _day(today) if today else timezone.localdate()
        sent = send_reminders(today=day, within_days=within)
        self.stdout.write(
            f"Sent {sent} survey reminder{'' if sent == 1 else 's'} for {day.isoformat()}."
        )
