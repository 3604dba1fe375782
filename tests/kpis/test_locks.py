"""The one lock check: a locked year, a quarter not started or not there, an approved return."""

from datetime import date

import pytest

from directorates.models import FinancialYear
from kpis.locks import QuarterClosed, check_open, return_locks_figures

OPEN = FinancialYear(label="2014-15", start_date=date(2014, 4, 1), end_date=date(2015, 3, 31))
LOCKED = FinancialYear(
    label="2013-14", start_date=date(2013, 4, 1), end_date=date(2014, 3, 31), status="locked"
)


def test_an_open_years_started_quarter_takes_figures():
    check_open(OPEN, 1, date(2014, 4, 1))
    check_open(OPEN, 4, date(2015, 1, 1))


@pytest.mark.parametrize(
    ("year", "quarter", "today", "why"),
    [
        (LOCKED, 1, date(2026, 1, 1), "2013/14 is locked: its figures were approved"),
        (OPEN, 5, date(2026, 1, 1), "There is no quarter 5"),
        (OPEN, 0, date(2026, 1, 1), "There is no quarter 0"),
        (OPEN, 2, date(2014, 6, 30), "Quarter 2 of 2014/15 has not started: it opens on 1 July"),
    ],
)
def test_a_closed_quarter_says_why(year, quarter, today, why):
    with pytest.raises(QuarterClosed, match=why):
        check_open(year, quarter, today)


def test_only_an_approved_return_locks_its_figures():
    statuses = [None, "draft", "submitted", "returned", "approved"]
    assert [s for s in statuses if return_locks_figures(s)] == ["approved"]
