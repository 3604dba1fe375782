"""Email reminders to team members whose quarter's return is due soon or overdue.

Run once a day (send_return_reminders). Each email is one team's return for one quarter to one
member; a ReminderSent row is claimed before the email goes, in the same transaction, so a
second run on the same day (or an overlapping one) sends nothing twice, and a failed send
leaves no row, so the next run tries again.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.urls import reverse

from directorates.models import FinancialYear, Membership, Team
from kpis.models import KpiYear, ReminderSent, ReturnStatus, TeamReturn
from kpis.returns.selectors import DONE, NOT_STARTED, QuarterDue, open_year, quarter_dues

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
STATUS_LINES = {
    NOT_STARTED: "It has not been started.",
    ReturnStatus.DRAFT: "It is saved as a draft and has not been submitted.",
    ReturnStatus.RETURNED: "Your director returned it to the team: the form says what to change.",
}


@dataclass(frozen=True)
class Reminder:
    user: AbstractUser
    team: Team
    year: FinancialYear
    due: QuarterDue
    status: str
    today: date

    @property
    def overdue(self) -> bool:
        return self.today > self.due.due


@dataclass(frozen=True)
class ReminderRun:
    """What a day's run did: emails sent, and the people it could not remind because they have
    no email address (by username, for the message that says who to give one)."""

    sent: int = 0
    no_email: tuple[str, ...] = ()
    open_year: FinancialYear | None = None


def send_reminders(*, today: date, within_days: int) -> int:
    """Remind members of every team whose return is due within `within_days` or overdue.

    Returns how many emails were sent.
    """
    return run_reminders(today=today, within_days=within_days).sent


def run_reminders(*, today: date, within_days: int) -> ReminderRun:
    """send_reminders, saying also whom it skipped for having no email address."""
    year = open_year()
    if year is None:
        return ReminderRun()
    quarters = [q for q in quarter_dues(year) if (q.due - today).days <= within_days]
    if not quarters:
        return ReminderRun(open_year=year)
    reminders, no_email = _reminders(year, quarters, today)
    sent = 0
    with get_connection() as connection:  # one SMTP session for the whole run
        for reminder in reminders:
            sent += _send(reminder, connection)
    return ReminderRun(sent, no_email, year)


def _reminders(year, quarters, today) -> tuple[list[Reminder], tuple[str, ...]]:
    statuses = {
        (r.team_id, r.quarter): r.status
        for r in TeamReturn.objects.filter(year=year, quarter__in=[q.quarter for q in quarters])
    }
    already = set(
        ReminderSent.objects.filter(year=year, sent_on=today).values_list(
            "user_id", "team_id", "quarter"
        )
    )
    members = (
        Membership.objects.filter(
            role=Membership.Role.MEMBER,
            team__in=KpiYear.objects.filter(year=year, is_reported=True).values("team"),
            user__is_active=True,
        )
        .select_related("user", "team__directorate", "team__parent")
        .order_by("team__slug", "user__username")
    )
    due = [
        (m, q, statuses.get((m.team_id, q.quarter), NOT_STARTED))
        for m in members
        for q in quarters
        if statuses.get((m.team_id, q.quarter)) not in DONE
    ]
    no_email = sorted({m.user.get_username() for m, _, _ in due if not m.user.email})
    reminders = [
        Reminder(m.user, m.team, year, q, status, today)
        for m, q, status in due
        if m.user.email and (m.user_id, m.team_id, q.quarter) not in already
    ]
    return reminders, tuple(no_email)


def _send(reminder: Reminder, connection) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(
                user=reminder.user,
                team=reminder.team,
                year=reminder.year,
                quarter=reminder.due.quarter,
                sent_on=reminder.today,
            )
            subject, body = reminder_text(reminder)
            EmailMessage(subject, body, to=[reminder.user.email], connection=connection).send()
    except IntegrityError:
        return False  # an overlapping run sent this one today
    except (smtplib.SMTPException, OSError):
        # One refused address must not stop everyone else's reminders; the next run retries.
        logger.exception(
            "Could not send a return reminder to %s for %s Q%s",
            reminder.user.email,
            reminder.team,
            reminder.due.quarter,
        )
        return False
    return True


def form_url(reminder: Reminder) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
    path = reverse(
        "return_form",
        kwargs={
            "year": reminder.year.label,
            "quarter": reminder.due.quarter,
            "team": reminder.team.slug,
        },
    )
    return f"{base}{path}"


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    """The subject and plain-text body of one reminder."""
    team, quarter = reminder.team, reminder.due.quarter
    what = f"quarter {quarter} {reminder.year.display_name} KPI return for {team}"
    due_on = reminder.due.due.strftime("%A %-d %B %Y")
    days = (reminder.due.due - reminder.today).days
    if reminder.overdue:
        subject = f"Overdue: {what}"
        when = f"was due on {due_on} and is overdue by {-days} day{'s' * (days != -1)}."
    else:
        subject = f"Due {reminder.due.due.strftime('%-d %B %Y')}: {what}"
        when = (
            "is due today."
            if days == 0
            else f"is due on {due_on}, in {days} day{'s' * (days != 1)}."
        )
    name = reminder.user.first_name or reminder.user.get_username()
    body = "\n".join(
        [
            f"Hello {name},",
            "",
            f"The {what} ({team.directorate.name}) {when}",
            STATUS_LINES.get(reminder.status, ""),
            "",
            "Enter the figures and submit the return here:",
            form_url(reminder),
            "",
            f"You are getting this because you are a member of {team}. Reminders stop once "
            "the return is submitted; you get at most one a day for each return.",
            "",
            "CCG Portal",
        ]
    )
    return subject, body
