"""A KPI's page and series CSV, SPC rebasing in admin, and SPC on the exception report."""

import csv
import io
import json

import pytest
from django.urls import reverse

from demo.synthetic import make_synthetic_data
from directorates.models import FinancialYear, Team
from kpis.models import Figure, Kpi, KpiYear, SpcRebase
from kpis.series import recent_points, series_for
from tests.html import page
from tests.support import EARLIER, INSPECTIONS, login, user


def url(slug=INSPECTIONS):
    return reverse("kpi_page", kwargs={"kpi": slug})


def test_kpi_page_shows_every_quarter_and_says_why_there_are_no_limits(client, demo):
    login(client, "exec")
    doc = page(client.get(url()))
    assert doc.find("h1").text == "Number of quality inspections carried out"
    rows = doc.find("details").find("tbody").find_all("tr")
    assert [r.find("th").text for r in rows] == [f"2013-14 Q{q}" for q in (1, 2, 3, 4)]
    assert [r.find_all("td")[0].text for r in rows] == ["6", "7", "6", "5"]
    assert "need at least 6 values" in doc.find("figcaption").text
    figure = json.loads(doc.find("script", id="kpi-chart-data").text)
    assert figure["data"][0]["y"] == [6, 7, 6, 5]
    assert figure["data"][1]["name"] == "Target" and figure["data"][1]["y"] == [6, 6, 6, 6]
    # Points coloured by RAG: Q4's 5 against 6 is red.
    assert figure["data"][0]["marker"]["color"][3] == "#d5281b"


def test_series_csv_has_the_published_columns_and_limits(client, long_series):
    login(client, "exec")
    response = client.get(url() + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "period",
        "value",
        "target",
        "mean",
        "lower_limit",
        "upper_limit",
        "special_cause",
        "variation",
        "assurance",
    ]
    assert len(rows) == 1 + 24
    assert rows[1][:3] == ["2008-09 Q1", "9", "6"]
    series = series_for([long_series.pk])[long_series.pk]
    first = series.spc.points[0]
    assert float(rows[1][3]) == pytest.approx(first.mean, abs=1e-4)
    assert float(rows[1][5]) == pytest.approx(first.upper_limit, abs=1e-4)
    # The fall below the lower limit is special cause of concern, and the latest point's class
    # is the variation on every row.
    assert [row[6] for row in rows[21:]] == ["concern", "", "concern", "concern"]  # 6, 7, 6, 5
    assert {row[7] for row in rows[1:]} == {"concern"}


def test_spc_concern_puts_a_kpi_on_the_exception_report(client, long_series):
    series = series_for([long_series.pk])[long_series.pk]
    assert series.variation == "concern"
    Figure.objects.filter(kpi_year__kpi=long_series, kpi_year__year__label="2013-14").update(
        count=6
    )  # on target in 2013/14: only SPC can put it on the report
    login(client, "exec")
    doc = page(client.get("/dashboard/exceptions/?year=2013-14&quarter=4"))
    section = next(
        s
        for s in doc.find_all("section", cls="app-exception")
        if INSPECTIONS in s.find("a").attrs["href"]
    )
    assert "Special cause: concerning" in section.text


def test_admin_rebases_limits_with_a_reason_and_the_chart_shows_it(client, long_series):
    admin = user("admin")
    client.force_login(admin)
    year = FinancialYear.objects.get(label="2013-14")
    response = client.post(
        reverse("admin:kpis_spcrebase_add"),
        {
            "kpi": long_series.pk,
            "year": year.pk,
            "quarter": 1,
            "month": "",
            "reason": "Inspection teams halved after the 2013 restructure",
        },
    )
    assert response.status_code == 302
    rebase = SpcRebase.objects.get()
    assert rebase.created_by == admin and rebase.quarter == 1
    assert rebase.history.get().history_user == admin

    series = series_for([long_series.pk])[long_series.pk]
    segments = [p.segment for p in series.spc.points]
    assert segments == [0] * 20 + [1] * 4
    assert series.variation is None  # four points since the new baseline: no limits yet
    doc = page(client.get(url()))
    assert "Limits rebased from 2013-14 Q1 by admin" in doc.find("main").text
    figure = json.loads(doc.find("script", id="kpi-chart-data").text)
    assert figure["layout"]["shapes"][0]["x0"] == "2013-14 Q1"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"quarter": 2, "month": 4}, "month", "Quarter 2 holds months 7, 8, 9"),
        ({"quarter": 1, "reason": "   "}, "reason", "Say what changed in the process"),
    ],
)
def test_rebase_form_refuses_bad_periods_and_blank_reasons(
    client, long_series, fields, field, message
):
    login(client, "admin")
    data = {
        "kpi": long_series.pk,
        "year": FinancialYear.objects.get(label="2012-13").pk,
        "quarter": 1,
        "month": "",
        "reason": "A reason",
    } | fields
    response = client.post(reverse("admin:kpis_spcrebase_add"), data)
    assert response.status_code == 200
    assert message in str(response.context["adminform"].form.errors[field])
    assert not SpcRebase.objects.exists()


