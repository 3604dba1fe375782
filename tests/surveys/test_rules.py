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


def test_mean_of_a_total_and_a_count():
    assert rules.mean_of(1249, 165) == Decimal("7.57")  # the 2013/14 illustrative ratings
    assert rules.mean_of(0, 0) is None


def test_the_respondents_mean_counts_each_respondent_once():
    # One rated a single item 10, the other three items 4: 7.00, where all ratings give 5.50.
    assert rules.respondents_mean([(10, 1), (12, 3)]) == Decimal("7.00")
    assert rules.overall("ratings", [(10, 1), (12, 3)], []) == Decimal("5.50")
    assert rules.overall("respondents", [], [(10, 1), (12, 3)]) == Decimal("7.00")
    assert rules.respondents_mean([(0, 0)]) is None


def test_response_rate_and_change_in_points():
    assert rules.percent(15, 17) == 88  # 88.24
    assert rules.percent(1, 8) == 13  # 12.5, half up
    assert rules.percent(3, 0) is None
    assert rules.change_in_points(Decimal("49"), Decimal("68")) == 19
    assert rules.change_in_points(None, Decimal("36")) is None


def test_a_survey_takes_replies_to_the_end_of_its_due_day_in_an_open_year():
    from datetime import date

    due = date(2014, 5, 9)
    assert rules.takes_replies(due=due, locked=False, today=due)
    assert not rules.takes_replies(due=due, locked=False, today=date(2014, 5, 10))
    assert not rules.takes_replies(due=due, locked=True, today=date(2014, 5, 1))
    assert not rules.takes_replies(due=None, locked=False, today=due)
