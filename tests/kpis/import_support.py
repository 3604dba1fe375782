"""Helpers for the import tests: files as admins send them, and the state a refusal keeps."""

import csv
import io
from pathlib import Path

import openpyxl
from django.conf import settings

from ccgportal.models import ImportRecord, PendingImport
from kpis.models import Figure, KpiYear, TeamReturn
from tests.support import snapshot

PUBLISHED = Path(settings.BASE_DIR) / "fixtures" / "published" / "kpis_2013-14.csv"
LONG_HEADER = ["kpi", "quarter", "month", "value", "commentary", "self_assessed_rag"]
INSPECTIONS = "Number of quality inspections carried out"


def csv_bytes(*rows, encoding="utf-8", newline="\r\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue().encode(encoding)


def long_csv(*rows, **kwargs) -> bytes:
    return csv_bytes(LONG_HEADER, *rows, **kwargs)


def xlsx_bytes(*rows, text_cells=()) -> bytes:
    """A workbook as openpyxl writes it; text_cells ('E2') hold text even if it starts with '='
    (stored as a string, as Excel stores text typed after an apostrophe)."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    for ref in text_cells:
        book.active[ref].data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# What an import writes to (an ImportRecord besides, unless it is refused).
KPI_ROWS = (Figure, TeamReturn, KpiYear, Figure.history.model, KpiYear.history.model)


def db_state():
    """Everything a refused import must leave as it was."""
    return snapshot(*KPI_ROWS, ImportRecord)


def pending_count() -> int:
    return PendingImport.objects.count()
