"""Bad requests answered with the right 4xx in the portal's layout, with DEBUG off (as in
production) unless a test says otherwise, and nothing changed: wrong methods on every URL the
portal serves, oversized bodies, NUL characters, forms without their CSRF token, a broken view,
an empty quarter on the dashboards; and a refusal logged in one line, not a traceback."""

import logging
import re

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver

from kpis.models import TeamReturn
from tests.html import page
from tests.kpis.returns.test_sign_off_page import SIGN_OFF
from tests.kpis.test_return_form import URL, form_data
from tests.support import login, snapshot, submitted_bi_return

NOT_ALLOWED = "This page cannot do that"
TOO_LARGE = "What was sent is too large"
BAD_REQUEST = "Sorry, there is a problem with the request"
FORM_REFUSED = "Your form could not be sent"
SERVER_ERROR = "Sorry, there is a problem with the portal"
# The views that take a form; every other URL is read-only and refuses POST too.
POST_VIEWS = {
    "return_form",
    "sign_off",
    "survey_reply",
    "login",
    "logout",
    "narrative_edit",
    "narrative_publish",
    "narrative_start",
}
OTHER_METHODS = ("PUT", "PATCH", "DELETE", "TRACE", "OPTIONS")
# A value each converter reads, so that the URL resolves to its view (which checks the method
# before it looks anything up).
SAMPLES = {
    "int": "1",
    "slug": "x",
    "year": "2014-15",
    "str": "x",
    "path": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
}
REGEX_SAMPLES = {  # the admin's few regular-expression patterns
    r"^([^/]+)/history/([^/]+)/$": "1/history/1/",
    r"(?P<url>.*)$": "nowhere/",
}


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def _layout(response, title):
    doc = page(response)
    assert doc.find("header", cls="nhsuk-header") is not None
    assert doc.find("h1").text == title
    assert doc.find("a", id="error-home").attrs["href"] == "/"
    for debug_text in ("Traceback", "Exception Value", "DEBUG = True", "Django"):
        assert debug_text not in response.content.decode()
    return doc


def _sample(pattern) -> str:
    text = str(pattern)
    if text.startswith("^(?P<app_label>"):
        return "kpis/"
    if text in REGEX_SAMPLES:
        return REGEX_SAMPLES[text]
    assert "(" not in text, f"give {text!r} a sample in REGEX_SAMPLES"
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m[1] or "str"], text)


