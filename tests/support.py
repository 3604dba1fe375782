"""Helpers every test module shares: the demo's users by name, signing in, a snapshot of what a
refused write must leave as it was, an uploaded file as an import reads it, and a team's return
taken through the workflow to submitted or approved."""

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model

from common.uploads import read_upload
from kpis.models import Figure, ReturnEvent, TeamReturn
from kpis.returns import services
from kpis.returns.services import RowInput
from kpis.rules import FigureValues

OPEN_DAY = date(2026, 11, 25)  # every quarter of 2014/15 has started
INSPECTIONS = "quality-inspections"  # 6 a quarter, higher is better; 2013/14: 6, 7, 6, 5
# Five earlier years of inspections, steady at 9-10 a quarter: 2013/14's 6, 7, 6, 5 is a fall.
EARLIER = [9, 10, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9]
# What a refused write to returns must leave as it was: figures, returns, their events and
# the figures' change history.
RETURNS = (Figure, TeamReturn, ReturnEvent, Figure.history.model)


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, person="exec"):
    """The test client signed in as a user, or as the demo user of that username (the
    executive unless another is named)."""
    client.force_login(user(person) if isinstance(person, str) else person)
    return client


def snapshot(*models):
    """Every row of each model, in primary-key order (by default the returns' RETURNS): what a
    refused write must leave as it was."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in models or RETURNS
    }


def upload(data, name="upload.csv", *, encoding="utf-8"):
    """A file as an import reads it (common.uploads): text is encoded first, bytes kept."""
    return read_upload(name, data.encode(encoding) if isinstance(data, str) else data)


def submitted_return(team, year, rows, *, by, quarter=1, today=OPEN_DAY):
    """The team's return with these figures (RowInput), saved and submitted by a member."""
    return services.return_save(
        by=by,
        team=team,
        year=year,
        quarter=quarter,
        rows=rows,
        version=None,
        submit=True,
        today=today,
    )


def approved_return(team, year, rows, *, by, approver, quarter=1, today=OPEN_DAY):
    """The team's return submitted by a member (``by``), then approved by its director."""
    submitted = submitted_return(team, year, rows, by=by, quarter=quarter, today=today)
    return services.return_approve(by=approver, team_return=submitted)


def bi_rows(bi_kpis, *, meetings=97):
    """The demo BI team's quarter (conftest ``bi_kpis``): 15 coding challenges worth £900,000,
    and the meetings attended (97 of the 96.5 a quarter: green)."""
    return [
        RowInput(
            bi_kpis["coding-challenges-successful"].id,
            FigureValues(count=15, amount_gbp=Decimal("900000")),
        ),
        RowInput(bi_kpis["bi-meetings-attended"].id, FigureValues(count=meetings)),
    ]


def submitted_bi_return(open_year, bi, bi_kpis):
    """The demo BI team's 2014/15 quarter 1 return, submitted by staff.bi."""
    return submitted_return(bi, open_year, bi_rows(bi_kpis), by=user("staff.bi"))
