"""Finding one's way: the header's navigation by role, breadcrumbs, and the home page's day."""

import pytest
from django.urls import reverse

from tests.html import page
from tests.kpis.test_services import bi_rows, save
from tests.support import OPEN_DAY, login, user

BI_RETURN = "/returns/2014-15/1/business-intelligence/"
EVERYONE = ["Scorecard", "Exception report", "Running costs", "Surveys", "Annual report"]


def nav(doc) -> list[tuple[str, str, bool]]:
    items = doc.find("nav", cls="nhsuk-header__navigation").find_all(
        "li", cls="nhsuk-header__navigation-item"
    )
    return [
        (
            item.find("a").text,
            item.find("a").attrs["href"],
            "nhsuk-header__navigation-item--current" in item.classes,
        )
        for item in items
        if item.find_all("a")
    ]


@pytest.mark.parametrize(
    ("username", "texts"),
    [
        ("staff.bi", ["Home", "My returns", *EVERYONE]),
        ("director.finance", ["Home", "My returns", "Sign-off", *EVERYONE]),
        ("exec", ["Home", "My returns", *EVERYONE]),
        ("admin", ["Home", "My returns", *EVERYONE, "Admin"]),
    ],
)
def test_each_role_sees_what_it_may_use(client, demo, username, texts):
    doc = page(login(client, username).get("/"))
    assert [text for text, _, _ in nav(doc)] == texts


def test_the_page_being_read_is_marked_current(client, demo):
    login(client, "director.finance")
    current = {
        path: [text for text, _, is_current in nav(page(client.get(path))) if is_current]
        for path in (
            "/",
            "/returns/",
            "/dashboard/",
            "/dashboard/exceptions/",
            "/kpis/quality-inspections/",
            "/returns/2014-15/1/sign-off/finance-and-performance/",
            "/finance/2013-14/",
            "/reports/annual/2013-14/",
            "/reports/plans/",
            "/reports/od-framework/2015-16/",
        )
    }
    assert current == {
        "/": ["Home"],
        "/returns/": ["My returns"],
        "/dashboard/": ["Scorecard"],
        "/dashboard/exceptions/": ["Exception report"],
        "/kpis/quality-inspections/": ["Scorecard"],
        "/returns/2014-15/1/sign-off/finance-and-performance/": ["Sign-off"],
        "/finance/2013-14/": ["Running costs"],
        "/reports/annual/2013-14/": ["Annual report"],
        "/reports/plans/": [],  # reached from the home page
        "/reports/od-framework/2015-16/": [],
    }


def test_nobody_signed_in_sees_no_navigation(client, demo):
    doc = page(client.get("/accounts/login/"))
    assert not doc.find_all("nav", cls="nhsuk-header__navigation")


def test_sign_off_opens_the_directorates_quarter_waiting_for_approval(
    client, open_year, bi, bi_kpis
):
    login(client, "director.finance")
    # Nothing submitted: the latest quarter that has started (every 2014/15 quarter has).
    response = client.get(reverse("sign_off_current"))
    assert response["Location"] == "/returns/2014-15/4/sign-off/finance-and-performance/"
    save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True, today=OPEN_DAY)
    response = client.get(reverse("sign_off_current"))
    assert response["Location"] == "/returns/2014-15/1/sign-off/finance-and-performance/"


def test_sign_off_is_refused_to_those_who_lead_no_directorate(client, demo):
    response = login(client, "staff.bi").get(reverse("sign_off_current"))
    assert response.status_code == 403
    assert "Sign-off is for directors and deputies" in response.content.decode()


def crumbs(doc) -> list[tuple[str, str]]:
    trail = doc.find("nav", cls="nhsuk-breadcrumb")
    return [(a.text, a.attrs["href"]) for a in trail.find_all("a", cls="nhsuk-breadcrumb__link")]


def test_breadcrumbs_say_where_each_page_sits(client, demo):
    login(client, "director.finance")
    home, returns = ("Home", "/"), ("My returns", "/returns/")
    scorecard = ("Scorecard", "/dashboard/")
    kpi = ("Number of quality inspections carried out", "/kpis/quality-inspections/")
    expected = {
        "/returns/": [home],
        BI_RETURN: [home, returns],
        "/returns/2014-15/completeness/": [home, returns],
        "/returns/2014-15/1/sign-off/finance-and-performance/": [
            home,
            returns,
            ("Returns completeness 2014/15", "/returns/2014-15/completeness/"),
        ],
        "/dashboard/": [home],
        "/dashboard/exceptions/": [home],
        "/dashboard/directorates/quality/": [home, scorecard],
        "/kpis/quality-inspections/": [home, scorecard],
        "/kpis/quality-inspections/?from=exceptions": [
            home,
            ("Exception report", "/dashboard/exceptions/"),
        ],
        "/kpis/quality-inspections/?from=directorate": [
            home,
            scorecard,
            ("Quality", "/dashboard/directorates/quality/"),
        ],
        "/kpis/quality-inspections/history/": [home, scorecard, kpi],
        "/finance/2013-14/": [home],
        "/finance/2013-14/running-costs/": [home, ("Finance summary 2013/14", "/finance/2013-14/")],
    }
    assert {path: crumbs(page(client.get(path))) for path in expected} == expected


