"""Fixtures for returns: the demo data's open year, teams and users."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from directorates.models import FinancialYear, Membership, Team
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn

OPEN_DAY = date(2026, 11, 25)  # every quarter of 2014/15 has started


def user(username):
    return get_user_model().objects.get(username=username)


def snapshot():
    """Everything a refused write must leave as it was."""
    return (
        list(Figure.objects.order_by("pk").values()),
        list(TeamReturn.objects.order_by("pk").values()),
        ReturnEvent.objects.count(),
        Figure.history.count(),
    )


@pytest.fixture
def open_year(demo):
    return FinancialYear.objects.get(label="2014-15")


@pytest.fixture
def bi(demo):
    return Team.objects.get(slug="business-intelligence")


@pytest.fixture
def bi_kpis(open_year, bi):
    """The BI team's two KPIs: coding challenges (count and £, no target) and meetings (386 pa)."""
    return {
        ky.kpi.slug: ky
        for ky in KpiYear.objects.filter(year=open_year, team=bi).select_related("kpi")
    }


@pytest.fixture
def director_of_quality(demo):
    person = get_user_model().objects.create_user("director.quality")
    Membership.objects.create(
        user=person,
        directorate_id=Team.objects.get(slug="information-governance").directorate_id,
        role="director",
    )
    return person
