"""manage.py import_returns: the same preview and refusals as the admin page, for automation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ccgportal.models import ImportRecord
from kpis.models import Figure
from tests.kpis.import_support import INSPECTIONS, PUBLISHED, db_state, long_csv


def run(*args):
    out = StringIO()
    call_command("import_returns", *map(str, args), stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_preview_and_writes_nothing(demo):
    before = db_state()
    out = run(PUBLISHED, "--year", "2014-15", "--dry-run")
    assert "Layout: KPI figures, published layout" in out
    assert "New: 156, changed: 0, unchanged: 0" in out
    assert "row 2: Counting and coding" in out
    assert "Consequences:" in out and "RAG 2014-15 Q1: none -> " in out
    assert out.rstrip().endswith("Dry run: nothing was written.")
    assert db_state() == before


def test_import_writes_with_the_admin_in_the_history(demo, tmp_path):
    path = tmp_path / "returns.csv"
    path.write_bytes(long_csv([INSPECTIONS, "1", "", "6", "", ""]))
    out = run(path, "--year", "2014-15", "--user", "admin")
    record = ImportRecord.objects.get()
    assert f"Imported returns.csv into 2014/15 as import {record.pk}." in out
    figure = Figure.objects.get(
        kpi_year__kpi__slug="quality-inspections", kpi_year__year__label="2014-15", quarter=1
    )
    assert figure.count == 6
    history = figure.history.get()
    assert history.history_user.username == "admin"
    assert history.history_change_reason.startswith("Imported from returns.csv (sha256 ")


def test_a_bad_file_exits_non_zero_with_the_reason_and_writes_nothing(demo, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(long_csv([INSPECTIONS, "1", "", "=1+2", "", ""]))
    before = db_state()
    with pytest.raises(CommandError, match="bad.csv cannot be imported: 1 problem"):
        run(path, "--year", "2014-15")
    with pytest.raises(CommandError, match="cannot be imported"):
        run(path, "--year", "2014-15", "--dry-run")
    assert db_state() == before


def test_a_locked_year_and_other_refusals(demo, tmp_path, settings):
    changed = PUBLISHED.read_bytes().replace(b"17 challenges", b"18 challenges", 1)
    path = tmp_path / "kpis.csv"
    path.write_bytes(changed)
    before = db_state()
    with pytest.raises(CommandError, match="1 problem"):
        run(path, "--year", "2013-14")
    with pytest.raises(CommandError, match="is not a file"):
        run(tmp_path / "missing.csv", "--year", "2014-15")
    with pytest.raises(CommandError, match="no admin \\(superuser\\) has that username"):
        run(path, "--year", "2014-15", "--user", "staff.bi")
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    with pytest.raises(CommandError, match="the largest file accepted is 1.0\xa0KB"):
        run(path, "--year", "2014-15")
    assert db_state() == before


def test_the_problem_lines_name_row_and_column(demo, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(long_csv([INSPECTIONS, "1", "", "=1+2", "", ""]))
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("import_returns", str(path), "--year", "2014-15", stdout=out)
    assert "  row 2, column 'value': '=1+2' looks like a spreadsheet formula and is refused" in (
        out.getvalue()
    )
