"""The scorecard, a directorate's page and the exception report, on the published 2013/14 record."""

import csv
import io
import json
from collections import Counter

import pytest
from openpyxl import load_workbook

from dashboards.scorecard import STANDING_LABELS
from directorates.models import Directorate
from kpis import spc
from kpis.models import Figure, KpiYear
from tests.html import page
from tests.kpis.test_rules_published import EXPECTED_RAG
from tests.support import login

Q4 = "?year=2013-14&quarter=4"
SCORECARD = "/dashboard/"
EXCEPTIONS = "/dashboard/exceptions/"
STANDINGS = ["green", "amber", "red", "not_collected", "no_target", "no_rag"]


def counts_table(doc) -> dict[str, dict[str, int]]:
    table = doc.find("table", cls="app-counts")
    counts = {}
    for row in table.find("tbody").find_all("tr"):
        name = row.find("th").text.strip()
        counts[name] = {
            key: int(row.find("td", cls=f"app-count-{key}").text.strip()) for key in STANDINGS
        }
    return counts


def kpi_links(doc) -> list[str]:
    table = doc.find("table", cls="app-scorecard")
    return [a.attrs["href"].split("/")[2] for a in table.find("tbody").find_all("a")]


def expected_q4(rating) -> set[str]:
    return {slug for slug, quarters in EXPECTED_RAG.items() if quarters[3] == rating}


def test_scorecard_counts_each_directorates_kpis_by_computed_rag(client, demo):
    doc = page(login(client).get(SCORECARD + Q4))
    counts = counts_table(doc)

    assert set(counts) == set(Directorate.objects.values_list("name", flat=True))
    totals = Counter()
    for row in counts.values():
        totals.update(row)
    assert totals["green"] == len(expected_q4("green"))
    assert totals["amber"] == len(expected_q4("amber"))
    assert totals["red"] == len(expected_q4("red"))
    assert sum(totals.values()) == 39
    # Quality in Q4: 5 inspections against 6 a quarter and two other reds; five without target.
    assert counts["Quality"] == {
        "green": 6,
        "amber": 1,
        "red": 2,
        "not_collected": 0,
        "no_target": 5,
        "no_rag": 0,
    }


def test_scorecard_defaults_to_the_latest_quarter_with_figures(client, demo):
    doc = page(login(client).get(SCORECARD))
    assert "Quarter 4 of 2013/14" in doc.find("h1").text
    options = doc.find("select", id="id_year").find_all("option")
    assert [o.attrs["value"] for o in options if "selected" in o.attrs] == ["2013-14"]


def test_rag_filter_shows_exactly_those_kpis_and_the_chart_keeps_every_count(client, demo):
    doc = page(login(client).get(SCORECARD + Q4 + "&rag=red&rag=amber"))
    assert set(kpi_links(doc)) == expected_q4("red") | expected_q4("amber")
    assert sum(sum(row.values()) for row in counts_table(doc).values()) == 39


def test_directorate_and_frequency_filters(client, demo):
    doc = page(login(client).get(SCORECARD + Q4 + "&directorate=finance-and-performance"))
    finance = set(
        KpiYear.objects.filter(
            year__label="2013-14", team__directorate__slug="finance-and-performance"
        ).values_list("kpi__slug", flat=True)
    )
    assert set(kpi_links(doc)) == finance
    doc = page(login(client).get(SCORECARD + Q4 + "&frequency=annually"))
    annual = set(
        KpiYear.objects.filter(year__label="2013-14", frequency="annually").values_list(
            "kpi__slug", flat=True
        )
    )
    assert annual and set(kpi_links(doc)) == annual


