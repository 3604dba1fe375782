"""The home page's "today": what each signed-in user has to do, read for their roles.

Staff see their teams' returns of the open year that are due or overdue; directors and deputies
the returns waiting for their approval and their directorates' RAG counts and exceptions;
executives the scorecard's counts and the exception report; admins the latest imports and the
approved returns they may reopen. One read per part, whatever the number of teams or KPIs.
"""

from dataclasses import dataclass, field
from datetime import date

from ccgportal.models import ImportRecord
from dashboards import scorecard
from dashboards.scorecard import GroupCount
from directorates import access
from directorates.access import Perm
from directorates.models import Directorate, FinancialYear, Team
from directorates.periods import quarter_has_started
from directorates.roles import roles_for
from kpis import scoping
from kpis.models import ReturnStatus
from kpis.returns import selectors

RECENT_IMPORTS = 5


@dataclass(frozen=True)
class ReturnToDo:
    team: Team
    year: FinancialYear
    quarter: int
    status: str  # a TeamReturn status, or "not_started"
    due: date
    overdue: bool


@dataclass(frozen=True)
class Waiting:
    """A directorate's quarter with submitted returns, for its sign-off page."""

    directorate: Directorate
    year: FinancialYear
    quarter: int
    teams: list[str]


@dataclass(frozen=True)
class Picture:
    """A scorecard's counts for a quarter, and how many KPIs are on the exception report."""

    year: FinancialYear
    quarter: int
    groups: list[GroupCount]
    exceptions: int
    directorate: str = ""  # the slug of the one directorate it counts, if it counts one

    def total(self, standing: str) -> int:
        return sum(group.count(standing) for group in self.groups)


@dataclass
class Today:
    to_do: list[ReturnToDo] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)
    picture: Picture | None = None  # the led directorates' for directors, everything's else
    picture_by_team: bool = False
    imports: list[ImportRecord] = field(default_factory=list)
    approved_returns: int = 0  # of the open year, what an admin may be asked to reopen
    open_year: FinancialYear | None = None


def _to_do(user, today: date) -> list[ReturnToDo]:
    """The user's own teams' returns that are due (their quarter has started) and not done."""
    members_of = roles_for(user).member_team_ids
    if not members_of:
        return []  # directors sign returns off, admins reopen them: neither makes them
    mine = selectors.my_returns(user=user, today=today)
    if mine.year is None:
        return []
    return [
        ReturnToDo(row.team, mine.year, cell.quarter, cell.status, cell.due, cell.overdue)
        for row in mine.teams
        if row.team.pk in members_of
        for cell in row.cells
        if not cell.done and quarter_has_started(mine.year.start_date, cell.quarter, today)
    ]


def _waiting(user, year: FinancialYear) -> list[Waiting]:
    roles = roles_for(user)
    submitted = (
        scoping.team_returns(user)
        .filter(year=year, status=ReturnStatus.SUBMITTED)
        .select_related("team__directorate")
        .order_by("quarter", "team__directorate__name", "team__name")
    )
    found: dict[tuple[int, int], Waiting] = {}
    for team_return in submitted:
        directorate = team_return.team.directorate
        if not (roles.is_admin or directorate.pk in roles.led_directorate_ids):
            continue
        key = (directorate.pk, team_return.quarter)
        found.setdefault(key, Waiting(directorate, year, team_return.quarter, []))
        found[key].teams.append(team_return.team.name)
    return list(found.values())


def _picture(user) -> Picture | None:
    """The latest reported quarter's counts: the user's directorates if they lead any."""
    roles = roles_for(user)
    year, quarter = scorecard.default_period(list(FinancialYear.objects.all()))
    if year is None:
        return None
    kpi_years = scoping.kpi_years(user).filter(year=year, is_reported=True)
    led = roles.led_directorate_ids and not (roles.is_admin or roles.is_executive)
    if led:
        kpi_years = kpi_years.filter(team__directorate_id__in=roles.led_directorate_ids)
    card = scorecard.scorecard(kpi_years=kpi_years, year=year, quarter=quarter, by_team=bool(led))
    one = access.led_directorates(user) if led and len(roles.led_directorate_ids) == 1 else []
    slug = one[0].slug if one else ""
    return Picture(year, quarter, card.groups, len(scorecard.exceptions(card)), slug)


def today_for(user, today: date) -> Today:
    roles = roles_for(user)
    found = Today(open_year=selectors.open_year())
    found.to_do = _to_do(user, today)
    if roles.sees_everything:
        found.picture = _picture(user)
        found.picture_by_team = not (roles.is_admin or roles.is_executive)
    if found.open_year is not None and (roles.is_admin or roles.led_directorate_ids):
        found.waiting = _waiting(user, found.open_year)
    if access.may(user, Perm.IMPORT_RETURNS):
        found.imports = list(
            ImportRecord.objects.select_related("year", "imported_by").order_by("-imported_at")[
                :RECENT_IMPORTS
            ]
        )
        if found.open_year is not None:
            found.approved_returns = (
                scoping.team_returns(user)
                .filter(year=found.open_year, status=ReturnStatus.APPROVED)
                .count()
            )
    return found
