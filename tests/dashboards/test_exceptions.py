"""What puts a KPI on the exception report and the words that say why: decided in
dashboards/scorecard.py (attention), worded in dashboards/presenters.py, drawn by the page;
and the other words dashboards/presenters.py gives the pages (bad filters, the KPI page)."""

import pytest

from dashboards import scorecard
from dashboards.presenters import (
    Icon,
    exception_item,
    exception_report,
    kpi_icons,
    problem_items,
    series_lines,
)
from dashboards.scorecard import Attention
from directorates.models import FinancialYear
from kpis.models import Figure, KpiYear
from kpis.presenters import VARIATION_TEXT
from kpis.rules import Rag
from kpis.series import series_for
from kpis.spc_state import Icons
from tests.dashboards.test_dashboard_pages import EXCEPTIONS, Q4, expected_q4
from tests.html import page
from tests.support import login

RED = sorted(expected_q4("red"))[0]  # a KPI red in 2013/14 Q4


@pytest.fixture
def q4_rows(demo):
    year = FinancialYear.objects.get(label="2013-14")
    card = scorecard.scorecard(
        kpi_years=KpiYear.objects.filter(year=year, is_reported=True), year=year, quarter=4
    )
    return {row.kpi.slug: row for row in card.rows}


def test_each_reason_is_given_in_the_reports_order(q4_rows):
    red, green = q4_rows[RED], q4_rows[sorted(expected_q4("green"))[0]]
    red.spc_state = Icons("concern", "consistent_fail", "stable")
    green.spc_state = Icons("common_cause", "hit_and_miss", "stable")
    assert scorecard.attention(red) == [Attention.RAG, Attention.SPC_CONCERN, Attention.SPC_FAIL]
    assert scorecard.attention(green) == [] and not scorecard.needs_attention(green)
    green.spc_state = Icons("improvement", "consistent_fail", "stable")
    assert scorecard.attention(green) == [Attention.SPC_FAIL]


def test_the_reasons_in_words(q4_rows):
    row = q4_rows[RED]
    row.self_assessed = Rag.GREEN
    row.spc_state = Icons("concern", "consistent_fail", "stable")
    item = exception_item(row, scorecard.attention(row))
    rag, concern, fail = item.why
    assert (rag.kind, rag.key) == ("rag", "red")
    assert rag.text == f"{row.assessment.reason}; the team rated it green (differs)"
    assert (concern.kind, concern.key, concern.label) == (
        "spc",
        "concern",
        "Special cause: concerning",
    )
    assert concern.text == "the latest figure shows a change for the worse"
    assert (fail.key, fail.label) == ("consistent_fail", "Consistently failing")
    assert fail.text == "the process will not meet its target without a change"


def test_the_lede_counts_every_row_not_only_the_page(q4_rows):
    rows = list(q4_rows.values())[:2]
    assert exception_report(rows, 41).lede.endswith("target: 41 KPIs.")
    assert exception_report(rows[:1], 1).lede.endswith("target: 1 KPI.")


def test_the_page_draws_the_reasons_python_gives(client, demo, monkeypatch):
    Figure.objects.filter(kpi_year__kpi__slug=RED, quarter=4).update(self_assessed_rag="green")
    green = sorted(expected_q4("green"))[0]
    green_id = KpiYear.objects.get(kpi__slug=green, year__label="2013-14").kpi_id
    reads = scorecard.states_for

    def failing(kpi_ids):  # the stored SPC icons, one green KPI's made consistent failure
        states = reads(kpi_ids)
        states[green_id] = Icons("common_cause", "consistent_fail", "stable")
        return states

    monkeypatch.setattr(scorecard, "states_for", failing)
    doc = page(login(client).get(EXCEPTIONS + Q4))
    sections = {
        s.find("h2").find("a").attrs["href"].split("/")[2]: s
        for s in doc.find_all("section", cls="app-exception")
    }
    assert set(sections) == expected_q4("red") | expected_q4("amber") | {green}

    red = sections[RED].find("ul", cls="app-exception__why").find_all("li")
    assert red[0].find("strong").classes == ["app-rag", "app-rag--red"]
    assert red[0].find("strong").text == "Red"
    assert "37 against 0; the team rated it green (differs)" in red[0].text

    (why, *rest) = sections[green].find("ul", cls="app-exception__why").find_all("li")
    assert why.find("strong").classes == ["app-spc", "app-spc--consistent_fail"]
    assert why.find("strong").text == "Consistently failing"
    assert "the process will not meet its target without a change" in why.text
    assert all(li.text.startswith("Trend on the previous quarter: ") for li in rest)
    lede = doc.find("p", cls="nhsuk-lede-text").text
    assert lede.endswith(f": {len(sections)} KPIs.")


# ---------------------------------------------------------------- the other dashboard words


def test_bad_filters_link_each_problem_to_what_the_form_shows_for_it():
    items = problem_items(
        [("year", "no year"), ("rag", "bad rag"), ("format", "bad format"), ("page", "no page")]
    )
    assert [item["href"] for item in items] == ["#id_year", "#rag-error", None, None]
    assert [item["text"] for item in items] == ["no year", "bad rag", "bad format", "no page"]


def test_the_error_summary_links_are_python_s(client, demo):
    doc = page(login(client).get(EXCEPTIONS + "?year=2099-00&quarter=4&rag=blue&format=pdf"))
    links = {
        a.text: a.attrs["href"] for a in doc.find("div", cls="nhsuk-error-summary").find_all("a")
    }
    assert links["There is no year '2099-00' in the portal"] == "#id_year"
    assert links["'blue' is not a RAG rating or status"] == "#rag-error"
    assert not any("Downloads come as CSV" in text for text in links)  # no field to link to


def test_the_kpi_page_draws_the_icons_python_words(client, long_series):
    doc = page(login(client).get("/kpis/quality-inspections/"))
    rows = {
        row.find("dt").text: row.find("dd")
        for row in doc.find("dl", cls="nhsuk-summary-list").find_all("div")
    }
    variation = rows["Variation"].find("strong")
    assert variation.classes == ["app-spc", "app-spc--concern"]
    assert variation.text == VARIATION_TEXT["concern"]
    series = series_for([long_series.pk])[long_series.pk]
    assert kpi_icons(series)[0] == Icon("concern", "Special cause: concerning")
    lines = series_lines(series)
    assert len(lines) == len(series.points)
    assert lines[-1].special_cause == "Special cause: concerning"
    table_rows = doc.find("details", cls="nhsuk-details").find("tbody").find_all("tr")
    assert table_rows[-1].find_all("td")[-1].text == lines[-1].special_cause


def test_a_kpi_without_a_target_says_there_is_nothing_to_judge_assurance_by(client, demo):
    doc = page(login(client).get("/kpis/coding-challenges-successful/"))
    rows = {
        row.find("dt").text: row.find("dd").text
        for row in doc.find("dl", cls="nhsuk-summary-list").find_all("div")
    }
    assert rows["Assurance"] == "No fixed target to judge against"
