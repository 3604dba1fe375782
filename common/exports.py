"""CSV and Excel downloads of a page's table: every cell neutralised against formula injection.

Text from people (commentary, names) may begin with = + - @; a spreadsheet would run it as a
formula, so each text cell passes through ``neutralise_for_export``. Numbers stay numbers.
"""

import csv
from collections.abc import Iterable, Sequence
from io import BytesIO
from numbers import Number

from django.http import HttpResponse
from openpyxl import Workbook

from common.uploads import neutralise_for_export

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORTS = ("csv", "xlsx")  # what a page's ?format= may ask for
EXPORT_PROBLEM = "Downloads come as CSV or Excel: format=csv or format=xlsx"


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, Number) and not isinstance(value, bool):
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


def xlsx_response(filename: str, rows: Iterable[Sequence], sheet: str) -> HttpResponse:
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])  # Excel's limit on a sheet name
    for row in rows:
        worksheet.append([_cell(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return _attachment(HttpResponse(buffer.getvalue(), content_type=XLSX), filename)


def table_response(export: str, basename: str, rows: Iterable[Sequence], sheet: str):
    """The rows as ``basename``.csv or .xlsx, as ``export`` ("csv" or "xlsx") asks."""
    if export == "xlsx":
        return xlsx_response(f"{basename}.xlsx", rows, sheet)
    return csv_response(f"{basename}.csv", rows)
