"""Survey writes: send the invitations, send the reminders, record a reply.

Every email is claimed before it goes: its SurveyEmail row (the link's token hash, unique per
invitee and kind) is written and the email sent inside one transaction, so a run repeated or
overlapping another (cron on two machines) sends nothing twice, and a failed send leaves no
row, so the next run tries again. A reply is written in one transaction that first marks the
invitee answered with a conditional UPDATE (… WHERE NOT answered) and refuses unless it
changed exactly one row: a second submit, even at the same moment from another tab, saves
nothing. The response row it writes names no invitee and carries only the day.
"""

import logging
import secrets
import smtplib
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from directorates.models import FinancialYear
from surveys import rules, tokens
from surveys.models import Comment, Invitee, Rating, Response, Survey, SurveyEmail, SurveyItem

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL = "http://127.0.0.1:8000"
REMINDER_DAYS = 3  # a reminder goes this many days (or fewer) before the due date


class SurveyError(Exception):
    """A survey write refused, with the reason in words."""


class NotReady(SurveyError):
    """The survey cannot be sent yet (or any more)."""


class Closed(SurveyError):
    """The survey takes no more replies."""


class AlreadyAnswered(SurveyError):
    """This invitee's reply is already in."""


class BadAnswers(SurveyError):
    """A reply's ratings do not fit the survey (the form checks first; this is the backstop)."""


@dataclass(frozen=True)
class Sending:
    """What a run of invitations did."""

    sent: int
    already: int  # invited before
    no_email: int  # invitees without an address
    failed: int  # refused by the mail server; the next run tries again


def sending_problem(survey: Survey, *, today: date, items: int) -> str | None:
    """Why the survey's invitations cannot go out today, or None."""
    if survey.year.is_locked:
        return f"{survey.year} is locked: its surveys take no more replies"
    if survey.responses_due is None:
        return "set the date replies are due by first"
    if survey.responses_due < today:
        return f"replies were due by {survey.responses_due:%-d %B %Y}, which has passed"
    if survey.sent_on is not None and survey.sent_on > today:
        return f"it is to be sent on {survey.sent_on:%-d %B %Y}, not before"
    if not items:
        return "add the departments it asks about first"
    return None


def send_invitations(*, survey: Survey, by, today: date | None = None) -> Sending:
    """Email each invitee not yet invited their own link; the survey's sent date is set to
    today if it had none. Refused (NotReady) for a survey that cannot take replies."""
    today = today or timezone.localdate()
    survey = Survey.objects.select_related("year").get(pk=survey.pk)
    problem = sending_problem(survey, today=today, items=survey.items.count())
    if problem:
        raise NotReady(f"{survey} was not sent: {problem}")
    if survey.sent_on is None:
        Survey.objects.filter(pk=survey.pk, sent_on__isnull=True).update(sent_on=today)
    invited = SurveyEmail.objects.filter(invitee=OuterRef("pk"), kind=SurveyEmail.Kind.INVITATION)
    invitees = list(survey.invitees.annotate(invited=Exists(invited)).order_by("name", "pk"))
    waiting = [i for i in invitees if i.email and not i.invited]
    outcomes = []
    with get_connection() as connection:  # one SMTP session for the whole run
        for invitee in waiting:
            outcomes.append(_send(invitee, survey, SurveyEmail.Kind.INVITATION, connection, by=by))
    return Sending(
        sent=outcomes.count(True),
        already=sum(i.invited for i in invitees) + outcomes.count(False),
        no_email=sum(not i.email for i in invitees),
        failed=outcomes.count(None),
    )


def send_reminders(*, today: date, within_days: int = REMINDER_DAYS) -> int:
    """One reminder to each invitee who has not answered a survey due within `within_days`
    (and not yet past), invited before today; returns how many were sent."""
    invited_before = SurveyEmail.objects.filter(
        invitee=OuterRef("pk"),
        kind=SurveyEmail.Kind.INVITATION,
        sent_at__date__lt=today,
    )
    reminded = SurveyEmail.objects.filter(invitee=OuterRef("pk"), kind=SurveyEmail.Kind.REMINDER)
    invitees = list(
        Invitee.objects.filter(
            answered=False,
            survey__responses_due__gte=today,
            survey__responses_due__lte=today + timedelta(days=within_days),
            survey__year__status=FinancialYear.Status.OPEN,
        )
        .exclude(email="")
        .filter(Exists(invited_before))
        .exclude(Exists(reminded))
        .select_related("survey__year")
        .order_by("survey", "name", "pk")
    )
    sent = 0
    with get_connection() as connection:
        for invitee in invitees:
            sent += _send(invitee, invitee.survey, SurveyEmail.Kind.REMINDER, connection) is True
    return sent


