"""Email reminders of returns due soon or overdue: who gets one, what it says, once a day."""

import time
from datetime import date

import pytest
from django.core.mail import EmailMessage
from django.core.management import CommandError, call_command
from django.db import connection

from directorates.models import FinancialYear, Membership, Team
from kpis.models import ReminderSent, ReturnStatus, TeamReturn
from kpis.returns.reminders import send_reminders
from tests.kpis.test_concurrency import run_together
from tests.support import user

# 2014/15 Q1 ends on Monday 30 June 2014; its returns are due 15 working days later.
Q1_DUE = date(2014, 7, 21)
FIVE_DAYS_BEFORE = date(2014, 7, 16)


@pytest.fixture
def people(open_year, bi):
    """Members with an email in BI and Quality, one without, a director and an executive."""
    for username in ("staff.bi", "staff.quality", "director.finance", "exec", "admin"):
        person = user(username)
        person.email = f"{username}@dorset.example"
        person.save()
    quiet = user("staff.chc")  # a member of Continuing healthcare with no email address
    assert quiet.email == ""
    return {"bi": user("staff.bi"), "quality": user("staff.quality")}


def recipients(mailoutbox):
    return sorted(address for message in mailoutbox for address in message.to)


def test_members_of_teams_with_a_return_due_within_the_days_get_one_email(people, mailoutbox):
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 2

    # Not the director, executive or admin (not members), not staff.chc (no email).
    assert recipients(mailoutbox) == ["staff.bi@dorset.example", "staff.quality@dorset.example"]
    assert ReminderSent.objects.filter(sent_on=FIVE_DAYS_BEFORE, quarter=1).count() == 2


def test_a_return_due_later_than_the_days_sends_nothing(people, mailoutbox):
    assert send_reminders(today=date(2014, 7, 15), within_days=5) == 0  # due in 6 days
    assert mailoutbox == []


def test_the_email_names_the_team_quarter_due_date_and_links_the_form(people, mailoutbox, settings):
    settings.PORTAL_BASE_URL = "https://portal.dorset.example/"
    send_reminders(today=FIVE_DAYS_BEFORE, within_days=5)

    (message,) = [m for m in mailoutbox if m.to == ["staff.bi@dorset.example"]]
    assert message.subject == (
        "Due 21 July 2014: quarter 1 2014/15 KPI return for Business intelligence"
    )
    assert message.body.startswith("Hello BI,\n\n")
    assert (
        "The quarter 1 2014/15 KPI return for Business intelligence (Finance and Performance) "
        "is due on Monday 21 July 2014, in 5 days." in message.body
    )
    assert "It has not been started." in message.body
    assert "overdue" not in message.body
    assert (
        "\nhttps://portal.dorset.example/returns/2014-15/1/business-intelligence/\n" in message.body
    )


def test_an_overdue_return_says_so(people, mailoutbox):
    TeamReturn.objects.create(
        year=FinancialYear.objects.get(label="2014-15"),
        quarter=1,
        team=Team.objects.get(slug="quality-and-patient-safety"),
        status=ReturnStatus.DRAFT,
    )
    send_reminders(today=date(2014, 7, 23), within_days=5)

    (message,) = [m for m in mailoutbox if m.to == ["staff.quality@dorset.example"]]
    assert message.subject == (
        "Overdue: quarter 1 2014/15 KPI return for Quality and patient safety"
    )
    assert "was due on Monday 21 July 2014 and is overdue by 2 days." in message.body
    assert "It is saved as a draft and has not been submitted." in message.body
    assert "http://127.0.0.1:8000/returns/2014-15/1/quality-and-patient-safety/" in message.body


def test_a_return_due_today_says_so(people, mailoutbox):
    send_reminders(today=Q1_DUE, within_days=0)
    assert all("is due today." in m.body for m in mailoutbox) and len(mailoutbox) == 2


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.APPROVED])
def test_members_of_a_team_that_submitted_get_nothing(people, bi, open_year, mailoutbox, status):
    TeamReturn.objects.create(year=open_year, quarter=1, team=bi, status=status)

    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 1
    assert recipients(mailoutbox) == ["staff.quality@dorset.example"]


