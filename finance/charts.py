"""The running-cost treemap, built on the server as a plotly figure and drawn by
static/js/charts.js, with a text summary for screen-reader users (the page's tables hold every
figure it draws)."""

import textwrap

import plotly.graph_objects as go

from common.charts import layout
from finance import rules
from finance.presenters import PATH_SEPARATOR, gbp, percent_text
from finance.selectors import Line, Schedule

# NHS identity colours dark enough for white text, one for each top-level line in turn.
COLOURS = [
    "#005eb8",  # blue
    "#330072",  # purple
    "#007f3b",  # green
    "#7c2855",  # dark pink
    "#003087",  # dark blue
    "#00a499",  # aqua green
    "#425563",  # dark grey
    "#ae2573",  # pink
    "#006747",  # dark green
    "#231f20",  # black
]
LARGEST = 3  # top-level lines the summary names
WRAP = 20  # characters a line of a rectangle's label, so long names fit a narrow rectangle


def _id(line: Line) -> str:
    return PATH_SEPARATOR.join(line.path)


def treemap(schedule: Schedule) -> tuple[dict, str]:
    """Each line a rectangle inside its parent's, sized by its amount.

    A parent is sized by its own lines ("remainder" with no value of its own), since five
    published subtotals are £1 off their lines and plotly refuses a parent smaller than its
    children; the text on each rectangle is the published amount and its share of the total.
    Lines of no running cost take no room and are left out.
    """
    drawn = [line for line in schedule.lines if not line.programme_funded]
    total = schedule.published_total
    colours = {line.id: COLOURS[i % len(COLOURS)] for i, line in enumerate(schedule.top)}
    top_of = {}
    for line in drawn:
        top_of[line.id] = line.id if line.parent_id is None else top_of[line.parent_id]
    figure = go.Figure(
        go.Treemap(
            ids=[_id(line) for line in drawn],
            labels=[line.name for line in drawn],
            parents=[PATH_SEPARATOR.join(line.path[:-1]) for line in drawn],
            values=[0 if line.children else float(line.amount) for line in drawn],
            branchvalues="remainder",
            text=["<br>".join(textwrap.wrap(line.name, WRAP)) for line in drawn],
            customdata=[[gbp(line.amount), percent_text(line.amount, total)] for line in drawn],
            # A parent's name heads its rectangle (two lines' room); a line's figures follow it.
            texttemplate=[
                "%{text}" if line.children else "%{text}<br>%{customdata[0]} (%{customdata[1]})"
                for line in drawn
            ],
            hovertemplate="%{id}<br>%{customdata[0]}, %{customdata[1]} of the total<extra></extra>",
            marker={
                "colors": [colours[top_of[line.id]] for line in drawn],
                "line": {"color": "#ffffff", "width": 2},
                "pad": {"t": 32, "l": 4, "r": 4, "b": 4},
            },
            insidetextfont={"color": "#ffffff"},
            maxdepth=2,  # a directorate's teams show when it is chosen, so labels stay readable
            pathbar={"visible": True, "textfont": {"size": 14}},
            tiling={"pad": 2},
            sort=False,  # the schedule's order, not largest first
        ),
        layout=layout(
            height=640,
            margin={"l": 0, "r": 0, "t": 0, "b": 0},
        ),
    )
    return figure.to_plotly_json(), treemap_summary(schedule)


def treemap_summary(schedule: Schedule) -> str:
    year, total = schedule.year, schedule.published_total
    population = year.registered_population
    text = f"Running costs {year.display_name}: {gbp(total)}"
    if population:
        text += f", £{rules.per_head(total, population)} a head of registered population"
    top = schedule.top
    largest = sorted(top, key=lambda line: line.amount, reverse=True)[:LARGEST]
    named = [
        f"{line.name} {gbp(line.amount)} ({percent_text(line.amount, total)})" for line in largest
    ]
    if len(named) > 1:
        named[-2:] = [f"{named[-2]} and {named[-1]}"]
    text += f", in {len(top)} top-level lines. The largest are {', '.join(named)}."
    nil = sum(line.programme_funded for line in schedule.lines)
    if nil:
        text += (
            f" {nil} {'line is' if nil == 1 else 'lines are'} 100% programme funded, with no "
            "running cost, and not drawn."
        )
    return text + " Every rectangle is a line of the tables below."