def test_staff_cannot_rebase(client, long_series):
    login(client, "staff.quality")
    response = client.get(reverse("admin:kpis_spcrebase_add"))
    assert response.status_code == 302  # sent to the admin log-in


def test_staff_cannot_see_another_teams_kpi_page(client, demo):
    login(client, "staff.bi")
    assert client.get(url()).status_code == 403
    assert client.get(url("bi-meetings-attended")).status_code == 200


def test_unknown_kpi_and_format_are_404(client, demo):
    login(client, "exec")
    assert client.get(url("no-such-kpi")).status_code == 404
    assert client.get(url() + "?format=pdf").status_code == 404


@pytest.mark.django_db
def test_recent_points_read_from_a_window_equal_the_whole_series_tail(demo):
    """The exception report's latest periods come from a few years only; at every quarter they
    are the last periods of the KPI's whole series, RAG included (targets of an increase on
    last year too, which need the year before the window's first period)."""
    make_synthetic_data(8)  # ten years, every measure shape, monthly and quarterly
    kpi_ids = list(Kpi.objects.values_list("pk", flat=True))
    whole = series_for(kpi_ids)
    kinds = set()
    for until in [(2013, 1), (2013, 4), (2010, 2)]:
        window = recent_points(kpi_ids, until=until)
        for kpi_id, series in whole.items():
            tail = [p for p in series.points if (p.period.start_year, p.period.quarter) <= until][
                -6:
            ]
            assert window.get(kpi_id, []) == tail, (kpi_id, until)
            kinds.update({"month" if p.period.month else "quarter" for p in tail if p.rag})
    assert kinds == {"month", "quarter"}


def test_a_kpi_that_moved_team_shows_each_team_only_its_own_years(client, long_series):
    # 2008/09 to 2012/13 and 2013/14 are Quality's; in 2014/15 the KPI moves to Continuing
    # healthcare, who record 8 inspections in Q1. Each team sees its own years, page and CSV.
    moved = KpiYear.objects.get(kpi=long_series, year__label="2014-15")
    KpiYear.objects.filter(pk=moved.pk).update(team=Team.objects.get(slug="continuing-healthcare"))
    Figure.objects.create(kpi_year=moved, quarter=1, count=8)

    def series_seen(username):
        login(client, username)
        doc = page(client.get(url()))
        rows = list(csv.reader(io.StringIO(client.get(url() + "?format=csv").content.decode())))
        chart = json.loads(doc.find("script", id="kpi-chart-data").text)
        return chart["data"][0]["y"], [row[0] for row in rows[1:]]

    quality_values, quality_periods = series_seen("staff.quality")
    assert quality_values == [*EARLIER, 6, 7, 6, 5]
    assert quality_periods[-1] == "2013-14 Q4" and len(quality_periods) == 24

    chc_values, chc_periods = series_seen("staff.chc")
    assert (chc_values, chc_periods) == ([8], ["2014-15 Q1"])

    exec_values, exec_periods = series_seen("exec")  # who sees everything sees every year
    assert exec_values == [*EARLIER, 6, 7, 6, 5, 8] and exec_periods[-1] == "2014-15 Q1"

    login(client, "staff.od")  # owns none of its years
    assert client.get(url()).status_code == 403
    assert client.get(url() + "?format=csv").status_code == 403
