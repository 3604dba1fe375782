"""The annual report page on the published 2013/14 record, in the published report's order."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.html import page
from tests.support import login

REPORT = "/reports/annual/2013-14/"


@pytest.fixture
def report_page(client, demo):
    login(client)
    response = client.get(REPORT)
    assert response.status_code == 200
    return page(response)


def test_the_report_needs_a_signed_in_user(client, demo):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_year_without_a_report_is_not_found(client, demo):
    login(client)
    assert client.get("/reports/annual/2014-15/").status_code == 404


def test_the_sections_come_in_the_published_order(report_page):
    headings = [h.text for h in report_page.find("article").find_all("h2")]
    assert headings == [
        "Contents",
        "Foreword",
        "Introduction",
        "Executive summary",
        "Organising for delivery",
        "Quality directorate",
        "Service delivery directorate",
        "Locality support",
        "Finance and performance directorate",
        "Engagement and development directorate",
        "Key performance indicators by directorate",
        "Customer satisfaction survey 2013/14",
        "Running costs",
        "Next steps",
        "Who to contact for further information",
    ]
    contents = [a.text for a in report_page.find("nav", cls="app-report__contents").find_all("a")]
    assert contents[:4] == [
        "Foreword",
        "Introduction",
        "Executive summary",
        "Organising for delivery",
    ]
    assert contents[-1] == "Who to contact for further information"


def words(cell) -> str:
    """A cell's own words (a trend's, not its arrow), or all its text where it has none."""
    own = " ".join(" ".join(cell.text_parts).split())
    return own or cell.text


def kpi_rows(doc) -> dict[str, list[str]]:
    return {
        row.find("th").text: [words(cell) for cell in row.find_all("td")]
        for row in doc.find_all("tr", cls="app-report-kpi")
    }


def test_the_kpi_schedule_prints_each_quarter_target_rag_and_trend(report_page):
    rows = kpi_rows(report_page)
    assert len(rows) == 39
    assert rows["Number of delivery plan (ADP) projects on target"] == [
        "Review, Design and Delivery",
        "Quarterly",
        "24",
        "25",
        "24",
        "24",
        "31",
        "Red",
        "—",
        "No change",
    ]
    assert rows["Number of quality inspections carried out"][2:] == [
        "6",
        "7",
        "6",
        "5",
        "6 per quarter",
        "Red",
        "—",
        "Declined",
    ]
    headings = [h.text for h in report_page.find(id="kpis").find_all("h3")]
    assert headings == [
        "Quality",
        "Service Delivery",
        "Finance and Performance",
        "Engagement and Development",
        "Key",
    ]


def test_rag_and_trend_print_as_icons_with_their_words(report_page):
    row = next(
        r
        for r in report_page.find_all("tr", cls="app-report-kpi")
        if r.find("th").text == "Number of quality inspections carried out"
    )
    rag = row.find("strong", cls="app-rag")
    assert (rag.classes[1], rag.text) == ("app-rag--red", "Red")
    trend = row.find("td", cls="app-report-kpi__trend")
    arrow = trend.find("span", cls="app-trend")
    assert arrow.attrs["aria-hidden"] == "true" and arrow.text == "▼"
    assert words(trend) == "Declined"
    legend = [words(li) for li in report_page.find("ul", cls="app-report__legend").find_all("li")]
    assert legend == [
        "Green: Complete or on target to deliver",
        "Amber: Slightly behind target",
        "Red: Significantly behind target",
        "Not collected: information not collected (*)",
        "Improved",
        "No change",
        "Declined",
    ]


def test_every_kpi_figure_links_to_its_kpi_page(report_page):
    row = next(
        r
        for r in report_page.find_all("tr", cls="app-report-kpi")
        if r.find("th").text == "Number of quality inspections carried out"
    )
    links = {a.attrs["href"] for a in row.find_all("a")}
    assert links == {"/kpis/quality-inspections/"}
    assert len(row.find_all("a")) == 5  # the KPI's name and its four quarters


def test_each_cost_line_links_to_the_running_costs_page(report_page):
    section = report_page.find(id="running-costs")
    lines = {
        row.find("th").text: (row.find("a").attrs["href"], [td.text for td in row.find_all("td")])
        for row in section.find_all("tr", cls="app-cost-line")
    }
    assert lines["Accountable Officer"] == (
        "/finance/2013-14/running-costs/",
        ["£966,850", "£1.29", "5.16%"],
    )
    assert lines["QUALITY"][0] == "/finance/2013-14/running-costs/#costs-quality"
    assert lines["Patient safety and risk"] == (
        "/finance/2013-14/running-costs/#costs-quality",
        ["£459,926", "£0.61", "2.46%"],
    )
    assert lines["Total"] == (
        "/finance/2013-14/running-costs/",
        ["£18,730,000", "£25.00", "100.00%"],
    )


def test_the_directorates_purpose_highlights_facts_and_case_studies(report_page):
    quality = report_page.find(id="quality-directorate")
    deputy = quality.find("div", cls="app-report__leaders").find("p")
    assert (deputy.find("strong").text, words(deputy)) == (
        "Sally Shead",
        "Deputy Director of Quality",
    )
    facts = quality.find("aside", cls="app-report__facts").text
    assert "179 complaints were sent to the CCG and closed;" in facts
    assert "Case study 1: DRINKHEADS CAMPAIGN (September 2013)" in [
        h.text for h in quality.find_all("h3")
    ]
    locality = report_page.find(id="locality-support")
    assert "Dorset locality teams have restructured" in locality.text


def test_the_organising_page_names_the_directorates_and_their_directors(report_page):
    section = report_page.find(id="organising-for-delivery")
    leaders = [
        (p.find("strong").text, words(p)) for p in section.find_all("p", cls="app-report-leader")
    ]
    assert leaders == [
        ("Tim Goodson", "Chief Officer"),
        ("Suzanne Rastrick", "Director of Quality"),
        ("Jane Pike", "Director of Service Delivery"),
        ("Paul Vater", "Chief Finance Officer"),
        ("Charles Summers", "Director of Engagement and Development"),
    ]
    assert section.find("ol", cls="app-report__cycle").find_all("li")[0].text == (
        "Health needs assessment"
    )


def test_the_foreword_is_signed_and_who_to_contact_given(report_page):
    signatory = report_page.find("p", cls="app-report__signatory")
    assert signatory.find("strong").text == "Tim Goodson"
    assert "Chief Officer" in signatory.text
    contact = report_page.find(id="contact")
    assert contact.find("strong").text == "Teresa Larby"
    assert contact.find("a", href="mailto:feedback@dorsetccg.nhs.uk")


def test_the_header_and_the_home_page_link_the_report(client, demo):
    login(client)
    assert client.get("/reports/annual/")["Location"] == REPORT
    home = page(client.get("/"))
    header = home.find("nav", cls="nhsuk-header__navigation")
    assert header.find("a", href="/reports/annual/").text == "Annual report"
    assert home.find("ul", id="financial-years").find("a", href=REPORT).text == "annual report"
    current = page(client.get(REPORT)).find("li", cls="nhsuk-header__navigation-item--current")
    assert current.text == "Annual report"


# Session, user, the report's reads (22, whatever the number of KPIs, lines or sections)
# and the user's roles for the navigation.
REPORT_QUERIES = 26


def test_the_report_page_runs_a_fixed_number_of_queries(client, demo):
    login(client)
    client.get(REPORT)  # the SPC states and sessions settle
    cache.clear()  # the scorecard's ratings worked out afresh
    with CaptureQueriesContext(connection) as queries:
        assert client.get(REPORT).status_code == 200
    assert len(queries) == REPORT_QUERIES, "\n".join(q["sql"][:150] for q in queries)
