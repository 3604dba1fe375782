"""What the dashboard pages draw, worded from the rows ``dashboards.scorecard`` reads; nothing
here queries or decides: which rows are exceptions, and why, is ``scorecard.attention``."""

from __future__ import annotations

from dataclasses import dataclass

from dashboards.scorecard import STANDING_LABELS, Attention, ScorecardRow, Standing, attention
from kpis.presenters import ASSURANCE_TEXT, NO_FIGURE, TREND_TEXT, VARIATION_TEXT, figure_text
from kpis.presenters import rounded_text as number
from kpis.series import KpiSeries
from kpis.spc import Assurance, Variation

# The report's rule in words, as the page's lede and its empty message give it. They say what
# ``scorecard.attention`` decides: change the two together.
EXCEPTION_RULE = (
    "red or amber this quarter, or whose statistical process control shows special cause of "
    "concern or a process that will consistently fail its target"
)
NOTHING_NEEDS_ATTENTION = (
    "Nothing needs the board's attention for these filters: no KPI is red or amber and none "
    "shows special cause of concern or consistent failure."
)


@dataclass(frozen=True)
class Why:
    """One reason a KPI is on the report: a badge and the words after it. ``kind`` is the
    badge's style ("rag" or "spc"), ``key`` its modifier (app-rag--red, app-spc--concern)."""

    kind: str
    key: str
    label: str
    text: str


@dataclass(frozen=True)
class RecentLine:
    period: str
    figure: str
    rating: str  # "red", "amber", "green", or "" for none


@dataclass(frozen=True)
class ExceptionItem:
    row: ScorecardRow
    why: list[Why]
    trend: str | None
    recent: list[RecentLine]


@dataclass(frozen=True)
class ExceptionReport:
    lede: str
    items: list[ExceptionItem]
    nothing: str = NOTHING_NEEDS_ATTENTION


def _rag_why(row: ScorecardRow) -> Why:
    text = row.assessment.reason
    if row.self_assessed:
        text += f"; the team rated it {row.self_assessed.value}"
        if row.disagrees:
            text += " (differs)"
    return Why("rag", row.standing.value, "", text)


def _why(row: ScorecardRow, reason: Attention) -> Why:
    if reason == Attention.RAG:
        return _rag_why(row)
    if reason == Attention.SPC_CONCERN:
        return Why(
            "spc",
            Variation.CONCERN.value,
            VARIATION_TEXT[Variation.CONCERN],
            "the latest figure shows a change for the worse",
        )
    return Why(
        "spc",
        Assurance.FAIL.value,
        ASSURANCE_TEXT[Assurance.FAIL],
        "the process will not meet its target without a change",
    )


def exception_item(row: ScorecardRow, reasons: list[Attention]) -> ExceptionItem:
    """One KPI on the report: why it is there, its trend and its latest periods in words."""
    measure = row.kpi_year.spec.measure
    return ExceptionItem(
        row=row,
        why=[_why(row, reason) for reason in reasons],
        trend=(
            f"Trend on the previous quarter: {TREND_TEXT[row.trend].lower()}" if row.trend else None
        ),
        recent=[
            RecentLine(
                point.period.label,
                figure_text(measure, point.figure),
                point.rag.value if point.rag else "",
            )
            for point in row.recent
        ],
    )


def exception_report(rows: list[ScorecardRow], count: int) -> ExceptionReport:
    """The report's page of rows (each with its reasons) and its lede over all ``count``."""
    kpis = "KPI" if count == 1 else "KPIs"
    return ExceptionReport(
        lede=f"Every KPI that is {EXCEPTION_RULE}: {count} {kpis}.",
        items=[exception_item(row, attention(row)) for row in rows],
    )


def applied_filters(data: dict) -> list[str]:
    """The filters a printed exception report was drawn with, in words (from the filter form's
    cleaned data): the quarter, then each filter given."""
    found = [f"Quarter {data['quarter']} of {data['year'].display_name}"]
    if data.get("directorate"):
        found.append(f"Directorate: {data['directorate'].name}")
    if data.get("team"):
        found.append(f"Team: {data['team'].name}")
    if data.get("frequency"):
        found.append(f"Collected: {data['frequency']}")
    if data.get("rag"):
        labels = [STANDING_LABELS[Standing(key)] for key in data["rag"]]
        found.append(f"RAG: {', '.join(labels)}")
    return found


# ---------------------------------------------------------------- bad filters


def problem_items(problems: list[tuple[str, str]]) -> list[dict]:
    """The error summary's entries for bad filters, each linked to what the form shows for it:
    a field's select (its id), the RAG checkboxes' message, or nothing for the parameters the
    form has no field for (format, page)."""
    links = {"rag": "#rag-error", "format": None, "page": None}
    return [{"text": message, "href": links.get(name, f"#id_{name}")} for name, message in problems]


# ---------------------------------------------------------------- the KPI page


@dataclass(frozen=True)
class Icon:
    """An SPC icon in words: ``key`` its modifier (app-spc--concern), or None where there is no
    icon and ``text`` says why."""

    key: str | None
    text: str


@dataclass(frozen=True)
class SeriesLine:
    """One period of the KPI page's table: the chart's data in words."""

    period: str
    figure: str
    target: str
    rating: str  # "red", "amber", "green", or "" for none
    mean: str
    limits: str
    special_cause: str


def kpi_icons(series: KpiSeries) -> tuple[Icon, Icon]:
    """The KPI's current variation and assurance, or why it has none yet."""
    none_yet = f"None yet: {series.spc.message}"
    variation = (
        Icon(series.variation.value, VARIATION_TEXT[series.variation])
        if series.variation
        else Icon(None, none_yet)
    )
    if series.assurance:
        assurance = Icon(series.assurance.value, ASSURANCE_TEXT[series.assurance])
    elif not series.points or not series.points[-1].target:
        # Assurance compares the latest period's target with the limits: no target, no icon.
        assurance = Icon(None, "No fixed target to judge against")
    else:
        assurance = Icon(None, none_yet)
    return variation, assurance


def series_lines(series: KpiSeries) -> list[SeriesLine]:
    """Every period of the series with its SPC, as the KPI page's table shows it."""
    lines = []
    for point, spc_point in zip(series.points, series.spc.points, strict=True):
        cause = spc_point.special_cause
        lines.append(
            SeriesLine(
                period=point.period.label,
                figure=figure_text(series.measure, point.figure),
                target=number(point.target),
                rating=point.rag.value if point.rag else "",
                mean=number(spc_point.mean),
                limits=(
                    f"{number(spc_point.lower_limit)} to {number(spc_point.upper_limit)}"
                    if spc_point.mean is not None
                    else NO_FIGURE
                ),
                special_cause=VARIATION_TEXT[cause] if cause else "",
            )
        )
    return lines


def counts_note(card, rag_filtered: bool) -> str:
    """Said beside the counts and chart when the table below is filtered by RAG: the counts
    are of every KPI, so the picture stays whole while the table narrows."""
    if not rag_filtered:
        return ""
    return (
        f"The chart and counts are of every KPI in quarter {card.quarter} of {card.year}, "
        "whatever RAG rating the table below shows."
    )
