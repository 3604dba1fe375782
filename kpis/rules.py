"""Pure KPI rules: the measure shapes, roll-up of months to a quarter, RAG and trend.

Plain values in, plain values out: nothing here touches the database, so every rule is
unit-tested on its own and the same rule serves forms, imports, dashboards and the report.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

# A figure this far (as a fraction of the target) on the wrong side of its target is amber
# rather than red: 90% against a 90% target is green, 81% is amber, 80.9% is red. A zero
# target has no amber band, so any breach of a "0 breaches" target is red. Admins set a
# different tolerance per KPI and year (KpiYear.amber_tolerance).
DEFAULT_AMBER_TOLERANCE = Decimal("0.10")


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUALLY = "annually"


class Measure(StrEnum):
    COUNT = "count"  # 96
    COUNT_VALUE = "count_value"  # 17 challenges £1,059,768; 44/£2.5m
    RATIO = "ratio"  # 57/57 (100%); 63/67 (94%); 3140 (96.5%); a bare numerator
    PERCENT = "percent"  # 28.33%
    DECIMAL = "decimal"  # 273.26 WTE
    # Two counts side by side, e.g. press statements issued / published: '60/40' is
    # published, so this cannot be a numerator over a denominator.
    COUNT_PAIR = "count_pair"


class Rollup(StrEnum):
    SUM = "sum"  # "total per quarter": add the months
    MEAN = "mean"  # "average per quarter"
    LATEST = "latest"  # a level at a point in time (staff in post, % trained)
    CUMULATIVE = "cumulative"  # a running total for the year: the latest month is the year to date


class TargetKind(StrEnum):
    NONE = "none"  # N/A: no RAG
    PER_PERIOD = "per_period"  # 6 per quarter; 0 breaches: each quarter against the target
    ANNUAL = "annual"  # 386 pa: the year to date against the target pro rata
    PERCENT = "percent"  # 90%: the quarter's rate against the target rate
    INCREASE = "increase"  # annual increase: the quarter against the same quarter last year


class Direction(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"


class Basis(StrEnum):
    """What a quarter's figure is set against to give its RAG (compared_on)."""

    QUARTER = "quarter"  # the quarter's figure against the target as set
    YEAR_TO_DATE = "year_to_date"  # the year's running total against the target pro rata
    YEAR_AVERAGE = "year_average"  # the average of the year's quarters so far, against the target
    YEAR_LEVEL = "year_level"  # a level (the latest figure) against the year's target
    LAST_YEAR = "last_year"  # the quarter against the same quarter last year


