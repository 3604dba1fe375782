"""Error pages in the portal's layout, with DEBUG on (development, demonstration) and off."""

import pytest

from tests.html import page
from tests.support import login

KPI_OF_BI = "/kpis/bi-meetings-attended/"


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def debug(request, settings):
    settings.DEBUG = request.param
    return request.param


def _layout(response):
    doc = page(response)
    assert doc.find("header", cls="nhsuk-header") is not None  # the portal's own header
    assert doc.find("a", id="error-home").attrs["href"] == "/"
    body = response.content.decode()
    for debug_text in ("Traceback", "URLconf", "DEBUG = True", "Django"):
        assert debug_text not in body
    return doc


def test_a_missing_page_is_the_portals_404(client, demo, debug):
    response = login(client).get("/no-such-page/")
    assert response.status_code == 404
    assert _layout(response).find("h1").text == "Page not found"


def test_a_view_that_finds_nothing_answers_the_portals_404(client, demo, debug):
    response = login(client).get("/kpis/no-such-kpi/")
    assert response.status_code == 404
    doc = _layout(response)
    assert doc.find("h1").text == "Page not found"
    assert not doc.find_all("p", id="error-reason")  # a 404 never says what it looked for


def test_a_missing_trailing_slash_still_redirects(client, demo, debug):
    response = login(client).get("/returns")
    assert (response.status_code, response["Location"]) == (301, "/returns/")


def test_a_refusal_says_why_and_links_home(client, demo, debug):
    response = login(client, "staff.quality").get(KPI_OF_BI)
    assert response.status_code == 403
    doc = _layout(response)
    assert doc.find("h1").text == "You do not have permission to see this page"
    assert (
        doc.find("p", id="error-reason").text
        == "This KPI belongs to a team whose returns you cannot see."
    )


def test_a_refusal_names_what_was_refused(client, demo, debug):
    response = login(client, "staff.quality").get("/returns/2014-15/1/business-intelligence/")
    assert response.status_code == 403
    assert _layout(response).find("p", id="error-reason").text == (
        "You cannot see this team's returns."
    )


def test_a_bad_request_is_the_portals_400(client, demo, debug, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    data = {f"field{n}": "x" for n in range(10)}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 400
    assert _layout(response).find("h1").text == "Sorry, there is a problem with the request"
