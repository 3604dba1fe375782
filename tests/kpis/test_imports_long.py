"""The long layout: one row per KPI and period, months rolled up, commentary and RAG kept."""

from decimal import Decimal

import pytest
from django.db import transaction

from ccgportal import imports
from common.importing import ImportRefused, Kind
from directorates.models import FinancialYear
from kpis import rules, spc_state
from kpis.imports import long
from kpis.models import QUARTER_MONTHS, Figure, Kpi, KpiYear, TeamReturn
from kpis.returns import services
from tests.kpis.import_support import INSPECTIONS, db_state, long_csv
from tests.support import OPEN_DAY, user

STARTERS = "Number of new starters (total per quarter)"
ABSENCE = "% staff absence rates (average per quarter)"
FINANCE_MEETINGS = "Number of locality, CCP contract meetings attended by finance team"


def figure(slug, quarter, month=None, label="2014-15"):
    return Figure.objects.get(
        kpi_year__kpi__slug=slug, kpi_year__year__label=label, quarter=quarter, month=month
    )


def problems(data, year="2014-15"):
    plan, _ = imports.preview("returns.csv", data, year=year)
    return [str(p) for p in plan.problems]


def test_header_in_any_order_and_case_with_the_optional_reason_column():
    assert long.recognises(["KPI", "Quarter", "Month", "Value", "Commentary", "Self assessed RAG"])
    assert long.recognises([*reversed(long.COLUMNS), "self_assessment_reason"])
    assert not long.recognises(long.COLUMNS[:-1])
    assert not long.recognises([*long.COLUMNS, "notes"])


def test_months_roll_up_to_the_quarter_by_the_kpis_rule(demo):
    admin = user("admin")
    data = long_csv(
        [STARTERS, "1", "4", "5", "", ""],
        [STARTERS, "1", "5", "6", "", ""],
        [STARTERS, "1", "6", "7", "", ""],
        [STARTERS, "1", "", "", "Two posts filled late", "green"],
        [ABSENCE, "Q1", "April", "2%", "", ""],
        [ABSENCE, "Q1", "May", "3%", "", ""],
        [ABSENCE, "Q1", "Jun", "4.5%", "", ""],
        [ABSENCE, "Q1", "", "", "Above target: flu", "Red"],
        [FINANCE_MEETINGS, "2", "7", "20/22", "", ""],
        [FINANCE_MEETINGS, "2", "8", "21/21", "", ""],
    )
    plan, table = imports.preview("returns.csv", data, year="2014-15")
    assert plan.ok, plan.problems
    assert plan.count(Kind.NEW) == 3 + 1 + 3 + 1 + 2 + 1  # months, and each quarter rolled up
    record = imports.run("returns.csv", data, year="2014-15", by=admin)

    starters = figure("new-starters", 1)
    assert starters.count == 18  # total per quarter
    assert (starters.commentary, starters.self_assessed_rag) == ("Two posts filled late", "green")
    assert [figure("new-starters", 1, m).count for m in (4, 5, 6)] == [5, 6, 7]
    absence = figure("staff-absence", 1)
    assert absence.percent == Decimal("3.1667")  # average per quarter, to the stored places
    assert (absence.commentary, absence.self_assessed_rag) == ("Above target: flu", "red")
    meetings = figure("finance-contract-meetings-attended", 2)
    assert (meetings.numerator, meetings.denominator) == (41, 43)
    # The return form's own roll-up gives the same quarter.
    months = {
        7: rules.FigureValues(numerator=20, denominator=22),
        8: rules.FigureValues(numerator=21, denominator=21),
    }
    same = rules.quarter_from_months(months, QUARTER_MONTHS[2], rules.Rollup.SUM)
    assert (same.numerator, same.denominator) == (41, 43)
    # Every written figure's history names the file, its hash and the import.
    reason = f"Imported from returns.csv (sha256 {table.sha256[:8]}…), import {record.pk}"
    history = Figure.history.filter(history_change_reason=reason)
    assert history.count() == 11
    assert {h.history_user for h in history} == {admin}
    assert record.new_count == 11 and len(record.changes) == 11


def test_a_month_added_later_rolls_up_with_the_months_already_held(demo):
    imports.run("a.csv", long_csv([STARTERS, "1", "4", "5", "", ""]), year="2014-15", by=None)
    assert figure("new-starters", 1).count == 5
    plan, _ = imports.preview("b.csv", long_csv([STARTERS, "1", "5", "6", "", ""]), year="2014-15")
    assert [(c.kind, c.what, c.before, c.after) for c in plan.changes] == [
        (Kind.NEW, f"{STARTERS}, May 2014", "", "6"),
        (Kind.CHANGED, f"{STARTERS}, 2014-15 Q1", "5", "11"),
    ]
    imports.run("b.csv", long_csv([STARTERS, "1", "5", "6", "", ""]), year="2014-15", by=None)
    assert figure("new-starters", 1).count == 11


