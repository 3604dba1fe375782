"""Plotly figures for the dashboards, built on the server and drawn by static/js/charts.js.

Each function returns the figure as plain JSON-ready data (``to_plotly_json``), which a page
hands over with Django's ``json_script``, and a one-paragraph text summary for screen-reader
users; every page also shows the chart's data as a table.
"""

from __future__ import annotations

from functools import lru_cache

import plotly.graph_objects as go

from common.charts import layout
from dashboards.scorecard import STANDING_LABELS, GroupCount, Standing
from kpis.presenters import ASSURANCE_TEXT, VARIATION_TEXT, rounded_text
from kpis.series import KpiSeries

# NHS identity colours: green, warm yellow, red, and greys for no rating.
STANDING_COLOURS = {
    Standing.GREEN: "#007f3b",
    Standing.AMBER: "#ffb81c",
    Standing.RED: "#d5281b",
    Standing.NOT_COLLECTED: "#768692",
    Standing.NO_TARGET: "#aeb7bd",
    Standing.NO_RAG: "#d8dde0",
}
RAG_COLOURS = {"green": "#007f3b", "amber": "#ffb81c", "red": "#d5281b", None: "#425563"}
SPECIAL_COLOURS = {"improvement": "#005eb8", "concern": "#ed8b00", "neither": "#330072"}


def counts_chart(groups: list[GroupCount], what: str) -> tuple[dict, str]:
    """A stacked bar per directorate (or team): how many of its KPIs stand where.

    Building a plotly figure costs several milliseconds, and the same counts come back on
    every view until a figure changes, so each figure is kept, by the counts it draws, for
    the life of the process. Callers only hand the result to the page, never change it.
    """
    counts = tuple((g.name, tuple(g.counts[s] for s in Standing)) for g in groups)
    return _counts_chart(counts, what)


@lru_cache(maxsize=512)
def _counts_chart(groups: tuple[tuple[str, tuple[int, ...]], ...], what: str) -> tuple[dict, str]:
    names = [name for name, _ in groups]
    largest = max((sum(counts) for _, counts in groups), default=0)
    columns = list(Standing)
    figure = go.Figure(
        data=[
            go.Bar(
                name=STANDING_LABELS[standing],
                y=names,
                x=[counts[i] for _, counts in groups],
                orientation="h",
                marker={"color": STANDING_COLOURS[standing]},
                hovertemplate="%{y}: %{x} " + STANDING_LABELS[standing].lower() + "<extra></extra>",
            )
            for i, standing in enumerate(columns)
        ],
        layout=layout(
            barmode="stack",
            height=max(240, 60 + 28 * len(groups)),
            yaxis={"autorange": "reversed", "automargin": True},
            # Whole KPIs on the axis: plotly would step by 0.5 for a handful.
            xaxis={"title": {"text": "KPIs"}, "dtick": 1 if largest <= 10 else None},
        ),
    )
    parts = []
    for name, counts in groups:
        counted = ", ".join(
            f"{counts[i]} {STANDING_LABELS[s].lower()}" for i, s in enumerate(columns) if counts[i]
        )
        parts.append(f"{name}: {counted or 'no KPIs'}")
    summary = f"KPIs of each {what} by RAG rating. " + "; ".join(parts) + "."
    return figure.to_plotly_json(), summary


def _segment_line(series: KpiSeries, attribute: str) -> list[float | None]:
    """A limit or the mean, broken where a rebase starts a new baseline."""
    values: list[float | None] = []
    points = series.spc.points
    for i, point in enumerate(points):
        if i and point.segment != points[i - 1].segment:
            values[-1] = None  # lift the pen between baselines
        values.append(getattr(point, attribute))
    return values


