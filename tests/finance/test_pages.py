"""The finance pages on the published 2013/14 record: running costs and the finance summary."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest

from finance.models import CostLine, FinanceSummaryLine
from tests.html import page
from tests.support import login

RUNNING_COSTS = "/finance/2013-14/running-costs/"
SUMMARY = "/finance/2013-14/"
FORMAT_PROBLEM = "Downloads come as CSV or Excel: format=csv or format=xlsx"
DIFFERENCES = [
    "SERVICE DELIVERY › Review Design and Delivery West Dorset: published £1,155,271, "
    "its lines add up to £1,155,272 (-£1)",
    "FINANCE AND PERFORMANCE: published £2,270,596, its lines add up to £2,270,597 (-£1)",
    "FINANCE AND PERFORMANCE › Finance and Procurement: published £1,114,635, "
    "its lines add up to £1,114,634 (+£1)",
    "FINANCE AND PERFORMANCE › Performance and Contracting: published £1,155,962, "
    "its lines add up to £1,155,961 (+£1)",
    "ENGAGEMENT AND DEVELOPMENT › Organisational Development: published £592,617, "
    "its lines add up to £592,616 (+£1)",
]


def rows(doc) -> dict[str, list[str]]:
    """Every cost line's figures on the page by its name (the first cell, without its tags)."""
    found = {}
    for row in doc.find_all("tr", cls="app-cost-line"):
        name = row.find("th")
        label = " ".join(name.text_parts).strip() or name.children[0].text
        found[label] = [cell.text for cell in row.find_all("td")]
    return found


def row_of(doc, name):
    return next(
        row
        for row in doc.find_all("tr", cls="app-cost-line")
        if row.find("th").text.startswith(name)
    )


def facts(doc) -> dict[str, str]:
    return {
        row.find("dt").text: row.find("dd").text
        for row in doc.find("dl", cls="app-finance-facts").find_all("div")
    }


