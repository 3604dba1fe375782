"""The import runner: real files as admins save them, and hostile files refused with nothing
written."""

import csv
import io
import random
from decimal import Decimal

import pytest

from ccgportal import imports
from ccgportal.models import ImportRecord
from common.importing import ImportRefused, Kind
from directorates.models import FinancialYear
from finance import imports as running_costs
from finance.models import CostLine, RunningCostSchedule
from kpis.imports import long, wide
from kpis.models import Figure, KpiSpcState
from surveys import imports as survey_responses
from surveys.models import Rating
from tests.common.test_uploads import zeros_member
from tests.kpis.import_support import (
    INSPECTIONS,
    LONG_HEADER,
    PUBLISHED,
    csv_bytes,
    db_state,
    long_csv,
    xlsx_bytes,
)

CODING = "Counting and coding: Number of coding challenges that have been successful and value (£)"
TURNOVER = "% staff turnover rates (average per quarter)"
WTE = "Number of whole time equivalents"
PROJECTS = "Number and value of projects procurement team support (cumulative)"
CHC = "Number of CHC contracts issued (new metrics is by April 2014)"


def quarter(slug, q, month=None):
    return Figure.objects.get(
        kpi_year__kpi__slug=slug, kpi_year__year__label="2014-15", quarter=q, month=month
    )


def test_recognise_picks_the_layout_from_the_header():
    assert imports.recognise(PUBLISHED.read_text().splitlines()[0].split(",")) is wide
    assert imports.recognise(LONG_HEADER) is long
    with pytest.raises(ImportRefused) as refused:
        imports.recognise(["Name", "Amount"])
    message = str(refused.value.problems[0])
    assert message.startswith("row 1: the header row matches no layout the portal imports")
    assert "(it reads: Name, Amount)" in message
    assert "section, function, kpi, frequency, q1, q2, q3, q4, target" in message
    assert "kpi, quarter, month, value, commentary, self_assessed_rag" in message


def test_history_reason_fits_the_column_and_names_file_hash_and_import():
    assert (
        imports.history_reason("returns.csv", "1a2b3c4d" + "0" * 56, 12)
        == "Imported from returns.csv (sha256 1a2b3c4d…), import 12"
    )
    long_name = imports.history_reason("q" * 300 + ".csv", "f" * 64, 123456)
    assert len(long_name) == 100 and long_name.endswith("(sha256 ffffffff…), import 123456")


def test_real_file_shapes_from_excel_and_by_hand(demo):
    rows = [
        ["  " + INSPECTIONS + "  ", " 1 ", "", "  6  ", "  padded  ", " Green "],
        [CODING, "1", "", "17 challenges £1,059,768", "", ""],
        [PROJECTS, "4", "", "44/£2.5m", "", ""],
        [CHC, "1", "4", "*", "", ""],
        [WTE, "1", "4", "1,273.26", "", ""],
        [TURNOVER, "1", "4", "1.5%", "", ""],
    ]
    text = "\r\n".join(",".join(f'"{c}"' for c in row) for row in [LONG_HEADER, *rows])
    cp1252 = text.replace("\r\n", "\r\n\r\n", 1).encode("cp1252")  # '£' as Excel on Windows
    plan, table = imports.preview("returns.csv", cp1252, year="2014-15")
    assert table.encoding == "cp1252"
    assert plan.ok, plan.problems
    assert [c.row for c in plan.changes][:2] == [3, 4]  # the blank line keeps row numbers
    imports.run("returns.csv", cp1252, year="2014-15", by=None)
    inspections = quarter("quality-inspections", 1)
    assert (inspections.count, inspections.commentary, inspections.self_assessed_rag) == (
        6,
        "padded",
        "green",
    )
    coding = quarter("coding-challenges-successful", 1)
    assert (coding.count, str(coding.amount_gbp)) == (17, "1059768.00")
    assert str(quarter("procurement-projects-supported", 4).amount_gbp) == "2500000.00"
    assert quarter("chc-contracts-issued", 1, 4).not_collected
    assert str(quarter("whole-time-equivalents", 1, 4).value) == "1273.2600"
    assert str(quarter("staff-turnover", 1, 4).percent) == "1.5000"

    # The same figures saved as UTF-8 with a byte-order mark read as unchanged.
    bom = text.encode("utf-8-sig")
    plan, table = imports.preview("returns.csv", bom, year="2014-15")
    assert table.encoding == "utf-8-sig" and plan.ok
    assert plan.count(Kind.CHANGED) == plan.count(Kind.NEW) == 0


