"""The report's charts as SVG built on the server: the same in the page and the PDF, where
plotly's image export (which needs a browser) is not available. Geometry and colours are
worked out here; ``templates/reports/_parts.html`` ``svg_chart`` only draws them."""

from dataclasses import dataclass

from dashboards.scorecard import STANDING_LABELS, ScorecardRow, Standing, count_by

# NHS identity colours; each segment also prints its count and the key its word, so the chart
# reads in black and white.
FILLS = {
    Standing.GREEN: "#007f3b",
    Standing.AMBER: "#ffb81c",
    Standing.RED: "#d5281b",
    Standing.NOT_COLLECTED: "#aeb7bd",
    Standing.NO_TARGET: "#d8dde0",
    Standing.NO_RAG: "#f0f4f5",
}
INK = {Standing.GREEN: "#ffffff", Standing.RED: "#ffffff"}
ORDER = list(FILLS)
WIDTH, LABEL, BAR, GAP, TOP = 640, 200, 26, 10, 8


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    fill: str
    ink: str
    count: int
    label: str


@dataclass(frozen=True)
class Bar:
    y: float
    label: str
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class KeyItem:
    x: float
    fill: str
    label: str


@dataclass(frozen=True)
class SvgChart:
    id: str
    title: str
    summary: str
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]
    key_y: float
    key: list[KeyItem]
    columns: list[str]
    rows: list[list[str]]


def rag_by_directorate(rows: list[ScorecardRow], *, quarter: int) -> SvgChart:
    """How many of each directorate's KPIs stood where at the quarter: a bar a directorate."""
    groups = count_by(rows, by_team=False)
    widest = max((group.total for group in groups), default=1) or 1
    scale = (WIDTH - LABEL - 10) / widest
    bars = []
    for index, group in enumerate(groups):
        x, segments = float(LABEL), []
        for standing in ORDER:
            count = group.counts[standing]
            if not count:
                continue
            segments.append(
                Segment(
                    x,
                    count * scale,
                    FILLS[standing],
                    INK.get(standing, "#212b32"),
                    count,
                    f"{STANDING_LABELS[standing]}: {count}",
                )
            )
            x += count * scale
        bars.append(Bar(TOP + index * (BAR + GAP), group.name, group.total, segments))
    key_y = TOP + len(groups) * (BAR + GAP) + 6
    present = [s for s in ORDER if any(g.counts[s] for g in groups)]
    key = [KeyItem(10 + i * 105, FILLS[s], STANDING_LABELS[s]) for i, s in enumerate(present)]
    parts = [
        f"{group.name}: "
        + ", ".join(
            f"{group.counts[s]} {STANDING_LABELS[s].lower()}" for s in ORDER if group.counts[s]
        )
        for group in groups
    ]
    return SvgChart(
        id="rag-chart",
        title=f"KPIs by RAG rating at quarter {quarter}, by directorate",
        summary="; ".join(parts) + ".",
        width=WIDTH,
        height=int(key_y + 24),
        label_width=LABEL,
        bar_height=BAR,
        bars=bars,
        key_y=key_y,
        key=key,
        columns=["Directorate", *(STANDING_LABELS[s] for s in present), "KPIs"],
        rows=[
            [group.name, *(str(group.counts[s]) for s in present), str(group.total)]
            for group in groups
        ],
    )