class Rag(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Trend(StrEnum):
    IMPROVED = "improved"
    NO_CHANGE = "no_change"
    DECLINED = "declined"


RAG_LEGEND = {
    Rag.GREEN: "Complete or on target to deliver",
    Rag.AMBER: "Slightly behind target",
    Rag.RED: "Significantly behind target",
}

PERCENT_MEASURES = frozenset({Measure.PERCENT, Measure.RATIO})
ALLOWED_ROLLUPS = {
    Measure.COUNT: frozenset(Rollup),
    Measure.COUNT_VALUE: frozenset({Rollup.SUM, Rollup.LATEST, Rollup.CUMULATIVE}),
    Measure.RATIO: frozenset({Rollup.SUM, Rollup.LATEST, Rollup.CUMULATIVE}),
    Measure.PERCENT: frozenset({Rollup.MEAN, Rollup.LATEST}),
    Measure.DECIMAL: frozenset(Rollup),
    Measure.COUNT_PAIR: frozenset({Rollup.SUM, Rollup.LATEST, Rollup.CUMULATIVE}),
}


@dataclass(frozen=True)
class FigureValues:
    """One period's figure in plain values; which fields are used depends on the measure."""

    not_collected: bool = False
    count: int | None = None
    count_2: int | None = None
    numerator: int | None = None
    denominator: int | None = None
    amount_gbp: Decimal | None = None
    percent: Decimal | None = None
    value: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return not self.not_collected and all(
            getattr(self, f.name) is None for f in fields(self) if f.name != "not_collected"
        )


@dataclass(frozen=True)
class Assessment:
    """A computed RAG with the figures it compared, or no RAG and the reason why."""

    rag: Rag | None
    reason: str
    actual: Decimal | None = None
    target: Decimal | None = None


def ratio_percent(numerator: int | None, denominator: int | None) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def headline(measure: Measure, figure: FigureValues) -> Decimal | None:
    """The one number of a figure that is charted, trended and compared with a target."""
    if figure.not_collected:
        return None
    if measure in (Measure.COUNT, Measure.COUNT_VALUE, Measure.COUNT_PAIR):
        return None if figure.count is None else Decimal(figure.count)
    if measure == Measure.PERCENT:
        return figure.percent
    if measure == Measure.RATIO:
        computed = ratio_percent(figure.numerator, figure.denominator)
        return computed if computed is not None else figure.percent
    return figure.value


def rollup_from_name(name: str, measure: Measure) -> Rollup:
    """How monthly figures make a quarter, as the KPI's own name says, else by its shape."""
    lowered = name.lower()
    if "cumulative" in lowered:
        return Rollup.CUMULATIVE
    if "average" in lowered:
        return Rollup.MEAN
    if "total" in lowered and "per quarter" in lowered:
        return Rollup.SUM
    if measure in (Measure.PERCENT, Measure.DECIMAL):
        return Rollup.LATEST
    return Rollup.SUM


def _roll(values: list, rule: Rollup):
    present = [v for v in values if v is not None]
    if not present:
        return None
    if rule == Rollup.SUM:
        return sum(present)
    if rule == Rollup.MEAN:
        return sum(Decimal(v) for v in present) / len(present)
    return present[-1]  # LATEST and CUMULATIVE: the last month recorded


def rollup(months: list[FigureValues], rule: Rollup) -> FigureValues:
    """Roll a quarter's months (in calendar order) up to one quarterly figure.

    Months not collected are left out; a quarter none of whose months was collected is
    itself not collected. A ratio's rate is recomputed from the rolled-up parts.
    """
    collected = [m for m in months if not m.not_collected and not m.is_empty]
    if not collected:
        return FigureValues(not_collected=any(m.not_collected for m in months))
    rolled = {
        f.name: _roll([getattr(m, f.name) for m in collected], rule)
        for f in fields(FigureValues)
        if f.name != "not_collected"
    }
    if rule == Rollup.MEAN:
        for name in ("count", "count_2", "numerator", "denominator"):
            if rolled[name] is not None:
                rolled[name] = int(Decimal(rolled[name]).quantize(Decimal(1), ROUND_HALF_UP))
    result = FigureValues(**rolled)
    computed = ratio_percent(result.numerator, result.denominator)
    return replace(result, percent=computed) if computed is not None else result


def quarter_from_months(
    months: dict[int, FigureValues], quarter_months: tuple[int, ...], rule: Rollup
) -> FigureValues:
    """A quarter's figure from whichever of its months are given, by the KPI's roll-up rule.

    quarter_months are the quarter's months in calendar order; a month not given counts as
    not entered. The return form and imports both roll up through here.
    """
    return rollup([months.get(month, FigureValues()) for month in quarter_months], rule)


def amber_limit(target: Decimal, direction: Direction, tolerance: Decimal) -> Decimal:
    """The furthest short of the target a figure can be and still be amber."""
    return target * (1 - tolerance) if direction == Direction.HIGHER else target * (1 + tolerance)


def compare(actual: Decimal, target: Decimal, direction: Direction, tolerance: Decimal) -> Rag:
    """Green on or past the target; amber within the tolerance short of it; red beyond."""
    limit = amber_limit(target, direction, tolerance)
    if direction == Direction.HIGHER:
        if actual >= target:
            return Rag.GREEN
        return Rag.AMBER if actual >= limit else Rag.RED
    if actual <= target:
        return Rag.GREEN
    return Rag.AMBER if actual <= limit else Rag.RED


@dataclass(frozen=True)
class TargetSpec:
    kind: TargetKind
    value: Decimal | None
    direction: Direction
    measure: Measure
    rollup: Rollup
    tolerance: Decimal = DEFAULT_AMBER_TOLERANCE


def _fmt(number: Decimal) -> str:
    text = f"{number.quantize(Decimal('0.01'), ROUND_HALF_UP):f}".rstrip("0").rstrip(".")
    return text or "0"


# Why a quarter has no RAG when nothing, or 'not collected', was entered.
NO_FIGURE_REASON = "No figure"
NOT_COLLECTED_REASON = "Information not collected"


def assess(
    spec: TargetSpec,
    quarter: int,
    year_figures: dict[int, FigureValues],
    same_quarter_last_year: FigureValues | None = None,
) -> Assessment:
    """The computed RAG of one quarter of one KPI.

    year_figures holds the year's quarterly figures by quarter (1-4) so that annual targets
    can be judged on the year to date.
    """
    figure = year_figures.get(quarter) or FigureValues()
    if spec.kind == TargetKind.NONE:
        return Assessment(None, "No target")
    if figure.not_collected:
        return Assessment(None, NOT_COLLECTED_REASON)
    current = headline(spec.measure, figure)
    if current is None:
        if spec.measure == Measure.RATIO and figure.numerator is not None:
            return Assessment(None, "No rate: the denominator was not recorded")
        return Assessment(None, NO_FIGURE_REASON)

    if spec.kind == TargetKind.INCREASE:
        last = headline(spec.measure, same_quarter_last_year) if same_quarter_last_year else None
        if last is None:
            return Assessment(None, "No figure for the same quarter last year", current)
        # No change on last year is not the increase the target asks for: amber at best.
        rag = (
            Rag.AMBER if current == last else compare(current, last, spec.direction, spec.tolerance)
        )
        return Assessment(rag, f"{_fmt(current)} against {_fmt(last)} last year", current, last)

    target = spec.value
    if target is None:
        return Assessment(None, "No target value")
    if spec.kind == TargetKind.PERCENT:
        if spec.measure not in PERCENT_MEASURES:
            return Assessment(None, "The figure is not a rate; the target is", current)
        actual = current
    elif spec.kind == TargetKind.ANNUAL:
        actual = _year_to_date(spec, quarter, year_figures, current)
        target = target_to_date(spec, quarter)
    else:
        actual = current
    rag = compare(actual, target, spec.direction, spec.tolerance)
    unit = "%" if spec.kind == TargetKind.PERCENT else ""
    return Assessment(rag, f"{_fmt(actual)}{unit} against {_fmt(target)}{unit}", actual, target)


def compared_on(spec: TargetSpec) -> Basis | None:
    """What assess sets a quarter's figure against, for a KPI with this target (None: no RAG).

    A total that builds up over the year (386 pa) is judged on the year to date against the
    target pro rata; an average for the year on the quarters so far; a level for the year as
    it stands; a rate or a target per quarter on the quarter alone.
    """
    if spec.kind == TargetKind.NONE:
        return None
    if spec.kind == TargetKind.INCREASE:
        return Basis.LAST_YEAR
    if spec.kind != TargetKind.ANNUAL:
        return Basis.QUARTER
    if spec.rollup in (Rollup.SUM, Rollup.CUMULATIVE):
        return Basis.YEAR_TO_DATE
    return Basis.YEAR_AVERAGE if spec.rollup == Rollup.MEAN else Basis.YEAR_LEVEL


def target_to_date(spec: TargetSpec, quarter: int) -> Decimal | None:
    """A year's target as it stands at the end of a quarter: pro rata for a total that builds
    up over the year (386 pa is 96.5 at Q1, 193 at Q2); otherwise the target as set."""
    if spec.value is None:
        return None
    if compared_on(spec) == Basis.YEAR_TO_DATE:
        return spec.value * quarter / 4
    return spec.value


def _year_to_date(spec: TargetSpec, quarter: int, year_figures: dict, current: Decimal) -> Decimal:
    """The year's running figure at a quarter, for a target set for the whole year.

    Quarters not collected count for nothing in a total and are left out of an average.
    """
    so_far = [
        headline(spec.measure, year_figures[q]) for q in range(1, quarter + 1) if q in year_figures
    ]
    present = [v for v in so_far if v is not None]
    if spec.rollup == Rollup.SUM:
        return sum(present, Decimal(0))
    if spec.rollup == Rollup.MEAN:
        return sum(present, Decimal(0)) / len(present)
    return current  # LATEST is a level; CUMULATIVE already holds the year to date


def trend(current: Decimal | None, previous: Decimal | None, direction: Direction) -> Trend | None:
    """Improved, no change or declined against the previous period, by the KPI's direction."""
    if current is None or previous is None:
        return None
    if current == previous:
        return Trend.NO_CHANGE
    better = current > previous if direction == Direction.HIGHER else current < previous
    return Trend.IMPROVED if better else Trend.DECLINED


def submission_problems(
    *,
    assessment: Assessment,
    self_assessed: Rag | None,
    commentary: str,
    reason: str,
    spc_concern: str | None = None,
) -> dict[str, str]:
    """What a KPI's row needs before its return can be submitted, by field.

    Red or amber needs commentary, and so does a statistical-process-control signal of
    concern (spc_concern says which, in words); a self-assessment that differs from the
    computed RAG needs a reason.
    """
    problems = {}
    if not commentary.strip():
        if assessment.rag in (Rag.RED, Rag.AMBER):
            problems["commentary"] = (
                f"Explain why this KPI is {assessment.rag.value}: commentary is needed"
            )
        elif spc_concern:
            problems["commentary"] = f"Explain the {spc_concern}: commentary is needed"
    if self_assessed and assessment.rag and self_assessed != assessment.rag and not reason.strip():
        problems["self_assessment_reason"] = (
            f"Your self-assessment ({self_assessed.value}) differs from the computed RAG "
            f"({assessment.rag.value}): give a reason"
        )
    return problems
