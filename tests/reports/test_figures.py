"""The annual report's figures come from the data, never typed: the executive summary's, and
what the report says it was built from (as of when, which quarters were approved)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from finance.models import FinanceSummaryLine
from kpis.models import Figure, ReturnStatus, TeamReturn
from reports import presenters, selectors
from tests.html import page
from tests.reports.test_page import REPORT, kpi_rows
from tests.support import login

PROJECTS = "delivery-plan-projects-on-target"


@pytest.fixture
def data(demo):
    return selectors.annual_report("2013-14")


def test_the_executive_summarys_figures_are_worked_out_from_the_data(data):
    assert presenters.figures(data) == {
        "year": "2013/14",
        "localities": "13",
        "member_practices": "100",
        "projects_on_target": "24",
        "projects_total": "31",
        "revenue_surplus_000": "12,614",
        "running_cost_underspend": "£2,000,000",
        "allowance_per_head": "£25.00",
        "outturn_per_head": "£22.33",
        "survey_mean": "7.57",
        "survey_lowest": "6",
        "survey_highest": "9",
    }


def test_the_im_and_t_changes_are_worded_from_the_surveys_figures(data):
    assert presenters.imt_changes(data) == [
        "overall satisfaction with IT up from 49% in practices to 68% (13% to 53% for the CCG)",
        "service desk satisfaction up from 50% in practices to 71% (25% to 75% for the CCG)",
        "improvement in the service desk noted by 36% of practices and 83% of CCG staff",
    ]


def summary_text(client) -> str:
    login(client)
    return page(client.get(REPORT)).find(id="executive-summary").text


def test_the_page_prints_the_summary_with_its_figures(client, demo):
    text = summary_text(client)
    assert "24 out of a total 31 delivery plan priorities are on target" in text
    assert "gaining a revenue surplus of £12,614k for 2013/14" in text
    assert "estimated at £25.00 per head of population and this was reduced to £22.33" in text
    assert "giving a £2,000,000 underspend" in text
    assert "overall our customers rated us 7.57 out of 10" in text
    assert "overall satisfaction with IT up from 49% in practices to 68% (13% to 53%" in text
    assert "Revenue surplus 10,614 2,000 12,614" in text
    assert "{" not in text


def test_a_changed_figure_changes_the_summary(client, demo):
    Figure.objects.filter(
        kpi_year__kpi__slug=PROJECTS, kpi_year__year__label="2013-14", quarter=4
    ).update(count=27)
    assert "27 out of a total 31 delivery plan priorities" in summary_text(client)


def test_the_surplus_is_worked_out_not_read_from_the_published_line(client, demo):
    FinanceSummaryLine.objects.filter(
        year__label="2013-14", measure=FinanceSummaryLine.Measure.SURPLUS
    ).update(programme_gbp_000=Decimal(1), published_total_gbp_000=Decimal(1))
    assert "revenue surplus of £12,614k" in summary_text(client)


def built_from(doc) -> list[str]:
    return [li.text for li in doc.find("ul", cls="app-report__built").find_all("li")]


def test_the_report_says_what_it_was_built_from(client, demo):
    login(client)
    doc = page(client.get(REPORT))
    latest = Figure.objects.filter(kpi_year__year__label="2013-14").latest("updated_at")
    stamp = timezone.localtime(latest.updated_at).strftime("%-d %B %Y")
    lines = built_from(doc)
    assert lines[0].startswith(f"Built from the data as of {stamp} at ")
    assert lines[1:] == [
        "Quarters approved: Q1, Q2, Q3, Q4.",
        "Directorates' narrative: as published.",
        "Not published: for signed-in users only.",
    ]
    assert not doc.find_all("strong", cls="app-report__status")


def test_a_quarter_not_yet_approved_awaits_sign_off_and_the_report_is_a_draft(client, demo):
    TeamReturn.objects.filter(
        year__label="2013-14", quarter=4, team__slug="business-intelligence"
    ).update(status=ReturnStatus.SUBMITTED)
    login(client)
    doc = page(client.get(REPORT))
    assert built_from(doc)[1:] == [
        "Quarters approved: Q1, Q2, Q3.",
        "Awaiting sign-off: Q4.",
        "Directorates' narrative: as published.",
        "Not published: for signed-in users only.",
    ]
    assert doc.find("strong", cls="app-report__status").text == "Draft"
    rows = kpi_rows(doc)
    meetings = rows[
        "Number of locality, CCPs, workstreams, locality, collaborative, contract monitoring, "
        "provider information meetings attended by BI team member"
    ]
    assert meetings[2:] == ["96", "96", "96", "Awaiting sign-off", "386 pa"] + [
        "Awaiting sign-off",
        "—",
        "—",
    ]
    # Another team's quarter 4 was approved: its KPIs print as published.
    projects = rows["Number of delivery plan (ADP) projects on target"]
    assert projects[2:7] == ["24", "25", "24", "24", "31"]