def test_formula_like_values_are_refused_and_commentary_kept_as_text(demo):
    found = problems(
        long_csv(
            [INSPECTIONS, "1", "", "=1+2", "", ""],
            [INSPECTIONS, "2", "", "+5", "", ""],
            [INSPECTIONS, "3", "", "@SUM(A1)", "", ""],
            [INSPECTIONS, "4", "", "-5", "", ""],
        )
    )
    assert found == [
        "row 2, column 'value': '=1+2' looks like a spreadsheet formula and is refused",
        "row 3, column 'value': '+5' looks like a spreadsheet formula and is refused",
        "row 4, column 'value': '@SUM(A1)' looks like a spreadsheet formula and is refused",
        "row 5, column 'value': '-5': a count cannot be negative",
    ]
    commentary = ['=HYPERLINK("http://x")', "+44 call", "-3 on last year", "@team"]
    data = long_csv(*[[INSPECTIONS, str(q), "", "6", c, ""] for q, c in enumerate(commentary, 1)])
    imports.run("c.csv", data, year="2014-15", by=None)
    assert [figure("quality-inspections", q).commentary for q in (1, 2, 3, 4)] == commentary


def test_near_miss_names_are_reported_with_the_closest(demo):
    found = problems(
        long_csv(
            ["Number of quality inspection carried out", "1", "", "6", "", ""],
            ["  Number of quality inspections carried out  ", "2", "", "6", "", ""],
            ["number of QUALITY inspections carried out", "3", "", "6", "", ""],
            ["Something else entirely", "4", "", "6", "", ""],
        )
    )
    assert found == [
        "row 2, column 'kpi': there is no KPI 'Number of quality inspection carried out' in "
        "2014/15; did you mean 'Number of quality inspections carried out'?",
        "row 4, column 'kpi': there is no KPI 'number of QUALITY inspections carried out' in "
        "2014/15; did you mean 'Number of quality inspections carried out'?",
        "row 5, column 'kpi': there is no KPI 'Something else entirely' in 2014/15",
    ]


def test_periods_that_do_not_fit_the_kpi_are_problems_with_row_and_column(demo):
    found = problems(
        long_csv(
            [INSPECTIONS, "5", "", "6", "", ""],
            [INSPECTIONS, "1", "4", "6", "", ""],
            [STARTERS, "1", "7", "6", "", ""],
            [STARTERS, "2", "13", "6", "", ""],
            [STARTERS, "3", "10", "", "", ""],
            [STARTERS, "4", "1", "3", "Note", ""],
            [ABSENCE, "1", "", "2%", "", "purple"],
            [ABSENCE, "2", "", "", "", ""],
            [ABSENCE, "3", "", "2%", "", ""],
            [ABSENCE, "q3", "", "3%", "", ""],
        )
    )
    assert found == [
        "row 2, column 'quarter': '5' is not a quarter: write 1, 2, 3 or 4",
        "row 3, column 'month': Number of quality inspections carried out is reported "
        "quarterly: give its figure for the quarter, with the month left blank",
        "row 4, column 'month': July is not in quarter 1 (April, May, June)",
        "row 5, column 'month': '13' is not a month: write 1-12 (4 is April), or leave it blank "
        "for the quarter's figure",
        "row 6, column 'value': the value is empty; write '*' if the information was not collected",
        "row 7, column 'commentary': commentary and RAG go on the quarter's row (month left "
        "blank), not on a month's",
        "row 8, column 'self_assessed_rag': 'purple' is not a RAG rating: write green, amber or "
        "red, or leave it blank",
        "row 9, column 'value': the value is empty; write '*' if the information was not collected",
        f"row 11, column 'kpi': {ABSENCE} for this period is already given in row 10",
    ]


def test_shapes_are_read_as_the_loader_reads_them(demo):
    data = long_csv(
        [
            "coding-challenges-successful",  # a KPI's slug finds it too
            "1",
            "",
            "17 challenges £1,059,768",
            "",
            "",
        ],
        [
            "Number and value of projects procurement team support (cumulative)",
            "4",
            "",
            "44/£2.5m",
            "",
            "",
        ],
        ["Number of CHC contracts issued (new metrics is by April 2014)", "1", "4", "*", "", ""],
        ["Number of whole time equivalents", "1", "4", "1,273.26", "", ""],
        ["% staff turnover rates (average per quarter)", "1", "4", "1.68", "", ""],
        [
            "Number of press statements issued/converted to being published",
            "1",
            "",
            "60/40",
            "",
            "",
        ],
    )
    plan, _ = imports.preview("s.csv", data, year="2014-15")
    assert plan.ok, plan.problems
    imports.run("s.csv", data, year="2014-15", by=None)
    coding = figure("coding-challenges-successful", 1)
    assert (coding.count, coding.amount_gbp) == (17, Decimal("1059768"))
    projects = figure("procurement-projects-supported", 4)
    assert (projects.count, projects.amount_gbp) == (44, Decimal("2500000"))
    assert figure("chc-contracts-issued", 1, 4).not_collected
    assert figure("chc-contracts-issued", 1).not_collected  # no month collected
    assert figure("whole-time-equivalents", 1, 4).value == Decimal("1273.26")
    assert figure("staff-turnover", 1, 4).percent == Decimal("1.68")  # a bare number is a %
    press = figure("press-statements", 1)
    assert (press.count, press.count_2) == (60, 40)


