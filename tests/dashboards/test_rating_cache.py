"""The scorecard's ratings kept in the cache: read again without touching the figures, and
never stale, since every change to a KPI's figures or targets moves its data version on."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboards.scorecard import Standing, scorecard
from directorates.models import FinancialYear
from kpis import scoping
from kpis.models import Figure, KpiYear, TeamReturn
from tests.support import login, user

Q4 = "/dashboard/?year=2013-14&quarter=4"
PROJECTS = "delivery-plan-projects-on-target"  # 24 of 31 on target in 2013/14 Q4
NO_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
    }
}


def card():
    year = FinancialYear.objects.get(label="2013-14")
    return scorecard(
        kpi_years=scoping.kpi_years(user("exec")).filter(year=year), year=year, quarter=4
    )


def row(slug):
    return next(r for r in card().rows if r.kpi.slug == slug)


def figure_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "kpis_figure"' in q["sql"]]


def test_a_second_view_reads_no_figures_and_shows_the_same(client, demo):
    login(client)
    first = client.get(Q4)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(Q4)
    assert not figure_reads(queries)
    assert second.content.split(b"<main")[1] == first.content.split(b"<main")[1]


def test_a_new_figure_is_shown_at_once(demo):
    assert row(PROJECTS).figures[4].count == 24
    figure = Figure.objects.get(
        kpi_year__kpi__slug=PROJECTS, kpi_year__year__label="2013-14", quarter=4
    )
    figure.count = 29
    figure.save()
    assert row(PROJECTS).figures[4].count == 29


def test_a_changed_target_rates_the_kpi_afresh_at_once(demo):
    assert row(PROJECTS).standing != Standing.GREEN  # 24 against a target of 31
    kpi_year = KpiYear.objects.get(kpi__slug=PROJECTS, year__label="2013-14")
    kpi_year.target_value = 20
    kpi_year.save()
    assert row(PROJECTS).standing == Standing.GREEN


def test_a_returns_status_is_read_afresh_every_time(demo):
    before = row(PROJECTS)
    assert before.return_status == "approved"
    TeamReturn.objects.filter(team_id=before.team.pk, year__label="2013-14", quarter=4).update(
        status="submitted"
    )  # no figure changes when a return moves
    assert row(PROJECTS).return_status == "submitted"


@pytest.mark.parametrize("views", [1, 2])
def test_a_cache_that_does_not_answer_costs_nothing_but_time(client, demo, settings, views):
    settings.CACHES = NO_REDIS
    login(client)
    for _ in range(views):
        response = client.get(Q4)
        assert response.status_code == 200
    assert row(PROJECTS).figures[4].count == 24
