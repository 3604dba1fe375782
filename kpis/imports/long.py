"""Import KPI figures in the long layout: one row per KPI and period, with commentary and the
owner's self-assessed RAG. The admin downloads its template from the import page."""

import calendar
from dataclasses import dataclass

from common.cells import CellError
from common.importing import ImportPlan
from common.limits import whole_number
from common.uploads import UploadedTable
from directorates.models import FinancialYear
from kpis import rules
from kpis.imports.applying import apply
from kpis.imports.planning import Planner, read_value, rolled_up_quarter, stored, value_fields
from kpis.imports.state import YearState
from kpis.models import QUARTER_MONTHS, KpiYear
from kpis.shapes import ShapeError

LAYOUT = "KPI figures, long layout (one row per KPI and period)"
COLUMNS = ["kpi", "quarter", "month", "value", "commentary", "self_assessed_rag"]
OPTIONAL = ["self_assessment_reason"]
MAX_TEXT = 5_000  # as the return form allows
RAGS = {"green": "green", "g": "green", "amber": "amber", "a": "amber", "red": "red", "r": "red"}
# A file in which no row gives anything to write: the template as downloaded, most likely.
EMPTY_FILE = (
    "no row gives a value, commentary or RAG, so there is nothing to import (the template "
    "downloaded from the import page comes like this). Write each KPI's figure in the value "
    "column, or '*' where it was not collected, and delete the rows of KPIs you are not reporting"
)
MONTHS = {
    **{name.lower(): number for number, name in enumerate(calendar.month_name) if number},
    **{name.lower(): number for number, name in enumerate(calendar.month_abbr) if number},
}

__all__ = ["COLUMNS", "LAYOUT", "OPTIONAL", "apply", "plan", "recognises"]


def recognises(header: list[str]) -> bool:
    names = [_column(cell) for cell in header]
    return len(names) == len(set(names)) and set(COLUMNS) <= set(names) <= {*COLUMNS, *OPTIONAL}


def _column(cell: str) -> str:
    return cell.strip().lower().replace(" ", "_")


@dataclass
class _Row:
    number: int
    kpi_year: KpiYear
    quarter: int
    month: int | None
    item: dict[str, str]


def plan(table: UploadedTable, *, year: FinancialYear) -> ImportPlan:
    """What importing the rows into the year would change; writes nothing.

    A monthly KPI's quarter is rolled up from its months (those in the file over those held)
    by the same rule as the return form; its commentary and RAG go on the quarter's row.
    """
    state = YearState(year)
    planner = Planner(state, LAYOUT)
    columns = [_column(cell) for cell in table.header]
    heading = dict(zip(columns, table.header, strict=True))
    given = [
        columns.index(name)
        for name in ("value", "commentary", "self_assessed_rag", *OPTIONAL)
        if name in columns
    ]
    if not any(cells[index] for _, cells in table.rows for index in given):
        planner.problem(EMPTY_FILE)
        return planner.finish()
    groups: dict[tuple[int, int], dict[int | None, _Row]] = {}
    for number, cells in table.rows:
        item = dict(zip(columns, cells, strict=True))
        row = _read_row(planner, state, number, item, heading)
        if row is None:
            continue
        group = groups.setdefault((row.kpi_year.id, row.quarter), {})
        if row.month in group:
            planner.problem(
                f"{row.kpi_year.kpi.name} for this period is already given in row "
                f"{group[row.month].number}",
                number,
                heading["kpi"],
            )
            continue
        group[row.month] = row
    for (kpi_year_id, quarter), group in groups.items():
        _period(planner, state, state.kpi_years[kpi_year_id], quarter, group, heading)
    return planner.finish()


def _read_row(planner, state, number, item, heading) -> _Row | None:
    kpi_year = state.match(item["kpi"])
    if kpi_year is None:
        planner.unknown_kpi(item["kpi"], number, heading["kpi"])
    quarter_text = item["quarter"].upper().removeprefix("Q")
    quarter = int(quarter_text) if quarter_text in {"1", "2", "3", "4"} else None
    if quarter is None:
        planner.problem(
            f"'{item['quarter']}' is not a quarter: write 1, 2, 3 or 4", number, heading["quarter"]
        )
    month = None
    if item["month"]:
        text = item["month"].lower()
        month = whole_number(text, most=12) or MONTHS.get(text)
        if month is None:
            planner.problem(
                f"'{item['month']}' is not a month: write 1-12 (4 is April), or leave it blank "
                "for the quarter's figure",
                number,
                heading["month"],
            )
            return None
        if quarter and month not in QUARTER_MONTHS[quarter]:
            months = ", ".join(calendar.month_name[m] for m in QUARTER_MONTHS[quarter])
            planner.problem(
                f"{calendar.month_name[month]} is not in quarter {quarter} ({months})",
                number,
                heading["month"],
            )
            return None
    if kpi_year is None or quarter is None:
        return None
    return _Row(number, kpi_year, quarter, month, item)


