"""The published wide layout: round trips into the published and the open year, targets, locks."""

import csv
from dataclasses import asdict

import pytest
from django.db import transaction

from ccgportal import imports
from common.importing import ImportRefused, Kind
from common.uploads import read_upload
from directorates.models import FinancialYear
from kpis.imports import wide
from kpis.models import Figure, KpiYear, TeamReturn
from tests.kpis.import_support import KPI_ROWS, PUBLISHED, csv_bytes, db_state
from tests.support import snapshot

HEADER = ["section", "function", "kpi", "frequency", "q1", "q2", "q3", "q4", "target"]


def published_rows():
    with PUBLISHED.open(encoding="utf-8") as f:
        return list(csv.reader(f))


def figures(label):
    return {
        (f.kpi_year.kpi.slug, f.quarter): (asdict(f.values))
        for f in Figure.objects.filter(
            kpi_year__year__label=label, month__isnull=True
        ).select_related("kpi_year__kpi")
    }


def test_the_published_file_is_recognised_by_its_header():
    assert wide.recognises(HEADER)
    assert wide.recognises([h.upper() for h in HEADER])
    assert not wide.recognises(HEADER[:-1])


def test_published_file_into_the_published_year_is_all_unchanged(demo):
    before = snapshot(*KPI_ROWS)
    plan, table = imports.preview(PUBLISHED.name, PUBLISHED.read_bytes(), year="2013-14")
    assert plan.ok, plan.problems
    assert plan.layout == wide.LAYOUT
    assert plan.count(Kind.UNCHANGED) == 39 * 4
    assert plan.count(Kind.NEW) == plan.count(Kind.CHANGED) == 0
    assert plan.consequences == []
    record = imports.run(PUBLISHED.name, PUBLISHED.read_bytes(), year="2013-14", by=None)
    assert record.unchanged_count == 156 and record.changes == []
    assert snapshot(*KPI_ROWS) == before  # nothing written but the record


def test_published_file_into_the_open_year_is_all_new_and_imports_equal(demo):
    published = figures("2013-14")
    plan, _ = imports.preview(PUBLISHED.name, PUBLISHED.read_bytes(), year="2014-15")
    assert plan.ok, plan.problems
    assert plan.count(Kind.NEW) == 156
    assert plan.count(Kind.CHANGED) == plan.count(Kind.UNCHANGED) == 0
    first = plan.changes[0]
    assert first.what.startswith("Counting and coding") and first.what.endswith("2014-15 Q1")
    assert first.after == "17 (£1,059,768)" and first.row == 2
    # Figures in an open year give RAG ratings where there were none.
    assert any(c.measure == "RAG 2014-15 Q1" and c.before == "none" for c in plan.consequences)

    record = imports.run(PUBLISHED.name, PUBLISHED.read_bytes(), year="2014-15", by=None)
    assert figures("2014-15") == published
    assert record.new_count == 156
    assert TeamReturn.objects.filter(year__label="2014-15").count() == 4 * len(
        {ky.team_id for ky in KpiYear.objects.filter(year__label="2014-15")}
    )
    # Importing the same file again changes nothing.
    again, _ = imports.preview(PUBLISHED.name, PUBLISHED.read_bytes(), year="2014-15")
    assert again.count(Kind.UNCHANGED) == 156


def test_a_changed_target_is_shown_and_applied_only_when_confirmed(demo, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    rows = published_rows()
    inspections = next(i for i, r in enumerate(rows) if r[2].startswith("Number of quality insp"))
    rows[inspections][8] = "7 per quarter"
    rows[inspections][4:8] = ["", "", "", ""]
    data = csv_bytes(*rows)
    plan, table = imports.preview("targets.csv", data, year="2014-15")
    assert plan.ok, plan.problems
    target = [c for c in plan.changes if c.what.startswith("Target of")]
    assert [(c.what, c.before, c.after, c.row) for c in target] == [
        (
            "Target of Number of quality inspections carried out",
            "6 per quarter",
            "7 per quarter",
            12,
        )
    ]
    kpi_year = KpiYear.objects.get(kpi__slug="quality-inspections", year__label="2014-15")
    assert kpi_year.target_text == "6 per quarter"  # the preview wrote nothing

    digest = imports.digest(plan, table)
    imports.run("targets.csv", data, year="2014-15", by=admin, expected_digest=digest)
    kpi_year.refresh_from_db()
    assert (kpi_year.target_text, kpi_year.target_value) == ("7 per quarter", 7)
    history = kpi_year.history.first()
    assert history.history_change_reason.startswith("Imported from targets.csv (sha256 ")
    assert history.history_user == admin


def test_a_target_the_kpi_cannot_have_is_a_problem_with_row_and_column(demo):
    rows = published_rows()
    rows[1][8] = "lots"
    plan, _ = imports.preview("t.csv", csv_bytes(*rows), year="2014-15")
    assert [str(p) for p in plan.problems] == [
        "row 2, column 'target': 'lots' has letters where a number should be; expected a "
        "target such as N/A, 31, 386 pa, 6 per quarter, 90%, 100% (6 days) or annual increase"
    ]


def test_changing_a_locked_year_is_refused_and_nothing_is_written(demo):
    rows = published_rows()
    rows[1][4] = "18 challenges £1,059,768"
    before = db_state()
    plan, _ = imports.preview("x.csv", csv_bytes(*rows), year="2013-14")
    assert [(p.row, p.column) for p in plan.problems] == [(2, "q1")]
    assert "2013/14 is locked" in plan.problems[0].message
    assert "would change 17 (£1,059,768) to 18 (£1,059,768)" in plan.problems[0].message
    with pytest.raises(ImportRefused):
        imports.run("x.csv", csv_bytes(*rows), year="2013-14", by=None)
    assert db_state() == before


def test_an_approved_quarter_is_never_overwritten(demo):
    imports.run(PUBLISHED.name, PUBLISHED.read_bytes(), year="2014-15", by=None)
    bi = KpiYear.objects.get(kpi__slug="coding-challenges-successful", year__label="2014-15").team
    TeamReturn.objects.filter(year__label="2014-15", team=bi, quarter=2).update(status="approved")
    rows = published_rows()
    rows[1][5] = "15 challenges £869,489"  # Q2 changes: locked
    rows[1][6] = "19 challenges £977,053"  # Q3 unchanged: fine
    before = db_state()
    plan, _ = imports.preview("x.csv", csv_bytes(*rows), year="2014-15")
    assert [(p.row, p.column) for p in plan.problems] == [(2, "q2")]
    assert "Business intelligence's return for quarter 2 of 2014/15 has been approved" in str(
        plan.problems[0]
    )
    with pytest.raises(ImportRefused):
        imports.run("x.csv", csv_bytes(*rows), year="2014-15", by=None)
    assert db_state() == before


def test_a_quarter_approved_between_plan_and_apply_is_refused(demo):
    data = PUBLISHED.read_bytes()
    year = FinancialYear.objects.get(label="2014-15")
    plan = wide.plan(read_upload("p.csv", data), year=year)
    assert plan.ok
    before = db_state()
    bi = KpiYear.objects.get(kpi__slug="coding-challenges-successful", year=year).team
    TeamReturn.objects.create(year=year, team=bi, quarter=1, status="approved")
    before = db_state()
    with (
        pytest.raises(ImportRefused, match="was approved after the preview"),
        transaction.atomic(),
    ):
        wide.apply(plan, by=None, reason="test")
    assert db_state() == before
