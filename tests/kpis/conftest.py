"""Fixtures for returns: the demo data's open year, teams and users."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from directorates.models import FinancialYear, Membership, Organisation, Team
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn

OPEN_DAY = date(2026, 11, 25)  # every quarter of 2014/15 has started
INSPECTIONS = "quality-inspections"  # 6 a quarter, higher is better; 2013/14: 6, 7, 6, 5
# Five earlier years of inspections, steady at 9-10 a quarter: 2013/14's 6, 7, 6, 5 is a fall.
EARLIER = [9, 10, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9]


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


@pytest.fixture
def long_series(demo):
    """2008/09 to 2012/13 for the quality inspections KPI, before the published year."""
    published = KpiYear.objects.get(kpi__slug=INSPECTIONS, year__label="2013-14")
    organisation = Organisation.objects.get()
    for i in range(5):
        start = 2008 + i
        year = FinancialYear.objects.create(
            organisation=organisation,
            label=f"{start}-{str(start + 1)[2:]}",
            start_date=date(start, 4, 1),
            end_date=date(start + 1, 3, 31),
            status="locked",
        )
        kpi_year = KpiYear.objects.create(
            kpi=published.kpi,
            year=year,
            team=published.team,
            frequency=published.frequency,
            measure=published.measure,
            rollup=published.rollup,
            target_kind=published.target_kind,
            target_value=published.target_value,
            target_text=published.target_text,
            direction=published.direction,
        )
        for quarter in range(1, 5):
            Figure.objects.create(
                kpi_year=kpi_year, quarter=quarter, count=EARLIER[i * 4 + quarter - 1]
            )
    return published.kpi
