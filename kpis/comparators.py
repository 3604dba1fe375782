"""A quarter's figures and what they are compared with, read one way by every caller.

A quarter's RAG compares its figure with the target (``rules.assess``); a target of an
increase on last year compares it with the same quarter last year; its trend compares it with
the quarter before, which for a Q1 is last year's Q4. So every page, check and import that
judges a quarter reads the year's quarterly figures and last year's, keyed by KPI (a KPI's
last year may be another KPI year, owned by another team). The return form and sign-off page
(``kpis.returns.rows``), submission checks (``kpis.returns.services``), imports
(``kpis.imports.state``) and the scorecard (``dashboards.scorecard``) all read them here; a
whole series for SPC is ``kpis.series``.
"""

from datetime import date

from django.db.models import Q

from directorates.models import FinancialYear
from kpis.models import VALUE_FIELDS, Figure
from kpis.rules import FigureValues

# The columns of a FigureValues, in its field order.
VALUE_COLUMNS = ("not_collected", *VALUE_FIELDS)


def last_year_start(year: FinancialYear) -> date:
    return year.start_date.replace(year=year.start_date.year - 1)


def last_year_condition(year: FinancialYear, quarters=None) -> Q:
    """Figures of last year's quarters (all four, or those given), never its months."""
    condition = Q(kpi_year__year__start_date=last_year_start(year), month__isnull=True)
    if quarters is not None:
        condition &= Q(quarter__in=sorted(quarters))
    return condition


def quarter_condition(year: FinancialYear, quarter: int) -> Q:
    """What a quarter's row on the scorecard reads, this year's quarters and the two of last
    year it compares with: the same quarter (an increase on last year) and Q4 (a Q1's trend)."""
    this_year = Q(kpi_year__year__start_date=year.start_date, month__isnull=True)
    return this_year | last_year_condition(year, {quarter, 4})


def year_quarters(kpi_year_ids) -> dict[int, dict[int, FigureValues]]:
    """The stored quarterly figures of these KPI years, by KPI year and quarter; one query."""
    found: dict[int, dict[int, FigureValues]] = {}
    rows = Figure.objects.filter(kpi_year__in=kpi_year_ids, month__isnull=True).values_list(
        "kpi_year_id", "quarter", *VALUE_COLUMNS
    )
    for kpi_year_id, quarter, *values in rows.order_by():
        found.setdefault(kpi_year_id, {})[quarter] = FigureValues(*values)
    return found


def last_year_quarters(
    kpi_ids, year: FinancialYear, quarters=None
) -> dict[int, dict[int, FigureValues]]:
    """Last year's quarterly figures of these KPIs, by KPI and quarter; one query."""
    found: dict[int, dict[int, FigureValues]] = {}
    rows = (
        Figure.objects.filter(last_year_condition(year, quarters), kpi_year__kpi__in=kpi_ids)
        .order_by()
        .values_list("kpi_year__kpi_id", "quarter", *VALUE_COLUMNS)
    )
    for kpi_id, quarter, *values in rows:
        found.setdefault(kpi_id, {})[quarter] = FigureValues(*values)
    return found
