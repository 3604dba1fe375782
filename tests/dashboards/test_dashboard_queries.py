"""Every dashboard page costs the same number of queries on the demo data and on ten times it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from demo.synthetic import make_synthetic_data
from tests.support import login

Q4 = "?year=2013-14&quarter=4"
PAGES = {
    "scorecard": "/dashboard/" + Q4,
    "filtered scorecard": "/dashboard/" + Q4 + "&rag=red&rag=amber&frequency=monthly",
    "directorate": "/dashboard/directorates/quality/" + Q4,
    "exceptions": "/dashboard/exceptions/" + Q4,
    "scorecard CSV": "/dashboard/" + Q4 + "&format=csv",
    "KPI page": "/kpis/quality-inspections/",
    "KPI series CSV": "/kpis/quality-inspections/?format=csv",
}


# Each page's queries, pinned: session and user (2); the filters' years and the default period
# or the year asked for; the KPI years, their figures, the returns' statuses, the SPC icons; a
# page's own extras (a directorate, the exception report's latest periods, a KPI's series).
QUERIES = {
    "scorecard": 11,
    "filtered scorecard": 11,
    "directorate": 13,
    "exceptions": 13,
    "scorecard CSV": 9,
    "KPI page": 10,
    "KPI series CSV": 9,
}
# Viewed again with nothing changed, a dashboard's body comes from the cache as it was drawn:
# no figures, SPC icons or latest periods read, only what tells whether anything changed (the
# KPI years and the returns' statuses); a download draws no body, and reads no figures.
CACHED = {
    "scorecard": 9,
    "filtered scorecard": 9,
    "directorate": 11,
    "exceptions": 9,
    "scorecard CSV": 8,
    "KPI page": 10,
    "KPI series CSV": 9,
}


def measure(client, *, cached: bool = False) -> dict[str, tuple[int, int]]:
    """(queries, bytes) of each page, read once the SPC states are worked out, with the
    scorecard's ratings worked out afresh or (``cached``) from the cache."""
    found = {}
    for name, url in PAGES.items():
        client.get(url)  # the first view after data changes works out the SPC states
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        found[name] = (len(queries), len(response.content))
    return found


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_ten_times_the_data(client, demo):
    login(client, "exec")
    small = measure(client)
    assert {name: q for name, (q, _) in small.items()} == QUERIES
    assert {name: q for name, (q, _) in measure(client, cached=True).items()} == CACHED
    summary = make_synthetic_data(10)
    assert summary.kpis >= 10 * 10  # ten times the demo's KPIs, over ten years
    large = measure(client)
    assert {name: q for name, (q, _) in large.items()} == {
        name: q for name, (q, _) in small.items()
    }
    for name, (_, size) in large.items():
        assert size < 300_000, (name, size)
    # The larger data set did reach the pages: more rows, more bytes.
    assert large["scorecard"][1] > small["scorecard"][1]
    # A KPI with ten years of monthly figures costs what a KPI with four quarters does.
    long_kpi = f"/kpis/{summary.long_monthly_kpi}/"
    with CaptureQueriesContext(connection) as queries:
        response = client.get(long_kpi)
    assert response.content.count(b'<tr class="nhsuk-table__row">') > 120
    assert len(queries) == small["KPI page"][0]