def _urls(patterns=None, prefix="/"):
    """(url name, a path it answers) for every URL pattern the portal serves, admin's too."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _urls(pattern.url_patterns, prefix + _sample(pattern.pattern))
        else:
            yield pattern.name, prefix + _sample(pattern.pattern)


def test_every_url_is_enumerated():
    urls = dict(_urls())
    assert {"home", "dashboard", "return_form", "sign_off", "survey_reply", "login"} <= set(urls)
    assert urls["return_form"] == "/returns/2014-15/1/x/"
    assert len([name for name, _ in _urls() if name and name.startswith("admin:")]) == 0
    assert len(list(_urls())) > 250  # the admin's included


def test_every_url_answers_other_methods_with_405_in_the_layout(client, demo):
    wrong = []  # signed out: the method is refused before the log-in is asked for
    for name, url in _urls():
        # The admin's 250 URLs are held by one wrapper (ccgportal/urls.py): two methods each.
        for method in OTHER_METHODS[::3] if url.startswith("/admin/") else OTHER_METHODS:
            response = client.generic(method, url)
            if (
                response.status_code != 405
                or "POST" in response["Allow"]
                and (name not in POST_VIEWS and not url.startswith("/admin/"))
            ):
                wrong.append((method, url, response.status_code))
    assert wrong == []
    response = login(client, "admin").put(URL)
    assert response["Allow"] == "GET, HEAD, POST"
    _layout(response, NOT_ALLOWED)
    assert _layout(client.delete("/dashboard/"), NOT_ALLOWED)
    assert client.delete("/dashboard/")["Allow"] == "GET, HEAD"


def test_every_read_only_page_refuses_post_with_405(client, demo):
    login(client, "admin")
    wrong = []
    for name, url in _urls():
        if name in POST_VIEWS or url.startswith("/admin/"):
            continue
        response = client.post(url, {"action": "submit"})
        if response.status_code != 405:
            wrong.append((url, response.status_code))
        else:
            _layout(response, NOT_ALLOWED)
    assert wrong == []


def test_a_wrong_method_on_a_form_changes_nothing(client, bi_kpis):
    login(client, "staff.bi")
    before = snapshot()
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(
            URL, form_data(bi_kpis), content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 405
    assert snapshot() == before


# ---------------------------------------------------------------- oversized bodies


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug"])
def test_an_oversized_form_is_413_in_the_layout_and_changes_nothing(
    client, bi_kpis, settings, debug
):
    settings.DEBUG = debug
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    login(client, "staff.bi")
    before = snapshot()
    big = form_data(bi_kpis, **{f"k{bi_kpis['bi-meetings-attended'].id}-commentary": "x" * 20_000})
    for response in (
        client.post(URL, big),  # multipart, as a browser sends a form with a file
        client.generic(
            "POST",
            URL,
            "&".join(f"{k}={v}" for k, v in big.items()),
            content_type="application/x-www-form-urlencoded",
        ),
    ):
        assert response.status_code == 413
        _layout(response, TOO_LARGE)
    assert snapshot() == before


def test_an_oversized_survey_reply_or_log_in_is_413(demo, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client = Client()
    for url in ("/surveys/reply/" + "x" * 43 + "/", "/accounts/login/"):
        response = client.post(url, {"comment": "x" * 20_000})
        assert response.status_code == 413
        _layout(response, TOO_LARGE)


def test_too_many_fields_is_400(client, demo, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = login(client, "staff.bi").post(URL, {f"f{n}": "x" for n in range(10)})
    assert response.status_code == 400
    _layout(response, BAD_REQUEST)


# ---------------------------------------------------------------- NUL characters


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/?directorate=%00",
        "/dashboard/?year=2013-14%00",
        "/dashboard/exceptions/?team=a%00b",
        "/dashboard/directorates/quality/?rag=%00",
        "/kpis/bi-meetings-attended/?from=%00",
        "/returns/2014-15/completeness/?format=%00",
        "/surveys/reply/abc%00def/",
        "/dashboard/?x%00=1",
    ],
)
def test_a_nul_in_the_address_is_400_saying_so(client, demo, url):
    response = login(client).get(url)
    assert response.status_code == 400
    doc = _layout(response, BAD_REQUEST)
    assert doc.find("p", id="error-reason").text == (
        "The web address holds a character the portal cannot read (a NUL character, %00)."
    )


def test_a_nul_in_a_form_field_is_400_and_changes_nothing(client, open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    login(client, "director.finance")
    before = snapshot()
    comment = {"action": "return", "team_return": team_return.pk, "comment": "Re\x00count"}
    response = client.post(SIGN_OFF, comment)
    assert response.status_code == 400
    reason = _layout(response, BAD_REQUEST).find("p", id="error-reason").text
    assert reason.startswith("What you entered holds a character the portal cannot store")
    assert snapshot() == before
    assert TeamReturn.objects.get(pk=team_return.pk).status == "submitted"
    login(client, "staff.bi")
    meetings = bi_kpis["bi-meetings-attended"].id
    for data in (
        form_data(bi_kpis, meetings="9\x007"),
        form_data(bi_kpis, **{f"k{meetings}-commentary": "a\x00b"}),
    ):
        assert client.post(URL, data).status_code == 400
    assert snapshot() == before


def test_a_nul_in_the_log_in_form_or_a_cookie_is_400(demo):
    client = Client()
    response = client.post("/accounts/login/", {"username": "exec\x00", "password": "x"})
    assert response.status_code == 400
    client.cookies["sessionid"] = "abcdefgh\x00ijkl"
    response = client.get("/dashboard/")
    assert response.status_code == 400
    reason = _layout(response, BAD_REQUEST).find("p", id="error-reason").text
    assert reason.startswith("Your browser sent a cookie the portal cannot read")
    for method in ("put", "post"):  # whatever the method, the cookie is never looked up
        assert getattr(client, method)("/dashboard/").status_code == 400


# ---------------------------------------------------------------- CSRF


def test_a_form_without_its_csrf_token_gets_the_portals_page(bi_kpis):
    client = login(Client(enforce_csrf_checks=True), "staff.bi")
    before = snapshot()
    response = client.post(URL, form_data(bi_kpis))
    assert response.status_code == 403
    doc = _layout(response, FORM_REFUSED)
    assert "reload the page" in doc.text
    # A method the page does not answer is a 405 before the CSRF check would refuse it.
    for method in ("put", "patch", "delete"):
        response = getattr(client, method)(URL)
        assert (response.status_code, response["Allow"]) == (405, "GET, HEAD, POST")
    response = client.post("/dashboard/", {})
    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
    _layout(response, NOT_ALLOWED)
    assert snapshot() == before


def test_the_survey_reply_forms_csrf_failure_gets_the_portals_page(demo):
    response = Client(enforce_csrf_checks=True).post("/surveys/reply/" + "x" * 43 + "/", {})
    assert response.status_code == 403
    _layout(response, FORM_REFUSED)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "no-referrer"


# ---------------------------------------------------------------- 500, and 403's log line


def test_a_broken_view_is_the_portals_500_without_a_traceback(demo, settings):
    settings.ROOT_URLCONF = "tests.ccgportal.broken_urls"
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    doc = _layout(response, SERVER_ERROR)
    assert "nothing you sent has been saved" in doc.text
    assert "ZeroDivisionError" not in response.content.decode()


def test_a_refusal_is_logged_in_one_line_without_a_traceback(client, demo, caplog):
    with caplog.at_level(logging.INFO):
        response = login(client, "staff.quality").get("/kpis/bi-meetings-attended/")
    assert response.status_code == 403
    # The request's own line says it was refused (ccgportal/logs.py); Django's logger of
    # 4xx, which wrote a traceback for each, writes nothing below ERROR.
    (line,) = [r for r in caplog.records if r.name == "ccgportal.requests"]
    assert line.getMessage().startswith("GET /kpis/bi-meetings-attended/ 403 ")
    assert line.status == 403
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert all(r.exc_info is None for r in caplog.records)


# ---------------------------------------------------------------- the dashboards' filters


@pytest.mark.parametrize("url", ["/dashboard/", "/dashboard/exceptions/"])
def test_an_empty_quarter_or_year_is_no_filter(client, demo, url):
    login(client)
    for query, same_as in (
        ("?quarter=", ""),
        ("?year=&quarter=", ""),
        ("?quarter=&directorate=&team=", ""),
        ("?year=2013-14&quarter=", "?year=2013-14"),
    ):
        response = client.get(url + query)
        assert response.status_code == 200
        assert page(response).text == page(client.get(url + same_as)).text
