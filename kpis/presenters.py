"""Display values for KPI figures; plain values in, text out, nothing queried."""

from decimal import ROUND_HALF_UP, Decimal

from kpis.rules import FigureValues, Measure, ratio_percent

NOT_COLLECTED = "Not collected"
NO_FIGURE = "—"


def number_text(number) -> str:
    """1009 -> '1,009'; Decimal('273.2600') -> '273.26'; no exponent, no trailing zeros."""
    if isinstance(number, int):
        return f"{number:,}"
    text = f"{Decimal(number).normalize():,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def percent_text(percent: Decimal) -> str:
    return f"{number_text(Decimal(percent).quantize(Decimal('0.1'), ROUND_HALF_UP))}%"


def money_text(amount: Decimal) -> str:
    return f"£{number_text(Decimal(amount).quantize(Decimal(1), ROUND_HALF_UP))}"


def figure_text(measure: Measure, figure: FigureValues | None) -> str:
    """A figure as a person reads it: '63/67 (94%)', '17 (£1,059,768)', 'Not collected'."""
    if figure is None or figure.is_empty:
        return NO_FIGURE
    if figure.not_collected:
        return NOT_COLLECTED
    if measure == Measure.RATIO:
        rate = ratio_percent(figure.numerator, figure.denominator) or figure.percent
        parts = number_text(figure.numerator) if figure.numerator is not None else ""
        if figure.denominator is not None:
            parts += f"/{number_text(figure.denominator)}"
        return f"{parts} ({percent_text(rate)})" if rate is not None else parts
    if measure == Measure.PERCENT:
        return percent_text(figure.percent) if figure.percent is not None else NO_FIGURE
    if measure == Measure.DECIMAL:
        return number_text(figure.value) if figure.value is not None else NO_FIGURE
    text = number_text(figure.count) if figure.count is not None else NO_FIGURE
    if measure == Measure.COUNT_VALUE and figure.amount_gbp is not None:
        text += f" ({money_text(figure.amount_gbp)})"
    if measure == Measure.COUNT_PAIR and figure.count_2 is not None:
        text += f" / {number_text(figure.count_2)}"
    return text


# Making Data Count's two icons, in the words the KPI page's key explains.
VARIATION_TEXT = {
    "common_cause": "Common cause",
    "improvement": "Special cause: improving",
    "concern": "Special cause: concerning",
    "neither": "Special cause",
}
ASSURANCE_TEXT = {
    "consistent_pass": "Consistently passing",
    "consistent_fail": "Consistently failing",
    "hit_and_miss": "Hit and miss",
}
TREND_TEXT = {"improved": "Improved", "no_change": "No change", "declined": "Declined"}
TREND_ARROW = {"improved": "▲", "no_change": "▶", "declined": "▼"}


def rounded_text(value) -> str:
    """A computed number (a mean, a limit, a pro-rata target) to 2 places: '96.5', '1,234.57'."""
    if value is None:
        return NO_FIGURE
    return number_text(Decimal(str(round(float(value), 2))))
