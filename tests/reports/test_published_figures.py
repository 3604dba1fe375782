"""Every figure of the published 2013/14 record (fixtures/published/, the copies of
shared/data the demo loads) is found in the report's page, in its row, and in the PDF's text;
the PDF's contents give the pages its sections start on; and a year whose data is missing
renders, page and PDF, saying what is missing."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from reports.models import AnnualReport
from tests.html import page
from tests.pdftext import page_texts, words
from tests.reports.test_page import REPORT, kpi_rows
from tests.reports.test_pdf import PDF as PDF_URL
from tests.reports.test_pdf import inflated
from tests.support import login

PUBLISHED = Path(__file__).resolve().parents[2] / "fixtures" / "published"
NUMBER = re.compile(r"(£?)(\d[\d,]*(?:\.\d+)?)(m?)")


def published(name: str) -> list[dict[str, str]]:
    with (PUBLISHED / name).open(encoding="utf-8-sig") as file:
        return list(csv.DictReader(file))


def numbers(text: str) -> list[Decimal]:
    """The numbers a cell states, '£2.5m' as 2500000."""
    found = []
    for _, digits, millions in NUMBER.findall(text):
        value = Decimal(digits.replace(",", ""))
        found.append(value * 1_000_000 if millions else value)
    return found


def states(printed: str, published_cell: str) -> bool:
    """Whether the printed cell gives every number of the published one (a percentage to the
    tenth the portal prints it to), or says 'Not collected' for the published '*'."""
    if published_cell.strip() == "*":
        return printed == "Not collected"
    if published_cell.strip() == "N/A":
        return printed == "N/A"
    mine = numbers(printed)
    return all(any(abs(n - m) <= Decimal("0.05") for m in mine) for n in numbers(published_cell))


def in_text(cell: str, text: str) -> bool:
    """A printed cell in a PDF page's text: whole, or (a cell wrapped over lines, its lines
    read between the other cells' of its row, a word maybe broken) word by word."""
    cell = words(cell)
    joined = "".join(text.split())
    return cell in text or all(word in joined for word in cell.split())


BUILT: dict[
    str, tuple
] = {}  # the page and the PDF's text, built once: every test's demo is the same


@pytest.fixture
def report(client, demo):
    login(client)
    if not BUILT:
        doc = page(client.get(REPORT))
        cache.clear()
        response = client.get(PDF_URL)
        assert response.status_code == 200
        cache.clear()
        BUILT["2013-14"] = doc, page_texts(response.content), response.content
    return BUILT["2013-14"][:2]


def pages_with(texts: list[str], text: str) -> list[int]:
    return [number for number, page_text in enumerate(texts, 1) if text in page_text]


def test_every_kpi_figure_is_in_its_row_of_the_page_and_in_the_pdf(report):
    doc, texts = report
    rows = kpi_rows(doc)
    whole = " ".join(texts)
    published_rows = published("kpis_2013-14.csv")
    assert len(published_rows) == len(rows) == 39
    for kpi in published_rows:
        name = words(kpi["kpi"])
        printed = rows[name]
        quarters, target = printed[2:6], printed[6]
        for quarter, cell in zip(
            quarters, (kpi["q1"], kpi["q2"], kpi["q3"], kpi["q4"]), strict=True
        ):
            assert states(quarter, cell), (name, quarter, cell)
        assert states(target, kpi["target"]) or target == kpi["target"], (name, target)
        assert printed[1] == kpi["frequency"]
        assert in_text(name, whole), name
        # in the PDF, on the page(s) of its directorate's schedule, with every figure it prints
        schedule = " ".join(
            t for t in texts if name.split()[0] in t and quarters[3].split()[0] in t
        )
        for cell in [*quarters, target]:
            assert in_text(cell, schedule), (name, cell)


def test_every_running_cost_line_is_on_the_page_and_in_the_pdf(report):
    doc, texts = report
    whole = " ".join(texts)
    section = doc.find(id="running-costs")
    printed = {
        words(row.find("th").text): [td.text for td in row.find_all("td")]
        for row in section.find_all("tr", cls="app-cost-line")
    }
    lines = published("running_costs_2013-14.csv")
    assert len(lines) == 52
    for line in lines[:-1]:  # the last, TOTAL, prints as the table's total below
        name = words(line["line"])
        amount, per_head, percent = printed[name]
        assert amount.lstrip("£") == line["amount_gbp"] or (
            line["amount_gbp"] == "-" and amount in ("-", "£0")
        ), (name, amount)
        assert per_head == line["printed_per_capita"], name
        assert percent == line["printed_percent"], name
        for cell in (name, amount, per_head, percent):
            assert in_text(cell, whole), (name, cell)
    assert printed["Total"] == ["£18,730,000", "£25.00", "100.00%"]
    assert in_text("Total £18,730,000 £25.00 100.00%", whole)


