"""Unit tests for common.cells: every published cell shape, every refusal, every CSV cell."""

import csv
from decimal import Decimal

import pytest

from common.cells import (
    CellError,
    KpiCell,
    TargetCell,
    is_nil_money,
    parse_integer,
    parse_kpi_cell,
    parse_money,
    parse_percent,
    parse_target,
)
from tests.published import PUBLISHED

DATA = PUBLISHED  # the committed copies of the published tables


def rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(newline="", encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def assert_refused(parser, text: str, *words: str) -> None:
    """The parser refuses text with a message that names the text and says why."""
    with pytest.raises(CellError) as caught:
        parser(text)
    message = str(caught.value)
    assert f"'{' '.join(text.split())}'" in message
    for word in words:
        assert word in message


# KPI cells: each published shape, with every field checked.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("96", KpiCell(text="96", count=96)),
        ("0", KpiCell(text="0", count=0)),
        ("1,009", KpiCell(text="1,009", count=1009)),
        ("273.26", KpiCell(text="273.26", value=Decimal("273.26"))),
        ("6.0", KpiCell(text="6.0", value=Decimal("6.0"))),
        ("28.33%", KpiCell(text="28.33%", percent=Decimal("28.33"))),
        ("100%", KpiCell(text="100%", percent=Decimal("100"))),
        ("0%", KpiCell(text="0%", percent=Decimal("0"))),
        ("*", KpiCell(text="*", not_collected=True)),
        ("22/23", KpiCell(text="22/23", numerator=22, denominator=23)),
        ("60/40", KpiCell(text="60/40", numerator=60, denominator=40)),
        (
            "63/67 (94%)",
            KpiCell(text="63/67 (94%)", numerator=63, denominator=67, percent=Decimal("94")),
        ),
        ("3140 (96.5%)", KpiCell(text="3140 (96.5%)", count=3140, percent=Decimal("96.5"))),
        ("£1,234.50", KpiCell(text="£1,234.50", amount=Decimal("1234.50"))),
    ],
)
def test_each_published_kpi_shape_fills_exactly_its_fields(text, expected):
    assert parse_kpi_cell(text) == expected


def test_count_with_money_keeps_both_figures():
    cell = parse_kpi_cell("17 challenges £1,059,768")
    assert cell == KpiCell(
        text="17 challenges £1,059,768", count=17, unit="challenges", amount=Decimal("1059768")
    )


def test_count_over_millions_is_a_count_and_an_amount_not_a_fraction():
    cell = parse_kpi_cell("44/£2.5m")
    assert (cell.count, cell.amount) == (44, Decimal("2500000"))
    assert (cell.numerator, cell.denominator) == (None, None)
    assert str(cell.amount) == "2500000"


def test_fraction_with_printed_rate_keeps_all_three():
    cell = parse_kpi_cell("57/57 (100%)")
    assert (cell.numerator, cell.denominator, cell.percent) == (57, 57, Decimal("100"))


def test_line_breaks_inside_a_cell_read_as_one_space():
    cell = parse_kpi_cell("66/66\n(100%)")
    assert cell.text == "66/66 (100%)"
    assert (cell.numerator, cell.denominator, cell.percent) == (66, 66, Decimal("100"))
    cell = parse_kpi_cell("  17 challenges\n£1,059,768 ")
    assert cell.text == "17 challenges £1,059,768"
    assert (cell.count, cell.amount, cell.unit) == (17, Decimal("1059768"), "challenges")


def test_non_breaking_space_is_whitespace_too():
    assert parse_kpi_cell("3140\xa0(96.5%)").count == 3140


def test_empty_kpi_cell_means_not_entered():
    assert parse_kpi_cell("") == KpiCell(text="")
    assert parse_kpi_cell(" \n ") == KpiCell(text="")


