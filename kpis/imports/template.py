"""The long layout's template: its header and a row for each of a year's KPIs, values empty.

Nothing in the template is a figure: imported as downloaded, it writes nothing and the preview
says why (kpis/imports/long.py, ``EMPTY_FILE``). How to write each kind of value is shown apart
from the rows that are read: on the import page, and on the Excel template's second sheet, which
the importer never reads (it reads the first sheet), its rows marked as examples in the KPI column
so that one copied into the first sheet is refused as an unknown KPI.
"""

from dataclasses import dataclass

from directorates.models import FinancialYear
from kpis import rules
from kpis.imports.long import COLUMNS, OPTIONAL
from kpis.models import QUARTER_MONTHS, KpiYear

EXAMPLE_MARK = "EXAMPLE, not imported:"
EXAMPLES_SHEET = "Examples (not imported)"

# One value each shape reads, as the importer parses it (common.cells), and what it means.
EXAMPLES = {
    rules.Measure.COUNT: ("96", "a count"),
    rules.Measure.COUNT_VALUE: ("17/£1,059,768", "a count and its value in pounds"),
    rules.Measure.RATIO: ("57/60", "a numerator over its denominator (57 of 60)"),
    rules.Measure.PERCENT: ("28.33%", "a percentage (28.33 is read as 28.33% too)"),
    rules.Measure.DECIMAL: ("273.26", "a number with decimals"),
    rules.Measure.COUNT_PAIR: ("60/40", "two counts side by side (60 issued, 40 published)"),
}
NOT_COLLECTED = ("*", "not collected this period (never read as zero)")


@dataclass(frozen=True)
class Example:
    kpi: str  # a KPI of the year with this shape
    shape: str  # what the value means
    value: str


def _periods(kpi_year: KpiYear) -> tuple[str, str]:
    """A monthly KPI's row is its first month (the quarter is rolled up from its months); any
    other KPI's is its first quarter."""
    monthly = kpi_year.frequency == rules.Frequency.MONTHLY
    return "1", str(QUARTER_MONTHS[1][0]) if monthly else ""


def template_rows(year: FinancialYear) -> list[list[str]]:
    """The header and a row per KPI of the year, with its period and nothing else filled in."""
    rows = [[*COLUMNS, *OPTIONAL]]
    for kpi_year in KpiYear.objects.for_schedule(year):
        quarter, month = _periods(kpi_year)
        rows.append([kpi_year.kpi.name, quarter, month, "", "", "", ""])
    return rows


def examples(year: FinancialYear) -> list[Example]:
    """How to write a value of each shape the year's KPIs have, each with one of its KPIs."""
    first: dict[rules.Measure, str] = {}
    for kpi_year in KpiYear.objects.for_schedule(year):
        first.setdefault(rules.Measure(kpi_year.measure), kpi_year.kpi.name)
    found = [
        Example(first[measure], shape, value)
        for measure, (value, shape) in EXAMPLES.items()
        if measure in first
    ]
    if found:
        found.append(Example(found[0].kpi, NOT_COLLECTED[1], NOT_COLLECTED[0]))
    return found


def example_rows(year: FinancialYear) -> list[list[str]]:
    """The Excel template's examples sheet: the header, then an example row for each shape,
    its KPI cell marked as an example, and what it means in the commentary column."""
    rows = [[*COLUMNS, *OPTIONAL]]
    for example in examples(year):
        rows.append(
            [
                f"{EXAMPLE_MARK} {example.kpi}",
                "1",
                "",
                example.value,
                f"Example: {example.shape}",
                "",
                "",
            ]
        )
    return rows
