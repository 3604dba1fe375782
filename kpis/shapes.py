"""Pure mapping of parsed cells onto a KPI's measure shape and target kind (the only thing
read from the models is how large a number each figure part's column holds).

Shared by the KPI importers (through which the published schedule's figures go in too), the
KPI set-up loader (a year's targets) and the return form: one place decides what '63/67 (94%)'
means for a numerator/denominator KPI and what '386 pa' means for a KPI judged over the year.
"""

from decimal import ROUND_HALF_UP, Decimal

from common.cells import KpiCell, TargetCell
from common.limits import limit_text
from kpis.models import FIGURE_LIMITS, TARGET_LIMIT
from kpis.rules import FigureValues, Measure, TargetKind, ratio_percent


class ShapeError(ValueError):
    """A cell whose shape does not fit the KPI; str() says why in an admin's words."""


def cell_values(measure: Measure, cell: KpiCell) -> FigureValues:
    """The figure a published cell gives for a KPI of this shape, each part no larger than
    its column holds."""
    values = _cell_values(measure, cell)
    if large := too_large(values):
        raise ShapeError(f"'{cell.text}': {'; '.join(large.values()).lower()}")
    return values


def _cell_values(measure: Measure, cell: KpiCell) -> FigureValues:
    if cell.not_collected:
        return FigureValues(not_collected=True)
    present = {
        name
        for name in ("count", "numerator", "denominator", "amount", "percent", "value")
        if getattr(cell, name) is not None
    }
    if not present:
        raise ShapeError("is empty; write '*' if the information was not collected")
    if measure == Measure.COUNT and present == {"count"}:
        return FigureValues(count=cell.count)
    if measure == Measure.COUNT_VALUE and "count" in present and present <= {"count", "amount"}:
        return FigureValues(count=cell.count, amount_gbp=cell.amount)
    if measure == Measure.COUNT_PAIR and present == {"numerator", "denominator"}:
        return FigureValues(count=cell.numerator, count_2=cell.denominator)
    if measure == Measure.COUNT_PAIR and present == {"count"}:
        return FigureValues(count=cell.count)
    if measure == Measure.PERCENT and present == {"percent"}:
        return FigureValues(percent=cell.percent)
    if measure == Measure.DECIMAL and len(present) == 1 and present <= {"value", "count"}:
        return FigureValues(value=cell.value if cell.value is not None else Decimal(cell.count))
    if (
        measure == Measure.RATIO
        and present <= {"count", "numerator", "denominator", "percent"}
        and present & {"count", "numerator"}
    ):
        numerator = cell.numerator if cell.numerator is not None else cell.count
        _check_fraction(numerator, cell.denominator, cell.percent)
        return FigureValues(numerator=numerator, denominator=cell.denominator, percent=cell.percent)
    raise ShapeError(
        f"'{cell.text}' does not fit a KPI measured as {measure.value.replace('_', ' ')}"
    )


def _check_fraction(numerator: int, denominator: int | None, printed: Decimal | None) -> None:
    """A fraction is at most the whole, and a rate printed beside it is that fraction."""
    if denominator is None:
        return
    if numerator > denominator:
        raise ShapeError(f"{numerator} out of {denominator} is more than the whole")
    computed = ratio_percent(numerator, denominator)
    if printed is not None:
        places = Decimal(1).scaleb(printed.as_tuple().exponent)
        if computed.quantize(places, ROUND_HALF_UP) != printed:
            raise ShapeError(
                f"{numerator}/{denominator} is {computed:.2f}%, "
                f"not the {printed}% printed beside it"
            )


def target_value(
    kind: TargetKind, cell: TargetCell, override: Decimal | None = None
) -> Decimal | None:
    """The number a target of this kind is judged against, read from the published target.

    override stands for a composite target such as '100% (6 days)', where the number judged
    each period (6 days) is not the headline of the printed text.
    """
    value = _target_value(kind, cell, override)
    if value is not None and abs(value) > TARGET_LIMIT:
        raise ShapeError(
            f"'{cell.text}' is larger than the portal can hold: at most {limit_text(TARGET_LIMIT)}"
        )
    return value


def _target_value(kind: TargetKind, cell: TargetCell, override: Decimal | None) -> Decimal | None:
    if override is not None:
        return override
    if kind == TargetKind.NONE:
        if not cell.none:
            raise ShapeError(f"'{cell.text}' is a target, but the KPI is set up as having none")
        return None
    if kind == TargetKind.INCREASE:
        if cell.relative is None:
            raise ShapeError(f"'{cell.text}' is not a relative target such as 'annual increase'")
        return None
    if kind == TargetKind.PERCENT:
        if cell.percent is None:
            raise ShapeError(f"'{cell.text}' is not a percentage target")
        return cell.percent
    if cell.number is None:
        raise ShapeError(f"'{cell.text}' is not a numeric target")
    if kind == TargetKind.PER_PERIOD and cell.per == "year":
        raise ShapeError(f"'{cell.text}' is for the year, but the KPI is judged each quarter")
    return cell.number


