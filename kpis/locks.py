"""When a team's figures for a quarter may no longer change: the one lock check.

A quarter's figures are closed when the year is locked, when the quarter has not started (or
does not exist), or when the team's return for it is approved. The return form, the services,
the KPI importers (plan and apply) and the pages all ask here.
"""

from datetime import date

from django.utils import timezone

from directorates.models import FinancialYear
from directorates.periods import quarter_has_started, quarter_start
from kpis.models import LOCKING_STATUSES


class QuarterClosed(Exception):
    """The year or quarter does not take figures now; str() says why, for the person trying."""


def check_open(year: FinancialYear, quarter: int, today: date | None = None) -> None:
    """Refuse figures for a locked year or a quarter that has not started."""
    if year.is_locked:
        raise QuarterClosed(f"{year} is locked: its figures were approved and can no longer change")
    if not 1 <= quarter <= 4:
        raise QuarterClosed(f"There is no quarter {quarter}")
    if not quarter_has_started(year.start_date, quarter, today or timezone.localdate()):
        opens = quarter_start(year.start_date, quarter).strftime("%-d %B %Y")
        raise QuarterClosed(f"Quarter {quarter} of {year} has not started: it opens on {opens}")


def return_locks_figures(status: str | None) -> bool:
    """An approved return locks its figures until an admin reopens it (None: not started)."""
    return status in LOCKING_STATUSES