def _send(invitee: Invitee, survey: Survey, kind: str, connection, *, by=None) -> bool | None:
    """Claim the email's row and send it in one transaction: True if sent, False if another
    run had claimed it, None if the mail server refused it (nothing kept)."""
    token, digest = tokens.make_token()
    try:
        with transaction.atomic():
            SurveyEmail.objects.create(
                invitee=invitee, kind=kind, token_hash=digest, sent_at=timezone.now(), sent_by=by
            )
            subject, body = email_text(kind, invitee, survey, reply_url(token))
            EmailMessage(subject, body, to=[invitee.email], connection=connection).send()
    except IntegrityError:
        return False  # an overlapping run sent this one
    except (smtplib.SMTPException, OSError):
        # One refused address must not stop everyone else's; the next run tries again.
        logger.exception("Could not send a survey %s to invitee %s", kind, invitee.pk)
        return None
    return True


def reply_url(token: str) -> str:
    base = getattr(settings, "PORTAL_BASE_URL", DEFAULT_BASE_URL).rstrip("/")
    return f"{base}{reverse('survey_reply', kwargs={'token': token})}"


def email_text(kind: str, invitee: Invitee, survey: Survey, url: str) -> tuple[str, str]:
    """The subject and plain-text body of an invitation or a reminder."""
    due = f"{survey.responses_due:%A %-d %B %Y}"
    if kind == SurveyEmail.Kind.REMINDER:
        subject = f"Reminder: {survey.title}, replies by {survey.responses_due:%-d %B}"
        opening = (
            f"We have not had your reply to the {survey.title} yet. It closes at the end of {due}."
        )
    else:
        subject = f"{survey.title}: your views by {survey.responses_due:%-d %B %Y}"
        opening = (
            f"Please tell us what you think in the {survey.title}. It takes a few minutes "
            f"and is open until the end of {due}."
        )
    lines = [
        f"Hello {invitee.name},",
        "",
        opening,
    ]
    if survey.question:
        lines += ["", survey.question]
    lines += [
        "",
        "Your own link to the survey (it works once, for you only; please do not forward it):",
        url,
        "",
        "Your reply is not stored with your name: the portal records only that you have "
        "answered, so you get no more reminders.",
        "",
        "CCG Portal",
    ]
    return subject, "\n".join(lines)


def record_response(
    *,
    link: SurveyEmail,
    answers: dict[int, int | None],
    comment: str,
    today: date | None = None,
) -> None:
    """Write one invitee's reply: their ratings (None: did not use) and what should improve.

    Refused with Closed after the due date or once the year is locked, AlreadyAnswered if the
    invitee's reply is in (the conditional UPDATE below decides, inside the transaction), and
    BadAnswers for ratings off the survey's scale or items not in it.
    """
    today = today or timezone.localdate()
    invitee, survey = link.invitee, link.invitee.survey
    if not rules.takes_replies(due=survey.responses_due, locked=survey.year.is_locked, today=today):
        raise Closed(f"The {survey.title} closed on {survey.responses_due:%-d %B %Y}")
    items = set(SurveyItem.objects.filter(survey=survey).order_by().values_list("pk", flat=True))
    scores = {item: score for item, score in answers.items() if score is not None}
    if set(answers) != items or any(
        not survey.scale_min <= score <= survey.scale_max for score in scores.values()
    ):
        raise BadAnswers("The ratings do not fit the survey's departments and scale")
    with transaction.atomic():
        claimed = Invitee.objects.filter(pk=invitee.pk, answered=False).update(answered=True)
        if claimed != 1:
            raise AlreadyAnswered(f"Your reply to the {survey.title} was already received")
        response = Response.objects.create(
            survey=survey, respondent=online_label(), received_on=today
        )
        Rating.objects.bulk_create(
            Rating(response=response, item_id=item, score=score) for item, score in scores.items()
        )
        if comment:
            Comment.objects.create(
                survey=survey, response=response, kind=Comment.Kind.IMPROVEMENT, text=comment
            )


def online_label() -> str:
    """A reply's label: random, so neither it nor its order says whose reply it is."""
    return f"Online reply {secrets.token_hex(8)}"
