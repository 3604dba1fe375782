"""Dashboard pages: the scorecard, a directorate's page, the exception report, a KPI's page
and its change history."""

from dataclasses import dataclass
from typing import NamedTuple

from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from markupsafe import Markup

from common import caching, pdf
from common.exports import EXPORTS, PDF, csv_response, format_problem, table_response
from common.http import read_only
from common.navigation import Crumb, trail
from dashboards import charts, scorecard
from dashboards.filters import ScorecardFilter
from dashboards.presenters import (
    applied_filters,
    counts_note,
    exception_report,
    kpi_icons,
    problem_items,
    series_lines,
)
from dashboards.scorecard import STANDING_LABELS, Standing
from dashboards.tables import PAGE_SIZE, ScorecardTable
from directorates.models import Directorate, FinancialYear
from kpis import history, scoping
from kpis.models import Kpi
from kpis.presenters import spc_key
from kpis.series import KpiSeries, series_for

EXCEPTION_FORMATS = (*EXPORTS, PDF)  # the exception report also comes as the board's pack
EXCEPTIONS_PAGE_SIZE = 40
RECENT_CHANGES = 10
HISTORY_PAGE_SIZE = 100
CSV_COLUMNS = [
    "period",
    "value",
    "target",
    "mean",
    "lower_limit",
    "upper_limit",
    "special_cause",
    "variation",
    "assurance",
]


def _filters(request, formats=EXPORTS, **fixed) -> tuple[ScorecardFilter, list[tuple[str, str]]]:
    """The filters from the query string, the latest reported quarter where none is given;
    ``formats`` what the page's ?format= may ask for (common/exports.py's)."""
    data = request.GET.copy()
    data.update(fixed)
    for name in ("year", "quarter"):  # an empty one (?quarter=) is no filter, as for the rest
        if not data.get(name):
            data.pop(name, None)
    if not data.get("year") or not data.get("quarter"):
        year, quarter = scorecard.default_period(list(FinancialYear.objects.all()))
        if year is not None and not data.get("year"):
            data["year"] = year.label
            data.setdefault("quarter", str(quarter))
        data.setdefault("quarter", "4" if year is None else str(quarter))
    filterset = ScorecardFilter(
        data, queryset=scoping.kpi_years(request.user).filter(is_reported=True), request=request
    )
    problems = filterset.error_list()
    if request.GET.get("format") not in (None, "", *formats):
        problems.append(("format", format_problem(formats)))
    return filterset, problems


def _source(filterset) -> scorecard.Source:
    data = filterset.form.cleaned_data
    return scorecard.source(filterset.qs, data["year"], int(data["quarter"]))


def _scorecard(filterset, read: scorecard.Source | None = None, *, by_team=False):
    """The scorecard the filters ask for, from what ``read`` read (or reading it now)."""
    standings = {Standing(s) for s in filterset.form.cleaned_data.get("rag") or ()}
    return scorecard.scorecard_of(read or _source(filterset), standings=standings, by_team=by_team)


@dataclass(frozen=True)
class Body:
    """A dashboard's body as drawn (the counts, chart and table, or the exception list), and
    whether it draws the counts chart (the page then loads plotly.js)."""

    html: str
    draws_chart: bool = False


# A body is kept until what it was drawn from changes (Source.digest); a day bounds the cache.
BODY_SECONDS = 24 * 3600


def _body(request, template: str, read: scorecard.Source, draw) -> Body | None:
    """The page's body from the cache when nothing it shows has changed since it was drawn,
    else drawn by ``draw()``: (context, draws_chart), or None when the page asked for does not
    exist (nothing is kept then). Drawing the table's cells and the counts is most of what a
    dashboard costs; keyed by the data's digest, the query string and the release, a new
    figure, a moved return or a new version of the portal is drawn afresh at once."""
    key = caching.page_key(template, request, read.digest)
    kept = caching.get(key)
    if kept is not None:
        return kept
    drawn = draw()
    if drawn is None:
        return None
    context, draws_chart = drawn
    body = Body(render_to_string(template, context, request), draws_chart)
    caching.set(key, body, BODY_SECONDS)
    return body


class Period(NamedTuple):
    year: FinancialYear
    quarter: int


def _period(filterset) -> Period:
    data = filterset.form.cleaned_data
    return Period(data["year"], int(data["quarter"]))


