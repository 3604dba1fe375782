"""Sending a survey: one invitation per invitee with their own link, one reminder before the due
date to those who have not answered, each at most once however often the job runs."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from directorates.models import FinancialYear
from surveys import services, tokens
from surveys.models import Invitee, Survey, SurveyEmail
from tests.support import login
from tests.surveys.conftest import admin_user, links, reply_path

ADA, BEN, CY = "ada@locality.example", "ben@locality.example", "cy@locality.example"


def test_each_invitee_with_an_address_gets_their_own_link(live_survey, mailoutbox, today, settings):
    settings.PORTAL_BASE_URL = "https://portal.dorset.example/"
    sending = services.send_invitations(survey=live_survey, by=admin_user(), today=today)

    assert sending == services.Sending(sent=3, already=0, no_email=1, failed=0)
    assert sorted(m.to[0] for m in mailoutbox) == [ADA, BEN, CY]
    found = links(mailoutbox)
    assert len(set(found.values())) == 3
    message = next(m for m in mailoutbox if m.to == [ADA])
    assert message.subject == (
        f"Customer satisfaction survey 2014/15: your views by {live_survey.responses_due:%-d %B %Y}"
    )
    assert message.body.startswith("Hello Dr Ada Ash,\n\n")
    assert f"\nhttps://portal.dorset.example{reply_path(found[ADA])}\n" in message.body
    assert "not stored with your name" in message.body
    live_survey.refresh_from_db()
    assert live_survey.sent_on == today


def test_a_token_is_256_random_bits_kept_only_as_its_sha256(live_survey, invited):
    for email, token in invited.items():
        assert len(token) == tokens.TOKEN_LENGTH == 43  # token_urlsafe(32): 32 bytes
        stored = SurveyEmail.objects.get(invitee__email=email, kind=SurveyEmail.Kind.INVITATION)
        assert stored.token_hash == tokens.hash_token(token) and len(stored.token_hash) == 64
        assert tokens.verify(token, stored.token_hash)
    rows = list(SurveyEmail.objects.values())
    assert not set(invited.values()) & {v for row in rows for v in row.values()}


def test_sending_again_sends_only_to_invitees_added_since(live_survey, invited, mailoutbox, today):
    mailoutbox.clear()
    Invitee.objects.create(survey=live_survey, name="Dr Ed Elm", email="ed@locality.example")

    again = services.send_invitations(survey=live_survey, by=admin_user(), today=today)

    assert again == services.Sending(sent=1, already=3, no_email=1, failed=0)
    assert [m.to for m in mailoutbox] == [["ed@locality.example"]]
    assert SurveyEmail.objects.filter(invitee__survey=live_survey).count() == 4


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"responses_due": None}, "set the date replies are due by first"),
        ({"responses_due": "yesterday"}, "which has passed"),
        ({"sent_on": "tomorrow", "responses_due": "in a week"}, "not before"),
        ({"locked": True}, "2014/15 is locked"),
        ({"no_items": True}, "add the departments it asks about first"),
    ],
)
def test_a_survey_that_cannot_take_replies_is_not_sent(
    live_survey, mailoutbox, today, change, reason
):
    days = {"yesterday": -1, "tomorrow": 1, "in a week": 7}
    if change.get("locked"):
        FinancialYear.objects.filter(pk=live_survey.year_id).update(status="locked")
    elif change.get("no_items"):
        live_survey.items.all().delete()
    else:
        for name, value in change.items():
            setattr(live_survey, name, None if value is None else today + timedelta(days[value]))
        live_survey.save()

    with pytest.raises(services.NotReady, match=reason):
        services.send_invitations(survey=live_survey, by=admin_user(), today=today)
    assert mailoutbox == [] and not SurveyEmail.objects.exists()


def test_a_refused_address_keeps_no_row_and_the_next_run_retries(
    live_survey, mailoutbox, today, monkeypatch
):
    original = mail.EmailMessage.send

    def refuse_ben(message, *args, **kwargs):
        if message.to == [BEN]:
            raise smtplib.SMTPRecipientsRefused({BEN: (550, b"no such user")})
        return original(message, *args, **kwargs)

    monkeypatch.setattr(mail.EmailMessage, "send", refuse_ben)
    first = services.send_invitations(survey=live_survey, by=admin_user(), today=today)
    assert first == services.Sending(sent=2, already=0, no_email=1, failed=1)
    assert not SurveyEmail.objects.filter(invitee__email=BEN).exists()

    monkeypatch.setattr(mail.EmailMessage, "send", original)
    second = services.send_invitations(survey=live_survey, by=admin_user(), today=today)
    assert second == services.Sending(sent=1, already=2, no_email=1, failed=0)
    assert sorted(m.to[0] for m in mailoutbox) == [ADA, BEN, CY]


def test_the_admin_action_sends_the_invitations_and_says_what_it_did(
    client, live_survey, mailoutbox
):
    login(client, "admin")
    changelist = reverse("admin:surveys_survey_changelist")
    response = client.post(
        changelist,
        {"action": "send_invitations", "_selected_action": [live_survey.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert len(mailoutbox) == 3
    texts = [str(m) for m in response.context["messages"]]
    assert texts == [
        "Customer satisfaction survey 2014/15: sent 3 invitations; 1 with no email address."
    ]
    published = Survey.objects.get(year__label="2013-14", kind="customer")
    response = client.post(
        changelist, {"action": "send_invitations", "_selected_action": [published.pk]}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [
        "Customer satisfaction survey 2013/14 was not sent: 2013/14 is locked: its surveys take "
        "no more replies"
    ]
    assert len(mailoutbox) == 3


# Reminders


def reminded(mailoutbox) -> list[str]:
    return sorted(m.to[0] for m in mailoutbox if m.subject.startswith("Reminder: "))


@pytest.fixture
def answered_by_ada(live_survey, invited):
    link = SurveyEmail.objects.get(invitee__email=ADA)
    scores = dict.fromkeys(live_survey.items.values_list("pk", flat=True), 8)
    services.record_response(link=link, answers=scores, comment="")
    return invited


def test_those_who_have_not_answered_get_one_reminder_days_before_the_due_date(
    client, live_survey, answered_by_ada, mailoutbox
):
    due = live_survey.responses_due
    mailoutbox.clear()

    assert services.send_reminders(today=due - timedelta(days=4)) == 0  # too early
    assert services.send_reminders(today=due - timedelta(days=3)) == 2
    assert reminded(mailoutbox) == [BEN, CY]  # not Ada, who answered; not Di, who has no address
    assert services.send_reminders(today=due - timedelta(days=3)) == 0  # the same day again
    assert services.send_reminders(today=due - timedelta(days=1)) == 0  # a later day
    assert len(mailoutbox) == 2
    message = next(m for m in mailoutbox if m.to == [BEN])
    assert (
        message.subject
        == f"Reminder: Customer satisfaction survey 2014/15, replies by {due:%-d %B}"
    )
    assert f"It closes at the end of {due:%A %-d %B %Y}." in message.body

    # The reminder's own link works, and so does the invitation's.
    (token,) = links([message]).values()
    assert token != answered_by_ada[BEN]
    assert client.get(reply_path(token)).status_code == 200
    assert client.get(reply_path(answered_by_ada[BEN])).status_code == 200
    assert SurveyEmail.objects.filter(kind=SurveyEmail.Kind.REMINDER).count() == 2


def test_no_reminder_after_the_due_date_or_on_the_day_of_the_invitation(
    live_survey, invited, mailoutbox, today
):
    mailoutbox.clear()
    assert services.send_reminders(today=live_survey.responses_due + timedelta(days=1)) == 0
    live_survey.responses_due = today + timedelta(days=2)
    live_survey.save()
    assert services.send_reminders(today=today) == 0  # invited today: no reminder yet
    assert mailoutbox == []


def test_an_overlapping_run_that_claimed_the_reminder_first_means_it_is_not_sent_again(
    live_survey, invited, mailoutbox, today, monkeypatch
):
    # Another machine's run claims Ben's reminder between this run's read and its send.
    day = live_survey.responses_due - timedelta(days=2)
    original = services._send

    def racing(invitee, *args, **kwargs):
        if invitee.email == BEN:
            SurveyEmail.objects.create(
                invitee=invitee,
                kind=SurveyEmail.Kind.REMINDER,
                token_hash=tokens.make_token()[1],
                sent_at=timezone.now(),
            )
        return original(invitee, *args, **kwargs)

    monkeypatch.setattr(services, "_send", racing)
    mailoutbox.clear()
    assert services.send_reminders(today=day) == 2  # Ada and Cy; Ben's was the other run's
    assert reminded(mailoutbox) == [ADA, CY]
    assert SurveyEmail.objects.filter(kind="reminder", invitee__email=BEN).count() == 1


def test_the_reminder_command_for_cron(live_survey, invited, mailoutbox):
    day = live_survey.responses_due - timedelta(days=3)
    mailoutbox.clear()
    out = call_command_output("send_survey_reminders", "--today", day.isoformat())
    assert out == f"Sent 3 survey reminders for {day.isoformat()}.\n"
    again = call_command_output("send_survey_reminders", "--today", day.isoformat())
    assert again == f"Sent 0 survey reminders for {day.isoformat()}.\n"
    assert len(mailoutbox) == 3
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_survey_reminders", "--today", "3 May")
    with pytest.raises(CommandError, match="0 or more"):
        call_command("send_survey_reminders", "--within", "-1")


def call_command_output(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()
