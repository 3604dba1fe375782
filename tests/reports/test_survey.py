"""The report's survey section reads and words the surveys as their results pages do
(surveys/selectors.py, surveys/presenters.py): the same figures, each linked to that page."""

from reports import selectors
from surveys import selectors as survey_selectors
from tests.html import page
from tests.reports.test_page import REPORT
from tests.support import login

RESULTS = "/surveys/2013-14/customer-satisfaction-survey/"


def facts(doc, within) -> dict[str, str]:
    section = doc.find(id=within) if within else doc
    return {
        row.find("dt").text: row.find("dd").text
        for row in section.find_all("div", cls="nhsuk-summary-list__row")
    }


def test_the_survey_section_gives_the_results_pages_figures(client, demo):
    login(client)
    report = page(client.get(REPORT))
    mine = facts(report, "survey")
    theirs = facts(page(client.get(RESULTS)), None)
    assert mine["Overall mean"] == "7.57 out of 10 (as published): the mean of all ratings"
    assert (mine["Lowest rating"], mine["Highest rating"]) == (
        "6 (as published)",
        "9 (as published)",
    )
    for key, value in mine.items():
        assert theirs[key] == value, key
    links = {a.attrs["href"] for a in report.find(id="survey").find_all("a")}
    assert RESULTS in links and "/surveys/2013-14/imt-survey/" in links
    summary = report.find(id="executive-summary").text
    assert "overall our customers rated us 7.57 out of 10" in summary


def test_the_report_reads_the_surveys_through_their_selector(demo, monkeypatch):
    read = []
    real = survey_selectors.survey_results

    def spy(year, slug):
        read.append((year, slug))
        return real(year, slug)

    monkeypatch.setattr(survey_selectors, "survey_results", spy)
    data = selectors.annual_report("2013-14")
    assert read == [("2013-14", "customer-satisfaction-survey"), ("2013-14", "imt-survey")]
    assert data.customer_survey.survey.published_overall_mean is not None
    assert [m.measure for m in data.imt_survey.metrics][:1] == ["Overall satisfaction with IT"]