def test_an_import_bumps_the_returns_version_so_an_open_form_is_stale(demo):
    staff = user("staff.quality")
    year = FinancialYear.objects.get(label="2014-15")
    kpi_year = KpiYear.objects.get(kpi__slug="quality-inspections", year=year)
    team_return = services.return_save(
        by=staff,
        team=kpi_year.team,
        year=year,
        quarter=1,
        rows=[services.RowInput(kpi_year.id, rules.FigureValues(count=5))],
        version=None,
        submit=False,
        today=OPEN_DAY,
    )
    opened = team_return.version
    imports.run("r.csv", long_csv([INSPECTIONS, "1", "", "6", "", ""]), year="2014-15", by=None)
    assert TeamReturn.objects.get(pk=team_return.pk).version == opened + 1
    with pytest.raises(services.StaleReturn):
        services.return_save(
            by=staff,
            team=kpi_year.team,
            year=year,
            quarter=1,
            rows=[services.RowInput(kpi_year.id, rules.FigureValues(count=4))],
            version=opened,
            submit=False,
            today=OPEN_DAY,
        )
    assert figure("quality-inspections", 1).count == 6


def test_a_figure_saved_after_the_preview_makes_the_import_refuse(demo):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""])
    plan, table = imports.preview("r.csv", data, year="2014-15")
    staff = user("staff.quality")
    year = FinancialYear.objects.get(label="2014-15")
    kpi_year = KpiYear.objects.get(kpi__slug="quality-inspections", year=year)
    services.return_save(
        by=staff,
        team=kpi_year.team,
        year=year,
        quarter=1,
        rows=[services.RowInput(kpi_year.id, rules.FigureValues(count=5))],
        version=None,
        submit=False,
        today=OPEN_DAY,
    )
    before = db_state()
    # Through the runner: the plan it would apply is not the one previewed.
    with pytest.raises(ImportRefused, match="changed after this file was previewed"):
        imports.run(
            "r.csv", data, year="2014-15", by=None, expected_digest=imports.digest(plan, table)
        )
    # Straight to apply with the old plan: the figure's version moved on.
    with (
        pytest.raises(ImportRefused, match="was changed by someone else after the preview"),
        transaction.atomic(),
    ):
        long.apply(plan, by=None, reason="stale")
    assert db_state() == before
    assert figure("quality-inspections", 1).count == 5


def test_consequences_name_the_rag_and_spc_icons_that_would_change(demo, long_series):
    # Inspections: 6 a quarter, higher is better; five steady years at 9-10, then 6, 7, 6, 5.
    data = long_csv(*[[INSPECTIONS, str(q), "", "2", "", ""] for q in (1, 2, 3, 4)])
    plan, _ = imports.preview("r.csv", data, year="2014-15")
    found = {(c.measure, c.before, c.after) for c in plan.consequences}
    assert {(f"RAG 2014-15 Q{q}", "none", "red") for q in (1, 2, 3, 4)} <= found
    assert not [c for c in plan.consequences if c.measure.startswith("SPC")]
    # Four quarters far above the limits turn the variation icon from concern to improvement.
    data = long_csv(*[[INSPECTIONS, str(q), "", "20", "", ""] for q in (1, 2, 3, 4)])
    plan, _ = imports.preview("r.csv", data, year="2014-15")
    assert [(c.what, c.measure, c.before, c.after) for c in plan.consequences][-1] == (
        INSPECTIONS,
        "SPC variation",
        "Special cause: concerning",
        "Special cause: improving",
    )
    assert {(c.measure, c.after) for c in plan.consequences[:4]} == {
        (f"RAG 2014-15 Q{q}", "green") for q in (1, 2, 3, 4)
    }
    # Confirmed, the dashboards' stored icons are out of date and work out the same change.
    kpi = Kpi.objects.get(slug="quality-inspections")
    assert spc_state.states_for([kpi.id])[kpi.id].variation == "concern"
    imports.run("r.csv", data, year="2014-15", by=None)
    assert spc_state.states_for([kpi.id])[kpi.id].variation == "improvement"