def test_xlsx_with_numbers_stored_as_numbers_and_as_text(demo):
    data = xlsx_bytes(
        LONG_HEADER,
        [INSPECTIONS, 1, None, 6, "=not a formula, just text", "amber"],
        [INSPECTIONS, "2", None, "7", None, None],
        [TURNOVER, 1, 4, 1.68, None, None],
        [WTE, 1, 4, 273.26, None, None],
        text_cells=["E2"],
    )
    plan, table = imports.preview("returns.xlsx", data, year="2014-15")
    assert table.format == "xlsx"
    assert plan.ok, plan.problems
    imports.run("returns.xlsx", data, year="2014-15", by=None)
    assert [quarter("quality-inspections", q).count for q in (1, 2)] == [6, 7]
    assert quarter("quality-inspections", 1).commentary == "=not a formula, just text"
    assert str(quarter("staff-turnover", 1, 4).percent) == "1.6800"
    assert str(quarter("whole-time-equivalents", 1, 4).value) == "273.2600"


def hostile_files():
    bomb, _ = zeros_member("xl/media/image1.png", 50)
    return [
        ("fake.xlsx", b"section,function\n", "is not an Excel workbook"),
        ("bomb.xlsx", bomb, "refused as a possible zip bomb"),
        ("garbage.csv", random.Random(1).randbytes(4096), "looks like binary data"),
        ("empty.csv", b"", "empty.csv is empty."),
        ("blank.csv", b"\r\n\r\n  ,  \r\n", "blank.csv has no rows."),
        ("wrong.csv", csv_bytes(["Name", "Amount"], ["a", "1"]), "matches no layout"),
        ("header.csv", csv_bytes(LONG_HEADER), "has a header row but nothing below it"),
        ("values.csv", long_csv([INSPECTIONS, "1", "", "=cmd|' /C calc'!A0", "", ""]), "formula"),
    ]


@pytest.mark.parametrize(("name", "data", "message"), hostile_files())
def test_hostile_files_are_refused_and_nothing_is_written(demo, name, data, message):
    before = db_state()
    plan, _ = imports.preview(name, data, year="2014-15")
    assert not plan.ok and message in str(plan.problems[0])
    with pytest.raises(ImportRefused) as refused:
        imports.run(name, data, year="2014-15", by=None)
    assert message in str(refused.value)
    assert db_state() == before


def test_a_file_over_the_size_limit_is_refused(demo, settings):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    data = PUBLISHED.read_bytes()
    before = db_state()
    with pytest.raises(ImportRefused, match="the largest file accepted is 1.0 KB"):
        imports.run("big.csv", data, year="2014-15", by=None)
    assert db_state() == before


def test_an_unknown_year_is_a_problem(demo):
    plan, table = imports.preview("p.csv", PUBLISHED.read_bytes(), year="2031-32")
    assert table is None
    assert str(plan.problems[0]).startswith("there is no year 2031-32; the years are 2013-14")


