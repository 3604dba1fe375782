"""common.exports: Excel sheets with numbers as numbers, their formats, a frozen header and
column widths; the CSV of the same rows."""

import csv
import io
from datetime import date
from decimal import Decimal

from openpyxl import load_workbook

from common.exports import (
    Column,
    Kind,
    Sheet,
    csv_response,
    export_number,
    workbook_response,
    xlsx_response,
)

ROWS = [
    ["Team", "Count", "Amount", "Share", "Value", "Due"],
    ["=cmd()", 1273, Decimal("1059768.50"), Decimal("28.33"), Decimal("273.26"), date(2014, 7, 21)],
    ["Business intelligence", None, None, "", None, None],
]
COLUMNS = [
    Column(width=40),
    Column(Kind.COUNT),
    Column(Kind.GBP, width=16),
    Column(Kind.PERCENT),
    Column(Kind.DECIMAL),
    Column(Kind.DATE),
]


def sheet_of(response, name=None):
    book = load_workbook(io.BytesIO(response.content))
    return book[name] if name else book.active


def test_a_sheet_keeps_numbers_as_numbers_with_the_kind_s_format():
    response = xlsx_response("t.xlsx", ROWS, "Teams", COLUMNS)
    assert response["Content-Disposition"] == 'attachment; filename="t.xlsx"'
    sheet = sheet_of(response)
    assert sheet.title == "Teams"
    row = sheet[2]
    assert [cell.value for cell in row[:5]] == ["'=cmd()", 1273, 1059768.5, 28.33, 273.26]
    assert row[5].value.date() == date(2014, 7, 21)
    assert [cell.data_type for cell in row] == ["s", "n", "n", "n", "n", "d"]
    assert [cell.number_format for cell in row[1:]] == [
        "#,##0",
        '"£"#,##0.00',
        '0.0#"%"',
        "#,##0.00",
        "yyyy-mm-dd",
    ]
    assert [cell.value for cell in sheet[3]] == ["Business intelligence", *[None] * 5]


def test_the_header_is_bold_frozen_and_filtered_and_columns_have_widths():
    sheet = sheet_of(xlsx_response("t.xlsx", ROWS, "Teams", COLUMNS))
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:F3"
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["B2"].font.b
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEF"}
    # Given, or fitted to the longest of header and values (with 2 to spare), at least 8.
    assert widths == {"A": 40, "B": 8, "C": 16, "D": 8, "E": 8, "F": 12}
    assert sheet["A2"].alignment.wrap_text  # a text column held to a width wraps


def test_columns_not_described_are_text_fitted_to_their_values_within_bounds():
    rows = [["Name", "Note"], ["x" * 100, 5]]
    sheet = sheet_of(xlsx_response("t.xlsx", rows, "S"))
    assert sheet.column_dimensions["A"].width == 60  # at most MAX_WIDTH
    assert sheet["B2"].value == 5 and sheet["B2"].number_format == "General"


def test_several_sheets_in_one_workbook():
    response = workbook_response(
        "w.xlsx", [Sheet("One", [["a"], [1]], [Column(Kind.COUNT)]), Sheet("Two", [["b"]])]
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["One", "Two"]
    assert book["One"]["A2"].number_format == "#,##0"


def test_the_csv_of_the_same_rows_reads_alike():
    rows = [
        ["n", "£", "%"],
        [export_number(Decimal("1059768.00")), export_number(Decimal("28.330")), 3],
    ]
    text = csv_response("t.csv", rows).content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text))) == [["n", "£", "%"], ["1059768", "28.33", "3"]]
    sheet = sheet_of(xlsx_response("t.xlsx", rows, "S"))
    assert [str(cell.value) for cell in sheet[2]] == ["1059768", "28.33", "3"]
    assert export_number(None) is None
