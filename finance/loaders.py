"""Load a published finance summary into the model.

The running-cost schedule has no loader: its published layout is the one the running-cost
importer (finance/imports.py) reads, which creates the schedule and its lines itself. No
importer reads the finance summary's layout, so it is loaded here.
"""

from pathlib import Path

from common.cells import parse_money
from common.loading import LoadError, parse, read_csv, upsert
from directorates.models import FinancialYear
from finance.models import FinanceSummaryLine

SUMMARY_COLUMNS = ["measure", "total_gbp_000", "programme_gbp_000", "running_costs_gbp_000"]
SUMMARY_MEASURES = {label: value for value, label in FinanceSummaryLine.Measure.choices}


def load_finance_summary(path: Path, year: FinancialYear) -> int:
    """Each published measure's total, programme and running-cost amounts (£000); returns the
    count."""
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
