"""The portal's display vocabulary: KPI figures as text, RAG words and badges, a return's status
as a tag, the RAG and SPC key. Plain values in, text out, nothing queried; templates draw what
these give them and type none of it themselves."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kpis import spc
from kpis.models import ReturnStatus
from kpis.rules import (
    NO_FIGURE_REASON,
    NOT_COLLECTED_REASON,
    PERCENT_MEASURES,
    RAG_LEGEND,
    Assessment,
    Basis,
    FigureValues,
    Measure,
    Rag,
    TargetSpec,
    compared_on,
    ratio_percent,
)

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


def input_text(name: str, value) -> str:
    """A figure's part as a person types it into the return form, which reads it back as the
    same value: 1009 -> '1,009', £950000.00 -> '950,000' (pence only when there are some),
    95.0000% -> '95', 273.2600 -> '273.26'; nothing for no value."""
    if value is None:
        return ""
    if name == "amount_gbp":
        amount = Decimal(value)
        return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    return number_text(value)


def part_label(name: str, fallback: str) -> str:
    """A figure part's label from what the KPI calls it, first letter capitalised and the rest
    as written ('meetings attended' -> 'Meetings attended', 'FOI requests' kept), else the
    fallback ('Numerator')."""
    name = name.strip()
    return f"{name[:1].upper()}{name[1:]}" if name else fallback


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


# ---------------------------------------------------------------- RAG in words

# A rating's word, always shown beside its colour (static/scss/portal.scss, .app-rag--red…).
RAG_TEXT = {Rag.GREEN: "Green", Rag.AMBER: "Amber", Rag.RED: "Red"}
NOT_RATED = "Not rated"  # no computed RAG: no target, 'not collected', or no figure yet
NOT_ASSESSED = "Not assessed"  # the team gave no self-assessed RAG
# When the return form's commentary is needed: what rules.submission_problems asks it for (red or
# amber) and spc.concern (special cause of concern, consistent failure). Change them together.
COMMENTARY_HINT = "Needed for red or amber, and when SPC shows a concern"


@dataclass(frozen=True)
class Badge:
    """A RAG badge: ``key`` is its modifier (app-rag--red, app-rag--none), ``text`` its word."""

    key: str
    text: str


def rag_badge(rating: str | None, text: str | None = None, unrated: str = NOT_RATED) -> Badge:
    """The badge of a rating (a Rag, its value, or ""/None for none), with its own word unless
    ``text`` is given; ``unrated`` is the word for no rating."""
    if rating in RAG_TEXT:
        rag = Rag(rating)
        return Badge(rag.value, text or RAG_TEXT[rag])
    return Badge("none", text or unrated)


def rag_words() -> dict[str, str]:
    """Each rating's word, and "" for none: what the return form's script writes in the badge
    as it recomputes the RAG (static/js/return-form.js), so it says what the server says."""
    return {**{rag.value: text for rag, text in RAG_TEXT.items()}, "": NOT_RATED}


def self_assessed_badge(rating: str | None) -> Badge:
    """A team's own rating: "Not assessed" when it gave none, as the return form's choice says."""
    return rag_badge(rating, unrated=NOT_ASSESSED)


# ---------------------------------------------------------------- what a RAG was set against

# A computed RAG in words: the figure, what it was set against, and over which period, e.g.
# "221 against 193, year to date". The return form's script fills in the same sentence as
# figures are typed (rag_preview_words), so the page says the same before and after saving.
AGAINST = "{actual} against {target}, {basis}"
BASIS_TEXT = {
    Basis.QUARTER: "this quarter",
    Basis.YEAR_TO_DATE: "year to date",
    Basis.YEAR_AVERAGE: "average for the year to date",
    Basis.YEAR_LEVEL: "target for the year",
    Basis.LAST_YEAR: "same quarter last year",
}
COMPARED_PLACES = 2  # the figure and target are shown to 2 places at most: 94.03, 96.5
PREVIEW_INVALID = "Not rated: check the figure"  # the server would refuse what is typed
PREVIEW_ON_SAVE = "Rated when you save"  # a RAG the form's script leaves to the server


def compared_number(number) -> str:
    """A figure or target as the RAG's sentence shows it: '96.5', '94.03', '1,009'."""
    step = Decimal(1).scaleb(-COMPARED_PLACES)
    return number_text(Decimal(number).quantize(step, ROUND_HALF_UP))


def headline_unit(spec: TargetSpec) -> str:
    """'%' where the figure judged is a rate (a percentage, or a numerator over its whole)."""
    return "%" if spec.measure in PERCENT_MEASURES else ""


def against_text(actual, target, basis: Basis, unit: str = "") -> str:
    return AGAINST.format(
        actual=f"{compared_number(actual)}{unit}",
        target=f"{compared_number(target)}{unit}",
        basis=BASIS_TEXT[basis],
    )


def assessment_text(spec: TargetSpec, assessment: Assessment) -> str:
    """A computed RAG's reason: what it was set against ("97 against 96.5, year to date"), or
    why there is none ("No target", "Information not collected")."""
    basis = compared_on(spec)
    if assessment.rag is None or basis is None or assessment.target is None:
        return assessment.reason
    return against_text(assessment.actual, assessment.target, basis, headline_unit(spec))


