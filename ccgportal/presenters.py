"""Display values for the portal's own pages; nothing here queries."""

from dataclasses import dataclass

from django.urls import reverse

from ccgportal.selectors import YearOverview
from directorates.models import FinancialYear
from kpis.presenters import Tag


@dataclass(frozen=True)
class ContentLine:
    text: str
    href: str | None = None  # the portal page that shows it
    admin_href: str | None = None  # its list in the admin, for staff


def year_tag(year: FinancialYear) -> Tag:
    """A year's status as a tag: grey once locked (nothing in it changes), blue while open."""
    return Tag(year.get_status_display(), "grey" if year.is_locked else "blue")


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def year_contents(
    overview: YearOverview, *, with_admin_links: bool, pages: dict[str, str] | None = None
) -> list[ContentLine]:
    """What a year holds, one line per kind, linked to the page that shows it (``pages``, by
    the kind's admin name: "kpis_kpiyear", "kpis_teamreturn"…) and to its admin list for staff."""
    year_id = overview.year.pk
    returns = _plural(overview.returns, "team return", "team returns")
    if overview.returns and overview.approved_returns == overview.returns:
        returns += ", all approved"
    elif overview.approved_returns:
        returns += f", {overview.approved_returns} approved"
    lines = [
        (overview.kpis, _plural(overview.kpis, "KPI", "KPIs"), "kpis_kpiyear", "year__id__exact"),
        (
            overview.figures,
            _plural(overview.figures, "figure", "figures"),
            "kpis_figure",
            "kpi_year__year__id__exact",
        ),
        (overview.returns, returns, "kpis_teamreturn", "year__id__exact"),
        (
            overview.cost_lines,
            _plural(overview.cost_lines, "running-cost line", "running-cost lines"),
            "finance_costline",
            "schedule__year__id__exact",
        ),
        (
            overview.finance_summary,
            "finance summary",
            "finance_financesummaryline",
            "year__id__exact",
        ),
        (
            overview.surveys,
            _plural(overview.surveys, "survey", "surveys"),
            "surveys_survey",
            "year__id__exact",
        ),
        (
            overview.narratives,
            _plural(overview.narratives, "directorate narrative", "directorate narratives"),
            "directorates_narrativesection",
            "year__id__exact",
        ),
        (overview.plans, _plural(overview.plans, "plan", "plans"), "plans_plan", "year__id__exact"),
        (overview.annual_report, "annual report", "reports_annualreport", "year__id__exact"),
    ]
    return [
        ContentLine(
            text,
            (pages or {}).get(admin_name),
            f"{reverse(f'admin:{admin_name}_changelist')}?{filter_name}={year_id}"
            if with_admin_links
            else None,
        )
        for count, text, admin_name, filter_name in lines
        if count
    ]
