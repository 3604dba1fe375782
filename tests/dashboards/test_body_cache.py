"""The dashboards' bodies kept in the cache as drawn (dashboards.views._body): a second view
draws nothing and shows the same, and whatever the body shows is drawn afresh the moment it
changes: a figure, a target, a KPI's name, a return's status, who is looking, the query
string, a new version of the portal."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kpis.models import Figure, Kpi, KpiYear, TeamReturn
from tests.dashboards.test_dashboard_pages import counts_table, kpi_links
from tests.html import page
from tests.support import login

Q4 = "?year=2013-14&quarter=4"
PAGES = [
    "/dashboard/",
    "/dashboard/directorates/finance-and-performance/",
    "/dashboard/exceptions/",
]
PROJECTS = "delivery-plan-projects-on-target"  # 24 of 31 on target in 2013/14 Q4: red
DRAWN_FROM = ('FROM "kpis_figure"', '"kpis_kpispcstate"')  # read only to draw a body


def drawing(queries) -> list[str]:
    return [q["sql"] for q in queries if any(table in q["sql"] for table in DRAWN_FROM)]


def main(response) -> bytes:
    return response.content.split(b"<main")[1]


def row_text(client, slug, url="/dashboard/" + Q4) -> str:
    doc = page(client.get(url))
    table = doc.find("table", cls="app-scorecard")
    for row in table.find("tbody").find_all("tr"):
        link = row.find("a")
        if link and link.attrs["href"].split("/")[2] == slug:
            return row.text
    raise AssertionError(f"no row for {slug}")


@pytest.mark.parametrize("url", PAGES)
def test_a_second_view_draws_nothing_and_shows_the_same(client, demo, url):
    login(client)
    first = client.get(url + Q4)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url + Q4)
    assert second.status_code == first.status_code == 200
    assert not drawing(queries)
    assert main(second) == main(first)


def test_a_new_figure_shows_on_the_page_at_once(client, demo):
    login(client)
    assert "24" in row_text(client, PROJECTS)
    figure = Figure.objects.get(
        kpi_year__kpi__slug=PROJECTS, kpi_year__year__label="2013-14", quarter=4
    )
    figure.count = 29_417
    figure.save()
    assert "29,417" in row_text(client, PROJECTS)


def test_a_changed_target_shows_its_new_rating_at_once(client, demo):
    login(client)
    before = counts_table(page(client.get("/dashboard/" + Q4)))["Service Delivery"]
    kpi_year = KpiYear.objects.get(kpi__slug=PROJECTS, year__label="2013-14")
    kpi_year.target_value = 20  # 24 of 20: green
    kpi_year.save()
    after = counts_table(page(client.get("/dashboard/" + Q4)))["Service Delivery"]
    assert after["green"] == before["green"] + 1
    assert after["red"] + after["amber"] == before["red"] + before["amber"] - 1


def test_a_renamed_kpi_shows_its_new_name_at_once(client, demo):
    login(client)
    client.get("/dashboard/" + Q4)
    Kpi.objects.filter(slug=PROJECTS).update(name="Projects delivered as planned")
    assert "Projects delivered as planned" in row_text(client, PROJECTS)


def test_a_moved_return_shows_at_once(client, demo):
    login(client)
    assert "Approved" in row_text(client, PROJECTS)
    team = KpiYear.objects.get(kpi__slug=PROJECTS, year__label="2013-14").team
    TeamReturn.objects.filter(team=team, year__label="2013-14", quarter=4).update(
        status="submitted"
    )  # no figure changes when a return moves
    assert "Submitted" in row_text(client, PROJECTS)


def test_each_user_sees_the_body_of_their_own_scope(client, demo):
    everything = kpi_links(page(login(client, "exec").get("/dashboard/" + Q4)))
    own = kpi_links(page(login(client, "staff.bi").get("/dashboard/" + Q4)))
    assert set(own) == {"coding-challenges-successful", "bi-meetings-attended"}
    assert len(everything) > len(own)
    assert kpi_links(page(login(client, "exec").get("/dashboard/" + Q4))) == everything


def test_the_query_string_is_part_of_what_is_kept(client, demo):
    login(client)
    by_rag = page(client.get("/dashboard/" + Q4 + "&sort=rag"))
    by_name = page(client.get("/dashboard/" + Q4 + "&sort=-kpi"))
    assert kpi_links(by_rag) != kpi_links(by_name)
    assert sorted(kpi_links(by_rag)) == sorted(kpi_links(by_name))
    # The links drawn keep the query string as it was asked: another order is another body.
    reordered = client.get("/dashboard/?quarter=4&year=2013-14")
    assert b"?quarter=4&amp;year=2013-14&amp;format=csv" in reordered.content


def test_a_new_release_draws_the_bodies_afresh(client, demo):
    login(client)
    client.get("/dashboard/" + Q4)
    with (
        mock.patch("common.caching.release", return_value="another release"),
        CaptureQueriesContext(connection) as queries,
    ):
        response = client.get("/dashboard/" + Q4)
    assert response.status_code == 200
    assert drawing(queries)


def test_a_page_that_does_not_exist_is_refused_every_time(client, demo):
    login(client)
    for _ in range(2):  # a refusal is never kept as a body
        response = client.get("/dashboard/" + Q4 + "&page=99")
        assert response.status_code == 400
        assert "There is no page '99'" in page(response).find("div", cls="nhsuk-error-summary").text
