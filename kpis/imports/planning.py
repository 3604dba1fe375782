"""Turning an import's rows into a plan: each figure new, changed or unchanged, with its
consequences and every problem; nothing is written here."""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field, fields, replace
from decimal import Decimal

from common.cells import CellError, KpiCell, parse_kpi_cell
from common.importing import (
    Consequence,
    ImportPlan,
    ItemChange,
    Kind,
    Problem,
    looks_like_formula,
)
from kpis import rules
from kpis.imports.state import YearState
from kpis.models import QUARTER_MONTHS, KpiYear, stored
from kpis.presenters import ASSURANCE_TEXT, VARIATION_TEXT, figure_text
from kpis.series import series_for
from kpis.shapes import cell_values, too_large
from kpis.spc_state import states_for

VALUE_NAMES = tuple(f.name for f in fields(rules.FigureValues))
TEXT_NAMES = ("commentary", "self_assessed_rag", "self_assessment_reason")


@dataclass
class FigureWrite:
    """One figure to create or update; version is the one the plan read (None: new)."""

    kpi_year_id: int
    kpi_id: int
    team_id: int
    quarter: int
    month: int | None
    figure_id: int | None
    version: int | None
    fields: dict  # the columns this write sets: every value field, and any text fields
    published_text: str = ""


@dataclass
class TargetWrite:
    kpi_year_id: int
    kpi_id: int
    before_text: str
    before_value: Decimal | None
    text: str
    value: Decimal | None


@dataclass
class KpiWrites:
    """The payload a KPI importer's plan hands to apply()."""

    year_id: int
    figures: list[FigureWrite] = field(default_factory=list)
    targets: list[TargetWrite] = field(default_factory=list)


def read_value(kpi_year: KpiYear, text: str) -> tuple[rules.FigureValues, KpiCell]:
    """A cell read by the KPI's measure shape (common.cells, kpis.shapes), an upload's and the
    published record's alike; raises CellError or ShapeError with an admin's message. A
    percentage KPI also takes a bare number (28.33), as the return form does, since a
    spreadsheet cell may hold the number without its sign."""
    if looks_like_formula(text):
        raise CellError(f"'{text}' looks like a spreadsheet formula and is refused")
    cell = parse_kpi_cell(text)
    measure = rules.Measure(kpi_year.measure)
    if measure == rules.Measure.PERCENT and not cell.not_collected:
        bare = cell.value if cell.value is not None else cell.count
        if bare is not None and cell.percent is None:
            cell = parse_kpi_cell(f"{bare}%")
    return cell_values(measure, cell), cell


def period_name(year_label: str, quarter: int, month: int | None) -> str:
    if month is None:
        return f"{year_label} Q{quarter}"
    start = int(year_label[:4])
    return f"{calendar.month_abbr[month]} {start if month >= 4 else start + 1}"