def test_scorecard_row_shows_quarters_target_rag_trend_and_disagreement(client, demo):
    figure = Figure.objects.get(
        kpi_year__kpi__slug="quality-inspections", kpi_year__year__label="2013-14", quarter=4
    )
    figure.self_assessed_rag = "green"
    figure.commentary = "One inspection moved into April at the provider's request."
    figure.save()
    doc = page(login(client).get(SCORECARD + Q4 + "&rag=red"))
    row = next(
        tr
        for tr in doc.find("table", cls="app-scorecard").find("tbody").find_all("tr")
        if "quality-inspections" in tr.find("a").attrs["href"]
    )
    cells = {column_of(td): td.text.strip() for td in row.find_all("td")}
    assert [cells[f"q{q}"] for q in (1, 2, 3, 4)] == ["6", "7", "6", "5"]
    assert cells["rag"] == "Red"
    assert cells["self_assessed"] == "Green differs"
    assert "Declined" in cells["trend"]
    assert cells["status"] == "Approved"
    # Commentary is left to the KPI page and the exception report on screen; the downloads
    # keep it, with variation and assurance as columns of their own.
    assert "commentary" not in cells and "spc" in cells
    download = client.get(SCORECARD + Q4 + "&rag=red&format=csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download)))
    header = rows[0]
    assert "SPC" not in header and {"Variation", "Assurance", "Commentary"} <= set(header)
    inspections = next(r for r in rows if r[0] == "Number of quality inspections carried out")
    assert inspections[header.index("Commentary")] == figure.commentary


def column_of(cell) -> str:
    """A scorecard cell's column name, from its app-col-<name> class."""
    return next(
        c[len("app-col-") :] for c in cell.classes if c.startswith("app-col-") and "--" not in c
    )


def test_sorting_by_rag_puts_red_first_and_reverses(client, demo):
    doc = page(login(client).get(SCORECARD + Q4 + "&sort=rag"))
    ratings = [
        td.text.strip()
        for td in doc.find("table", cls="app-scorecard").find_all("td", cls="app-col-rag")
    ]
    assert ratings[: len(expected_q4("red"))] == ["Red"] * len(expected_q4("red"))
    doc = page(login(client).get(SCORECARD + Q4 + "&sort=-rag"))
    first = doc.find("table", cls="app-scorecard").find("td", cls="app-col-rag").text.strip()
    assert first == "No target"


def test_directorate_page_counts_its_teams(client, demo):
    url = "/dashboard/directorates/finance-and-performance/" + Q4
    doc = page(login(client).get(url))
    counts = counts_table(doc)
    assert "Business intelligence" in counts
    assert counts["Business intelligence"]["amber"] == 1  # meetings: 384 against 386 pa
    assert counts["Business intelligence"]["no_target"] == 1  # coding challenges, N/A
    assert not doc.find_all("select", id="id_directorate")  # the page fixes it


def test_exception_report_lists_every_red_and_amber_kpi_with_commentary(client, demo):
    Figure.objects.filter(kpi_year__kpi__slug="foi-requests-responded", quarter=4).update(
        commentary="Four requests were answered late while the team was short-staffed."
    )
    doc = page(login(client).get(EXCEPTIONS + Q4))
    sections = doc.find_all("section", cls="app-exception")
    slugs = {s.find("h2").find("a").attrs["href"].split("/")[2] for s in sections}
    assert slugs == expected_q4("red") | expected_q4("amber")
    foi = next(s for s in sections if "foi-requests-responded" in s.find("a").attrs["href"])
    assert "answered late" in foi.find("p", cls="app-commentary").text
    periods = [th.text for th in foi.find("tbody").find_all("th")]
    assert periods == ["2013-14 Q1", "2013-14 Q2", "2013-14 Q3", "2013-14 Q4"]


@pytest.mark.parametrize("url", [SCORECARD + Q4, EXCEPTIONS + Q4, "/kpis/quality-inspections/"])
def test_the_key_states_kpis_spcs_constants_and_follows_them(client, demo, url, monkeypatch):
    key = page(login(client).get(url)).find("details", cls="app-key")
    assert f"the mean ± {spc.LIMIT_FACTOR:g} times the average change" in key.text
    assert f"{spc.PATTERN_POINTS} in a row on one side of the mean" in key.text
    assert f"at least {spc.MIN_POINTS} figures" in key.text
    assert f"provisional until there are {spc.STABLE_POINTS}" in key.text

    monkeypatch.setattr(spc, "LIMIT_FACTOR", 3.1)
    monkeypatch.setattr(spc, "STABLE_POINTS", 20)
    key = page(client.get(url)).find("details", cls="app-key")
    assert "the mean ± 3.1 times the average change" in key.text
    assert "provisional until there are 20" in key.text
    assert "2.66" not in key.text and "13" not in key.text


@pytest.mark.parametrize("url", [SCORECARD + Q4, "/dashboard/directorates/quality/" + Q4])
def test_the_counts_tables_columns_are_the_standings_python_names(client, demo, url):
    table = page(login(client).get(url)).find("table", cls="app-counts")
    heads = [th.text for th in table.find("thead").find_all("th")]
    assert heads[1:-1] == list(STANDING_LABELS.values())
    assert heads[1:4] == ["Green", "Amber", "Red"]
    first = table.find("tbody").find("tr")
    assert [td.classes[-1] for td in first.find_all("td")[:-1]] == [
        f"app-count-{key}" for key in STANDING_LABELS
    ]


def test_staff_see_only_their_own_teams_kpis(client, demo):
    doc = page(login(client, "staff.bi").get(SCORECARD + Q4))
    assert set(kpi_links(doc)) == {"coding-challenges-successful", "bi-meetings-attended"}
    assert list(counts_table(doc)) == ["Finance and Performance"]


def test_anonymous_users_are_sent_to_log_in(client, demo):
    for url in (SCORECARD, EXCEPTIONS, "/dashboard/directorates/quality/"):
        assert client.get(url).status_code == 302


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?year=2099-00&quarter=4", "There is no year '2099-00' in the portal"),
        ("?year=2013-14&quarter=5", "'5' is not a quarter: choose 1, 2, 3 or 4"),
        ("?year=2013-14&quarter=4&directorate=nope", "There is no directorate 'nope'"),
        ("?year=2013-14&quarter=4&team=nope", "No team 'nope' reports here"),
        ("?year=2013-14&quarter=4&rag=blue", "'blue' is not a RAG rating or status"),
        ("?year=2013-14&quarter=4&frequency=hourly", "'hourly' is not a frequency"),
        ("?year=2013-14&quarter=4&format=docx", "Downloads come as CSV"),  # the exceptions: or PDF
        ("?year=2013-14&quarter=4&page=99", "There is no page '99'"),
        ("?year=%ff%fe&quarter=%ff", "is not a quarter"),
    ],
)
def test_bad_filters_say_what_is_wrong_and_show_nothing(client, demo, query, message):
    for url in (SCORECARD, EXCEPTIONS):
        response = login(client).get(url + query)
        assert response.status_code == 400
        doc = page(response)
        assert message in doc.find("div", cls="nhsuk-error-summary").text
        assert not doc.find_all("table", cls="app-scorecard")
        assert not doc.find_all("section", cls="app-exception")


