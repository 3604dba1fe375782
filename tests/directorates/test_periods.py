"""Quarters of an April–March year and when a quarter's return is due."""

from datetime import date

import pytest

from directorates.periods import (
    add_working_days,
    quarter_end,
    quarter_has_started,
    quarter_start,
    return_due,
    year_label_for,
)

YEAR_2014_15 = date(2014, 4, 1)


@pytest.mark.parametrize(
    ("quarter", "start", "end"),
    [
        (1, date(2014, 4, 1), date(2014, 6, 30)),
        (2, date(2014, 7, 1), date(2014, 9, 30)),
        (3, date(2014, 10, 1), date(2014, 12, 31)),
        (4, date(2015, 1, 1), date(2015, 3, 31)),
    ],
)
def test_quarters_of_an_april_to_march_year(quarter, start, end):
    assert quarter_start(YEAR_2014_15, quarter) == start
    assert quarter_end(YEAR_2014_15, quarter) == end


def test_the_last_quarter_of_a_leap_year_still_ends_on_31_march():
    assert quarter_start(date(2015, 4, 1), 4) == date(2016, 1, 1)  # 2016 is a leap year
    assert quarter_end(date(2015, 4, 1), 4) == date(2016, 3, 31)


def test_working_days_skip_weekends_but_not_bank_holidays():
    friday = date(2014, 6, 27)
    assert add_working_days(friday, 1) == date(2014, 6, 30)  # Monday
    assert add_working_days(friday, 5) == date(2014, 7, 4)
    assert add_working_days(friday, 0) == friday
    christmas_eve = date(2014, 12, 24)  # a Wednesday
    assert add_working_days(christmas_eve, 1) == date(2014, 12, 25)  # counted: no holiday list


def test_a_return_is_due_fifteen_working_days_after_its_quarter_ends():
    # Q1 ends Monday 30 June 2014: 15 working days later is Monday 21 July.
    assert return_due(YEAR_2014_15, 1, 15) == date(2014, 7, 21)
    # Q4 ends Tuesday 31 March 2015: three weeks of working days later is 21 April.
    assert return_due(YEAR_2014_15, 4, 15) == date(2015, 4, 21)


def test_figures_can_be_entered_from_a_quarters_first_day():
    assert not quarter_has_started(YEAR_2014_15, 2, date(2014, 6, 30))
    assert quarter_has_started(YEAR_2014_15, 2, date(2014, 7, 1))
    assert quarter_has_started(YEAR_2014_15, 4, date(2015, 1, 1))
    assert not quarter_has_started(YEAR_2014_15, 4, date(2014, 12, 31))


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 12, 3), "2026-27"),
        (date(2027, 3, 31), "2026-27"),
        (date(2027, 4, 1), "2027-28"),
        (date(1999, 4, 1), "1999-00"),
    ],
)
def test_the_financial_year_a_day_falls_in(day, label):
    assert year_label_for(day) == label
