"""Plotly figures of a survey's results, built on the server and drawn by static/js/charts.js.

Each returns the figure as JSON-ready data and its text summary (surveys.presenters), the
page showing the same figures as a table. Font and layout are the portal's (common/charts.py).
"""

import plotly.graph_objects as go

from common.charts import layout
from surveys.presenters import ResultsPage, metrics_summary, ratings_summary

NHS_BLUE, GREY = "#005eb8", "#768692"


def ratings_chart(page: ResultsPage) -> tuple[dict, str]:
    """A horizontal bar per department, its mean rating, grouped by directorate as the
    published report draws it."""
    rows = [r for r in page.rows if r.mean is not None]
    survey = page.survey
    figure = go.Figure(
        data=[
            go.Bar(
                name="Mean rating",
                y=[[r.group or "Other" for r in rows], [r.name for r in rows]],
                x=[float(r.mean) for r in rows],
                orientation="h",
                marker={"color": NHS_BLUE},
                text=[r.mean_text for r in rows],
                textposition="outside",
                hovertemplate="%{y}: %{x:.2f}<extra></extra>",
            )
        ],
        layout=layout(
            height=max(240, 80 + 30 * len(rows)),
            showlegend=False,
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={
                "title": {"text": f"Mean rating, {survey.scale_min} (poor) to {survey.scale_max}"},
                "range": [0, survey.scale_max],
                "dtick": 1,
            },
        ),
    )
    return figure.to_plotly_json(), ratings_summary(page)


def metrics_chart(page: ResultsPage) -> tuple[dict, str]:
    """Paired bars: each measure and group's % satisfied, the previous survey beside this one."""
    categories = [[m.measure for m in page.metrics], [m.group for m in page.metrics]]
    figure = go.Figure(
        data=[
            go.Bar(
                name=page.previous_label,
                y=categories,
                x=[float(m.previous) if m.previous is not None else None for m in page.metrics],
                orientation="h",
                marker={"color": GREY},
                text=[m.previous_text if m.previous is not None else "" for m in page.metrics],
                textposition="outside",
                hovertemplate="%{y}: %{x}%<extra>" + page.previous_label + "</extra>",
            ),
            go.Bar(
                name=page.current_label,
                y=categories,
                x=[float(m.current) for m in page.metrics],
                orientation="h",
                marker={"color": NHS_BLUE},
                text=[m.current_text for m in page.metrics],
                textposition="outside",
                hovertemplate="%{y}: %{x}%<extra>" + page.current_label + "</extra>",
            ),
        ],
        layout=layout(
            barmode="group",
            height=max(280, 100 + 56 * len(page.metrics)),
            yaxis={"autorange": "reversed", "automargin": True},
            xaxis={"title": {"text": "Per cent"}, "range": [0, 100], "ticksuffix": "%"},
        ),
    )
    return figure.to_plotly_json(), metrics_summary(page)
