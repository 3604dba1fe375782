"""The scorecard's and exception report's Excel downloads: the quarter's figures as numbers
with their formats, a frozen header and column widths."""

import io

from openpyxl import load_workbook

from tests.support import login

Q4 = "?year=2013-14&quarter=4"
SCORECARD = "/dashboard/"
EXCEPTIONS = "/dashboard/exceptions/"
NUMBERS = ["Q4 count", "Q4 £", "Q4 %", "Q4 value"]


def workbook_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    rows = {row[0].value: dict(zip(header, row, strict=True)) for row in sheet.iter_rows(min_row=2)}
    return sheet, header, rows


def test_the_scorecard_workbook_holds_the_quarter_s_figures_as_numbers(client, demo):
    response = login(client).get(SCORECARD + Q4 + "&format=xlsx")
    sheet, header, rows = workbook_rows(response)
    assert header[-4:] == NUMBERS and header[:4] == ["KPI", "Team", "Frequency", "Q1"]

    inspections = rows["Number of quality inspections carried out"]
    assert (inspections["Q4"].value, inspections["Q4 count"].value) == ("5", 5)
    assert inspections["Q4 count"].data_type == "n"
    assert inspections["Q4 count"].number_format == "#,##0"
    assert [inspections[name].value for name in NUMBERS[1:]] == [None, None, None]

    foi = rows["Number of Freedom of Information requests responded to"]  # 63/67 (94%)
    assert (foi["Q4 count"].value, foi["Q4 %"].value) == (63, 94.03)
    assert foi["Q4 %"].number_format == '0.0#"%"'

    coding = rows[
        "Counting and coding: Number of coding challenges that have been successful and value (£)"
    ]
    assert (coding["Q4 count"].value, coding["Q4 £"].value) == (14, 920168)
    assert coding["Q4 £"].number_format == '"£"#,##0.00'

    absence = rows["% staff absence rates (average per quarter)"]
    assert (absence["Q4 %"].value, absence["Q4 count"].value) == (3.76, None)

    wte = rows["Number of whole time equivalents"]
    assert (wte["Q4 value"].value, wte["Q4 value"].number_format) == (308.04, "#,##0.00")

    training = rows["% staff completed statutory and mandatory training"]
    assert training["Q4 %"].value == 62
    not_collected = rows["Number and value of projects procurement team support (cumulative)"]
    assert not_collected["Q3"].value == "Not collected"

    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 50  # KPI
    commentary = header.index("Commentary") + 1
    assert sheet.column_dimensions[sheet.cell(1, commentary).column_letter].width == 60
    assert all(cell.font.b for cell in sheet[1])


def test_the_numbers_are_in_the_csv_too_and_not_on_the_page(client, demo):
    client = login(client)
    text = client.get(SCORECARD + Q4 + "&format=csv").content.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[-4:] == NUMBERS
    foi = next(line for line in text.splitlines() if line.startswith("Number of Freedom"))
    assert foi.endswith(",63,,94.03,")
    html = client.get(SCORECARD + Q4).content.decode()
    assert "Q4 count" not in html and "app-col-figure" not in html


def test_the_exception_report_workbook_has_the_same_columns(client, demo):
    response = login(client).get(EXCEPTIONS + Q4 + "&format=xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="exceptions-2013-14-q4.xlsx"'
    sheet, header, rows = workbook_rows(response)
    assert header[-4:] == NUMBERS
    absence = rows["% staff absence rates (average per quarter)"]  # red: 3.76% against 2%
    assert (absence["RAG"].value, absence["Q4 %"].value) == ("Red", 3.76)
    assert absence["Q4 %"].data_type == "n"
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["A"].width == 50
