"""Reads for the returns pages; which teams a user sees comes from directorates.access."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from directorates.access import own_teams, visible_teams
from directorates.models import Directorate, FinancialYear, Team
from directorates.periods import quarter_end, quarter_start, return_due
from directorates.roles import roles_for
from kpis.models import (
    KpiYear,
    ReturnAction,
    ReturnEvent,
    ReturnStatus,
    TeamReturn,
)

NOT_STARTED = "not_started"  # no TeamReturn row yet
DONE = frozenset({ReturnStatus.SUBMITTED, ReturnStatus.APPROVED})
QUARTERS = (1, 2, 3, 4)


def open_year() -> FinancialYear | None:
    """The year returns are being made for: the latest open one, if several are open."""
    return FinancialYear.objects.open().order_by("-start_date").first()


@dataclass(frozen=True)
class QuarterDue:
    quarter: int
    starts: date
    ends: date
    due: date


def quarter_dues(year: FinancialYear) -> list[QuarterDue]:
    return [
        QuarterDue(
            quarter=q,
            starts=quarter_start(year.start_date, q),
            ends=quarter_end(year.start_date, q),
            due=return_due(year.start_date, q, year.return_due_working_days),
        )
        for q in QUARTERS
    ]


def is_overdue(status: str, due: date, today: date) -> bool:
    return today > due and status not in DONE


@dataclass(frozen=True)
class ReturnNote:
    """Why a return is back with its team: a director's comment, or an admin's reopening."""

    action: str
    comment: str
    on: date

    @property
    def label(self) -> str:
        return "Reopened by an admin" if self.action == ReturnAction.REOPENED else "Returned"


@dataclass(frozen=True)
class ReturnCell:
    quarter: int
    due: date
    status: str
    overdue: bool
    note: ReturnNote | None = None

    @property
    def label(self) -> str:
        return "Not started" if self.status == NOT_STARTED else ReturnStatus(self.status).label

    @property
    def done(self) -> bool:
        return self.status in DONE


@dataclass(frozen=True)
class TeamRow:
    team: Team
    kpis: int
    cells: list[ReturnCell]


def _reporting_teams(year: FinancialYear):
    """Teams that own a reported KPI in the year: only they have returns to make."""
    kpis = (
        KpiYear.objects.filter(year=year, is_reported=True, team=OuterRef("pk"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Team.objects.with_directorate()
        .filter(pk__in=KpiYear.objects.filter(year=year, is_reported=True).values("team"))
        .annotate(kpi_count=Coalesce(Subquery(kpis, output_field=IntegerField()), 0))
    )


def _returns(year: FinancialYear, teams) -> dict[tuple[int, int], TeamReturn]:
    """The year's returns of those teams by (team, quarter), each with its latest note."""
    notes = ReturnEvent.objects.filter(
        team_return=OuterRef("pk"), action__in=[ReturnAction.RETURNED, ReturnAction.REOPENED]
    ).order_by("-at", "-id")
    rows = (
        TeamReturn.objects.filter(year=year, team__in=teams.values("pk"))
        .only("team_id", "quarter", "status")
        .annotate(
            note_action=Subquery(notes.values("action")[:1]),
            note_comment=Subquery(notes.values("comment")[:1]),
            note_at=Subquery(notes.values("at")[:1]),
        )
    )
    return {(r.team_id, r.quarter): r for r in rows}


def _cell(team_return: TeamReturn | None, due: QuarterDue, today: date) -> ReturnCell:
    status = team_return.status if team_return else NOT_STARTED
    note = None
    if status == ReturnStatus.RETURNED and team_return.note_action:
        note = ReturnNote(
            team_return.note_action,
            team_return.note_comment,
            timezone.localdate(team_return.note_at),
        )
    return ReturnCell(due.quarter, due.due, status, is_overdue(status, due.due, today), note)


def _team_rows(year, teams, dues, today) -> list[TeamRow]:
    returns = _returns(year, teams)
    return [
        TeamRow(
            team, team.kpi_count, [_cell(returns.get((team.pk, d.quarter)), d, today) for d in dues]
        )
        for team in teams
    ]


@dataclass(frozen=True)
class MyReturns:
    year: FinancialYear | None
    quarters: list[QuarterDue]
    teams: list[TeamRow]
    read_only: bool


def my_returns(*, user, today: date) -> MyReturns:
    """The open year's returns of the user's own teams (all teams for admins and executives)."""
    roles = roles_for(user)
    year = open_year()
    read_only = roles.is_executive and not roles.is_admin
    if year is None:
        return MyReturns(None, [], [], read_only)
    dues = quarter_dues(year)
    teams = _reporting_teams(year).filter(pk__in=own_teams(user))
    return MyReturns(year, dues, _team_rows(year, teams, dues, today), read_only)


@dataclass(frozen=True)
class QuarterCount:
    quarter: int
    done: int
    teams: int

    @property
    def text(self) -> str:
        # "1 of 4", not "1/4": spreadsheets read 1/4 in an export as a date.
        return f"{self.done} of {self.teams}"


def _counts(rows: list[TeamRow]) -> list[QuarterCount]:
    return [
        QuarterCount(q, sum(row.cells[q - 1].done for row in rows), len(rows)) for q in QUARTERS
    ]


@dataclass(frozen=True)
class DirectorateRows:
    directorate: Directorate
    teams: list[TeamRow]
    counts: list[QuarterCount]


@dataclass(frozen=True)
class Completeness:
    year: FinancialYear
    quarters: list[QuarterDue]
    directorates: list[DirectorateRows]
    totals: list[QuarterCount]


def completeness(*, user, year: FinancialYear, today: date) -> Completeness:
    """Every directorate, its reporting teams and their returns for each quarter of the year."""
    dues = quarter_dues(year)
    teams = _reporting_teams(year).filter(pk__in=visible_teams(user))
    rows = _team_rows(year, teams, dues, today)
    groups = []
    for directorate in Directorate.objects.all():
        its_rows = [row for row in rows if row.team.directorate_id == directorate.pk]
        groups.append(DirectorateRows(directorate, its_rows, _counts(its_rows)))
    return Completeness(year, dues, groups, _counts(rows))


def sign_off_quarter(year: FinancialYear, directorate: Directorate, today: date) -> int:
    """The quarter a director's sign-off starts at: the earliest with returns waiting for
    approval, else the latest that has started."""
    waiting = (
        TeamReturn.objects.filter(
            year=year, team__directorate=directorate, status=ReturnStatus.SUBMITTED
        )
        .order_by("quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    if waiting is not None:
        return waiting
    started = [q for q in QUARTERS if quarter_start(year.start_date, q) <= today]
    return started[-1] if started else 1