def spc_chart(series: KpiSeries, kpi_name: str) -> tuple[dict, str]:
    """Figures against target, RAG-coloured, with the XmR mean, limits and special causes."""
    x = [p.period.label for p in series.points]
    y = [float(p.value) if p.value is not None else None for p in series.points]
    colours = [RAG_COLOURS[p.rag.value if p.rag else None] for p in series.points]
    traces = [
        go.Scatter(
            name="Figure",
            x=x,
            y=y,
            mode="lines+markers",
            line={"color": "#425563", "width": 2},
            marker={"color": colours, "size": 10, "line": {"color": "#212b32", "width": 1}},
            connectgaps=False,
        )
    ]
    targets = [float(p.target) if p.target is not None else None for p in series.points]
    if any(t is not None for t in targets):
        traces.append(
            go.Scatter(
                name="Target",
                x=x,
                y=targets,
                mode="lines",
                line={"color": "#330072", "dash": "dot", "width": 2},
            )
        )
    if series.spc.limits_status != "none" or any(p.mean is not None for p in series.spc.points):
        for name, attribute, dash in (
            ("Mean", "mean", "solid"),
            ("Upper process limit", "upper_limit", "dash"),
            ("Lower process limit", "lower_limit", "dash"),
        ):
            traces.append(
                go.Scatter(
                    name=name,
                    x=x,
                    y=_segment_line(series, attribute),
                    mode="lines",
                    line={"color": "#768692", "dash": dash, "width": 1.5},
                    hoverinfo="skip",
                )
            )
    for cause, colour in SPECIAL_COLOURS.items():
        marked = [i for i, p in enumerate(series.spc.points) if p.special_cause == cause]
        if marked:
            traces.append(
                go.Scatter(
                    name=VARIATION_TEXT[cause],
                    x=[x[i] for i in marked],
                    y=[y[i] for i in marked],
                    mode="markers",
                    marker={
                        "symbol": "circle-open",
                        "size": 18,
                        "color": colour,
                        "line": {"width": 3, "color": colour},
                    },
                )
            )
    shapes, annotations = [], []
    for rebase in series.rebases:
        label = next((p.period.label for p in series.points if p.period >= rebase.period), None)
        if label is None:
            continue
        shapes.append(
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": label,
                "x1": label,
                "y0": 0,
                "y1": 1,
                "line": {"color": "#005eb8", "width": 2, "dash": "dashdot"},
            }
        )
        annotations.append(
            {
                "x": label,
                "y": 1,
                "xref": "x",
                "yref": "paper",
                "text": "Rebased",
                "showarrow": False,
            }
        )
    figure = go.Figure(
        data=traces,
        layout=layout(
            height=420,
            shapes=shapes,
            annotations=annotations,
            xaxis={"type": "category", "automargin": True},
            yaxis={"automargin": True, "rangemode": "tozero"},
        ),
    )
    return figure.to_plotly_json(), spc_summary(series, kpi_name)


def spc_summary(series: KpiSeries, kpi_name: str) -> str:
    points = [p for p in series.points if p.value is not None]
    if not points:
        return f"{kpi_name}: no figures yet."
    first, last = series.points[0], points[-1]
    text = (
        f"{kpi_name}: {len(series.points)} {'months' if series.by_month else 'quarters'} from "
        f"{first.period.label} to {series.points[-1].period.label}. Latest figure "
        f"{rounded_text(last.value)} in {last.period.label}"
    )
    if last.target is not None:
        text += f" against a target of {rounded_text(last.target)}"
    text += "."
    latest = series.spc.points[-1]
    if latest.mean is not None:
        text += (
            f" Mean {rounded_text(latest.mean)}, process limits "
            f"{rounded_text(latest.lower_limit)} to "
            f"{rounded_text(latest.upper_limit)}"
            f"{' (provisional)' if series.spc.limits_status == 'provisional' else ''}."
        )
    else:
        text += f" {series.spc.message}"
    special = sum(p.special_cause is not None for p in series.spc.points)
    if special:
        text += f" {special} {'period shows' if special == 1 else 'periods show'} special cause."
    if series.variation:
        text += f" Variation: {VARIATION_TEXT[series.variation.value].lower()}."
    if series.assurance:
        text += f" Assurance: {ASSURANCE_TEXT[series.assurance.value].lower()}."
    return text