def test_star_means_not_collected_and_nothing_else():
    assert parse_kpi_cell("*") == KpiCell(text="*", not_collected=True)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("abc", ["letters"]),
        ("12a", ["letters"]),
        ("1,2,3", ["commas", "thousands"]),
        ("10,59", ["commas", "thousands"]),
        (",100", ["commas", "thousands"]),
        ("-5", ["a count cannot be negative"]),
        ("101%", ["over 100%"]),
        ("-1%", ["under 0%"]),
        ("57/57 (101%)", ["over 100%"]),
        ("1.2.3", ["two decimal points"]),
        ("=SUM(A1)", ["spreadsheet formula", "refused"]),
        ("+96", ["spreadsheet formula"]),
        ("@96", ["spreadsheet formula"]),
        ("-x", ["spreadsheet formula"]),
        ("5/0", ["cannot be 0"]),
        ("£", ["no amount"]),
        ("17 challenges £", ["no amount"]),
        ("96 %%", ["is not a KPI figure"]),
        ("17 challenges", ["letters"]),
        ("-", ["not a KPI figure", "*"]),
    ],
)
def test_kpi_cell_refusals_name_the_text_and_the_reason(text, words):
    assert_refused(parse_kpi_cell, text, *words)


# Money as printed in the running-cost and finance tables.


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("966,850", Decimal("966850")),
        ("18,730,000", Decimal("18730000")),
        ("12,614", Decimal("12614")),
        ("£1.29", Decimal("1.29")),
        ("£25.00", Decimal("25.00")),
        ("£2.5m", Decimal("2500000")),
        ("2.5m", Decimal("2500000")),
        ("25", Decimal("25")),
        ("-£1,200", Decimal("-1200")),
        ("-1,200", Decimal("-1200")),
    ],
)
def test_money_reads_printed_pounds(text, amount):
    assert parse_money(text) == amount


@pytest.mark.parametrize("text", ["-", "-0", "£-", "-£0.00"])
def test_nil_spellings_are_zero_and_recognised_as_nil(text):
    assert parse_money(text) == Decimal("0")
    assert is_nil_money(text)


@pytest.mark.parametrize("text", ["£0.00", "0", "-£1,200", "966,850", "", "-5"])
def test_other_amounts_are_not_nil_spellings(text):
    assert not is_nil_money(text)


def test_minus_zero_written_another_way_is_plain_zero():
    assert str(parse_money("-0.00")) == "0.00"


def test_money_millions_are_kept_whole():
    assert str(parse_money("£2.5m")) == "2500000"
    assert parse_money("£1.29") == Decimal("1.29")


def test_empty_money_is_refused_as_no_amount():
    with pytest.raises(CellError, match="^no amount$"):
        parse_money(" ")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("=SUM(A1)", ["spreadsheet formula", "refused"]),
        ("1,2,3", ["commas"]),
        ("10,59", ["commas"]),
        ("-1,2,3", ["commas"]),
        ("12a", ["letters"]),
        ("abc", ["letters"]),
        ("£", ["no amount"]),
        ("1.2.3", ["two decimal points"]),
        ("£12 %", ["is not an amount"]),
    ],
)
def test_money_refusals_name_the_text_and_the_reason(text, words):
    assert_refused(parse_money, text, *words)


# Percentages and whole numbers.


@pytest.mark.parametrize(
    ("text", "percent"),
    [("5.16%", Decimal("5.16")), ("100%", Decimal("100")), ("0.00%", Decimal("0.00"))],
)
def test_percent_reads_printed_percentages(text, percent):
    assert parse_percent(text) == percent


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("5.16", ["needs a % sign"]),
        ("100.01%", ["over 100%"]),
        ("-0.5%", ["under 0%"]),
        ("5..1%", ["two decimal points"]),
        ("=1%", ["spreadsheet formula"]),
    ],
)
def test_percent_refusals_name_the_text_and_the_reason(text, words):
    assert_refused(parse_percent, text, *words)


def test_integer_reads_grouped_and_plain_counts():
    assert parse_integer("749,179") == 749179
    assert parse_integer("100") == 100
    assert parse_integer("0") == 0


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1.5", ["not a whole number"]),
        ("-5", ["a count cannot be negative"]),
        ("74,9179", ["commas"]),
        ("100 practices", ["letters"]),
        ("@100", ["spreadsheet formula"]),
    ],
)
def test_integer_refusals_name_the_text_and_the_reason(text, words):
    assert_refused(parse_integer, text, *words)


def test_empty_integer_is_refused():
    with pytest.raises(CellError, match="no number"):
        parse_integer("")


