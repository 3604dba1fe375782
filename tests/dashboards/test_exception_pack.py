"""The exception report as the board's pack: ?format=pdf on the exception report gives a PDF
of every KPI the page lists for the same filters and the same user, built by the portal's PDF
machinery (common/pdf.py); a bad filter gets the page's own 400."""

import pytest
from django.core.cache import cache

from tests.dashboards.test_dashboard_pages import EXCEPTIONS, Q4
from tests.html import page
from tests.pdftext import pdf_text, words
from tests.support import login, user


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def listed(client, query: str) -> list[str]:
    """The KPIs the exception report page lists for these filters (every page of it)."""
    names, number = [], 1
    while True:
        doc = page(client.get(f"{EXCEPTIONS}{query}&page={number}"))
        names += [words(s.find("h2").text) for s in doc.find_all("section", cls="app-exception")]
        if not doc.find_all("li", cls="nhsuk-pagination-item--next"):
            return names
        number += 1


def pack(client, query: str) -> str:
    response = client.get(f"{EXCEPTIONS}{query}&format=pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="exceptions-2013-14-q4.pdf"'
    assert response.content.startswith(b"%PDF-1.7")
    return pdf_text(response.content)


def test_the_pack_holds_every_exception_the_page_holds(client, demo):
    login(client)
    names = listed(client, Q4)
    assert len(names) > 10
    text = pack(client, Q4)
    for name in names:
        assert name in text, name
    assert "Every KPI that is red or amber this quarter" in text
    assert f": {len(names)} KPIs." in text
    assert "Quarter 4 of 2013/14" in text
    assert "Number of quality inspections carried out" in text and "Commentary" in text


def test_the_pack_honours_the_filters(client, demo):
    login(client)
    everything = listed(client, Q4)
    for query, said in (
        (Q4 + "&directorate=quality", "Directorate: Quality"),
        (Q4 + "&rag=amber", "RAG: Amber"),
    ):
        names = listed(client, query)
        assert 0 < len(names) < len(everything)
        text = pack(client, query)
        assert said in text
        for name in everything:
            assert (name in text) == (name in names), (query, name)


def test_a_user_sees_in_the_pack_only_what_they_may(client, demo):
    everything = listed(login(client), Q4)
    client.logout()
    client.force_login(user("staff.quality"))
    theirs = listed(client, Q4)
    assert 0 < len(theirs) < len(everything)
    text = pack(client, Q4)
    for name in everything:
        assert (name in text) == (name in theirs), name


@pytest.mark.parametrize(
    "query, message",
    [
        ("?year=2013-14&quarter=9", "'9' is not a quarter: choose 1, 2, 3 or 4"),
        ("?year=1999-00&quarter=4", "There is no year '1999-00' in the portal"),
        ("?year=2013-14&quarter=4&rag=purple", "'purple' is not a RAG rating or status"),
    ],
)
def test_a_bad_filter_gets_the_pages_own_400(client, demo, query, message):
    login(client)
    as_page = client.get(EXCEPTIONS + query)
    as_pdf = client.get(EXCEPTIONS + query + "&format=pdf")
    assert as_page.status_code == as_pdf.status_code == 400
    assert as_pdf["Content-Type"].startswith("text/html")
    summary = page(as_pdf).find("div", cls="nhsuk-error-summary")
    assert message in summary.text
    assert summary.text == page(as_page).find("div", cls="nhsuk-error-summary").text


def test_a_format_the_page_does_not_offer_is_refused(client, demo):
    login(client)
    response = client.get(EXCEPTIONS + Q4 + "&format=docx")
    assert response.status_code == 400
    assert "Downloads come as CSV, Excel or PDF: format=csv, format=xlsx or format=pdf" in (
        page(response).find("div", cls="nhsuk-error-summary").text
    )
    scorecard = client.get("/dashboard/" + Q4 + "&format=pdf")  # the scorecard has no PDF
    assert scorecard.status_code == 400
    assert "Downloads come as CSV or Excel: format=csv or format=xlsx" in (
        page(scorecard).find("div", cls="nhsuk-error-summary").text
    )


def test_the_pack_needs_a_signed_in_user(client, demo):
    response = client.get(EXCEPTIONS + Q4 + "&format=pdf")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_page_links_its_pack(client, demo):
    doc = page(login(client).get(EXCEPTIONS + Q4))
    link = doc.find("a", href=f"{Q4}&format=pdf")
    assert link is not None and link.text == "the exception pack as a PDF"
