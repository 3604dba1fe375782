"""Reads across apps for the portal's own pages (the home page's overview of each year)."""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from directorates.models import FinancialYear, NarrativeSection
from finance.models import CostLine, FinanceSummaryLine
from kpis.models import Figure, KpiYear, ReturnStatus, TeamReturn
from plans.models import Plan
from reports.models import AnnualReport
from surveys.models import Survey


@dataclass(frozen=True)
class YearOverview:
    year: FinancialYear
    kpis: int
    figures: int
    returns: int
    approved_returns: int
    cost_lines: int
    finance_summary: int
    surveys: int
    narratives: int
    plans: int
    annual_report: int = 0


def _count(queryset, year_field: str = "year", **filters):
    """A correlated COUNT per year, so the overview is one query however much data there is."""
    rows = (
        queryset.filter(**{year_field: OuterRef("pk")}, **filters)
        .order_by()
        .values(year_field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def year_overviews() -> list[YearOverview]:
    years = FinancialYear.objects.order_by("start_date").annotate(
        n_kpis=_count(KpiYear.objects, is_reported=True),
        n_figures=_count(Figure.objects, "kpi_year__year"),
        n_returns=_count(TeamReturn.objects),
        n_approved=_count(TeamReturn.objects, status=ReturnStatus.APPROVED),
        n_cost_lines=_count(CostLine.objects, "schedule__year"),
        n_finance_summary=_count(FinanceSummaryLine.objects),
        n_surveys=_count(Survey.objects),
        n_narratives=_count(NarrativeSection.objects),
        n_plans=_count(Plan.objects),
        n_annual_report=_count(AnnualReport.objects),
    )
    return [
        YearOverview(
            year=year,
            kpis=year.n_kpis,
            figures=year.n_figures,
            returns=year.n_returns,
            approved_returns=year.n_approved,
            cost_lines=year.n_cost_lines,
            finance_summary=year.n_finance_summary,
            surveys=year.n_surveys,
            narratives=year.n_narratives,
            plans=year.n_plans,
            annual_report=year.n_annual_report,
        )
        for year in years
    ]