# Targets.


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("N/A", TargetCell(text="N/A", none=True)),
        ("n/a", TargetCell(text="n/a", none=True)),
        ("0", TargetCell(text="0", number=Decimal("0"))),
        ("31", TargetCell(text="31", number=Decimal("31"))),
        ("386 pa", TargetCell(text="386 pa", number=Decimal("386"), per="year")),
        ("386 PA", TargetCell(text="386 PA", number=Decimal("386"), per="year")),
        ("386 per annum", TargetCell(text="386 per annum", number=Decimal("386"), per="year")),
        ("12 per year", TargetCell(text="12 per year", number=Decimal("12"), per="year")),
        ("6 per quarter", TargetCell(text="6 per quarter", number=Decimal("6"), per="quarter")),
        ("1 Per Quarter", TargetCell(text="1 Per Quarter", number=Decimal("1"), per="quarter")),
        ("90%", TargetCell(text="90%", percent=Decimal("90"))),
        ("2%", TargetCell(text="2%", percent=Decimal("2"))),
        (
            "100% of complaints received",
            TargetCell(
                text="100% of complaints received",
                percent=Decimal("100"),
                note="of complaints received",
            ),
        ),
        ("annual increase", TargetCell(text="annual increase", relative="increase")),
        ("Annual Decrease", TargetCell(text="Annual Decrease", relative="decrease")),
    ],
)
def test_each_target_shape_fills_exactly_its_fields(text, expected):
    assert parse_target(text) == expected


def test_percent_target_with_days_keeps_the_qualifier():
    target = parse_target("100% (6 days)")
    assert target == TargetCell(
        text="100% (6 days)", percent=Decimal("100"), qualifier=Decimal("6"), qualifier_unit="days"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("about 90", ["letters", "a target such as"]),
        ("90 per fortnight", ["letters"]),
        ("110%", ["over 100%"]),
        ("-5", ["cannot be negative"]),
        ("=HYPERLINK(1)", ["spreadsheet formula"]),
        ("1,2", ["commas"]),
        ("annual", ["letters"]),
        ("100% (6)", ["is not a target"]),
    ],
)
def test_target_refusals_name_the_text_and_the_reason(text, words):
    assert_refused(parse_target, text, *words)


def test_empty_target_is_refused_with_a_hint():
    with pytest.raises(CellError, match="N/A"):
        parse_target("")


# Every cell of the published 2013/14 tables.


def test_every_published_kpi_figure_and_target_parses():
    kpis = rows("kpis_2013-14.csv")
    assert len(kpis) == 39
    for row in kpis:
        for column in ("q1", "q2", "q3", "q4"):
            cell = parse_kpi_cell(row[column])
            assert cell.text, (row["kpi"], column)
        parse_target(row["target"])


def test_every_published_running_cost_cell_parses():
    for row in rows("running_costs_2013-14.csv"):
        amount = parse_money(row["amount_gbp"])
        per_capita = parse_money(row["printed_per_capita"])
        percent = parse_percent(row["printed_percent"])
        if is_nil_money(row["amount_gbp"]):
            assert (amount, per_capita, percent) == (0, 0, 0), row["line"]


def test_every_published_finance_summary_number_parses():
    for row in rows("finance_summary_2013-14.csv"):
        total, programme, running = (
            parse_money(row[column])
            for column in ("total_gbp_000", "programme_gbp_000", "running_costs_gbp_000")
        )
        assert total == programme + running, row["measure"]


def test_published_organisation_and_survey_numbers_parse():
    fields = {row["field"]: row["value"] for row in rows("organisation_2013-14.csv")}
    assert parse_integer(fields["registered_population"]) == 749179
    assert parse_integer(fields["member_practices"]) == 100
    assert parse_money(fields["running_cost_allowance_per_head_gbp"]) == 25
    for row in rows("imt_survey_2013-14.csv"):
        for column in ("previous_percent", "current_percent"):
            if row[column]:
                assert 0 <= parse_integer(row[column]) <= 100


def test_hand_picked_published_cells_read_exactly():
    coding = parse_kpi_cell("17 challenges £1,059,768")
    assert (coding.count, coding.amount, coding.unit) == (17, Decimal("1059768"), "challenges")
    meetings = parse_kpi_cell("66/66 (100%)")
    assert (meetings.numerator, meetings.denominator, meetings.percent) == (66, 66, Decimal(100))
    procurement = parse_kpi_cell("44/£2.5m")
    assert (procurement.count, procurement.amount) == (44, Decimal("2500000"))
    assert parse_kpi_cell("*").not_collected
    assert parse_money("-0") == 0
    assert parse_money("£2.5m") == 2500000
    assert parse_integer("749,179") == 749179
    days = parse_target("100% (6 days)")
    assert (days.percent, days.qualifier, days.qualifier_unit) == (100, 6, "days")
