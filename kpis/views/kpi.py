"""A KPI's page: every period of every year, charted with its SPC, as a table and as CSV."""

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ccgportal.exports import csv_response
from kpis import charts, selectors
from kpis.models import Kpi
from kpis.presenters import ASSURANCE_TEXT, VARIATION_TEXT, figure_text, rounded_text
from kpis.rules import RAG_LEGEND
from kpis.series import KpiSeries, series_for

RECENT_CHANGES = 10
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


@login_required
def kpi_page(request, kpi):
    kpi = get_object_or_404(Kpi, slug=kpi)
    years = selectors.kpi_years(kpi)
    visible = [
        ky for ky in years if rules.has_perm("directorates.view_team_return", request.user, ky.team)
    ]
    if years and not visible:
        raise PermissionDenied("This KPI belongs to a team whose returns you cannot see")
    export = request.GET.get("format")
    if export not in (None, "", "csv"):
        raise Http404("A KPI's series downloads as CSV only (format=csv)")
    series = series_for([kpi.pk]).get(kpi.pk)
    if export == "csv" and series is not None:
        return csv_response(f"{kpi.slug}-series.csv", series_rows(series))
    if export == "csv":
        return csv_response(f"{kpi.slug}-series.csv", [CSV_COLUMNS])
    context = {
        "kpi": kpi,
        "current": max(years, key=lambda ky: ky.year.start_date) if years else None,
        "series": series,
        "changes": selectors.change_rows(
            selectors.figure_changes(visible)[:RECENT_CHANGES], visible
        ),
        "legend": RAG_LEGEND,
        "variation_text": VARIATION_TEXT,
        "assurance_text": ASSURANCE_TEXT,
        "figure_label": figure_text,
        "number": rounded_text,
    }
    if series is not None:
        context["chart"], context["chart_summary"] = charts.spc_chart(series, kpi.name)
    return render(request, "kpis/kpi.html", context)