def test_the_record_keeps_who_what_and_every_change(demo, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""], [INSPECTIONS, "2", "", "4", "", ""])
    plan, table = imports.preview("r.csv", data, year="2014-15")
    record = imports.run("r.csv", data, year="2014-15", by=admin)
    assert ImportRecord.objects.get() == record
    assert (record.imported_by, record.file_name, record.sha256, record.size) == (
        admin,
        "r.csv",
        table.sha256,
        len(data),
    )
    assert (record.layout, record.year.label, record.new_count) == (long.LAYOUT, "2014-15", 2)
    assert record.changes[0] == {
        "kind": "new",
        "what": f"{INSPECTIONS}, 2014-15 Q1",
        "before": "",
        "after": "6",
        "row": 2,
    }
    assert {"what": INSPECTIONS, "measure": "RAG 2014-15 Q2", "before": "none", "after": "red"} in (
        record.consequences
    )
    history = quarter("quality-inspections", 2).history.get()
    assert history.history_user == admin
    assert history.history_change_reason == (
        f"Imported from r.csv (sha256 {table.sha256[:8]}…), import {record.pk}"
    )


RUNNING_COSTS = PUBLISHED.parent / "running_costs_2013-14.csv"
SURVEY_RATINGS = (
    PUBLISHED.parent.parent / "portal" / "customer_survey_ratings_2013-14_illustrative.csv"
)


def test_recognise_finds_running_costs_and_survey_responses():
    assert imports.recognise(RUNNING_COSTS.read_text().splitlines()[0].split(",")) is (
        running_costs
    )
    header = next(csv.reader(io.StringIO(SURVEY_RATINGS.read_text())))
    assert imports.recognise(header) is survey_responses


def test_running_costs_run_through_the_runner_with_record_and_history(demo, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    data = RUNNING_COSTS.read_bytes()
    plan, _ = imports.preview(RUNNING_COSTS.name, data, year="2013-14")
    assert (plan.layout, plan.ok, plan.count(Kind.UNCHANGED)) == (running_costs.LAYOUT, True, 52)
    record = imports.run(RUNNING_COSTS.name, data, year="2014-15", by=admin)
    assert (record.layout, record.new_count, record.changed_count) == (
        running_costs.LAYOUT,
        52,
        0,
    )
    schedule = RunningCostSchedule.objects.get(year__label="2014-15")
    assert schedule.published_total_gbp == Decimal("18730000")
    line = CostLine.objects.get(schedule=schedule, name="Accountable Officer")
    assert line.amount_gbp == Decimal("966850")
    history = line.history.get()
    assert history.history_user == admin
    assert history.history_change_reason == imports.history_reason(
        RUNNING_COSTS.name, record.sha256, record.pk
    )


def test_survey_responses_preview_unchanged_and_a_changed_rating_is_imported(demo, admin_user):
    text = SURVEY_RATINGS.read_text()
    plan, _ = imports.preview(SURVEY_RATINGS.name, text.encode(), year="2013-14")
    assert (plan.layout, plan.ok, plan.count(Kind.CHANGED)) == (survey_responses.LAYOUT, True, 0)
    assert plan.count(Kind.UNCHANGED) == 15
    changed = text.replace("Respondent 1,7,", "Respondent 1,3,", 1).encode()
    with pytest.raises(ImportRefused, match="2013-14 is locked"):
        imports.run("ratings.csv", changed, year="2013-14", by=admin_user)
    FinancialYear.objects.filter(label="2013-14").update(status=FinancialYear.Status.OPEN)
    record = imports.run("ratings.csv", changed, year="2013-14", by=admin_user)
    assert record.changed_count == 1
    rating = Rating.objects.get(
        response__respondent="Respondent 1", item__name="Business intelligence"
    )
    assert rating.score == 3


def test_a_preview_works_out_spc_icons_but_stores_nothing(demo):
    data = long_csv([INSPECTIONS, "1", "", "6", "", ""], [INSPECTIONS, "2", "", "4", "", ""])
    before = db_state()
    plan, _ = imports.preview("r.csv", data, year="2014-15")
    assert plan.ok and plan.consequences
    assert not KpiSpcState.objects.exists()
    assert db_state() == before
