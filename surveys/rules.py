"""Pure survey arithmetic: mean ratings (each item's and the survey's, to two places), response
rates, and the change between two surveys' percentages."""

from collections.abc import Hashable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

HUNDREDTH = Decimal("0.01")


def mean_rating(scores: Iterable[int]) -> Decimal | None:
    """The mean of some ratings, rounded half-up to 2 places; None when there are none."""
    scores = list(scores)
    if not scores:
        return None
    return (Decimal(sum(scores)) / Decimal(len(scores))).quantize(HUNDREDTH, ROUND_HALF_UP)


def item_means(ratings: Iterable[tuple[Hashable, int]]) -> dict[Hashable, Decimal]:
    """Each item's mean rating from (item, score) pairs; items nobody rated are left out."""
    scores: dict[Hashable, list[int]] = {}
    for item, score in ratings:
        scores.setdefault(item, []).append(score)
    return {item: mean_rating(values) for item, values in scores.items()}


def overall_mean(ratings: Iterable[tuple[Hashable, int]]) -> Decimal | None:
    """The survey's overall mean: every rating counts once, whichever item it rates.

    With every item rated by everyone this equals the mean of the item means (the 2013/14
    customer survey's published 7.57); with blanks it does not, and the mean of item means
    would weigh an item few rated as much as one everybody rated.
    """
    return mean_rating(score for _, score in ratings)


def mean_of(total: int, count: int) -> Decimal | None:
    """The mean of `count` ratings adding up to `total`, half-up to 2 places; None for none."""
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(HUNDREDTH, ROUND_HALF_UP)


def respondents_mean(respondents: Iterable[tuple[int, int]]) -> Decimal | None:
    """The mean of each respondent's mean, from (total, count) of each one's ratings.

    Every respondent counts once however many items they rated; respondents who rated nothing
    are left out. Each respondent's mean is kept exact and only the result rounded.
    """
    means = [Decimal(total) / Decimal(count) for total, count in respondents if count]
    if not means:
        return None
    return (sum(means) / Decimal(len(means))).quantize(HUNDREDTH, ROUND_HALF_UP)


def overall(averaging: str, totals: Iterable[tuple[int, int]], respondents) -> Decimal | None:
    """The survey's overall mean as it defines it: "ratings" (every rating once, from each
    item's (total, count)) or "respondents" (every respondent once)."""
    if averaging == "respondents":
        return respondents_mean(respondents)
    pairs = list(totals)
    return mean_of(sum(t for t, _ in pairs), sum(c for _, c in pairs))


def percent(part: int, whole: int) -> int | None:
    """part of whole as a whole percentage, half-up (15 of 17: 88); None when whole is 0."""
    if not whole:
        return None
    return int((Decimal(100 * part) / Decimal(whole)).quantize(Decimal(1), ROUND_HALF_UP))


def change_in_points(previous: Decimal | None, current: Decimal) -> Decimal | None:
    """Percentage points between two surveys' results (49% to 68%: 19); None without a previous."""
    return None if previous is None else current - previous


def takes_replies(*, due: date | None, locked: bool, today: date) -> bool:
    """Whether a survey's links still take a reply: until the end of its due day, while its
    year is open. A survey with no due date takes none."""
    return due is not None and not locked and today <= due
