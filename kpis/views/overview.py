"""Pages that look across returns: my returns, completeness by directorate, a KPI's history."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from ccgportal.exports import csv_response
from directorates.models import FinancialYear
from kpis import selectors
from kpis.models import Kpi

HISTORY_PAGE_SIZE = 100

# Permissions are checked with rules.has_perm, the predicates directorates.roles registers: the
# same answer as user.has_perm, without the model backend's permission-table queries.


def _today():
    return timezone.localdate()


@login_required
def my_returns(request):
    overview = selectors.my_returns(user=request.user, today=_today())
    return render(
        request,
        "returns/my_returns.html",
        {
            "overview": overview,
            "can_see_completeness": rules.has_perm("directorates.view_completeness", request.user),
        },
    )


@login_required
def completeness(request, year):
    if not rules.has_perm("directorates.view_completeness", request.user):
        raise PermissionDenied("Only directors, deputies, executives and admins see completeness")
    year = get_object_or_404(FinancialYear, label=year)
    export = request.GET.get("format")
    if export not in (None, "", "csv"):
        raise Http404("Completeness can be exported as CSV only (format=csv)")
    report = selectors.completeness(user=request.user, year=year, today=_today())
    if export == "csv":
        return csv_response(f"returns-completeness-{year.label}.csv", completeness_table(report))
    return render(request, "returns/completeness.html", {"report": report})


@login_required
def kpi_history(request, kpi):
    kpi = get_object_or_404(Kpi, slug=kpi)
    years = selectors.kpi_years(kpi)
    visible = [
        ky for ky in years if rules.has_perm("directorates.view_team_return", request.user, ky.team)
    ]
    if years and not visible:
        raise PermissionDenied("This KPI belongs to a team whose returns you cannot see")
    page = Paginator(selectors.figure_changes(visible), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = selectors.change_rows(page.object_list, visible)
    return render(request, "kpis/history.html", {"kpi": kpi, "page": page, "rows": rows})


# ---------------------------------------------------------------- the CSV export


def _cell_text(cell: selectors.ReturnCell) -> str:
    return f"{cell.label} (overdue)" if cell.overdue else cell.label


def completeness_table(report: selectors.Completeness) -> list[list[str]]:
    """The completeness table as rows of text, in the order the page shows them."""
    rows = [
        ["Directorate", "Team"]
        + [f"Quarter {q.quarter} (due {q.due.isoformat()})" for q in report.quarters]
    ]
    for group in report.directorates:
        name = group.directorate.name
        rows.append([name, "Submitted or approved"] + [c.text for c in group.counts])
        rows.extend(
            [name, str(row.team)] + [_cell_text(c) for c in row.cells] for row in group.teams
        )
    rows.append(["All directorates", "Submitted or approved"] + [c.text for c in report.totals])
    return rows
