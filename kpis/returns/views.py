"""Returns pages: the return form, the sign-off page, my returns, completeness."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from common.exports import Column, Kind, Sheet, csv_response, workbook_response
from common.http import form_view, read_only
from common.limits import whole_number
from common.navigation import Crumb, trail
from directorates import access
from directorates.access import Perm
from directorates.models import Directorate, FinancialYear, Team
from kpis import scoping
from kpis.presenters import rag_preview_words, rag_words, return_status_tag, returns_legend
from kpis.returns import selectors, services, transitions
from kpis.returns.forms import ReturnForm
from kpis.returns.presenters import contents, return_notice
from kpis.returns.rows import entries_for, entry_for
from kpis.returns.transitions import Move

# Permissions are asked of directorates.access (who may see) and of the transitions table (who
# may make a move), never of roles directly: one answer for every page and service.


def _my_returns_crumb() -> Crumb:
    return Crumb("My returns", reverse("my_returns"))


def _completeness_crumb(year: FinancialYear) -> Crumb:
    return Crumb(
        f"Returns completeness {year}", reverse("completeness", kwargs={"year": year.label})
    )


def _period(year: str, quarter: int) -> FinancialYear:
    if not 1 <= quarter <= 4:
        raise Http404("There are four quarters in a year")
    return get_object_or_404(FinancialYear, label=year)


@form_view
@login_required
def return_form(request, year, quarter, team):
    year = _period(year, quarter)
    team = get_object_or_404(Team, slug=team)
    access.require(request.user, Perm.VIEW_TEAM_RETURN, team)
    entry = entry_for(year, quarter, team)
    form = ReturnForm(entry, data=request.POST if request.method == "POST" else None)
    stale = None
    if request.method == "POST":
        submit = request.POST.get("action") == "submit"
        transitions.require_mover(request.user, Move.SUBMIT if submit else Move.SAVE, team=team)
        if form.is_valid():
            try:
                services.return_save(
                    by=request.user,
                    team=team,
                    year=year,
                    quarter=quarter,
                    rows=form.inputs(),
                    version=form.posted_version,
                    submit=submit,
                )
            except services.RowProblems as problems:
                form.add_problems(problems.problems)
            except services.StaleReturn as error:
                stale = error
            except services.ReturnError as error:
                form.top_errors.append(str(error))
            else:
                messages.success(
                    request, "Return submitted for approval" if submit else "Draft saved"
                )
                return redirect(request.path)
    return render(
        request,
        "returns/form.html",
        {
            "entry": entry,
            "form": form,
            "notice": return_notice(entry),
            "contents": contents(entry),
            "stale": stale,
            "can_edit": _editable(request.user, entry),
            "legend": returns_legend(),
            "rag_words": rag_words(),
            "preview_words": rag_preview_words(),
            "breadcrumbs": trail(_my_returns_crumb()),
        },
        status=400 if request.method == "POST" else 200,
    )


def _editable(user, entry) -> bool:
    """Whether the form offers saving: the user edits the team's returns and its status allows."""
    status = entry.team_return.status if entry.team_return else transitions.NOT_STARTED
    return transitions.editable(status) and transitions.may_make(user, Move.SAVE, team=entry.team)


@form_view
@login_required
def sign_off(request, year, quarter, directorate):
    year = _period(year, quarter)
    directorate = get_object_or_404(Directorate, slug=directorate)
    access.require(
        request.user,
        Perm.VIEW_COMPLETENESS,
        message="Only directors, deputies, executives and admins see sign-off pages",
    )
    error = error_for = None
    if request.method == "POST":
        transitions.require_mover(request.user, Move.APPROVE, directorate=directorate)
        try:
            done = _sign_off_post(request, directorate, year, quarter)
        except SignOffProblem as problem:
            error, error_for = problem.message, problem.team_return_id
        else:
            messages.success(request, done)
            return redirect(request.path)
    entries = entries_for(year, quarter, list(_teams_with_kpis(directorate, year)))
    can_approve = transitions.may_make(request.user, Move.APPROVE, directorate=directorate)
    may_return = transitions.may_make(request.user, Move.RETURN, directorate=directorate)
    return render(
        request,
        "returns/sign_off.html",
        {
            "year": year,
            "quarter": quarter,
            "directorate": directorate,
            "entries": entries,
            "can_approve": can_approve,
            # What the page offers, asked of the transitions table as the services ask it.
            "waiting": [e for e in entries if transitions.allows(e.status, Move.APPROVE)],
            "returnable": {
                e.team.pk
                for e in entries
                if may_return and transitions.allows(e.status, Move.RETURN)
            },
            "error": error,
            "error_for": error_for,  # the return whose comment box the error belongs to
            "posted_comment": request.POST.get("comment", "") if error_for else "",
            "read_only_reason": None if can_approve else READ_ONLY_SIGN_OFF.format(directorate),
            "legend": returns_legend(),
            "breadcrumbs": trail(_my_returns_crumb(), _completeness_crumb(year)),
            "return_url": lambda team: reverse(
                "return_form", kwargs={"year": year.label, "quarter": quarter, "team": team.slug}
            ),
        },
        status=400 if error else 200,
    )


