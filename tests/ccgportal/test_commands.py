"""Every management command, in the environment make run gives it (DEBUG=1, the SQLite file),
and, when the environment is wrong, an error that says how to set it right."""

import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db.migrations.recorder import MigrationRecorder

from common.commands import database_name
from directorates.models import FinancialYear
from tests.ccgportal.test_settings import manage
from tests.support import user

# Each command with arguments that would run it against the demo.
COMMANDS = [
    ["send_return_reminders", "--today", "2014-07-16"],
    ["import_returns", "fixtures/published/kpis_2013-14.csv", "--year", "2013-14", "--dry-run"],
    ["load_demo", "--allow-demo-users"],
    ["make_synthetic_data", "--scale", "1"],
]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def emails(demo):
    for username in ("staff.bi", "staff.quality", "staff.od"):
        person = user(username)
        person.email = f"{username}@dorset.example"
        person.save()


def test_reminders_say_whom_they_skipped_for_having_no_email(emails, mailoutbox):
    out, err = run("send_return_reminders", "--today", "2014-07-16")
    assert out == "Sent 3 reminders for 2014-07-16.\n"
    assert err == (
        "Skipped 1 person with no email address, whose teams' returns are due: staff.chc. "
        "Give them one in Django admin (Users) and they are reminded on the next run.\n"
    )
    assert len(mailoutbox) == 3


def test_reminders_on_the_demo_name_everyone_they_skipped(demo, mailoutbox):
    out, err = run("send_return_reminders", "--today", "2014-07-16")
    assert out == "Sent 0 reminders for 2014-07-16.\n"  # no demo log-in has an email address
    assert err.startswith(
        "Skipped 4 people with no email address, whose teams' returns are due: staff.bi, "
        "staff.chc, staff.od, staff.quality. Give them one"
    )
    assert mailoutbox == []


def test_reminders_without_an_open_year_say_so(demo):
    FinancialYear.objects.update(status=FinancialYear.Status.LOCKED)
    out, err = run("send_return_reminders", "--today", "2014-07-16")
    assert out == "Sent 0 reminders for 2014-07-16.\n"
    assert err == (
        "There is no open year, so no return is due: open one in Django admin (Financial years).\n"
    )


@pytest.mark.parametrize("args", COMMANDS, ids=[args[0] for args in COMMANDS])
def test_a_database_not_migrated_is_named_with_the_command_that_fixes_it(demo, args):
    latest = MigrationRecorder.Migration.objects.filter(app="kpis").order_by("-name").first()
    latest.delete()  # rolled back with the test
    with pytest.raises(CommandError) as refused:
        call_command(*args, stdout=io.StringIO())
    assert str(refused.value) == (
        f"The database {database_name()} is not up to date: 1 migration not applied "
        f"(kpis.{latest.name}). Run `python manage.py migrate` with the same DATABASE_URL first."
        if "DATABASE_URL" in os.environ
        else f"The database {database_name()} is not up to date: 1 migration not applied "
        f"(kpis.{latest.name}). Run `python manage.py migrate` in this folder first."
    )


def test_the_database_is_named_as_make_run_s_default_or_from_database_url(monkeypatch, settings):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert database_name().endswith("(the default: DATABASE_URL is not set)")
    monkeypatch.setenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/x")
    assert database_name().endswith("(from DATABASE_URL)")


def test_a_new_database_without_tables_says_to_migrate(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    for command in ("send_return_reminders", "import_returns"):
        args = [command] + (["x.csv", "--year", "2014-15"] if command == "import_returns" else [])
        result = manage(*args, DEBUG="1", DATABASE_URL=url)
        assert result.returncode == 1
        assert result.stderr == (
            f"CommandError: The database the SQLite file {tmp_path / 'new.sqlite3'} (from "
            "DATABASE_URL) has no tables yet. Run `python manage.py migrate` with the same "
            "DATABASE_URL first (make run does this, then loads the demo data).\n"
        )


def test_production_settings_say_what_to_set_for_every_command():
    result = manage("send_return_reminders", DEBUG="0")
    assert result.returncode == 1
    assert result.stderr == (
        "Configuration error: SECRET_KEY is not set. Set SECRET_KEY in the environment, "
        "or DEBUG=1 for local development (make run and make test do this).\n"
    )
    demo = manage("load_demo", DEBUG="0", SECRET_KEY="x" * 50)
    assert demo.returncode == 1
    assert demo.stderr == (
        "load_demo is a demo data command, there only with DEBUG=1 (development; make run sets "
        "it) or DEMO_DATA=1 (a training or demonstration site).\n"
    )
