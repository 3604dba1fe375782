"""The KPI rows a user may see: one function per model, read by every page, export and
selector, on the rule of ``directorates.access.scoped``.

Ownership is per year: a KPI year belongs to the team that reported it that year, so when a
KPI moves between teams each team sees its own years of the series and not the other's.
Views never query these models themselves (tests/test_scoping.py reads them to make sure).
"""

from directorates.access import scoped
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn

SCOPED_MODELS = (KpiYear, Figure, TeamReturn, ReturnEvent)


def kpi_years(user):
    return scoped(user, KpiYear.objects, "team_id")


def figures(user):
    return scoped(user, Figure.objects, "kpi_year__team_id")


def team_returns(user):
    return scoped(user, TeamReturn.objects, "team_id")


def return_events(user):
    return scoped(user, ReturnEvent.objects, "team_return__team_id")