def _period(planner, state, kpi_year, quarter, group, heading) -> None:
    quarter_row = group.pop(None, None)
    texts = _texts(planner, quarter_row, heading) if quarter_row else {}
    if texts is None:
        return
    if group and kpi_year.frequency != rules.Frequency.MONTHLY:
        for row in group.values():
            planner.problem(
                f"{kpi_year.kpi.name} is reported {kpi_year.frequency}: give its figure for the "
                "quarter, with the month left blank",
                row.number,
                heading["month"],
            )
        return
    months = {}
    for month, row in sorted(group.items()):
        if _texts(planner, row, heading, on_month=True) is None:
            continue
        values, text = _value(planner, kpi_year, row, heading, required=True)
        if values is not None:
            months[month] = values
            planner.figure(
                kpi_year,
                quarter,
                month,
                value_fields(values),
                row=row.number,
                column=heading["value"],
                published_text=text,
            )
    if len(months) < len(group):
        return  # a month was refused: its quarter cannot be rolled up
    if months:
        rolled = stored(rolled_up_quarter(state, kpi_year, quarter, months))
        if quarter_row and quarter_row.item["value"]:
            given, _ = _value(planner, kpi_year, quarter_row, heading, required=True)
            if given is not None and stored(given) != rolled:
                planner.problem(
                    f"{kpi_year.kpi.name}'s months roll up to a different quarter figure; "
                    "leave the quarter's value blank and it is worked out from the months",
                    quarter_row.number,
                    heading["value"],
                )
                return
        first = quarter_row or next(iter(sorted(group.items())))[1]
        planner.figure(
            kpi_year,
            quarter,
            None,
            {**value_fields(rolled), **texts},
            row=first.number,
            column=heading["value"],
        )
        return
    _quarter_only(planner, state, kpi_year, quarter, quarter_row, texts, heading)


def _quarter_only(planner, state, kpi_year, quarter, row, texts, heading) -> None:
    held = state.figures.get((kpi_year.id, quarter, None))
    text = ""
    if row.item["value"]:
        values, text = _value(planner, kpi_year, row, heading, required=True)
        if values is None:
            return
        if state.months.get((kpi_year.id, quarter)) and (
            held is None or held.values != stored(values)
        ):
            planner.problem(
                f"{kpi_year.kpi.name} is recorded by month in quarter {quarter}: give its months "
                "and leave the quarter's value blank",
                row.number,
                heading["value"],
            )
            return
    elif any(texts.get(name) for name in ("commentary", "self_assessed_rag")):
        values = held.values if held else rules.FigureValues()  # commentary or RAG only
        text = ""
    else:
        planner.problem(
            "the value is empty; write '*' if the information was not collected",
            row.number,
            heading["value"],
        )
        return
    planner.figure(
        kpi_year,
        quarter,
        None,
        {**value_fields(values), **texts},
        row=row.number,
        column=heading["value"],
        published_text=text,
    )


def _value(planner, kpi_year, row, heading, *, required):
    text = row.item["value"]
    if not text and required:
        planner.problem(
            "the value is empty; write '*' if the information was not collected",
            row.number,
            heading["value"],
        )
        return None, ""
    try:
        values, cell = read_value(kpi_year, text)
    except (CellError, ShapeError) as exc:
        planner.problem(str(exc), row.number, heading["value"])
        return None, ""
    return values, cell.text


def _texts(planner, row, heading, *, on_month=False) -> dict | None:
    """The commentary, RAG and reason of a quarter's row (kept as text, whatever they start
    with: exports neutralise them); a month's row carries none. None if refused."""
    item = row.item
    present = {
        name: item[name] for name in ("commentary", "self_assessed_rag", *OPTIONAL) if name in item
    }
    if on_month:
        for name, text in present.items():
            if text:
                planner.problem(
                    "commentary and RAG go on the quarter's row (month left blank), "
                    "not on a month's",
                    row.number,
                    heading[name],
                )
                return None
        return {}
    rag = present["self_assessed_rag"].lower()
    if rag and rag not in RAGS:
        planner.problem(
            f"'{present['self_assessed_rag']}' is not a RAG rating: write green, amber or red, "
            "or leave it blank",
            row.number,
            heading["self_assessed_rag"],
        )
        return None
    present["self_assessed_rag"] = RAGS.get(rag, "")
    for name, text in present.items():
        if len(text) > MAX_TEXT:
            planner.problem(
                f"is {len(text):,} characters long; the most kept is {MAX_TEXT:,}",
                row.number,
                heading[name],
            )
            return None
    return present
