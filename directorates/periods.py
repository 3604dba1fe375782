"""Pure calendar rules: quarters of an April-March year, and when a quarter's returns are due."""

from datetime import date, timedelta

QUARTER_START_MONTHS = {1: 4, 2: 7, 3: 10, 4: 1}


def quarter_start(year_start: date, quarter: int) -> date:
    """Q1 starts 1 April of the year's first calendar year; Q4 starts 1 January of the next."""
    calendar_year = year_start.year + (1 if quarter == 4 else 0)
    return date(calendar_year, QUARTER_START_MONTHS[quarter], 1)


def quarter_end(year_start: date, quarter: int) -> date:
    if quarter == 4:
        return date(year_start.year + 1, 3, 31)
    return quarter_start(year_start, quarter + 1) - timedelta(days=1)


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days (Monday to Friday) after `start`.

    Bank holidays are not counted out: the due date is a deadline admins can read as
    "N working days" without a holiday calendar to keep.
    """
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current


def return_due(year_start: date, quarter: int, working_days: int) -> date:
    return add_working_days(quarter_end(year_start, quarter), working_days)


def quarter_has_started(year_start: date, quarter: int, today: date) -> bool:
    """Figures can be entered from a quarter's first day (monthly KPIs month by month)."""
    return today >= quarter_start(year_start, quarter)


def year_label_for(day: date) -> str:
    """The label of the April-March financial year a day falls in: 3 December 2026 → 2026-27."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{str(start + 1)[2:]}"
