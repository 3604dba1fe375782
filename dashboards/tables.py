"""The scorecard's KPI table: columns, sorting, pages and export values (django-tables2).

Cells render as small NHS.UK-styled fragments; ``value_*`` gives each the plain text the CSV
and Excel exports hold. Rows are ``dashboards.scorecard.ScorecardRow``s, sorted in Python.

The exports also hold the quarter's figure as numbers (columns not drawn on the page): its
count, £, % and value, each in a column of one kind, so a spreadsheet can sort and add them;
``export_columns`` says each column's kind and width for the Excel workbook.
"""

from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from common.exports import TEXT, Column, Kind, export_number
from dashboards.scorecard import STANDING_LABELS, ScorecardRow
from kpis.presenters import (
    ASSURANCE_TEXT,
    RAG_TEXT,
    TREND_ARROW,
    TREND_TEXT,
    VARIATION_TEXT,
    return_status_tag,
)
from kpis.rules import Measure, ratio_percent

PAGE_SIZE = 50  # keeps a page's HTML well under 300 kB whatever the number of KPIs
COMMENTARY_CHARS = 280


def _badge(kind: str, key: str, text: str):
    return format_html('<strong class="app-{} app-{}--{}">{}</strong>', kind, kind, key, text)


class QuarterColumn(tables.Column):
    def __init__(self, quarter: int):
        self.quarter = quarter
        super().__init__(verbose_name=f"Q{quarter}", empty_values=(), orderable=False)

    def render(self, record):
        return record.quarter_text(self.quarter)

    def value(self, record):
        return record.quarter_text(self.quarter)