class Planner:
    """Collects what each row would write and checks it against the year as it stands."""

    def __init__(self, state: YearState, layout: str):
        self.state = state
        self.plan = ImportPlan(layout=layout, year=state.year.label)
        self.writes = KpiWrites(year_id=state.year.id)

    def problem(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.plan.problems.append(Problem(message, row, column))

    def unknown_kpi(self, name: str, row: int, column: str) -> None:
        if not name.strip():
            self.problem("no KPI named: the KPI column is empty", row, column)
            return
        close = self.state.closest(name)
        hint = f"; did you mean {' or '.join(repr(n) for n in close)}?" if close else ""
        self.problem(f"there is no KPI '{name.strip()}' in {self.state.year}{hint}", row, column)

    def figure(
        self,
        kpi_year: KpiYear,
        quarter: int,
        month: int | None,
        values: dict,
        *,
        row: int | None,
        column: str,
        published_text: str = "",
    ) -> None:
        """A figure the file gives: listed as new, changed or unchanged, and queued to write
        unless unchanged. values holds every value field and any text fields it sets."""
        if large := too_large(values_of(values)):  # a cell, or months rolled up to a quarter
            what = f"{kpi_year.kpi.name}, {period_name(self.state.year.label, quarter, month)}"
            self.problem(f"{what}: {'; '.join(large.values()).lower()}", row, column)
            return
        values = {**values, **value_fields(stored(values_of(values)))}
        held = self.state.figures.get((kpi_year.id, quarter, month))
        measure = rules.Measure(kpi_year.measure)
        after = describe(measure, values)
        if held is None:
            kind, before = Kind.NEW, ""
        else:
            kind = (
                Kind.UNCHANGED
                if all(held.field(name) == value for name, value in values.items())
                else Kind.CHANGED
            )
            before = describe(measure, {name: held.field(name) for name in values})
        what = f"{kpi_year.kpi.name}, {period_name(self.state.year.label, quarter, month)}"
        self.plan.changes.append(ItemChange(kind, what, before, after, row))
        if kind == Kind.UNCHANGED:
            return
        if locked := self.state.lock(kpi_year, quarter):
            change = f"{before} to {after}" if before else f"to {after}"
            self.problem(f"{kpi_year.kpi.name}: {locked}; it would change {change}", row, column)
            return
        self.writes.figures.append(
            FigureWrite(
                kpi_year_id=kpi_year.id,
                kpi_id=kpi_year.kpi_id,
                team_id=kpi_year.team_id,
                quarter=quarter,
                month=month,
                figure_id=held.id if held else None,
                version=held.version if held else None,
                fields=values,
                published_text=published_text[:100],
            )
        )

    def target(
        self, kpi_year: KpiYear, text: str, value: Decimal | None, *, row: int, column: str
    ) -> None:
        """A target that differs from the year's: a change applied only when confirmed."""
        if text == " ".join(kpi_year.target_text.split()) and value == kpi_year.target_value:
            return
        what = f"Target of {kpi_year.kpi.name}"
        self.plan.changes.append(ItemChange(Kind.CHANGED, what, kpi_year.target_text, text, row))
        if self.state.year.is_locked:
            self.problem(
                f"{what}: {self.state.year} is locked; its targets cannot change", row, column
            )
            return
        self.writes.targets.append(
            TargetWrite(
                kpi_year.id,
                kpi_year.kpi_id,
                kpi_year.target_text,
                kpi_year.target_value,
                text,
                value,
            )
        )

    def finish(self) -> ImportPlan:
        self.plan.problems.sort(key=lambda problem: problem.row or 0)
        self.plan.consequences = consequences(self.state, self.writes)
        self.plan.payload = self.writes
        return self.plan


def rolled_up_quarter(
    state: YearState, kpi_year: KpiYear, quarter: int, months: dict[int, rules.FigureValues]
) -> rules.FigureValues:
    """The quarter of a monthly KPI from the file's months over those already held,
    by the same roll-up as the return form."""
    merged = {**state.months.get((kpi_year.id, quarter), {}), **months}
    return rules.quarter_from_months(merged, QUARTER_MONTHS[quarter], rules.Rollup(kpi_year.rollup))


def value_fields(values: rules.FigureValues) -> dict:
    """A figure's values by field name (dataclasses.asdict deep-copies: ten times slower)."""
    return {name: getattr(values, name) for name in VALUE_NAMES}


def values_of(fields_: dict) -> rules.FigureValues:
    return rules.FigureValues(**{name: fields_[name] for name in VALUE_NAMES})


def describe(measure: rules.Measure, values: dict) -> str:
    """A figure with whatever text fields the write sets, as the preview shows it."""
    parts = [figure_text(measure, values_of(values))]
    if values.get("self_assessed_rag"):
        parts.append(f"self-assessed {values['self_assessed_rag']}")
    if values.get("self_assessment_reason"):
        parts.append(f"reason: {values['self_assessment_reason']}")
    if values.get("commentary"):
        parts.append(f"commentary: {values['commentary']}")
    return "; ".join(parts)


def consequences(state: YearState, writes: KpiWrites) -> list[Consequence]:
    """The quarter RAG ratings and SPC icons the writes would change, as the dashboards
    work them out (rules.assess per quarter, series_for for SPC)."""
    if not writes.figures and not writes.targets:
        return []
    specs = {
        t.kpi_year_id: replace(state.kpi_years[t.kpi_year_id].target_spec(), value=t.value)
        for t in writes.targets
    }
    planned = {(w.kpi_year_id, w.quarter, w.month): values_of(w.fields) for w in writes.figures}
    planned_quarters: dict[int, dict[int, rules.FigureValues]] = defaultdict(dict)
    for (ky_id, quarter, month), values in planned.items():
        if month is None:
            planned_quarters[ky_id][quarter] = values
    touched = {w.kpi_year_id for w in writes.figures} | set(specs)
    found: list[Consequence] = []
    for ky_id in sorted(touched, key=lambda i: state.kpi_years[i].display_order):
        kpi_year = state.kpi_years[ky_id]
        before = state.quarters(ky_id)
        after = {**before, **planned_quarters.get(ky_id, {})}
        for quarter in range(1, 5):
            last = state.last_year.get(kpi_year.kpi_id, {}).get(quarter)
            was = rules.assess(kpi_year.target_spec(), quarter, before, last).rag
            will = rules.assess(specs.get(ky_id, kpi_year.target_spec()), quarter, after, last).rag
            if was != will:
                found.append(
                    Consequence(
                        kpi_year.kpi.name,
                        f"RAG {state.year.label} Q{quarter}",
                        was.value if was else "none",
                        will.value if will else "none",
                    )
                )
    kpi_ids = {state.kpi_years[i].kpi_id: state.kpi_years[i].kpi.name for i in touched}
    # The icons now are the stored ones the dashboards show (worked out, not stored, where
    # out of date: a plan writes nothing).
    now = states_for(list(kpi_ids), store=False)
    then = series_for(list(kpi_ids), replace=planned, specs=specs)
    for kpi_id, name in kpi_ids.items():
        for measure, texts, attr in (
            ("SPC variation", VARIATION_TEXT, "variation"),
            ("SPC assurance", ASSURANCE_TEXT, "assurance"),
        ):
            was = getattr(now[kpi_id], attr) if kpi_id in now else ""
            will = getattr(then[kpi_id], attr) if kpi_id in then else None
            will = will.value if will else ""
            if was != will:
                found.append(
                    Consequence(
                        name,
                        measure,
                        texts.get(was, was) if was else "none",
                        texts.get(will, will) if will else "none",
                    )
                )
    return found
