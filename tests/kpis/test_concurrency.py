"""Two people saving the same return at the same moment, on real concurrent connections.

These run on PostgreSQL, the production database, where row locks (SELECT … FOR UPDATE)
do the work. SQLite has no row locks: it serialises whole transactions (the settings open
them IMMEDIATE), and its in-memory test database cannot be shared between threads, so on
SQLite the module holds only the check that this serialisation is configured.
"""

import threading
import time

import pytest
from django.db import connection

from kpis.models import Figure, TeamReturn
from kpis.returns import services
from kpis.returns.services import RowInput
from kpis.rules import FigureValues
from tests.support import OPEN_DAY, submitted_return


def run_together(*jobs):
    """Run each job in its own thread (its own database connection); return results or errors."""
    results = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def worker(index, job):
        try:
            start.wait()
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - the test inspects what each job raised
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_sqlite_serialises_writers_when_it_is_the_database():
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        assert settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    else:
        assert connection.vendor == "postgresql"


ON_POSTGRESQL = connection.vendor == "postgresql"

if ON_POSTGRESQL:  # real row locks and real concurrent connections: see the module docstring

    @pytest.mark.django_db(transaction=True)
    def test_the_later_of_two_simultaneous_saves_is_refused_and_nothing_is_overwritten(
        case, monkeypatch
    ):
        meetings = case.meetings
        # Hold each transaction open a moment after it locks the return, so the two really overlap.
        original = services._check_version

        def slow_check(*args, **kwargs):
            time.sleep(0.3)
            return original(*args, **kwargs)

        monkeypatch.setattr(services, "_check_version", slow_check)

        def save(person, count):
            def job():
                return services.return_save(
                    by=person,
                    team=case.team,
                    year=case.year,
                    quarter=1,
                    version=None,
                    submit=False,
                    rows=[
                        RowInput(meetings.id, FigureValues(count=count), seen_versions={None: None})
                    ],
                    today=OPEN_DAY,
                )

            return job

        results = run_together(save(case.member, 97), save(case.admin, 80))
        saved = [r for r in results if isinstance(r, TeamReturn)]
        refused = [r for r in results if isinstance(r, services.StaleReturn)]
        assert (len(saved), len(refused)) == (1, 1), results
        figure = Figure.objects.get(kpi_year=meetings, quarter=1)
        winner = 97 if figure.updated_by == case.member else 80
        assert figure.count == winner and figure.version == 1
        assert figure.history.count() == 1  # one write, nothing silently overwritten
        (change,) = refused[0].changes
        assert (change.before, change.after) == ("—", str(winner))
        assert TeamReturn.objects.get(pk=saved[0].pk).version == 2

    @pytest.mark.django_db(transaction=True)
    def test_a_save_racing_an_approval_never_changes_an_approved_return(case, monkeypatch):
        meetings = case.meetings
        rows = [
            RowInput(case.coding.id, FigureValues(count=1)),
            RowInput(meetings.id, FigureValues(count=97)),
        ]
        submitted = submitted_return(case.team, case.year, rows, by=case.member)
        services.return_to_team(by=case.director, team_return=submitted, comment="Recheck")
        resubmitted = services.return_save(
            by=case.member,
            team=case.team,
            year=case.year,
            quarter=1,
            rows=rows,
            version=submitted.version + 1,
            submit=True,
            today=OPEN_DAY,
        )

        def approve():
            return services.quarter_approve(
                by=case.director, directorate=case.directorate, year=case.year, quarter=1
            )

        def edit():
            return services.return_save(
                by=case.admin,
                team=case.team,
                year=case.year,
                quarter=1,
                version=resubmitted.version,
                submit=False,
                rows=[RowInput(meetings.id, FigureValues(count=10))],
                today=OPEN_DAY,
            )

        results = run_together(approve, edit)
        assert isinstance(results[0], list) and len(results[0]) == 1
        assert isinstance(
            results[1], services.ReturnLocked
        )  # submitted or approved: either way refused
        assert Figure.objects.get(kpi_year=meetings, quarter=1).count == 97
        assert TeamReturn.objects.get(pk=resubmitted.pk).status == "approved"