def downloaded(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


# ---------------------------------------------------------------- running costs


def test_every_line_is_shown_in_the_published_order_with_its_computed_figures(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    assert doc.find("h1").text == "Running costs 2013/14"
    top = doc.find("table", id="top-level-lines")
    names = [row.find("th").text.split(" Differs")[0] for row in top.find("tbody").find_all("tr")]
    assert names == [
        "Accountable Officer",
        "GP Deputy Locality Chairs",
        "QUALITY",
        "SERVICE DELIVERY",
        "FINANCE AND PERFORMANCE",
        "ENGAGEMENT AND DEVELOPMENT",
        "IM&T non pay and upgrade project",
        "HQ building refurbishment project",
        "Dorset CCG corporate non pay",
        "Running cost saving",
    ]
    assert [c.text for c in row_of(top, "Accountable Officer").find_all("td")] == [
        "£966,850",
        "£1.29",
        "5.16%",
    ]
    total = top.find("tfoot").find("tr")
    assert total.find("th").text == "Total"
    assert [c.text for c in total.find_all("td")] == ["£18,730,000", "£25.00", "100.00%"]
    # The 51 lines: 10 at the top, 41 in the directorates' tables (each with its subtotal).
    body_rows = [r for t in doc.find_all("table") for r in t.find("tbody").find_all("tr")]
    assert len(body_rows) == 51
    figures = rows(doc)
    assert figures["Team B (Musculoskeletal and Trauma CCP)"] == ["£339,493", "£0.45", "1.81%"]
    assert figures["Dorset CCG corporate non pay"] == ["£3,526,574", "£4.71", "18.83%"]


def test_figures_are_worked_out_from_the_amount_not_the_printed_text(client, demo):
    CostLine.objects.filter(name="Accountable Officer").update(amount_gbp=1_000_000)

    doc = page(login(client).get(RUNNING_COSTS))

    assert rows(doc)["Accountable Officer"] == ["£1,000,000", "£1.33", "5.34%"]


def test_programme_funded_lines_are_shown_as_the_schedule_prints_them(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    figures = rows(doc)
    assert figures["Medicines management"] == ["-", "£-", "0.00%"]
    assert figures["MCA team (100% programme)"] == ["-", "£-", "0.00%"]
    assert figures["Personal health budgets and telehealth (100%programme)"] == [
        "-0",
        "-£0.00",
        "0.00%",
    ]
    tag = row_of(doc, "Medicines management").find("strong", cls="nhsuk-tag")
    assert tag.text == "100% programme funded"


def test_the_five_subtotals_a_pound_out_are_flagged_with_both_figures(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    box = doc.find("div", id="subtotal-differences")
    assert box.find("h2").text == "5 published subtotals differ from the sum of their lines"
    assert [li.text for li in box.find_all("li")] == DIFFERENCES
    west = row_of(doc, "Review Design and Delivery West Dorset")
    assert west.find("strong", cls="nhsuk-tag--orange").text == "Differs by -£1"
    assert west.find("span", cls="app-cost-line__note").text == (
        "Published £1,155,271; its lines add up to £1,155,272"
    )
    assert [c.text for c in west.find_all("td")] == ["£1,155,271", "£1.54", "6.17%"]
    flagged = [
        row.find("th").text.split(" Differs")[0]
        for row in doc.find_all("tr", cls="app-cost-line")
        if row.find_all("strong", cls="nhsuk-tag--orange")
    ]
    assert flagged == [
        "FINANCE AND PERFORMANCE",  # in the top-level table
        "Review Design and Delivery West Dorset",
        "Finance and Procurement",
        "Performance and Contracting",
        "FINANCE AND PERFORMANCE, published subtotal",
        "Organisational Development",
    ]


def test_the_total_is_set_against_the_allowance_and_the_outturn(client, demo):
    found = facts(page(login(client).get(RUNNING_COSTS)))

    assert found["Registered population"] == "749,179"
    assert found["Total running costs"] == "£18,730,000: £25.00 a head"
    assert found["Running-cost allowance"] == "£25.00 a head; the total is exactly the allowance"
    assert found["Outturn"] == (
        "£16,730,000 (running costs of the net operating costs): £22.33 a head, "
        "£2.67 a head under the allowance"
    )


def test_each_directorate_is_a_details_element_open_without_javascript(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    groups = doc.find_all("details", cls="app-cost-group")
    assert [(g.attrs["id"], "open" in g.attrs) for g in groups] == [
        ("costs-quality", True),
        ("costs-service-delivery", True),
        ("costs-finance-and-performance", True),
        ("costs-engagement-and-development", True),
    ]
    assert groups[0].find("summary").text == "QUALITY: £720,377, £0.96 a head, 3.85% of the total"
    assert groups[2].find("summary").text == (
        "FINANCE AND PERFORMANCE: £2,270,596, £3.03 a head, 12.12% of the total, "
        "3 subtotals differ from its lines"
    )
    top = doc.find("table", id="top-level-lines")
    assert row_of(top, "QUALITY").find("a").attrs["href"] == "#costs-quality"
    subtotal = groups[0].find("tfoot").find("tr")
    assert subtotal.find("th").text == "QUALITY, published subtotal"
    assert [c.text for c in subtotal.find_all("td")] == ["£720,377", "£0.96", "3.85%"]


def test_tables_have_scoped_headers_captions_and_scroll_in_their_own_box(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    for table in doc.find_all("table"):
        caption = table.find("caption")
        assert caption.text
        region = table.parent
        assert "app-table-scroll" in region.classes
        assert region.attrs["aria-labelledby"] == caption.attrs["id"]
        assert {th.attrs.get("scope") for th in table.find("thead").find_all("th")} == {"col"}
        assert {th.attrs.get("scope") for th in table.find("tbody").find_all("th")} == {"row"}


def test_the_treemap_is_handed_over_as_json_with_a_text_summary(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))

    figure = json.loads(doc.find("script", id="running-costs-chart-data").text)
    (trace,) = figure["data"]
    assert trace["type"] == "treemap"
    assert len(trace["ids"]) == 48  # 51 lines, less the three of no running cost
    west = trace["ids"].index("SERVICE DELIVERY › Review Design and Delivery West Dorset")
    assert trace["parents"][west] == "SERVICE DELIVERY"
    assert trace["customdata"][west] == ["£1,155,271", "6.17%"]
    summary = doc.find("figcaption").text
    assert summary.startswith(
        "Running costs 2013/14: £18,730,000, £25.00 a head of registered population, in 10 "
        "top-level lines. The largest are SERVICE DELIVERY £4,330,167 (23.12%), Dorset CCG "
        "corporate non pay £3,526,574 (18.83%) and FINANCE AND PERFORMANCE £2,270,596 (12.12%)."
    )
    assert "3 lines are 100% programme funded" in summary
    assert doc.find("div", cls="app-chart__plot").attrs["aria-hidden"] == "true"


def test_the_csv_holds_every_line_with_its_level_and_path(client, demo):
    response = login(client).get(RUNNING_COSTS + "?format=csv")

    assert response["Content-Disposition"] == 'attachment; filename="running-costs-2013-14.csv"'
    header, *lines = downloaded(response)
    assert header == [
        "level",
        "path",
        "line",
        "amount_gbp",
        "per_head_gbp",
        "percent_of_total",
        "programme_funded",
        "lines_add_up_to_gbp",
        "subtotal_difference_gbp",
        "note",
    ]
    assert len(lines) == 52  # 51 lines and the total
    levels = [line[0] for line in lines]
    assert (levels.count("1"), levels.count("2"), levels.count("3"), levels[-1]) == (
        10,
        12,
        29,
        "0",
    )
    by_path = {line[1]: line for line in lines}
    assert by_path["Accountable Officer"][3:7] == ["966850.00", "1.29", "5.16", "no"]
    west = by_path["SERVICE DELIVERY › Review Design and Delivery West Dorset"]
    assert west[0] == "2" and west[3] == "1155271.00"
    assert west[7:9] == ["1155272.00", "-1.00"]
    team = by_path[
        "SERVICE DELIVERY › Review Design and Delivery East Dorset › "
        "Personal health budgets and telehealth (100%programme)"
    ]
    assert team[0] == "3" and team[3:7] == ["0.00", "0.00", "0.00", "yes"]
    assert lines[-1][:6] == ["0", "Total", "Total", "18730000.00", "25.00", "100.00"]
    differences = [line[1] for line in lines if line[8] not in ("", "0.00")]
    assert len(differences) == 5


def test_the_excel_download_opens_with_the_same_rows(client, demo):
    client = login(client)
    response = client.get(RUNNING_COSTS + "?format=xlsx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert sheet.title == "running costs"
    assert len(values) == 53
    assert values[1][:6] == (1, "Accountable Officer", "Accountable Officer", 966850, 1.29, 5.16)
    assert values[-1][3] == 18_730_000


def test_each_line_is_compared_with_last_years_by_its_path(client, earlier_year):
    doc = page(login(client).get(RUNNING_COSTS))

    header = [
        th.text for th in doc.find("table", id="top-level-lines").find("thead").find_all("th")
    ]
    assert header[-1] == "Change on 2012/13"
    figures = rows(doc)
    assert figures["Accountable Officer"][-1] == "+£66,850"
    assert figures["Patient safety and risk"][-1] == "-£40,074"
    assert figures["Quality improvement"][-1] == "+£18,675"
    assert figures["Information governance"][-1] == "New"
    assert figures["SERVICE DELIVERY"][-1] == "New"
    assert rows(doc.find("details", id="costs-quality"))["QUALITY, published subtotal"][-1] == (
        "+£20,377"
    )
    total = doc.find("table", id="top-level-lines").find("tfoot").find_all("td")
    assert total[-1].text == "+£15,630,000"
    assert [li.text for li in doc.find("ul", id="lines-gone").find_all("li")] == [
        "Commissioning support unit: £1,500,000 in 2012/13"
    ]
    # £3,100,000 for 740,000 people was £4.19 a head; £25.00 now.
    assert facts(doc)["Change on 2012/13"] == "+£15,630,000 on £3,100,000 (+£20.81 a head)"


def test_a_line_of_the_same_name_elsewhere_in_the_tree_is_not_the_same_line(client, earlier_year):
    # 2012/13's 'Quality improvement' moves to the top level: in 2013/14's QUALITY it is new.
    CostLine.objects.filter(schedule__year=earlier_year, name="Quality improvement").update(
        parent=None
    )

    figures = rows(page(login(client).get(RUNNING_COSTS)))

    assert figures["Quality improvement"][-1] == "New"


def test_the_csv_has_last_years_amount_and_the_change(client, earlier_year):
    header, *lines = downloaded(login(client).get(RUNNING_COSTS + "?format=csv"))

    assert header[-3:] == ["previous_year", "previous_amount_gbp", "change_gbp"]
    by_path = {line[1]: line for line in lines}
    assert by_path["Accountable Officer"][-3:] == ["2012-13", "900000.00", "66850.00"]
    assert by_path["QUALITY › Information governance"][-3:] == ["2012-13", "", ""]
    assert by_path["Total"][-3:] == ["2012-13", "3100000.00", "15630000.00"]


def test_the_earlier_year_is_compared_with_nothing(client, earlier_year):
    doc = page(login(client).get("/finance/2012-13/running-costs/"))

    header = [
        th.text for th in doc.find("table", id="top-level-lines").find("thead").find_all("th")
    ]
    assert header == ["Line", "£", "£ per head", "% of total"]
    assert rows(doc)["Accountable Officer"] == ["£900,000", "£1.22", "29.03%"]
    assert not doc.find_all("div", id="subtotal-differences")


# ---------------------------------------------------------------- finance summary


def summary_rows(doc, table_id="finance-summary") -> dict[str, list[str]]:
    table = doc.find("table", id=table_id)
    return {
        " ".join(row.find("th").text_parts).strip(): [td.text for td in row.find_all("td")]
        for row in table.find("tbody").find_all("tr")
    }


def test_the_finance_summary_adds_up_and_works_out_the_surplus(client, demo):
    doc = page(login(client).get(SUMMARY))

    assert doc.find("h1").text == "Finance summary 2013/14"
    header = [th.text for th in doc.find("table", id="finance-summary").find_all("th", scope="col")]
    assert header == ["Measure", "Programme", "Running costs", "Total"]
    assert summary_rows(doc) == {
        "Total net operating costs for the financial year": ["917,753", "16,730", "934,483"],
        "Revenue Resource Limit": ["928,367", "18,730", "947,097"],
        "Revenue surplus": ["10,614", "2,000", "12,614"],
    }
    found = facts(doc)
    assert found["Revenue surplus, £'000"] == (
        "12,614: 947,097 Revenue Resource Limit less 934,483 net operating costs"
    )
    assert found["Running costs outturn"] == (
        "£22.33 a head: £16,730,000 for 749,179 people, £2.67 a head under the £25.00 allowance"
    )
    assert not doc.find_all("strong", cls="nhsuk-tag")  # nothing published differs
    assert not doc.find_all("table", id="finance-summary-change")


def test_a_published_surplus_that_differs_is_shown_beside_the_worked_out_one(client, demo):
    FinanceSummaryLine.objects.filter(year__label="2013-14", measure="surplus").update(
        programme_gbp_000=10_615, published_total_gbp_000=12_615
    )

    doc = page(login(client).get(SUMMARY))

    surplus = doc.find("table", id="finance-summary").find("tbody").find_all("tr")[-1]
    programme, running, total = surplus.find_all("td")
    assert programme.find("span").text == "published 10,615"
    assert programme.find("strong", cls="nhsuk-tag--orange").text == "Differs by +1"
    assert " ".join(programme.text_parts).strip() == "10,614"
    assert running.text == "2,000"
    assert total.text.startswith("12,614") and "published 12,615" in total.text


def test_the_finance_summary_changes_on_the_year_before(client, earlier_year):
    doc = page(login(client).get(SUMMARY))

    table = doc.find("table", id="finance-summary-change")
    assert table.find("caption").text == "Change on 2012/13, £'000"
    assert summary_rows(doc, "finance-summary-change") == {
        "Total net operating costs for the financial year": ["+17,753", "-270", "+17,483"],
        "Revenue Resource Limit": ["+23,367", "+730", "+24,097"],
        "Revenue surplus": ["+5,614", "+1,000", "+6,614"],
    }


def test_the_finance_summary_downloads_with_worked_out_and_published_figures(client, earlier_year):
    client = login(client)
    header, *lines = downloaded(client.get(SUMMARY + "?format=csv"))

    assert header[:7] == [
        "measure",
        "programme_gbp_000",
        "running_costs_gbp_000",
        "total_gbp_000",
        "published_programme_gbp_000",
        "published_running_costs_gbp_000",
        "published_total_gbp_000",
    ]
    assert lines[2] == [
        "Revenue surplus",
        "10614",
        "2000",
        "12614",
        "10614",
        "2000",
        "12614",
        "2012-13",
        "5614",
        "1000",
        "6614",
    ]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(SUMMARY + "?format=xlsx").content)).active
    assert list(sheet.iter_rows(values_only=True))[1][:4] == (
        "Total net operating costs for the financial year",
        917753,
        16730,
        934483,
    )


def test_the_two_pages_link_to_each_other(client, demo):
    client = login(client)
    costs = page(client.get(RUNNING_COSTS))
    summary = page(client.get(SUMMARY))

    assert costs.find("a", href=SUMMARY).text == "Finance summary 2013/14"
    assert summary.find("a", href=RUNNING_COSTS).text == "Running costs 2013/14: every line"
    assert summary.find("a", href="?format=csv").attrs["download"] is None


# ---------------------------------------------------------------- refusals and queries


@pytest.mark.parametrize(
    "url",
    [
        "/finance/2099-00/running-costs/",
        "/finance/2099-00/",
        "/finance/2014-15/running-costs/",  # a year with no schedule
        "/finance/2014-15/",  # and no finance summary
        "/finance/2099-00/running-costs/?format=csv",
    ],
)
def test_a_year_without_the_figures_is_the_portals_404(client, demo, url):
    response = login(client).get(url)

    assert response.status_code == 404
    assert page(response).find("h1").text == "Page not found"


@pytest.mark.parametrize("url", [RUNNING_COSTS, SUMMARY])
def test_a_bad_format_is_a_400_that_says_what_to_ask_for(client, demo, url):
    response = login(client).get(url + "?format=pdf")

    assert response.status_code == 400
    doc = page(response)
    assert FORMAT_PROBLEM in doc.find("div", cls="nhsuk-error-summary").text
    assert doc.find("title").text.startswith("Error: ")
    assert doc.find("h1").text in ("Running costs 2013/14", "Finance summary 2013/14")
    assert not doc.find_all("table")


@pytest.mark.parametrize("url", [RUNNING_COSTS, SUMMARY, RUNNING_COSTS + "?format=csv"])
def test_anonymous_users_are_sent_to_log_in(client, demo, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/finance/2013-14/")


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        (RUNNING_COSTS, 6),
        (RUNNING_COSTS + "?format=csv", 4),
        (SUMMARY, 6),
        (SUMMARY + "?format=xlsx", 4),
    ],
)
def test_each_page_costs_the_same_queries_however_many_lines_and_years(
    client, earlier_year, django_assert_num_queries, url, queries
):
    # Session and user, then the page's two reads: the schedules (or the year) and their lines
    # (or rows); a page also reads the user's roles for its navigation (two), a download not.
    client = login(client)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    schedule = earlier_year.running_costs
    parent = CostLine.objects.get(schedule=schedule, name="Commissioning support unit")
    for order in range(6, 56):
        CostLine.objects.create(
            schedule=schedule,
            parent=parent,
            name=f"Team {order}",
            amount_gbp=Decimal(1000),
            display_order=order,
        )
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