def test_the_home_page_has_no_breadcrumbs(client, demo):
    doc = page(login(client).get("/"))
    assert not doc.find_all("nav", cls="nhsuk-breadcrumb")


def test_kpi_names_link_to_their_pages_from_the_form_and_the_exception_report(client, demo):
    form = page(login(client, "staff.bi").get(BI_RETURN))
    headings = [
        h.find("a").attrs["href"] for h in form.find_all("h2", cls="nhsuk-fieldset__heading")
    ]
    assert headings == ["/kpis/coding-challenges-successful/", "/kpis/bi-meetings-attended/"]
    report = page(login(client, "exec").get("/dashboard/exceptions/"))
    links = [
        a.attrs["href"]
        for a in report.find_all("a")
        if a.attrs.get("href", "").startswith("/kpis/")
    ]
    assert links and all(href.endswith("?from=exceptions") for href in links)
    directorate = page(client.get("/dashboard/directorates/quality/"))
    links = [
        a.attrs["href"]
        for a in directorate.find_all("a")
        if a.attrs.get("href", "").startswith("/kpis/")
    ]
    assert links and all(href.endswith("?from=directorate") for href in links)


def test_completeness_links_each_directorate_to_its_sign_off(client, demo):
    doc = page(login(client, "exec").get("/returns/2014-15/completeness/"))
    links = {a.attrs["href"] for a in doc.find_all("a", cls="app-sign-off-link")}
    assert "/returns/2014-15/1/sign-off/finance-and-performance/" in links
    assert "/returns/2014-15/4/sign-off/quality/" in links
    assert len(links) == 4 * 4  # four directorates report, four quarters


def test_home_starts_a_staff_members_day_with_their_returns_due(client, demo, settings):
    doc = page(login(client, "staff.bi").get("/"))
    items = doc.find("section", id="today-returns").find_all("li")
    links = [li.find("a").attrs["href"] for li in items]
    assert links == [f"/returns/2014-15/{q}/business-intelligence/" for q in (1, 2, 3, 4)]
    assert not doc.find_all("section", id="today-picture")  # a member's day is their returns


def test_home_shows_a_director_what_waits_and_their_directorate(client, open_year, bi, bi_kpis):
    save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True, today=OPEN_DAY)
    doc = page(login(client, "director.finance").get("/"))
    waiting = doc.find("section", id="today-waiting")
    assert waiting.find("a").attrs["href"] == "/returns/2014-15/1/sign-off/finance-and-performance/"
    assert "Business intelligence" in waiting.text
    picture = doc.find("section", id="today-picture")
    assert picture.find("h2").text == "Your directorate: 2014/15 quarter 1"
    exceptions = picture.find("a", id="today-exceptions").attrs["href"]
    assert exceptions == (
        "/dashboard/exceptions/?year=2014-15&quarter=1&directorate=finance-and-performance"
    )
    listed = page(client.get(exceptions)).find_all("section", cls="app-exception")
    assert picture.find("a", id="today-exceptions").text.startswith(f"{len(listed)} KPI")


def test_home_gives_an_executive_the_scorecards_counts_and_exceptions(client, demo):
    doc = page(login(client, "exec").get("/"))
    picture = doc.find("section", id="today-picture")
    assert picture.find("h2").text == "The scorecard: 2013/14 quarter 4"
    rows = picture.find("table", id="today-counts").find("tbody").find_all("tr")
    assert len(rows) == 4
    red = sum(int(row.find("td", cls="app-count-red").text) for row in rows)
    assert red == 8
    assert picture.find("a", id="today-exceptions").text == "11 KPIs on the exception report"


def test_home_gives_an_admin_imports_and_returns_to_reopen(client, demo):
    doc = page(login(client, "admin").get("/"))
    admin = doc.find("section", id="today-admin")
    assert admin.find("a", id="today-approved").text == "0 approved returns in 2014/15"
    assert "No imports yet." in admin.text


def test_running_costs_opens_the_latest_years_schedule(client, demo):
    response = login(client, "staff.bi").get("/finance/running-costs/")
    assert response["Location"] == "/finance/2013-14/running-costs/"
