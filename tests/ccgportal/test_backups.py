"""Backups that restore (README, "Backups"): `manage.py backup` of the suite's database, then
`manage.py restore` into a fresh database, finds every row of every table the same: each
figure, each return's status, each return event and each change-history row among them.

On SQLite through the online backup API; on PostgreSQL (when the suite runs there) through
pg_dump's custom format and pg_restore into a database the test creates and drops.
"""

import sqlite3
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from directorates.models import FinancialYear, Team
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn
from tests.support import user

STATUSES = {"draft", "submitted", "returned", "approved"}


def _tables():
    """(table, primary key column) of every table the portal's models have, m2m ones too."""
    return sorted(
        (model._meta.db_table, model._meta.pk.column)
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    )


def _rows(cursor, table, pk):
    name, key = connection.ops.quote_name(table), connection.ops.quote_name(pk)
    cursor.execute(f"SELECT * FROM {name} ORDER BY {key}")  # noqa: S608 - names from the models
    return cursor.fetchall()


def _contents(wrapper) -> dict[str, list[tuple]]:
    with wrapper.cursor() as cursor:
        return {table: _rows(cursor, table, pk) for table, pk in _tables()}


def _wrapper(name: str):
    """A Django connection of the suite's own kind and settings to another database, so rows
    come back typed exactly as the suite's connection types them."""
    settings_dict = {**connection.settings_dict, "NAME": name}
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="restored")


def _returns_of_every_status():
    """Beside the demo's approved 2013/14: a draft, a submitted and a returned return in the
    open year, each with its events, and a figure changed twice (two history rows)."""
    year = FinancialYear.objects.get(label="2014-15")
    bi = Team.objects.get(slug="business-intelligence")
    kpi_year = KpiYear.objects.filter(year=year, team=bi).order_by("pk").first()
    by = user("staff.bi")
    TeamReturn.objects.create(year=year, quarter=1, team=bi, status="draft")
    submitted = TeamReturn.objects.create(year=year, quarter=2, team=bi, status="submitted")
    ReturnEvent.objects.create(team_return=submitted, action="submitted", by=by)
    returned = TeamReturn.objects.create(year=year, quarter=3, team=bi, status="returned")
    ReturnEvent.objects.create(team_return=returned, action="submitted", by=by)
    ReturnEvent.objects.create(
        team_return=returned,
        action="returned",
        by=user("director.finance"),
        comment="Recount the Q3 meetings, please — “held” not “planned”",
    )
    figure = Figure.objects.create(kpi_year=kpi_year, quarter=1, count=95)
    figure.count, figure.commentary = 97, "Two meetings added after the minutes"
    figure.amount_gbp = Decimal("1059768.25")
    figure.save()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_every_row_the_same(demo, tmp_path):
    _returns_of_every_status()
    before = _contents(connection)
    assert {status for *_, status in TeamReturn.objects.values_list("pk", "status")} == STATUSES
    assert Figure.objects.count() > 156 and Figure.history.count() > Figure.objects.count()
    assert ReturnEvent.objects.filter(action="returned").exists()

    suffix = ".sqlite3" if connection.vendor == "sqlite" else ".dump"
    path = tmp_path / "new folder" / f"portal{suffix}"
    out = StringIO()
    call_command("backup", str(path), stdout=out)
    assert f"to {path} (" in out.getvalue()
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left
    assert path.stat().st_size > 0

    if connection.vendor == "sqlite":
        restored_name = str(tmp_path / "restored.sqlite3")
        url = f"sqlite:///{restored_name}"
        drop = None
    else:
        restored_name = f"{connection.settings_dict['NAME']}_restored"
        quoted = connection.ops.quote_name(restored_name)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)")
            cursor.execute(f"CREATE DATABASE {quoted}")
        s = connection.settings_dict
        auth = f"{s['USER']}:{s['PASSWORD']}@" if s.get("PASSWORD") else f"{s['USER']}@"
        url = f"postgres://{auth}{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{restored_name}"
        drop = f"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)"
    restored = _wrapper(restored_name)
    try:
        call_command("restore", str(path), database_url=url)
        after = _contents(restored)
        # Restoring again without --replace is refused and leaves the restored copy as it was.
        with pytest.raises(CommandError, match="already holds tables"):
            call_command("restore", str(path), database_url=url)
        assert _contents(restored) == after
    finally:
        restored.close()
        if drop:
            with connection.cursor() as cursor:
                cursor.execute(drop)

    assert after.keys() == before.keys()
    for table in ("kpis_figure", "kpis_teamreturn", "kpis_returnevent", "kpis_historicalfigure"):
        assert after[table] == before[table], table
        assert after[table], f"{table} is empty: the test would prove nothing"
    assert {table: rows for table, rows in after.items() if rows != before[table]} == {}
    assert sum(len(rows) for rows in after.values()) == sum(len(r) for r in before.values())


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_restore_with_replace_replaces_everything(tmp_path):
    source, target = tmp_path / "source.sqlite3", tmp_path / "target.sqlite3"
    with sqlite3.connect(source) as db:
        db.execute("CREATE TABLE kept (value TEXT)")
        db.execute("INSERT INTO kept VALUES ('from the backup')")
    db.close()
    with sqlite3.connect(target) as db:
        db.execute("CREATE TABLE replaced (value TEXT)")
    db.close()
    url = f"sqlite:///{target}"
    with pytest.raises(CommandError, match="already holds tables"):
        call_command("restore", str(source), database_url=url)
    call_command("restore", str(source), database_url=url, replace=True)
    with sqlite3.connect(target) as db:
        tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
        assert tables == {"kept"}
        assert db.execute("SELECT value FROM kept").fetchall() == [("from the backup",)]
    db.close()


@pytest.mark.parametrize(
    ("content", "target_kind", "message"),
    [
        (None, "sqlite", "There is no file"),
        (b"", "sqlite", "is not a backup this portal made"),
        (b"kpi,quarter\nx,1\n", "sqlite", "is not a backup this portal made"),
        (b"PGDMP\x01\x0e\x00", "sqlite", "is a PostgreSQL backup; .* is a SQLite database"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "postgresql", "is a SQLite backup"),
    ],
)
def test_restoring_what_is_not_a_backup_of_its_kind_is_refused(
    tmp_path, content, target_kind, message
):
    path = tmp_path / "backup"
    if content is not None:
        path.write_bytes(content)
    target = tmp_path / "target.sqlite3"
    url = (
        f"sqlite:///{target}"
        if target_kind == "sqlite"
        else "postgres://nobody@127.0.0.1:1/never_touched"
    )
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path), database_url=url)
    assert not target.exists()
