"""Importing a running-cost schedule: the preview (changes, consequences, problems) and apply."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from common.importing import Consequence, ImportRefused, ItemChange, Kind
from directorates.models import FinancialYear
from finance import imports
from finance.models import CostLine, RunningCostSchedule
from tests.csv_text import as_csv, rows_of
from tests.published import PUBLISHED
from tests.support import snapshot, upload

SOURCE = PUBLISHED / "running_costs_2013-14.csv"
TEXT = SOURCE.read_text(encoding="utf-8")
REASON = "Imported from running_costs.csv (sha256 1a2b3c)"
PROCUREMENT = "FINANCE AND PERFORMANCE › Finance and Procurement › Procurement"
# Everything a plan, or a refused apply, must leave as it was (tests/support.py snapshot).
SCHEDULES = (RunningCostSchedule, CostLine, CostLine.history.model)


def edited(text: str, row: int, **cells: str) -> str:
    """The file with cells of one row (numbered as in the file, header = 1) replaced."""
    rows = rows_of(text)
    for column, value in cells.items():
        rows[row - 1][imports.COLUMNS.index(column)] = value
    return as_csv(rows)


def row_of(text: str, line: str) -> int:
    return next(n for n, cells in enumerate(rows_of(text), start=1) if cells[1] == line)


def messages(plan) -> list[str]:
    return [str(problem) for problem in plan.problems]


@pytest.fixture
def admin(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def locked_year(demo):
    return FinancialYear.objects.get(label="2013-14")


@pytest.fixture
def open_year(demo):
    return FinancialYear.objects.get(label="2014-15")


@pytest.fixture
def open_schedule(open_year, admin):
    """2014-15 with the 2013-14 schedule imported into it and the same population."""
    open_year.registered_population = 749_179
    open_year.save()
    plan = imports.plan(upload(TEXT), year=open_year)
    with transaction.atomic():
        imports.apply(plan, by=admin, reason="first import")
    return open_year


# Recognising the layout


def test_recognises_the_published_header_trimmed_and_in_any_case():
    header = rows_of(TEXT)[0]
    assert imports.recognises(header)
    assert imports.recognises([f" {cell.upper()} " for cell in header] + ["", ""])


@pytest.mark.parametrize(
    "header",
    [
        ["level", "line", "amount_gbp", "printed_per_capita", "printed_percent"],
        ["line", "level", "amount_gbp", "printed_per_capita", "printed_percent", "note"],
        ["respondent", "Business intelligence", "Procurement"],
        ["kpi", "q1", "q2", "q3", "q4"],
        [],
    ],
)
def test_other_headers_are_not_recognised(header):
    assert not imports.recognises(header)


def test_a_plan_for_a_header_it_does_not_recognise_is_a_problem(locked_year):
    plan = imports.plan(upload("kpi,q1\nA,1\n"), year=locked_year)
    assert not plan.ok
    assert messages(plan)[0].startswith("row 1: the header is not level, line, amount_gbp")


# The published file back into its own year


@pytest.mark.parametrize(
    ("name", "encoding", "shape"),
    [
        ("running_costs.csv", "utf-8", lambda text: text),
        ("running_costs.csv", "utf-8-sig", lambda text: text.replace("\n", "\r\n")),
        ("running_costs.csv", "cp1252", lambda text: text),
        (
            "running_costs.csv",
            "utf-8",
            lambda text: as_csv([[f"  {cell} " for cell in cells] for cells in rows_of(text)]),
        ),
    ],
    ids=["utf-8", "bom-crlf", "cp1252", "padded"],
)
def test_published_file_into_2013_14_changes_nothing(locked_year, admin, name, encoding, shape):
    before = snapshot(*SCHEDULES)
    table = upload(shape(TEXT), name, encoding=encoding)
    plan = imports.plan(table, year=locked_year)
    assert plan.ok, messages(plan)
    assert (plan.layout, plan.year) == ("Running-cost schedule", "2013-14")
    assert plan.count(Kind.UNCHANGED) == 52  # 51 lines and the published total
    assert plan.count(Kind.NEW) == plan.count(Kind.CHANGED) == 0
    assert plan.consequences == []
    assert plan.changes[0] == ItemChange(
        Kind.UNCHANGED, "Accountable Officer", "£966,850", "£966,850", row=2
    )
    nil = next(c for c in plan.changes if c.what.endswith("(100%programme)"))
    assert nil.before == nil.after == "- (no running cost)"
    assert snapshot(*SCHEDULES) == before
    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)  # nothing to write, even though locked
    assert snapshot(*SCHEDULES) == before


def test_published_workbook_into_2013_14_changes_nothing(locked_year):
    book = openpyxl.Workbook()
    for number, cells in enumerate(rows_of(TEXT)):
        amount = cells[2].replace(",", "")
        if number and amount.isdigit():
            cells[0], cells[2] = int(cells[0]), int(amount)  # as Excel holds typed numbers
        book.active.append(cells)
    out = io.BytesIO()
    book.save(out)
    plan = imports.plan(upload(out.getvalue(), "running_costs.xlsx"), year=locked_year)
    assert plan.ok, messages(plan)
    assert plan.count(Kind.UNCHANGED) == 52


def test_a_plan_runs_a_fixed_handful_of_queries(locked_year, django_assert_max_num_queries):
    table = upload(TEXT)
    with django_assert_max_num_queries(3):
        imports.plan(table, year=locked_year)


# Into a year with no schedule


def test_into_2014_15_creates_the_schedule_with_every_line_new(locked_year, open_year, admin):
    plan = imports.plan(upload(TEXT), year=open_year)
    assert plan.ok, messages(plan)
    assert plan.count(Kind.NEW) == 52 and len(plan.changes) == 52
    assert plan.changes[-1] == ItemChange(
        Kind.NEW, "Published total of the 2014-15 running costs", "", "£18,730,000", row=53
    )
    # No population for 2014-15 yet, so only the share of the total is worked out.
    percents = [c for c in plan.consequences if c.measure == "% of total"]
    assert len(percents) == 51
    assert percents[0] == Consequence("Accountable Officer", "% of total", "", "5.16%")
    assert not [c for c in plan.consequences if c.measure == "£ per head"]
    differences = {c.what: c.after for c in plan.consequences if c.measure.startswith("Diff")}
    assert differences == {
        "SERVICE DELIVERY › Review Design and Delivery West Dorset": "-£1",
        "FINANCE AND PERFORMANCE": "-£1",
        "FINANCE AND PERFORMANCE › Finance and Procurement": "£1",
        "FINANCE AND PERFORMANCE › Performance and Contracting": "£1",
        "ENGAGEMENT AND DEVELOPMENT › Organisational Development": "£1",
    }
    assert CostLine.objects.filter(schedule__year=open_year).count() == 0  # a plan writes nothing

    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)

    schedule = RunningCostSchedule.objects.get(year=open_year)
    assert schedule.published_total_gbp == Decimal("18730000")

    def lines(year):
        return [
            (
                line.display_order,
                line.parent.name if line.parent else None,
                line.name,
                line.amount_gbp,
                line.published_text,
                line.programme_funded,
                line.note,
                line.directorate_id,
            )
            for line in CostLine.objects.filter(schedule__year=year)
            .select_related("parent")
            .order_by("display_order")
        ]

    assert lines(open_year) == lines(locked_year)
    assert len(lines(open_year)) == 51
    history = CostLine.history.filter(schedule__year=open_year)
    assert history.count() == 51
    assert set(history.values_list("history_change_reason", "history_user", "history_type")) == {
        (REASON, admin.pk, "+")
    }


# A changed amount


def test_a_changed_amount_is_shown_then_written_with_history(open_schedule, admin):
    row = row_of(TEXT, "Procurement")
    text = edited(TEXT, row, amount_gbp="258,292", printed_per_capita="", printed_percent="")
    before = snapshot(*SCHEDULES)
    plan = imports.plan(upload(text), year=open_schedule)
    assert plan.ok, messages(plan)
    assert snapshot(*SCHEDULES) == before
    changed = [c for c in plan.changes if c.kind == Kind.CHANGED]
    assert changed == [ItemChange(Kind.CHANGED, PROCUREMENT, "£248,292", "£258,292", row=row)]
    assert plan.count(Kind.UNCHANGED) == 51
    assert plan.consequences == [
        Consequence(PROCUREMENT, "£ per head", "£0.33", "£0.34"),
        Consequence(PROCUREMENT, "% of total", "1.33%", "1.38%"),
        Consequence(
            "FINANCE AND PERFORMANCE › Finance and Procurement",
            "Difference from its lines",
            "£1",
            "-£9,999",
        ),
    ]

    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)

    line = CostLine.objects.get(schedule__year=open_schedule, name="Procurement")
    assert (line.amount_gbp, line.published_text) == (Decimal("258292"), "258,292")
    latest = line.history.first()
    assert (latest.history_change_reason, latest.history_user, latest.history_type) == (
        REASON,
        admin,
        "~",
    )
    assert line.history.earliest().amount_gbp == Decimal("248292")
    assert CostLine.history.count() == len(before["finance.HistoricalCostLine"]) + 1  # only it


def test_a_new_line_between_existing_ones_is_added_and_the_rest_move_down(open_schedule, admin):
    rows = rows_of(TEXT)
    at = row_of(TEXT, "Procurement")
    rows.insert(at, ["3", "Commercial support", "10,000", "", "", "new in 2014-15"])
    plan = imports.plan(upload(as_csv(rows)), year=open_schedule)
    # Its parent's printed subtotal no longer adds up: kept as printed, its difference shown.
    assert plan.ok, messages(plan)
    new = [c for c in plan.changes if c.kind == Kind.NEW]
    parent = "FINANCE AND PERFORMANCE › Finance and Procurement"
    assert new == [ItemChange(Kind.NEW, f"{parent} › Commercial support", "", "£10,000", at + 1)]
    assert Consequence(parent, "Difference from its lines", "£1", "-£9,999") in plan.consequences
    moved = CostLine.objects.filter(schedule__year=open_schedule, display_order__gt=at - 1)
    moved_names = set(moved.values_list("name", flat=True))

    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)

    lines = list(CostLine.objects.filter(schedule__year=open_schedule).order_by("display_order"))
    assert [line.display_order for line in lines] == list(range(1, 53))
    assert [line.name for line in lines] == [cells[1] for cells in rows[1:] if cells[0] != "0"]
    added = lines[at - 1]
    assert (added.name, added.parent.name, added.note) == (
        "Commercial support",
        "Finance and Procurement",
        "new in 2014-15",
    )
    written = CostLine.history.filter(history_change_reason=REASON)
    assert set(written.values_list("name", flat=True)) == moved_names | {"Commercial support"}


def test_a_changed_amount_in_locked_2013_14_is_refused(locked_year):
    row = row_of(TEXT, "Procurement")
    text = edited(TEXT, row, amount_gbp="258,292", printed_per_capita="", printed_percent="")
    before = snapshot(*SCHEDULES)
    plan = imports.plan(upload(text), year=locked_year)
    assert messages(plan) == [
        f"row {row}, column 'amount_gbp': 2013-14 is locked: its running costs were approved "
        "and can no longer change"
    ]
    assert [c.what for c in plan.changes if c.kind == Kind.CHANGED] == [PROCUREMENT]
    assert plan.payload is None
    assert snapshot(*SCHEDULES) == before


# Problems in the file


def test_near_miss_names_are_refused_with_the_closest_names(locked_year):
    text = edited(TEXT, row_of(TEXT, "Procurement"), line="Procurment")
    text = edited(text, 2, line="Accountable officer ")
    before = snapshot(*SCHEDULES)
    plan = imports.plan(upload(text), year=locked_year)
    assert messages(plan) == [
        "row 2, column 'line': no line 'Accountable officer' at the top level in the 2013-14 "
        "schedule; did you mean 'Accountable Officer'? Names must match exactly",
        f"row {row_of(TEXT, 'Procurement')}, column 'line': no line 'Procurment' under "
        "'FINANCE AND PERFORMANCE › Finance and Procurement' in the 2013-14 schedule; did you "
        "mean 'Procurement'? Names must match exactly",
    ]
    assert snapshot(*SCHEDULES) == before


def test_a_line_left_out_or_moved_is_a_problem(locked_year):
    rows = rows_of(TEXT)
    at = row_of(TEXT, "Procurement")
    procurement = rows.pop(at - 1)
    plan = imports.plan(upload(as_csv(rows)), year=locked_year)
    assert messages(plan) == [
        f"'{PROCUREMENT}' is in the 2013-14 schedule but not in the file; an import does not "
        "remove lines (remove it in the admin first if it should go)"
    ]
    rows.insert(at - 2, procurement)  # before "Financial accounts"
    plan = imports.plan(upload(as_csv(rows)), year=locked_year)
    assert messages(plan) == [
        f"row {at}, column 'line': 'FINANCE AND PERFORMANCE › Finance and Procurement › "
        "Financial accounts' comes after 'FINANCE AND PERFORMANCE › Finance and Procurement › "
        "Procurement' here but before it in the schedule; an import keeps the schedule's order "
        "(reorder lines in the admin)"
    ]


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("amount_gbp", "=SUM(C3:C7)"),
        ("amount_gbp", "+248292"),
        ("amount_gbp", "@SUM(C3)"),
        ("amount_gbp", "-C3"),
        ("printed_per_capita", "=C5/749179"),
        ("printed_percent", "+1.33%"),
    ],
)
def test_formula_cells_are_refused_with_row_and_column(locked_year, column, cell):
    row = row_of(TEXT, "Procurement")
    before = snapshot(*SCHEDULES)
    plan = imports.plan(upload(edited(TEXT, row, **{column: cell})), year=locked_year)
    assert messages(plan) == [
        f"row {row}, column '{column}': '{cell}' looks like a spreadsheet formula and is refused; "
        "type the value itself"
    ]
    assert snapshot(*SCHEDULES) == before


def test_a_formula_as_a_line_name_is_refused(open_year):
    text = "level,line,amount_gbp,printed_per_capita,printed_percent,note\n"
    text += '1,"=HYPERLINK(""http://x"")",100,,,\n0,TOTAL,100,,,\n'
    plan = imports.plan(upload(text), year=open_year)
    assert messages(plan) == [
        "row 2, column 'line': '=HYPERLINK(\"http://x\")' looks like a spreadsheet formula "
        "and is refused"
    ]


@pytest.mark.parametrize(
    ("column", "cell", "message"),
    [
        ("amount_gbp", "24,8292", "the commas in '24,8292' do not group thousands"),
        ("amount_gbp", "248.29.2", "has two decimal points"),
        ("amount_gbp", "about 250k", "has letters where a number should be"),
        ("amount_gbp", "", "no amount"),
        ("amount_gbp", "-248,292", "a running cost cannot be negative"),
        ("amount_gbp", "248,292.125", "at most two decimal places"),
        ("printed_percent", "1.33", "needs a % sign"),
        ("printed_percent", "133%", "cannot be over 100%"),
        ("level", "4", "'4' is not a level 0, 1, 2 or 3"),
    ],
)
def test_bad_cells_are_problems_naming_row_and_column(locked_year, column, cell, message):
    row = row_of(TEXT, "Procurement")
    before = snapshot(*SCHEDULES)
    plan = imports.plan(upload(edited(TEXT, row, **{column: cell})), year=locked_year)
    assert len(plan.problems) == 1, messages(plan)
    problem = plan.problems[0]
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message
    assert snapshot(*SCHEDULES) == before


def test_amounts_in_millions_and_with_pound_signs_are_read(open_year):
    text = "level,line,amount_gbp,printed_per_capita,printed_percent,note\n"
    text += '1,IM&T,£1.5m,,75.00%,\n1,HQ,"£500,000",,25%,\n0,TOTAL,£2m,,100%,\n'
    plan = imports.plan(upload(text), year=open_year)
    assert plan.ok, messages(plan)
    assert [c.after for c in plan.changes] == ["£1,500,000", "£500,000", "£2,000,000"]


def test_printed_figures_that_disagree_with_the_arithmetic_are_problems(locked_year):
    row = row_of(TEXT, "Procurement")
    # 1.3% is right at its own precision (£248,292 of £18,730,000 is 1.3256%).
    text = edited(TEXT, row, printed_per_capita="£0.34", printed_percent="1.3%")
    plan = imports.plan(upload(text), year=locked_year)
    assert messages(plan) == [
        f"row {row}, column 'printed_per_capita': £0.34 is printed but £248,292 for 749,179 "
        "people is £0.33 a head"
    ]
    plan = imports.plan(upload(edited(TEXT, row, printed_percent="1.4%")), year=locked_year)
    assert messages(plan) == [
        f"row {row}, column 'printed_percent': 1.4% is printed but £248,292 of £18,730,000 is 1.3%"
    ]


# Refused when applying


def test_apply_is_refused_if_a_line_changed_after_the_preview(open_schedule, admin):
    row = row_of(TEXT, "Procurement")
    text = edited(TEXT, row, amount_gbp="258,292", printed_per_capita="", printed_percent="")
    plan = imports.plan(upload(text), year=open_schedule)
    assert plan.ok
    other = CostLine.objects.get(schedule__year=open_schedule, name="Facilities")
    other.amount_gbp = Decimal("120010")
    other.save()
    before = snapshot(*SCHEDULES)
    with pytest.raises(ImportRefused) as refused, transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    assert str(refused.value) == (
        "the 2014-15 running-cost schedule changed after this preview; nothing was written: "
        "preview the file again"
    )
    assert snapshot(*SCHEDULES) == before


def test_apply_is_refused_if_the_year_was_locked_after_the_preview(open_year, admin):
    plan = imports.plan(upload(TEXT), year=open_year)
    assert plan.ok
    FinancialYear.objects.filter(pk=open_year.pk).update(status=FinancialYear.Status.LOCKED)
    before = snapshot(*SCHEDULES)
    with pytest.raises(ImportRefused) as refused, transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    assert [str(p) for p in refused.value.problems] == [
        "2014-15 was locked after this preview; nothing was written"
    ]
    assert snapshot(*SCHEDULES) == before
