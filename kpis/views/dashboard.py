"""Dashboards for directors: the scorecard, a directorate's page, the exception report."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.shortcuts import get_object_or_404, render

from ccgportal.exports import table_response
from directorates.models import Directorate, FinancialYear
from directorates.roles import roles_for
from kpis import charts, dashboard
from kpis.dashboard import Standing
from kpis.filters import ScorecardFilter
from kpis.models import KpiYear
from kpis.presenters import figure_text
from kpis.rules import RAG_LEGEND
from kpis.tables import PAGE_SIZE, ScorecardTable

EXPORTS = ("csv", "xlsx")
EXCEPTIONS_PAGE_SIZE = 40


def _scope(roles):
    """The KPI years a user may see: everything for directors, executives and admins."""
    scope = KpiYear.objects.filter(is_reported=True)
    if not roles.sees_everything:
        scope = scope.filter(team_id__in=roles.member_team_ids)
    return scope


def _filters(request, **fixed) -> tuple[ScorecardFilter, list[tuple[str, str]]]:
    """The filters from the query string, the latest reported quarter where none is given."""
    data = request.GET.copy()
    data.update(fixed)
    if not data.get("year") or not data.get("quarter"):
        year, quarter = dashboard.default_period(list(FinancialYear.objects.all()))
        if year is not None and not data.get("year"):
            data["year"] = year.label
            data.setdefault("quarter", str(quarter))
        data.setdefault("quarter", "4" if year is None else str(quarter))
    filterset = ScorecardFilter(data, queryset=_scope(roles_for(request.user)), request=request)
    problems = filterset.error_list()
    if request.GET.get("format") not in (None, "", *EXPORTS):
        problems.append(("format", "Downloads come as CSV or Excel: format=csv or format=xlsx"))
    return filterset, problems


def _scorecard(filterset, *, by_team=False) -> dashboard.Scorecard:
    data = filterset.form.cleaned_data
    return dashboard.scorecard(
        kpi_years=filterset.qs,
        year=data["year"],
        quarter=int(data["quarter"]),
        standings={Standing(s) for s in data.get("rag") or ()},
        by_team=by_team,
    )


def _page(request, rows, per_page):
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        return None


def _table(request, rows) -> ScorecardTable:
    return ScorecardTable(rows, order_by=request.GET.get("sort") or None)


def _export(request, table: ScorecardTable, card, name: str):
    dashboard.attach_spc(card.rows)
    basename = f"{name}-{card.year.label}-q{card.quarter}"
    return table_response(request.GET["format"], basename, table.as_values(), name)


def _refused(request, template, filterset, problems, context=None):
    """Bad filters: the page with what is wrong and nothing else, and a 400."""
    return render(
        request,
        template,
        {"filterset": filterset, "problems": problems, **(context or {})},
        status=400,
    )


def _paginated(request, table):
    try:
        table.paginate(page=request.GET.get("page") or 1, per_page=PAGE_SIZE)
    except (PageNotAnInteger, EmptyPage):
        return False
    dashboard.attach_spc([row.record for row in table.page.object_list])
    return True


@login_required
def scorecard(request):
    filterset, problems = _filters(request)
    if problems:
        return _refused(request, "dashboard/scorecard.html", filterset, problems)
    card = _scorecard(filterset)
    table = _table(request, card.rows)
    if request.GET.get("format"):
        return _export(request, table, card, "scorecard")
    if not _paginated(request, table):
        return _refused(request, "dashboard/scorecard.html", filterset, _no_page(request))
    figure, summary = charts.counts_chart(card.groups, "directorate")
    return render(
        request,
        "dashboard/scorecard.html",
        {
            "filterset": filterset,
            "card": card,
            "table": table,
            "chart": figure,
            "chart_summary": summary,
            "legend": RAG_LEGEND,
        },
    )


def _no_page(request):
    return [("page", f"There is no page '{request.GET.get('page')}' of this table")]


@login_required
def directorate(request, directorate):
    directorate = get_object_or_404(Directorate, slug=directorate)
    filterset, problems = _filters(request, directorate=directorate.slug)
    context = {"directorate": directorate, "fixed": ["directorate"]}
    if problems:
        return _refused(request, "dashboard/directorate.html", filterset, problems, context)
    card = _scorecard(filterset, by_team=True)
    table = _table(request, card.rows)
    table.exclude = ("team",) if len(card.groups) < 2 else ()
    if request.GET.get("format"):
        return _export(request, table, card, directorate.slug)
    if not _paginated(request, table):
        return _refused(
            request, "dashboard/directorate.html", filterset, _no_page(request), context
        )
    figure, summary = charts.counts_chart(card.groups, "team")
    return render(
        request,
        "dashboard/directorate.html",
        {
            **context,
            "filterset": filterset,
            "card": card,
            "table": table,
            "chart": figure,
            "chart_summary": summary,
            "legend": RAG_LEGEND,
        },
    )


@login_required
def exceptions(request):
    filterset, problems = _filters(request)
    if problems:
        return _refused(request, "dashboard/exceptions.html", filterset, problems)
    card = _scorecard(filterset)
    rows = dashboard.exceptions(card)
    if request.GET.get("format"):
        table = ScorecardTable(rows)
        basename = f"exceptions-{card.year.label}-q{card.quarter}"
        return table_response(request.GET["format"], basename, table.as_values(), "exceptions")
    page = _page(request, rows, EXCEPTIONS_PAGE_SIZE)
    if page is None:
        return _refused(request, "dashboard/exceptions.html", filterset, _no_page(request))
    dashboard.attach_recent(page.object_list)  # their latest periods, for this page only
    return render(
        request,
        "dashboard/exceptions.html",
        {
            "filterset": filterset,
            "card": card,
            "page": page,
            "legend": RAG_LEGEND,
            "figure_label": figure_text,
        },
    )
