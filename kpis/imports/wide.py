"""Import KPI figures in the published wide layout: one row per KPI, Q1-Q4 and the target."""

from common.cells import CellError, parse_target
from common.importing import ImportPlan
from common.uploads import UploadedTable
from directorates.models import FinancialYear
from kpis import rules
from kpis.imports.applying import apply
from kpis.imports.planning import Planner, read_value, stored, value_fields
from kpis.imports.state import YearState
from kpis.loaders import SCHEDULE_COLUMNS
from kpis.shapes import ShapeError, target_value

LAYOUT = "KPI figures, published layout (one row per KPI, Q1-Q4 and target)"
COLUMNS = SCHEDULE_COLUMNS
QUARTER_COLUMNS = {f"q{quarter}": quarter for quarter in range(1, 5)}

__all__ = ["COLUMNS", "LAYOUT", "apply", "plan", "recognises"]


def recognises(header: list[str]) -> bool:
    return [cell.strip().lower() for cell in header] == SCHEDULE_COLUMNS


def plan(table: UploadedTable, *, year: FinancialYear) -> ImportPlan:
    """What importing the schedule into the year would change; writes nothing.

    The section, function and frequency columns describe the KPI as published; a KPI is
    found by its name, and its owner and set-up stay as the year has them (for the published
    record, kpis/loaders.py sets them up from these columns before this reads the quarters).
    """
    state = YearState(year)
    planner = Planner(state, LAYOUT)
    columns = [cell.strip().lower() for cell in table.header]
    heading = dict(zip(columns, table.header, strict=True))
    seen: dict[int, int] = {}
    for number, cells in table.rows:
        item = dict(zip(columns, cells, strict=True))
        kpi_year = state.match(item["kpi"])
        if kpi_year is None:
            planner.unknown_kpi(item["kpi"], number, heading["kpi"])
            continue
        if kpi_year.id in seen:
            planner.problem(
                f"{kpi_year.kpi.name} is already given in row {seen[kpi_year.id]}",
                number,
                heading["kpi"],
            )
            continue
        seen[kpi_year.id] = number
        for column, quarter in QUARTER_COLUMNS.items():
            _quarter(planner, state, kpi_year, quarter, item[column], number, heading[column])
        _target(planner, kpi_year, item["target"], number, heading["target"])
    return planner.finish()


def _quarter(planner, state, kpi_year, quarter, text, row, column) -> None:
    if not text:  # a quarter left blank is not imported
        return
    try:
        values, cell = read_value(kpi_year, text)
    except (CellError, ShapeError) as exc:
        planner.problem(str(exc), row, column)
        return
    if state.months.get((kpi_year.id, quarter)):
        held = state.figures.get((kpi_year.id, quarter, None))
        if held is None or held.values != stored(values):
            planner.problem(
                f"{kpi_year.kpi.name} is recorded by month in quarter {quarter}, and its "
                "months roll up to another figure; import its months in the long layout",
                row,
                column,
            )
            return
    planner.figure(
        kpi_year,
        quarter,
        None,
        value_fields(values),
        row=row,
        column=column,
        published_text=cell.text,
    )


def _target(planner, kpi_year, text, row, column) -> None:
    try:
        cell = parse_target(text)
        kind = rules.TargetKind(kpi_year.target_kind)
        # '100% (6 days)': the number judged each period is the one in brackets.
        override = cell.qualifier if kind != rules.TargetKind.PERCENT else None
        value = target_value(kind, cell, override)
    except (CellError, ShapeError) as exc:
        planner.problem(str(exc), row, column)
        return
    planner.target(kpi_year, cell.text, value, row=row, column=column)
