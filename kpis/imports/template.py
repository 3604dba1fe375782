"""The long layout's template: its header and an example row for each of a year's KPIs."""

from directorates.models import FinancialYear
from kpis import rules
from kpis.imports.long import COLUMNS, OPTIONAL
from kpis.models import QUARTER_MONTHS, KpiYear

# One value each shape reads, as the importer parses it (common.cells).
EXAMPLES = {
    rules.Measure.COUNT: "96",
    rules.Measure.COUNT_VALUE: "17/£1,059,768",
    rules.Measure.RATIO: "57/60",
    rules.Measure.PERCENT: "28.33%",
    rules.Measure.DECIMAL: "273.26",
    rules.Measure.COUNT_PAIR: "60/40",
}


def template_rows(year: FinancialYear) -> list[list[str]]:
    """A monthly KPI's example is its first month (the quarter is rolled up from its months);
    any other KPI's is its first quarter."""
    rows = [[*COLUMNS, *OPTIONAL]]
    for kpi_year in KpiYear.objects.for_schedule(year):
        monthly = kpi_year.frequency == rules.Frequency.MONTHLY
        rows.append(
            [
                kpi_year.kpi.name,
                "1",
                str(QUARTER_MONTHS[1][0]) if monthly else "",
                EXAMPLES[rules.Measure(kpi_year.measure)],
                "",
                "",
                "",
            ]
        )
    return rows