class ScorecardTable(tables.Table):
    kpi = tables.Column(verbose_name="KPI", accessor="kpi_year__kpi__name")
    team = tables.Column(verbose_name="Team", accessor="kpi_year__team", order_by="team_name")
    frequency = tables.Column(accessor="kpi_year__frequency", verbose_name="Frequency")
    q1 = QuarterColumn(1)
    q2 = QuarterColumn(2)
    q3 = QuarterColumn(3)
    q4 = QuarterColumn(4)
    target = tables.Column(accessor="kpi_year__target_text", verbose_name="Target", orderable=False)
    rag = tables.Column(accessor="standing", verbose_name="RAG", order_by="standing_rank")
    self_assessed = tables.Column(verbose_name="Self-assessed", empty_values=(), orderable=False)
    trend = tables.Column(verbose_name="Trend", empty_values=(), orderable=False)
    # On the page, variation and assurance share one column and commentary is left to the KPI
    # page and the exception report, so the table fits a 1280 px window; the downloads keep
    # all three as columns of their own (a hidden column is still exported).
    spc = tables.Column(
        verbose_name="SPC", empty_values=(), orderable=False, exclude_from_export=True
    )
    variation = tables.Column(
        verbose_name="Variation", empty_values=(), orderable=False, visible=False
    )
    assurance = tables.Column(
        verbose_name="Assurance", empty_values=(), orderable=False, visible=False
    )
    commentary = tables.Column(
        verbose_name="Commentary", empty_values=(), orderable=False, visible=False
    )
    status = tables.Column(
        accessor="return_status", verbose_name="Return", empty_values=(), orderable=True
    )
    # In the exports only: the quarter's figure in numbers (headers name the quarter).
    figure_count = tables.Column(
        verbose_name="count", empty_values=(), orderable=False, visible=False
    )
    figure_gbp = tables.Column(verbose_name="£", empty_values=(), orderable=False, visible=False)
    figure_percent = tables.Column(
        verbose_name="%", empty_values=(), orderable=False, visible=False
    )
    figure_value = tables.Column(
        verbose_name="value", empty_values=(), orderable=False, visible=False
    )

    class Meta:
        orderable = True
        empty_text = "No KPI matches these filters."

    def export_columns(self) -> list[Column]:
        """Each exported column's kind and width, in the order ``as_values`` gives them."""
        return [
            EXPORT_COLUMNS.get(bound.name, TEXT)
            for bound in self.columns.iterall()
            if not bound.column.exclude_from_export
        ]

    def cells(self, record: ScorecardRow) -> list:
        """(column, cell) for each shown column of a row, each cell from the render method
        that takes the record alone. django-tables2's own way inspects each method's signature
        for every cell: a millisecond a row, a third of the scorecard's time."""
        return [(column, self._renderers[column.name](record)) for column in self.columns]

    @cached_property
    def _renderers(self) -> dict:
        return {
            bound.name: bound.column.render
            if isinstance(bound.column, QuarterColumn)
            else getattr(self, f"render_{bound.name}")
            for bound in self.columns
        }

    # The page the table is on, carried to the KPI page for its breadcrumbs ("directorate").
    kpi_from = ""

    # On a phone the table keeps what a glance needs, the KPI, the chosen quarter's figure, its
    # RAG and trend; the rest is a tap away on the KPI page.
    NARROW = ("kpi", "rag", "trend")

    def __init__(self, *args, quarter: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.quarter = quarter
        if quarter is not None:  # the exports' number columns name the quarter they hold
            for name in FIGURE_COLUMNS:
                column = self.columns[name].column
                column.verbose_name = f"Q{quarter} {column.verbose_name}"

    def column_classes(self, name: str) -> str:
        """A column's classes: its name, and whether a narrow screen leaves it out."""
        kept = name in self.NARROW or name == f"q{self.quarter}"
        return f"app-col-{name}" if kept else f"app-col-{name} app-col--wide-only"

    def render_kpi(self, record: ScorecardRow):
        href = reverse("kpi_page", kwargs={"kpi": record.kpi.slug})
        if self.kpi_from:
            href += f"?from={self.kpi_from}"
        return format_html('<a href="{}">{}</a>', href, record.kpi.name)

    def value_kpi(self, record: ScorecardRow):
        return record.kpi.name

    def render_team(self, record: ScorecardRow):
        return record.team_name

    def value_team(self, record: ScorecardRow):
        return record.team_name

    def render_frequency(self, record: ScorecardRow):
        return record.kpi_year.frequency.capitalize()

    def value_frequency(self, record: ScorecardRow):
        return record.kpi_year.frequency.capitalize()

    def render_target(self, record: ScorecardRow):
        return record.kpi_year.target_text or "—"

    def value_target(self, record: ScorecardRow):
        return record.kpi_year.target_text

    def render_rag(self, record: ScorecardRow):
        return _badge("rag", record.standing, STANDING_LABELS[record.standing])

    def value_rag(self, record: ScorecardRow):
        return STANDING_LABELS[record.standing]

    def render_self_assessed(self, record: ScorecardRow):
        if record.self_assessed is None:
            return "—"
        badge = _badge("rag", record.self_assessed.value, RAG_TEXT[record.self_assessed])
        if record.disagrees:
            return format_html('{} <span class="app-disagrees">differs</span>', badge)
        return badge

    def value_self_assessed(self, record: ScorecardRow):
        if record.self_assessed is None:
            return ""
        text = RAG_TEXT[record.self_assessed]
        return f"{text} (differs)" if record.disagrees else text

    def render_trend(self, record: ScorecardRow):
        if record.trend is None:
            return "—"
        key = record.trend.value
        return format_html(
            '<span class="app-trend app-trend--{}" aria-hidden="true">{}</span> {}',
            key,
            TREND_ARROW[key],
            TREND_TEXT[key],
        )

    def value_trend(self, record: ScorecardRow):
        return TREND_TEXT[record.trend.value] if record.trend else ""

    def render_spc(self, record: ScorecardRow):
        if record.variation is None and record.assurance is None:
            return "—"
        return format_html(
            "{}{}",
            self.render_variation(record) if record.variation else "",
            self.render_assurance(record) if record.assurance else "",
        )

    def render_variation(self, record: ScorecardRow):
        if record.variation is None:
            return "—"
        return _badge("spc", record.variation.value, VARIATION_TEXT[record.variation.value])

    def value_variation(self, record: ScorecardRow):
        return VARIATION_TEXT[record.variation.value] if record.variation else ""

    def render_assurance(self, record: ScorecardRow):
        if record.assurance is None:
            return "—"
        return _badge("spc", record.assurance.value, ASSURANCE_TEXT[record.assurance.value])

    def value_assurance(self, record: ScorecardRow):
        return ASSURANCE_TEXT[record.assurance.value] if record.assurance else ""

    def render_commentary(self, record: ScorecardRow):
        text = record.commentary
        if len(text) > COMMENTARY_CHARS:
            text = text[:COMMENTARY_CHARS].rsplit(" ", 1)[0] + "…"
        return text or "—"

    def value_commentary(self, record: ScorecardRow):
        return record.commentary

    def render_status(self, record: ScorecardRow):
        return return_status_tag(record.return_status).text

    def value_status(self, record: ScorecardRow):
        return return_status_tag(record.return_status).text

    # The quarter's figure in numbers, for the exports. Not collected or no figure: empty.

    def value_figure_count(self, record: ScorecardRow):
        figure = _figure(record)
        if figure is None:
            return None
        if record.kpi_year.spec.measure == Measure.RATIO:
            return figure.numerator
        return figure.count

    def value_figure_gbp(self, record: ScorecardRow):
        figure = _figure(record)
        return export_number(figure.amount_gbp) if figure else None

    def value_figure_percent(self, record: ScorecardRow):
        figure = _figure(record)
        if figure is None:
            return None
        rate = figure.percent
        if record.kpi_year.spec.measure == Measure.RATIO:
            rate = ratio_percent(figure.numerator, figure.denominator) or figure.percent
        if rate is None:
            return None
        return export_number(rate.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))

    def value_figure_value(self, record: ScorecardRow):
        figure = _figure(record)
        return export_number(figure.value) if figure else None


def _figure(record: ScorecardRow):
    figure = record.figures.get(record.quarter)
    return None if figure is None or figure.not_collected else figure


FIGURE_COLUMNS = ("figure_count", "figure_gbp", "figure_percent", "figure_value")
# The Excel export's columns; those not named are text as wide as their values.
EXPORT_COLUMNS = {
    "kpi": Column(width=50),
    "team": Column(width=30),
    "commentary": Column(width=60),
    "figure_count": Column(Kind.COUNT),
    "figure_gbp": Column(Kind.GBP, width=16),
    "figure_percent": Column(Kind.PERCENT),
    "figure_value": Column(Kind.DECIMAL),
}
