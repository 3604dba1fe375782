"""Pure survey arithmetic: mean ratings, each item's and the survey's, to two places."""

from collections.abc import Hashable, Iterable
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