def part_labels(measure: Measure, text: str) -> tuple[str, str]:
    """What a numerator/denominator KPI's two parts count, as its definition names them:
    'meetings attended|meetings held' -> ('meetings attended', 'meetings held'); none given,
    ('', ''), and the return form says 'Numerator' and 'Denominator'."""
    if not text.strip():
        return "", ""
    if measure != Measure.RATIO:
        raise ShapeError(
            f"'{text}' names a numerator and a denominator, but the KPI is measured as "
            f"{measure.value.replace('_', ' ')}"
        )
    pieces = [piece.strip() for piece in text.split("|")]
    if len(pieces) != 2 or not all(pieces):
        raise ShapeError(
            f"'{text}' is not two names joined by '|', such as 'meetings attended|meetings held'"
        )
    return pieces[0], pieces[1]


# The inputs each shape uses; anything else on the figure must be empty.
SHAPE_FIELDS = {
    Measure.COUNT: ("count",),
    Measure.COUNT_VALUE: ("count", "amount_gbp"),
    Measure.RATIO: ("numerator", "denominator"),
    Measure.PERCENT: ("percent",),
    Measure.DECIMAL: ("value",),
    Measure.COUNT_PAIR: ("count", "count_2"),
}
REQUIRED_FIELDS = {
    Measure.COUNT: ("count",),
    Measure.COUNT_VALUE: ("count",),
    Measure.RATIO: ("numerator", "denominator"),
    Measure.PERCENT: ("percent",),
    Measure.DECIMAL: ("value",),
    Measure.COUNT_PAIR: ("count", "count_2"),
}
# How a figure's parts are held to each other: a part at most its whole (57 of 57 complaints,
# never 58), a whole more than 0. entry_problems refuses anything else, and the return form
# hands the same limits to its script (data-at-most, data-more-than-zero on the inputs).
AT_MOST = {"numerator": "denominator"}
MORE_THAN_ZERO = ("denominator",)
FIELD_NAMES = {
    "count": "the count",
    "count_2": "the second count",
    "numerator": "the numerator",
    "denominator": "the denominator",
    "amount_gbp": "the £ value",
    "percent": "the percentage",
    "value": "the figure",
}


def entry_problems(measure: Measure, figure: FigureValues, *, complete: bool) -> dict[str, str]:
    """What is wrong with a figure entered for a KPI of this shape, by field.

    complete asks for a full figure (on submission); a draft may be partly filled.
    """
    problems: dict[str, str] = {}
    used = SHAPE_FIELDS[measure]
    if figure.not_collected:
        if any(getattr(figure, name) is not None for name in used):
            problems["not_collected"] = "Clear the figures, or untick 'not collected'"
        return problems
    if complete and figure.is_empty:
        problems[used[0]] = "Enter a figure, or tick 'not collected' if it was not collected"
        return problems
    if complete or not figure.is_empty:
        for name in REQUIRED_FIELDS[measure]:
            if getattr(figure, name) is None:
                problems[name] = f"Enter {FIELD_NAMES[name]}"
    for name in ("count", "count_2", "numerator", "denominator"):
        number = getattr(figure, name)
        if number is not None and number < 0:
            problems[name] = f"{FIELD_NAMES[name].capitalize()} cannot be negative"
    zero = [name for name in MORE_THAN_ZERO if getattr(figure, name) == 0]
    for name in zero:
        problems[name] = f"{FIELD_NAMES[name].capitalize()} must be more than 0"
    for part, whole in () if zero else AT_MOST.items():
        number, of = getattr(figure, part), getattr(figure, whole)
        if number is not None and of is not None and number > of:
            problems[part] = (
                f"{FIELD_NAMES[part].capitalize()} ({number}) cannot be more than "
                f"{FIELD_NAMES[whole]} ({of})"
            )
    if figure.percent is not None and not 0 <= figure.percent <= 100:
        problems["percent"] = "A percentage must be between 0 and 100"
    for name in ("amount_gbp", "value"):  # £ and whole-time equivalents alike
        number = getattr(figure, name)
        if number is not None and number < 0:
            problems[name] = f"{FIELD_NAMES[name].capitalize()} cannot be negative"
    return {**too_large(figure), **problems}


def too_large(figure: FigureValues) -> dict[str, str]:
    """The parts of a figure larger than the database holds (kpis.models.FIGURE_LIMITS), by
    field: a form's figure, an imported cell and a quarter rolled up from its months alike."""
    return {
        name: (
            f"{FIELD_NAMES[name].capitalize()} is larger than the portal can hold: "
            f"at most {limit_text(limit)}"
        )
        for name, limit in FIGURE_LIMITS.items()
        if getattr(figure, name) is not None and getattr(figure, name) > limit
    }
