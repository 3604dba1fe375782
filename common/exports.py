"""CSV and Excel downloads of a page's table: every cell neutralised against formula injection.

Text from people (commentary, names) may begin with = + - @; a spreadsheet would run it as a
formula, so each text cell passes through ``neutralise_for_export``. Numbers stay numbers.

A table's rows start with its header row. For Excel, a caller may say what each column holds
(``Column``: its ``Kind`` and width); a workbook's sheet then keeps numbers as numbers with the
kind's number format, its header row bold and frozen, filters on the header and each column as
wide as given (or as its header and values, within ``MIN_WIDTH``..``MAX_WIDTH``). CSV has no
types: the same rows, as text.
"""

import csv
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from io import BytesIO
from numbers import Number

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from common.uploads import neutralise_for_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = ("csv", "xlsx")  # what a page's ?format= may ask for
PDF = "pdf"  # a page that offers a PDF besides (the exception report's board pack)
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel", PDF: "PDF"}


def _either(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def format_problem(formats=EXPORTS) -> str:
    """What a bad ?format= is told: "Downloads come as CSV or Excel: format=csv or format=xlsx"."""
    names = _either([FORMAT_NAMES[f] for f in formats])
    return f"Downloads come as {names}: " + _either([f"format={f}" for f in formats])


EXPORT_PROBLEM = format_problem()
MIN_WIDTH = 8  # characters; a column as wide as its values, within these bounds, unless given
MAX_WIDTH = 60


class Kind(StrEnum):
    """What a column holds, and so how Excel shows it."""

    TEXT = "text"
    COUNT = "count"  # whole numbers: 1,273
    GBP = "gbp"  # pounds: £1,059,768.00
    PERCENT = "percent"  # 0 to 100, as the portal holds a percentage (and the CSV gives it)
    DECIMAL = "decimal"  # 1,273.26
    DATE = "date"


# A percentage is held as the portal holds it, 28.33 for 28.33%, so the CSV and the workbook
# give the same number; the format adds the sign without Excel's own scaling by 100.
NUMBER_FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.GBP: '"£"#,##0.00',
    Kind.PERCENT: '0.0#"%"',
    Kind.DECIMAL: "#,##0.00",
    Kind.DATE: "yyyy-mm-dd",
}


@dataclass(frozen=True)
class Column:
    kind: Kind = Kind.TEXT
    width: float | None = None  # in characters; None: fitted to the header and the values


TEXT = Column()


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its name, its rows (the first is the header) and its columns' kinds by
    position (a column not described is text)."""

    name: str
    rows: Iterable[Sequence]
    columns: Sequence[Column] = ()


def export_number(value) -> int | float | None:
    """A Decimal as an int where it is whole, else a float, so that the CSV ('1059768',
    '28.33') and the workbook read back alike; None stays None (an empty cell)."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _is_number(value) -> bool:
    return isinstance(value, Number) and not isinstance(value, bool)


def _cell(value):
    if value is None:
        return ""
    if _is_number(value):
        return value
    return neutralise_for_export(str(value))


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(filename: str, rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # so Excel reads the file as UTF-8 (names hold '£', '›')
    csv.writer(response).writerows([_cell(value) for value in row] for row in rows)
    return _attachment(response, filename)


def _shown_length(value, kind: Kind) -> int:
    """About how many characters the cell shows, for fitting its column."""
    if value is None:
        return 0
    if kind == Kind.DATE and isinstance(value, datetime.date):
        return 10
    if _is_number(value) and kind in NUMBER_FORMATS:
        decimals = 0 if kind == Kind.COUNT else 2
        return len(f"{float(value):,.{decimals}f}") + (1 if kind in (Kind.GBP, Kind.PERCENT) else 0)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _write_sheet(workbook: Workbook, sheet: Sheet) -> None:
    rows = [list(row) for row in sheet.rows]
    width = max((len(row) for row in rows), default=0)
    columns = [*sheet.columns, *[TEXT] * (width - len(sheet.columns))][:width]
    worksheet = workbook.create_sheet(sheet.name[:31])  # Excel's limit on a sheet name
    # Write-only sheets take their layout before any row.
    for index, column in enumerate(columns):
        fitted = max(
            (_shown_length(row[index], column.kind) for row in rows if index < len(row)),
            default=0,
        )
        wide = column.width or min(MAX_WIDTH, max(MIN_WIDTH, fitted + 2))
        worksheet.column_dimensions[get_column_letter(index + 1)].width = wide
    if rows:
        worksheet.freeze_panes = "A2"
        worksheet.auto_filter.ref = f"A1:{get_column_letter(max(width, 1))}{len(rows)}"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for number, row in enumerate(rows):
        cells = []
        for index, value in enumerate(row):
            kind = columns[index].kind
            cell = WriteOnlyCell(worksheet, value=_typed(value, kind if number else Kind.TEXT))
            if number == 0:
                cell.font = bold
            elif (
                kind in NUMBER_FORMATS
                and cell.value is not None
                and not isinstance(cell.value, str)
            ):
                cell.number_format = NUMBER_FORMATS[kind]
            elif columns[index].width and kind == Kind.TEXT:
                cell.alignment = wrap  # a column held narrower than its text wraps it
            cells.append(cell)
        worksheet.append(cells)


def _typed(value, kind: Kind):
    """The value a cell holds: a number or date as itself, text neutralised; empty as None."""
    if value is None or value == "":
        return None
    if kind == Kind.DATE and isinstance(value, datetime.date):
        return value
    if _is_number(value):
        return value
    return neutralise_for_export(str(value))


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    workbook = Workbook(write_only=True)
    for sheet in sheets:
        _write_sheet(workbook, sheet)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    return _attachment(HttpResponse(workbook_bytes(sheets), content_type=XLSX), filename)


def xlsx_response(
    filename: str, rows: Iterable[Sequence], sheet: str, columns: Sequence[Column] = ()
) -> HttpResponse:
    """One sheet of rows (the first the header); ``columns`` says each column's kind and
    width by position."""
    return workbook_response(filename, [Sheet(sheet, rows, columns)])


def table_response(
    export: str,
    basename: str,
    rows: Iterable[Sequence],
    sheet: str,
    columns: Sequence[Column] = (),
):
    """The rows as ``basename``.csv or .xlsx, as ``export`` ("csv" or "xlsx") asks."""
    if export == "xlsx":
        return xlsx_response(f"{basename}.xlsx", rows, sheet, columns)
    return csv_response(f"{basename}.csv", rows)