def rag_preview_words() -> dict:
    """What the return form's script writes beside the RAG it recomputes as figures are typed
    (static/js/rag-preview.js): the sentence, each basis's words, and why there is no RAG."""
    return {
        "against": AGAINST,
        "places": COMPARED_PLACES,
        "basis": {basis.value: text for basis, text in BASIS_TEXT.items()},
        "empty": NO_FIGURE_REASON,
        "not_collected": NOT_COLLECTED_REASON,
        "invalid": PREVIEW_INVALID,
        "on_save": PREVIEW_ON_SAVE,
    }


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


# ---------------------------------------------------------------- a return's status

NOT_STARTED = "not_started"  # a quarter with no TeamReturn row yet, as kpis.returns names it


@dataclass(frozen=True)
class Tag:
    """An NHS.UK tag: its word and its colour (the component's nhsuk-tag--{colour})."""

    text: str
    colour: str


# A return's status as every page shows it, the form, sign-off, my returns and completeness
# alike, and as the scorecard and the exports word it: one colour for one status everywhere.
RETURN_STATUS_TAGS = {
    NOT_STARTED: Tag("Not started", "grey"),
    ReturnStatus.DRAFT: Tag(ReturnStatus.DRAFT.label, "blue"),
    ReturnStatus.SUBMITTED: Tag(ReturnStatus.SUBMITTED.label, "purple"),
    ReturnStatus.RETURNED: Tag(ReturnStatus.RETURNED.label, "orange"),
    ReturnStatus.APPROVED: Tag(ReturnStatus.APPROVED.label, "green"),
}
OVERDUE_TAG = Tag("Overdue", "red")


def return_status_tag(status: str) -> Tag:
    """The tag of a return's status ("not_started" before its first save)."""
    return RETURN_STATUS_TAGS.get(status) or Tag(status, "grey")


# ---------------------------------------------------------------- the key to RAG and SPC


@dataclass(frozen=True)
class KeyRow:
    """One term of a key and what it means. ``rating`` is set when the term is drawn as a RAG
    badge ("red", "amber", "green", or "" for none), ``term`` then being the badge's word if
    it is not the rating's own."""

    term: str | None
    meaning: str
    rating: str | None = None


@dataclass(frozen=True)
class SpcKey:
    """What the dashboards' and the KPI page's key says, in the portal's own numbers."""

    ratings: list[KeyRow]
    limits: str  # how the process limits are drawn
    icons: list[KeyRow]  # variation and assurance
    baselines: str  # how many points limits need, and who rebases them


def _published_legend() -> list[KeyRow]:
    return [KeyRow(None, meaning, rating.value) for rating, meaning in RAG_LEGEND.items()]


def returns_legend() -> list[KeyRow]:
    """The legend under the return form and the sign-off page: the published one, then what a
    badge with no rating means there."""
    return [*_published_legend(), KeyRow(None, "No target, or information not collected", "")]


def _factor(value: float) -> str:
    return f"{value:g}"  # 2.66, not 2.660000


ASSURANCE_MEANINGS = {
    spc.Assurance.PASS: (
        "The target lies outside the process limits on the good side: the process will meet "
        "it almost every time."
    ),
    spc.Assurance.FAIL: (
        "The target lies outside the limits on the bad side: the process will not meet it "
        "without a change."
    ),
    spc.Assurance.HIT_AND_MISS: (
        "The target lies within the limits: the process will meet it some periods and miss it "
        "in others."
    ),
}


def spc_key() -> SpcKey:
    """The key, its numbers read from ``kpis.spc`` each time it is drawn: a change to a rule's
    constant changes what the key says, so the two cannot disagree."""
    pattern = spc.PATTERN_POINTS
    special = (
        f"Something has changed: a figure beyond a process limit, {pattern} in a row on one "
        f"side of the mean, {pattern} rising or falling in a row, or {spc.NEAR_POINTS} of "
        f"{spc.NEAR_WINDOW} near a limit. Improving or concerning depends on whether higher or "
        "lower is better."
    )
    icons = [
        KeyRow(
            f"Variation: {VARIATION_TEXT[spc.Variation.COMMON_CAUSE].lower()}",
            "The latest figure is within the usual ups and downs: nothing has changed that "
            "needs explaining.",
        ),
        KeyRow("Special cause: improving or concerning", special),
    ] + [
        KeyRow(f"Assurance: {ASSURANCE_TEXT[icon].lower()}", meaning)
        for icon, meaning in ASSURANCE_MEANINGS.items()
    ]
    not_collected = KeyRow(
        NOT_COLLECTED,
        "Information not collected (shown as * in the annual report); never counted as zero.",
        "",
    )
    return SpcKey(
        ratings=[*_published_legend(), not_collected],
        limits=(
            "Each KPI's figures over time, by quarter or by month, are drawn with their mean and "
            f"process limits (the mean ± {_factor(spc.LIMIT_FACTOR)} times the average change "
            "from one period to the next)."
        ),
        icons=icons,
        baselines=(
            f"Limits need at least {spc.MIN_POINTS} figures since the last baseline and are "
            f"provisional until there are {spc.STABLE_POINTS}. A baseline is rebased only when "
            "an admin records that the process changed, and why."
        ),
    )