READ_ONLY_SIGN_OFF = (
    "You can read this page but not approve or return these returns: only a director or "
    "deputy of {0.name} (or an admin) signs off its returns."
)


class SignOffProblem(Exception):
    def __init__(self, message: str, team_return_id: int | None = None):
        super().__init__(message)
        self.message, self.team_return_id = message, team_return_id


def _sign_off_post(request, directorate, year, quarter) -> str:
    """Approve every submitted return, or approve or return one; the message to show."""
    action = request.POST.get("action")
    if action == "approve":
        try:
            approved = services.quarter_approve(
                by=request.user, directorate=directorate, year=year, quarter=quarter
            )
        except services.ReturnError as problem:
            raise SignOffProblem(str(problem)) from None
        return f"Approved {len(approved)} return{'s' if len(approved) != 1 else ''}"
    if action not in ("approve_team", "return"):
        raise SignOffProblem("Choose to approve or return a team's return")
    posted = whole_number(request.POST.get("team_return", ""))
    if posted is None:  # not an id ('x', '²', 2^63): no such return, as for another's id
        raise Http404("No such return")
    team_return = get_object_or_404(
        scoping.team_returns(request.user).select_related("team"),
        pk=posted,
        year=year,
        quarter=quarter,
        team__directorate=directorate,
    )
    try:
        if action == "approve_team":
            services.return_approve(by=request.user, team_return=team_return)
            return f"Approved {team_return.team.name}'s return"
        services.return_to_team(
            by=request.user, team_return=team_return, comment=request.POST.get("comment", "")
        )
    except services.ReturnError as problem:
        raise SignOffProblem(str(problem), team_return.pk) from None
    return f"Returned to {team_return.team.name}"


@read_only
@login_required
def sign_off_current(request):
    """The navigation's Sign-off: the user's directorate at the quarter waiting for them."""
    led = access.led_directorates(request.user)
    if not led:
        raise PermissionDenied("Sign-off is for directors and deputies of a directorate")
    year = selectors.open_year()
    if year is None:
        raise Http404("No year is open for returns")
    directorate = led[0]
    quarter = selectors.sign_off_quarter(year, directorate, _today())
    return redirect("sign_off", year=year.label, quarter=quarter, directorate=directorate.slug)


def _teams_with_kpis(directorate, year):
    return (
        Team.objects.filter(
            directorate=directorate, kpi_years__year=year, kpi_years__is_reported=True
        )
        .distinct()
        .order_by("display_order", "name")
    )


def _today():
    return timezone.localdate()


@read_only
@login_required
def my_returns(request):
    overview = selectors.my_returns(user=request.user, today=_today())
    return render(
        request,
        "returns/my_returns.html",
        {
            "overview": overview,
            "can_see_completeness": access.may(request.user, Perm.VIEW_COMPLETENESS),
            "breadcrumbs": trail(),
        },
    )


@read_only
@login_required
def completeness(request, year):
    access.require(request.user, Perm.VIEW_COMPLETENESS)
    year = get_object_or_404(FinancialYear, label=year)
    export = request.GET.get("format")
    if export not in (None, "", "csv", "xlsx"):
        raise Http404("Completeness can be exported as CSV or Excel (format=csv or format=xlsx)")
    report = selectors.completeness(user=request.user, year=year, today=_today())
    if export == "csv":
        return csv_response(f"returns-completeness-{year.label}.csv", completeness_table(report))
    if export == "xlsx":
        return workbook_response(
            f"returns-completeness-{year.label}.xlsx", completeness_sheets(report)
        )
    return render(
        request,
        "returns/completeness.html",
        {"report": report, "breadcrumbs": trail(_my_returns_crumb())},
    )


# ---------------------------------------------------------------- the CSV and Excel exports


def _cell_text(cell: selectors.ReturnCell) -> str:
    label = return_status_tag(cell.status).text  # the word the page's tag shows
    return f"{label} (overdue)" if cell.overdue else label


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


def completeness_sheets(report: selectors.Completeness) -> list[Sheet]:
    """The workbook: each team's return for each quarter (words, as the CSV gives them), and
    each directorate's counts for each quarter as numbers (in, out of, and the share in)."""
    label = report.year.label
    returns = completeness_table(report)[:1]  # the CSV's header
    counts = [["Directorate", "Quarter", "Due", "Submitted or approved", "Teams", "Share in"]]
    groups = [(g.directorate.name, g.counts) for g in report.directorates]
    for group in report.directorates:
        returns.extend(
            [group.directorate.name, str(row.team)] + [_cell_text(c) for c in row.cells]
            for row in group.teams
        )
    for name, group_counts in [*groups, ("All directorates", report.totals)]:
        for due, count in zip(report.quarters, group_counts, strict=True):
            share = round(100 * count.done / count.teams, 1) if count.teams else None
            counts.append([name, count.quarter, due.due, count.done, count.teams, share])
    text = Column(width=36)
    return [
        Sheet(f"Returns {label}", returns, [text, text]),
        Sheet(
            f"Counts {label}",
            counts,
            [
                text,
                Column(Kind.COUNT),
                Column(Kind.DATE),
                Column(Kind.COUNT),
                Column(Kind.COUNT),
                Column(Kind.PERCENT),
            ],
        ),
    ]
