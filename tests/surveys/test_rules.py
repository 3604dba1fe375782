"""Mean ratings: half-up to two places, every rating counted once in the overall mean."""

import csv
from decimal import Decimal

from surveys import rules
from tests.published import PORTAL


def test_mean_rating_rounds_half_up_to_two_places():
    assert rules.mean_rating([7, 7, 7, 7, 7, 7, 7, 8]) == Decimal("7.13")  # 7.125
    assert rules.mean_rating([1, 2, 2]) == Decimal("1.67")
    assert rules.mean_rating([8]) == Decimal("8.00")


def test_no_ratings_have_no_mean():
    assert rules.mean_rating([]) is None
    assert rules.overall_mean([]) is None
    assert rules.item_means([]) == {}


def test_item_means_leave_out_items_nobody_rated():
    ratings = [("a", 7), ("b", 9), ("a", 8)]
    assert rules.item_means(ratings) == {"a": Decimal("7.50"), "b": Decimal("9.00")}


def test_overall_mean_counts_every_rating_once():
    # Item a rated by three, item b by one: the mean of item means would be 7.50.
    ratings = [("a", 6), ("a", 6), ("a", 6), ("b", 9)]
    assert rules.overall_mean(ratings) == Decimal("6.75")


def test_illustrative_ratings_give_the_published_overall_mean():
    path = PORTAL / "customer_survey_ratings_2013-14_illustrative.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    ratings = [
        (item, int(score)) for row in rows for item, score in row.items() if item != "respondent"
    ]
    assert rules.overall_mean(ratings) == Decimal("7.57")