def test_unknown_directorate_page_is_404(client, demo):
    assert login(client).get("/dashboard/directorates/no-such-directorate/").status_code == 404


# ---------------------------------------------------------------- exports


def test_csv_export_holds_exactly_the_filtered_rows_neutralised(client, demo):
    Figure.objects.filter(kpi_year__kpi__slug="quality-inspections", quarter=4).update(
        commentary='=HYPERLINK("http://example.com","click")'
    )
    response = login(client).get(SCORECARD + Q4 + "&rag=red&format=csv")
    assert response["Content-Disposition"] == 'attachment; filename="scorecard-2013-14-q4.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["KPI", "Team", "Frequency", "Q1", "Q2"]
    assert len(rows) - 1 == len(expected_q4("red"))
    assert {row[rows[0].index("RAG")] for row in rows[1:]} == {"Red"}
    inspections = next(row for row in rows if row[0].startswith("Number of quality inspections"))
    assert inspections[rows[0].index("Commentary")] == '\'=HYPERLINK("http://example.com","click")'


def test_excel_export_matches_the_csv(client, demo):
    Figure.objects.filter(kpi_year__kpi__slug="quality-inspections", quarter=4).update(
        commentary="@SUM(A1:A9)"
    )
    client = login(client)
    as_csv = list(
        csv.reader(
            io.StringIO(client.get(SCORECARD + Q4 + "&format=csv").content.decode("utf-8-sig"))
        )
    )
    response = client.get(SCORECARD + Q4 + "&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    as_xlsx = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert as_xlsx == as_csv
    assert any("'@SUM(A1:A9)" in row for row in as_xlsx)


# ---------------------------------------------------------------- charts and markup


@pytest.mark.parametrize(
    ("url", "draws_chart"),
    [
        (SCORECARD + Q4, True),
        (EXCEPTIONS + Q4, False),
        ("/dashboard/directorates/quality/" + Q4, True),
    ],
)
def test_pages_have_no_inline_script_or_style_and_chart_data_as_json(
    client, demo, url, draws_chart
):
    response = login(client).get(url)
    doc = page(response)
    scripts = doc.find_all("script")
    assert all(s.attrs.get("src") or s.attrs.get("type") == "application/json" for s in scripts)
    assert not doc.find_all("style")
    assert not [element.tag for element in doc.iter() if "style" in element.attrs]
    if draws_chart:
        css = doc.find("link", id="plotly.js-style-global")
        assert css.attrs["class"] == "no-inline-styles"
    else:  # no chart, no plotly.js (tests/dashboards/test_chart_assets.py)
        assert doc.find_all("link", id="plotly.js-style-global") == []
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert len(response.content) < 300_000


def test_counts_chart_holds_the_counts_and_says_them_in_words(client, demo):
    doc = page(login(client).get(SCORECARD + Q4 + "&directorate=quality"))
    figure = json.loads(doc.find("script", id="counts-chart-data").text)
    by_name = {trace["name"]: trace["x"] for trace in figure["data"]}
    assert by_name["Green"] == [6] and by_name["Red"] == [2] and by_name["No target"] == [5]
    summary = doc.find("figcaption").text
    assert summary.endswith("Quality: 6 green, 1 amber, 2 red, 5 no target.")


def test_a_phone_sees_the_kpi_the_chosen_quarter_its_rag_and_trend(client, demo):
    doc = page(login(client).get(SCORECARD + "?year=2013-14&quarter=3"))
    header = doc.find("table", cls="app-scorecard").find("thead")
    narrow = [
        column_of(th) for th in header.find_all("th") if "app-col--wide-only" not in th.classes
    ]
    assert narrow == ["kpi", "q3", "rag", "trend"]


def test_the_counts_say_they_count_every_kpi_when_the_table_is_filtered(client, demo):
    login(client)
    assert not page(client.get(SCORECARD + Q4)).find_all("p", id="counts-note")
    note = page(client.get(SCORECARD + Q4 + "&rag=red")).find("p", id="counts-note")
    assert note.text == (
        "The chart and counts are of every KPI in quarter 4 of 2013/14, whatever RAG rating "
        "the table below shows."
    )


def test_a_directorate_charts_axis_counts_whole_kpis(client, demo):
    doc = page(login(client).get("/dashboard/directorates/quality/" + Q4))
    figure = json.loads(doc.find("script", id="counts-chart-data").text)
    assert figure["layout"]["xaxis"]["dtick"] == 1
    assert figure["layout"]["legend"]["yanchor"] == "bottom"  # above the plot, clear of the axis