def test_the_finance_summary_is_on_the_page_and_in_the_pdf(report):
    doc, texts = report
    summary = words(doc.find("table", cls="app-report-finance").text)
    pdf_summary = " ".join(texts[n - 1] for n in pages_with(texts, "Executive summary"))
    for line in published("finance_summary_2013-14.csv"):
        figures = [line["total_gbp_000"], line["programme_gbp_000"], line["running_costs_gbp_000"]]
        for figure in figures:
            assert figure in summary, (line["measure"], figure)
            assert figure in " ".join(texts), (line["measure"], figure)
    assert "gaining a revenue surplus of £12,614k for 2013/14" in pdf_summary


def test_the_survey_facts_are_on_the_page_and_in_the_pdf(report):
    doc, texts = report
    whole = " ".join(texts)
    facts = {row["field"]: row["value"] for row in published("customer_survey_2013-14.csv")}
    section = words(doc.find(id="survey").text)
    for text in (section, whole):
        assert facts["title"] in text
        assert facts["audience"] in text
        assert "29 April 2014" in text and "9 May 2014" in text
        assert f"{facts['number_sent']} (as published)" in text
        assert f"{facts['number_received']} (as published)" in text
        assert f"{facts['overall_mean_published']} out of 10 (as published)" in text
        assert f"{facts['lowest_rating_published']} (as published)" in text
        assert f"{facts['highest_rating_published']} (as published)" in text
        for group in facts["rated_departments"].split(" | "):
            for department in group.split(": ")[1].split("; "):
                assert department in text, department
    for metric in published("imt_survey_2013-14.csv"):
        for text in (words(doc.find("table", cls="app-report-imt").text), whole):
            assert metric["measure"] in text
            assert f"{metric['current_percent']}%" in text
            if metric["previous_percent"]:
                assert f"{metric['previous_percent']}%" in text


def test_the_contents_give_the_pages_the_sections_start_on(report):
    doc, texts = report
    titles = [a.text for a in doc.find("nav", cls="app-report__contents").find_all("a")]
    contents = texts[1]
    assert contents.startswith("Contents")
    for title in titles:
        found = re.search(re.escape(title) + r"[ .]*?(\d+)(?= |$)", contents)
        assert found, title
        number = int(found.group(1))
        # the section's heading opens that page (the running heads come last in its text)
        assert texts[number - 1].startswith(title), (title, number)


def test_a_schedules_heading_is_on_the_page_of_its_first_kpi(report):
    doc, texts = report
    for schedule in doc.find(id="kpis").find_all("div", cls="app-report-schedule"):
        heading = schedule.find("h3").text
        first = words(schedule.find("tr", cls="app-report-kpi").find("th").text)
        opens = re.compile(rf"(^| ){re.escape(heading)} Key performance indicator Team")
        on = [n for n, t in enumerate(texts, 1) if opens.search(t)]
        assert len(on) == 1, heading
        assert in_text(first, texts[on[0] - 1]), heading


def test_the_pdfs_links_lead_to_the_portal(report):
    objects = inflated(BUILT["2013-14"][2])
    assert b"portal.invalid" not in objects
    assert b"(http://testserver/kpis/quality-inspections/)" in objects
    assert b"(http://testserver/finance/2013-14/running-costs/)" in objects


# ---------------------------------------------------------------- a year with missing data


@pytest.fixture
def bare_year(demo):
    """2014/15, open, with its report's texts (2013/14's) and none of its other data: KPI
    figures, finance summary, running costs, surveys and narrative all missing."""
    report = AnnualReport.objects.get(year__label="2013-14")
    report.pk, report.published_at, report.published_by = None, None, None
    report.year = report.year.__class__.objects.get(label="2014-15")
    report.save()
    return "/reports/annual/2014-15/"


MISSING = [
    "No finance summary is held for 2014/15.",
    "No directorate has written its section for 2014/15 yet.",
    "No customer satisfaction survey is held for 2014/15.",
    "No IM&T survey is held for 2014/15.",
    "No running-cost schedule is held for 2014/15.",
    "the finance summary's revenue surplus",
]


def test_a_year_with_missing_data_says_what_is_missing_in_the_page_and_the_pdf(client, bare_year):
    login(client)
    response = client.get(bare_year)
    assert response.status_code == 200
    doc = page(response)
    notes = " ".join(p.text for p in doc.find_all("p", cls="app-report__missing"))
    for text in MISSING:
        assert text in notes, text
    assert "Awaiting sign-off" in doc.find(id="kpis").text
    cache.clear()
    pdf = client.get(bare_year.rstrip("/") + ".pdf")
    cache.clear()
    assert pdf.status_code == 200
    whole = " ".join(page_texts(pdf.content))
    for text in MISSING:
        assert text.replace("&", "&") in whole, text
