"""What the import pages show: a plan grouped for the preview, and the long layout's template."""

from ccgportal import imports
from common.exports import Column, Sheet, csv_response, workbook_response
from common.importing import ImportPlan, Kind
from common.uploads import UploadedTable
from kpis.imports.template import EXAMPLES_SHEET, example_rows, template_rows

# A preview lists at most this many items of a kind, so a 100,000-row file still renders
# a page of bounded size; the counts are always complete.
SHOWN = 1_000


def preview_context(plan: ImportPlan, table: UploadedTable | None) -> dict:
    def of(kind):
        items = [change for change in plan.changes if change.kind == kind]
        return {"items": items[:SHOWN], "count": len(items), "hidden": max(0, len(items) - SHOWN)}

    return {
        "plan": plan,
        "table": table,
        "changed": of(Kind.CHANGED),
        "new": of(Kind.NEW),
        "unchanged": of(Kind.UNCHANGED),
        "consequences": plan.consequences[:SHOWN],
        "problems": plan.problems[:SHOWN],
        "hidden_problems": max(0, len(plan.problems) - SHOWN),
        "digest": imports.digest(plan, table),
    }


# The template's columns in Excel: kpi, quarter, month, value, commentary, RAG, reason.
TEMPLATE_COLUMNS = [
    Column(width=60),
    Column(width=9),
    Column(width=7),
    Column(width=16),
    Column(width=50),
    Column(width=18),
    Column(width=40),
]


def template_response(year, export: str):
    """The long layout's template for a year: a row per KPI, values empty. The Excel one
    has the examples on a second sheet, which the importer does not read."""
    basename = f"kpi-returns-template-{year.label}"
    if export != "xlsx":
        return csv_response(f"{basename}.csv", template_rows(year))
    return workbook_response(
        f"{basename}.xlsx",
        [
            Sheet(f"KPI returns {year.label}", template_rows(year), TEMPLATE_COLUMNS),
            Sheet(EXAMPLES_SHEET, example_rows(year), TEMPLATE_COLUMNS),
        ],
    )
