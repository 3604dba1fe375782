"""The finance pages: a year's running costs and its finance summary, each downloadable."""

from collections.abc import Callable
from functools import partial

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from common.exports import EXPORT_PROBLEM, EXPORTS, table_response
from common.http import read_only
from finance import charts, presenters, selectors


def _answer(request, page, rows: Callable[[], list], filename: str, sheet: str, draw: Callable):
    """The page drawn, its table downloaded as ?format= asks, or a 400 for a format there is
    none of (what is wrong and nothing else)."""
    export = request.GET.get("format")
    if export not in (None, "", *EXPORTS):
        refused = presenters.refused_page(page.title, [EXPORT_PROBLEM])
        return render(request, "finance/refused.html", {"page": refused}, status=400)
    if export:
        return table_response(export, filename, rows(), sheet)
    return draw()


@read_only
@login_required
def running_costs(request, year):
    costs = selectors.running_costs(year)
    if costs is None:
        raise Http404("No running-cost schedule for that year")
    page = presenters.running_costs_page(costs)

    def draw():
        figure, summary = charts.treemap(costs.schedule)
        context = {"page": page, "chart": figure, "chart_summary": summary}
        return render(request, "finance/running_costs.html", context)

    rows = partial(presenters.running_cost_rows, costs)
    return _answer(request, page, rows, f"running-costs-{year}", "running costs", draw)


@read_only
@login_required
def finance_summary(request, year):
    summary = selectors.finance_summary(year)
    if summary is None:
        raise Http404("No finance summary for that year")
    page = presenters.finance_summary_page(summary)

    draw = partial(render, request, "finance/summary.html", {"page": page})
    rows = partial(presenters.finance_summary_rows, summary)
    return _answer(request, page, rows, f"finance-summary-{year}", "finance summary", draw)


@read_only
@login_required
def latest_running_costs(request):
    """The navigation's Running costs: the latest year that has a schedule."""
    label = selectors.latest_schedule_year()
    if label is None:
        raise Http404("No running-cost schedule has been loaded yet")
    return redirect("running_costs", year=label)
