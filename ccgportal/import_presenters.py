"""What the import pages show: a plan grouped for the preview, and the long layout's template."""

from ccgportal import imports
from common.exports import table_response
from common.importing import ImportPlan, Kind
from common.uploads import UploadedTable
from kpis.imports.template import template_rows

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


def template_response(year, export: str):
    return table_response(
        "xlsx" if export == "xlsx" else "csv",
        f"kpi-returns-template-{year.label}",
        template_rows(year),
        f"KPI returns {year.label}",
    )
