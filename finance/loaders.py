"""Load a published running-cost schedule and finance summary into the model."""

from pathlib import Path

from common.cells import is_nil_money, parse_money
from common.loading import LoadError, parse, read_csv, upsert
from directorates.models import Directorate, FinancialYear
from finance.models import CostLine, FinanceSummaryLine, RunningCostSchedule

RUNNING_COST_COLUMNS = [
    "level",
    "line",
    "amount_gbp",
    "printed_per_capita",
    "printed_percent",
    "note",
]
SUMMARY_COLUMNS = ["measure", "total_gbp_000", "programme_gbp_000", "running_costs_gbp_000"]
SUMMARY_MEASURES = {label: value for value, label in FinanceSummaryLine.Measure.choices}


def load_running_costs(
    path: Path, year: FinancialYear, directorates: list[Directorate]
) -> RunningCostSchedule:
    """Lines as a tree (level 1 top lines, 2 groups, 3 teams); level 0 is the published total."""
    rows = list(read_csv(path, RUNNING_COST_COLUMNS))
    totals = [(row, item) for row, item in rows if item["level"] == "0"]
    if len(totals) != 1:
        raise LoadError(path, "needs exactly one total row (level 0)")
    total_row, total = totals[0]
    schedule = upsert(
        RunningCostSchedule,
        {"year": year},
        {
            "published_total_gbp": parse(
                path, total_row, "amount_gbp", parse_money, total["amount_gbp"]
            )
        },
        where=(path, total_row),
    )
    by_name = {d.name.upper(): d for d in directorates}
    parents: list[CostLine] = []  # the open line at each level above the current row
    order = 0
    for row, item in rows:
        if item["level"] == "0":
            continue
        if item["level"] not in {"1", "2", "3"}:
            raise LoadError(
                path, f"level '{item['level']}' is not 0, 1, 2 or 3", row=row, column="level"
            )
        level = int(item["level"])
        if level > len(parents) + 1:
            raise LoadError(
                path,
                f"a level {level} line needs a level {level - 1} line above it",
                row=row,
                column="level",
            )
        del parents[level - 1 :]
        order += 1
        text = item["amount_gbp"]
        line = upsert(
            CostLine,
            {"schedule": schedule, "display_order": order},
            {
                "parent": parents[-1] if parents else None,
                "directorate": by_name.get(item["line"]) if level == 1 else None,
                "name": item["line"],
                "amount_gbp": parse(path, row, "amount_gbp", parse_money, text),
                "published_text": text,
                "programme_funded": is_nil_money(text),
                "note": item["note"],
            },
            where=(path, row),
        )
        parents.append(line)
    CostLine.objects.filter(schedule=schedule, display_order__gt=order).delete()
    return schedule


def load_finance_summary(path: Path, year: FinancialYear) -> int:
    count = 0
    for order, (row, item) in enumerate(read_csv(path, SUMMARY_COLUMNS), start=1):
        measure = SUMMARY_MEASURES.get(item["measure"])
        if measure is None:
            raise LoadError(path, f"unknown measure '{item['measure']}'", row=row, column="measure")
        upsert(
            FinanceSummaryLine,
            {"year": year, "measure": measure},
            {
                "programme_gbp_000": parse(
                    path, row, "programme_gbp_000", parse_money, item["programme_gbp_000"]
                ),
                "running_gbp_000": parse(
                    path, row, "running_costs_gbp_000", parse_money, item["running_costs_gbp_000"]
                ),
                "published_total_gbp_000": parse(
                    path, row, "total_gbp_000", parse_money, item["total_gbp_000"]
                ),
                "display_order": order,
            },
            where=(path, row),
        )
        count += 1
    return count