def _page(request, rows, per_page):
    paginator = Paginator(rows, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except (PageNotAnInteger, EmptyPage):
        return None


def _table(request, card) -> ScorecardTable:
    return ScorecardTable(card.rows, quarter=card.quarter, order_by=request.GET.get("sort") or None)


def _export(request, table: ScorecardTable, card, name: str):
    scorecard.attach_spc(card.rows)
    basename = f"{name}-{card.year.label}-q{card.quarter}"
    return table_response(
        request.GET["format"], basename, table.as_values(), name, table.export_columns()
    )


def _refused(request, template, filterset, problems, context=None):
    """Bad filters: the page with what is wrong and nothing else, and a 400."""
    return render(
        request,
        template,
        {
            "filterset": filterset,
            "problems": problems,
            "problem_items": problem_items(problems),
            "breadcrumbs": trail(),
            **(context or {}),
        },
        status=400,
    )


def _paginated(request, table):
    try:
        table.paginate(page=request.GET.get("page") or 1, per_page=PAGE_SIZE)
    except (PageNotAnInteger, EmptyPage):
        return False
    scorecard.attach_spc([row.record for row in table.page.object_list])
    return True


@read_only
@login_required
def scorecard_page(request):
    filterset, problems = _filters(request)
    if problems:
        return _refused(request, "dashboard/scorecard.html", filterset, problems)
    read = _source(filterset)
    if request.GET.get("format"):
        card = _scorecard(filterset, read)
        return _export(request, _table(request, card), card, "scorecard")

    def draw():
        card = _scorecard(filterset, read)
        table = _table(request, card)
        if not _paginated(request, table):
            return None
        return _card_context(filterset, card, table, "directorate"), bool(card.groups)

    body = _body(request, "dashboard/_scorecard_body.html", read, draw)
    if body is None:
        return _refused(request, "dashboard/scorecard.html", filterset, _no_page(request))
    return render(
        request,
        "dashboard/scorecard.html",
        _page_context(filterset, body, breadcrumbs=trail()),
    )


def _page_context(filterset, body: Body, **context) -> dict:
    """What the frame around a dashboard's body draws (dashboard/_layout.html)."""
    return {
        "filterset": filterset,
        "period": _period(filterset),
        "body": Markup(body.html),  # noqa: S704 - our own template's rendering, kept as drawn
        "draws_chart": body.draws_chart,
        "key": spc_key(),
        **context,
    }


def _card_context(filterset, card, table, what: str) -> dict:
    """What the scorecard and a directorate's page both draw: the counts by ``what``
    ("directorate" or "team"), their chart, the table and the SPC key."""
    figure, summary = charts.counts_chart(card.groups, what)
    return {
        "card": card,
        "table": table,
        "chart": figure,
        "chart_summary": summary,
        "standings": STANDING_LABELS,
        "counts_note": counts_note(card, bool(filterset.form.cleaned_data.get("rag"))),
    }


def _no_page(request):
    return [("page", f"There is no page '{request.GET.get('page')}' of this table")]


@read_only
@login_required
def directorate_page(request, directorate):
    directorate = get_object_or_404(Directorate, slug=directorate)
    filterset, problems = _filters(request, directorate=directorate.slug)
    context = {
        "directorate": directorate,
        "fixed": ["directorate"],
        "breadcrumbs": trail(_scorecard_crumb()),
    }
    if problems:
        return _refused(request, "dashboard/directorate.html", filterset, problems, context)
    read = _source(filterset)

    def table_of(card):
        table = _table(request, card)
        table.exclude = ("team",) if len(card.groups) < 2 else ()
        table.kpi_from = "directorate"
        return table

    if request.GET.get("format"):
        card = _scorecard(filterset, read, by_team=True)
        return _export(request, table_of(card), card, directorate.slug)

    def draw():
        card = _scorecard(filterset, read, by_team=True)
        table = table_of(card)
        if not _paginated(request, table):
            return None
        return _card_context(filterset, card, table, "team"), bool(card.groups)

    body = _body(request, "dashboard/_directorate_body.html", read, draw)
    if body is None:
        return _refused(
            request, "dashboard/directorate.html", filterset, _no_page(request), context
        )
    return render(request, "dashboard/directorate.html", _page_context(filterset, body, **context))


@read_only
@login_required
def exceptions_page(request):
    filterset, problems = _filters(request, formats=EXCEPTION_FORMATS)
    if problems:
        return _refused(request, "dashboard/exceptions.html", filterset, problems)
    read = _source(filterset)
    year, quarter = _period(filterset)
    basename = f"exceptions-{year.label}-q{quarter}"
    if request.GET.get("format") == PDF:
        card = _scorecard(filterset, read)
        return _exception_pack(request, filterset, card, scorecard.exceptions(card), basename)
    if request.GET.get("format"):
        table = ScorecardTable(scorecard.exceptions(_scorecard(filterset, read)), quarter=quarter)
        return table_response(
            request.GET["format"],
            basename,
            table.as_values(),
            "exceptions",
            table.export_columns(),
        )

    def draw():
        rows = scorecard.exceptions(_scorecard(filterset, read))
        page = _page(request, rows, EXCEPTIONS_PAGE_SIZE)
        if page is None:
            return None
        scorecard.attach_recent(page.object_list)  # their latest periods, for this page only
        report = exception_report(page.object_list, page.paginator.count)
        return {"page": page, "report": report}, False

    body = _body(request, "dashboard/_exceptions_body.html", read, draw)
    if body is None:
        return _refused(request, "dashboard/exceptions.html", filterset, _no_page(request))
    return render(
        request,
        "dashboard/exceptions.html",
        _page_context(filterset, body, breadcrumbs=trail()),
    )


def _exception_pack(request, filterset, card, rows, basename: str) -> HttpResponse:
    """The exception report as a PDF for the board: every KPI the page lists for these filters
    (all of them, not a page of them), laid out by the portal's PDF machinery (common/pdf.py)
    and cached by a digest of its HTML, which holds every figure and word it shows."""
    scorecard.attach_recent(rows)
    html = render_to_string(
        "dashboard/exceptions_pdf.html",
        {
            "card": card,
            "report": exception_report(rows, len(rows)),
            "filters": applied_filters(filterset.form.cleaned_data),
            "key": spc_key(),
            "site": request.build_absolute_uri("/").rstrip("/"),
        },
        request=request,
    )
    response = HttpResponse(pdf.cached(f"exception-pack:{basename}", html), "application/pdf")
    response["Content-Disposition"] = f'inline; filename="{basename}.pdf"'
    return response


def _number(value) -> str:
    if value is None:
        return ""
    return f"{float(value):.4f}".rstrip("0").rstrip(".")


def series_rows(series: KpiSeries) -> list[list[str]]:
    """The CSV: a row per period; the current variation and assurance on every row."""
    variation = series.variation.value if series.variation else ""
    assurance = series.assurance.value if series.assurance else ""
    rows = [CSV_COLUMNS]
    for point, spc_point in zip(series.points, series.spc.points, strict=True):
        cause = spc_point.special_cause
        rows.append(
            [
                point.period.label,
                _number(point.value),
                _number(point.target),
                _number(spc_point.mean),
                _number(spc_point.lower_limit),
                _number(spc_point.upper_limit),
                cause.value if cause in ("improvement", "concern") else "",
                variation,
                assurance,
            ]
        )
    return rows


@read_only
@login_required
def kpi_page(request, kpi):
    kpi = get_object_or_404(Kpi, slug=kpi)
    visible = history.kpi_years(kpi, scoping.kpi_years(request.user))
    export = request.GET.get("format")
    if export not in (None, "", "csv"):
        raise Http404("A KPI's series downloads as CSV only (format=csv)")
    series = series_for([kpi.pk], kpi_year_ids=[ky.pk for ky in visible]).get(kpi.pk)
    if export == "csv" and series is not None:
        return csv_response(f"{kpi.slug}-series.csv", series_rows(series))
    if export == "csv":
        return csv_response(f"{kpi.slug}-series.csv", [CSV_COLUMNS])
    current = max(visible, key=lambda ky: ky.year.start_date) if visible else None
    context = {
        "kpi": kpi,
        "current": current,
        "breadcrumbs": _kpi_trail(request.GET.get("from"), current),
        "series": series,
        "changes": history.change_rows(history.figure_changes(visible)[:RECENT_CHANGES], visible),
        "key": spc_key(),
        "icons": kpi_icons(series) if series else None,
        "lines": series_lines(series) if series else [],
    }
    if series is not None:
        context["chart"], context["chart_summary"] = charts.spc_chart(series, kpi.name)
    return render(request, "kpis/kpi.html", context)


@read_only
@login_required
def kpi_history(request, kpi):
    kpi = get_object_or_404(Kpi, slug=kpi)
    visible = history.kpi_years(kpi, scoping.kpi_years(request.user))
    page = Paginator(history.figure_changes(visible), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = history.change_rows(page.object_list, visible)
    breadcrumbs = trail(
        _scorecard_crumb(), Crumb(kpi.name, reverse("kpi_page", kwargs={"kpi": kpi.slug}))
    )
    return render(
        request,
        "kpis/history.html",
        {"kpi": kpi, "page": page, "rows": rows, "breadcrumbs": breadcrumbs},
    )


def _scorecard_crumb() -> Crumb:
    return Crumb("Scorecard", reverse("dashboard"))


def _kpi_trail(opened_from: str | None, current) -> list[Crumb]:
    """Under the scorecard, or the exception report or the KPI's directorate page it was
    opened from (their links carry ?from=exceptions or ?from=directorate)."""
    if opened_from == "exceptions":
        return trail(Crumb("Exception report", reverse("exceptions")))
    if opened_from == "directorate" and current is not None:
        directorate = current.team.directorate
        page = reverse("directorate_dashboard", kwargs={"directorate": directorate.slug})
        return trail(_scorecard_crumb(), Crumb(directorate.name, page))
    return trail(_scorecard_crumb())