def test_a_returned_return_is_reminded_again(people, bi, open_year, mailoutbox):
    TeamReturn.objects.create(year=open_year, quarter=1, team=bi, status=ReturnStatus.RETURNED)
    send_reminders(today=FIVE_DAYS_BEFORE, within_days=5)
    (message,) = [m for m in mailoutbox if m.to == ["staff.bi@dorset.example"]]
    assert "Your director returned it to the team" in message.body


def test_once_a_day_then_again_the_next_day(people, mailoutbox):
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 2
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 0
    assert len(mailoutbox) == 2

    assert send_reminders(today=date(2014, 7, 17), within_days=5) == 2
    assert len(mailoutbox) == 4
    assert ReminderSent.objects.count() == 4


def test_each_overdue_quarter_and_each_team_is_its_own_email(people, bi, mailoutbox):
    Membership.objects.create(
        user=people["bi"], team=Team.objects.get(slug="procurement-and-market-management")
    )
    # In 2016 every quarter of 2014/15 is overdue: 4 quarters × (2 BI teams + 1 Quality team).
    assert send_reminders(today=date(2016, 1, 4), within_days=5) == 12
    bi_subjects = sorted(m.subject for m in mailoutbox if m.to == ["staff.bi@dorset.example"])
    assert len(bi_subjects) == 8
    assert bi_subjects[0] == "Overdue: quarter 1 2014/15 KPI return for Business intelligence"


def test_inactive_users_and_directors_get_nothing(people, mailoutbox):
    people["quality"].is_active = False
    people["quality"].save()
    send_reminders(today=FIVE_DAYS_BEFORE, within_days=5)
    assert recipients(mailoutbox) == ["staff.bi@dorset.example"]


def test_no_open_year_sends_nothing(people, mailoutbox):
    FinancialYear.objects.update(status=FinancialYear.Status.LOCKED)
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 0
    assert mailoutbox == []


def test_a_failed_send_is_not_recorded_so_the_next_run_retries(people, mailoutbox, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 0
    assert ReminderSent.objects.count() == 0

    monkeypatch.undo()
    assert send_reminders(today=FIVE_DAYS_BEFORE, within_days=5) == 2


def test_the_command_runs_for_a_given_day(people, mailoutbox, capsys):
    call_command("send_return_reminders", "--today", "2014-07-16", "--within", "5")
    assert capsys.readouterr().out.strip() == "Sent 2 reminders for 2014-07-16."
    call_command("send_return_reminders", "--today", "2014-07-16")
    assert capsys.readouterr().out.strip() == "Sent 0 reminders for 2014-07-16."
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--today", "16/07/2014"], "YYYY-MM-DD"),
        (["--within", "-1"], "0 or more"),
    ],
)
def test_the_command_refuses_bad_arguments(demo, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("send_return_reminders", *args)


if connection.vendor == "postgresql":  # two runs on real concurrent connections

    @pytest.mark.django_db(transaction=True)
    def test_two_machines_running_the_reminders_at_once_send_each_email_once(
        people, mailoutbox, monkeypatch
    ):
        """Cron on two app servers: the second run's claim of each email waits for the first's
        row and is refused once it commits."""
        original = EmailMessage.send

        def slow_send(message, *args, **kwargs):
            time.sleep(0.3)  # hold the claiming transaction open, so the runs overlap
            return original(message, *args, **kwargs)

        monkeypatch.setattr(EmailMessage, "send", slow_send)
        run = lambda: send_reminders(today=FIVE_DAYS_BEFORE, within_days=5)  # noqa: E731
        results = run_together(run, run)

        assert sum(results) == 2, results  # however the two runs shared them out
        assert recipients(mailoutbox) == ["staff.bi@dorset.example", "staff.quality@dorset.example"]
        assert ReminderSent.objects.filter(sent_on=FIVE_DAYS_BEFORE).count() == 2
