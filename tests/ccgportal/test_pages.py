"""The portal's own pages: login, logout, home, and the front-end rules they all keep."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.template import engines
from django.test import Client
from django.urls import reverse

from ccgportal.presenters import year_tag
from directorates.models import FinancialYear, Organisation
from kpis.presenters import Tag
from tests.html import Page, page

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(
        username="ada", password=PASSWORD, first_name="Ada", last_name="Lovelace"
    )


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        username="grace", password=PASSWORD, first_name="Grace", last_name="Hopper", is_staff=True
    )


@pytest.fixture
def years(empty_db):
    # Clears the demo first: ask for it before any fixture that adds rows (users, staff).
    org = Organisation.objects.create(name="NHS Dorset CCG", short_name="Dorset CCG")
    # Created out of order: the page must list them by date, not by insertion.
    later = FinancialYear.objects.create(
        organisation=org,
        label="2014-15",
        start_date=date(2014, 4, 1),
        end_date=date(2015, 3, 31),
        status="open",
    )
    earlier = FinancialYear.objects.create(
        organisation=org,
        label="2013-14",
        start_date=date(2013, 4, 1),
        end_date=date(2014, 3, 31),
        status="locked",
    )
    return [earlier, later]


def account_text(doc):
    return doc.find("nav", cls="nhsuk-header__account").text


# ---------------------------------------------------------------- login and logout


@pytest.mark.django_db
def test_login_page_renders_the_nhs_form(client):
    doc = page(client.get(reverse("login")))

    assert doc.find("title").text == "Log in – CCG Portal"
    assert doc.find("h1").text == "Log in"
    form = doc.find("form", action=reverse("login"), method="post")
    username = form.find("input", name="username")
    assert "nhsuk-input" in username.classes
    assert username.attrs["autocomplete"] == "username"
    assert form.find("label", cls="nhsuk-label", **{"for": username.attrs["id"]}).text == "Username"
    password = form.find("input", name="password", type="password")
    assert "nhsuk-input" in password.classes
    assert form.find(cls="nhsuk-password-input").attrs["data-module"] == "nhsuk-password-input"
    assert form.find("input", type="hidden", name="csrfmiddlewaretoken").attrs["value"]
    assert form.find("button", cls="nhsuk-button", type="submit").text == "Log in"
    assert not doc.find_all(cls="nhsuk-error-summary")
    assert "Log in" in account_text(doc)


@pytest.mark.django_db
def test_wrong_password_shows_the_error_summary_and_stays_logged_out(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong-password"})

    assert response.status_code == 200
    doc = page(response)
    assert doc.find("title").text == "Error: Log in – CCG Portal"
    summary = doc.find("div", cls="nhsuk-error-summary")
    assert summary.find("h2", cls="nhsuk-error-summary__heading").text == "There is a problem"
    link = summary.find("ul", cls="nhsuk-error-summary__list").find("a")
    assert link.text.startswith("Please enter a correct username and password.")
    assert link.attrs["href"] == "#id_username"
    username = doc.find("input", name="username")
    assert username.attrs["id"] == "id_username"
    assert username.attrs["value"] == "ada"  # kept, so the user only retypes the password
    assert "nhsuk-input--error" in username.classes
    inline = doc.find(cls="nhsuk-form-group--error").find(cls="nhsuk-error-message")
    assert "Please enter a correct username and password." in inline.text
    assert "_auth_user_id" not in client.session
    assert "Ada Lovelace" not in response.content.decode()


@pytest.mark.django_db
def test_empty_form_links_each_missing_field_from_the_summary(client):
    doc = page(client.post(reverse("login"), {"username": "", "password": ""}))

    links = doc.find(cls="nhsuk-error-summary").find_all("a")
    assert [(a.attrs["href"], a.text) for a in links] == [
        ("#id_username", "This field is required."),
        ("#id_password", "This field is required."),
    ]


@pytest.mark.django_db
def test_login_redirects_home_and_shows_the_users_name(client, user):
    response = client.post(reverse("login"), {"username": "ada", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)
    doc = page(client.get(response["Location"]))
    account = account_text(doc)
    assert "Ada Lovelace" in account
    assert "Log out" in account
    assert "Log in" not in account
    assert not doc.find_all("a", href=reverse("admin:index"))


@pytest.mark.django_db
def test_staff_see_the_admin_link(client, staff):
    client.force_login(staff)
    doc = page(client.get(reverse("home")))

    nav = doc.find("nav", cls="nhsuk-header__navigation")
    assert nav.find("a", href=reverse("admin:index")).text == "Admin"
    assert doc.find("main").find("a", href=reverse("admin:index")).text == "portal admin"


@pytest.mark.django_db
def test_logout_form_posts_with_its_csrf_token_and_logs_out(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    doc = page(client.get(reverse("home")))
    form = doc.find("form", action=reverse("logout"))
    assert form.attrs["method"] == "post"
    token = form.find("input", name="csrfmiddlewaretoken").attrs["value"]

    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert "_auth_user_id" not in client.session
    account = account_text(page(client.get(reverse("home"))))
    assert "Log in" in account
    assert "Ada Lovelace" not in account


# ---------------------------------------------------------------- home


@pytest.mark.django_db
def test_home_lists_each_year_in_order_with_its_status(client, years):
    doc = page(client.get(reverse("home")))

    assert doc.find("title").text == "CCG Portal"
    items = doc.find("ul", id="financial-years").find_all("li", cls="app-year")
    rows = [(item.find("span").text, item.find("strong", cls="nhsuk-tag").text) for item in items]
    assert rows == [("2013/14", "Locked"), ("2014/15", "Open")]
    assert all("Nothing recorded yet." in item.text for item in items)


def test_home_says_when_there_are_no_years(empty_db, client):
    doc = page(client.get(reverse("home")))

    assert not doc.find_all(id="financial-years")
    assert "No financial years have been set up yet." in doc.find("main").text


# ---------------------------------------------------------------- rules every page keeps


def _anonymous_home(client, user):
    return client.get(reverse("home"))


def _signed_in_home(client, user):
    client.force_login(user)
    return client.get(reverse("home"))


def _login(client, user):
    return client.get(reverse("login"))


def _login_error(client, user):
    return client.post(reverse("login"), {"username": "ada", "password": "nope"})


def _flash_message(client, user):
    # Stores a message the way a view's messages.success() would, for the next page to show.
    response = client.get(reverse("home"))
    storage = CookieStorage(response.wsgi_request)
    storage.add(constants.SUCCESS, "Quarter 1 submitted.")
    storage.update(response)
    client.cookies.update(response.cookies)
    return client.get(reverse("home"))


PAGES = [_anonymous_home, _signed_in_home, _login, _login_error]


@pytest.mark.django_db
@pytest.mark.parametrize("get", PAGES, ids=lambda f: f.__name__.strip("_"))
def test_csp_header_forbids_inline_script_and_style(client, years, user, get):
    response = get(client, user)

    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = values
    for name in ("script-src", "style-src"):
        sources = policy.get(name, policy["default-src"])
        assert "'self'" in sources
        assert "'unsafe-inline'" not in sources
        assert "'unsafe-eval'" not in sources


@pytest.mark.django_db
@pytest.mark.parametrize("get", PAGES, ids=lambda f: f.__name__.strip("_"))
def test_pages_have_no_inline_script_or_style_and_nothing_remote(client, years, user, get):
    doc = page(get(client, user))

    scripts = doc.find_all("script")
    assert scripts, "the page should load its scripts"
    assert all(s.attrs.get("src") for s in scripts), "inline <script> found"
    assert not [s for s in scripts if s.text], "a script with a src must have no body"
    assert not doc.find_all("style")
    assert not [e.tag for e in doc.iter() if "style" in e.attrs]
    assert not [e.attrs.get("on") for e in doc.iter() if any(k.startswith("on") for k in e.attrs)]
    for element in doc.iter():
        for attr in ("src", "href", "action"):
            url = element.attrs.get(attr) or ""
            assert not url.startswith(("http:", "https:", "//")), f"remote {attr}: {url}"


@pytest.mark.django_db
def test_page_layout_has_skip_link_header_main_and_footer(client):
    doc = page(client.get(reverse("home")))

    assert doc.find("html").attrs["lang"] == "en-GB"
    skip = doc.find("a", cls="nhsuk-skip-link")
    assert skip.attrs["href"] == "#maincontent"
    assert doc.find("main", id="maincontent")
    header = doc.find("header", cls="nhsuk-header")
    service = header.find("a", cls="nhsuk-header__service-logo")
    assert service.attrs["href"] == reverse("home")
    assert "CCG Portal" in service.text
    assert doc.find("footer", cls="nhsuk-footer")
    body_script = doc.find("body").find("script")
    assert body_script.attrs["src"].endswith("js/js-enabled.js")
    module = doc.find("head").find("script", type="module")
    assert module.attrs["src"].endswith("js/portal.js")


@pytest.mark.django_db
def test_flash_messages_show_as_a_notification_banner(client, user):
    doc = page(_flash_message(client, user))

    banner = doc.find("div", cls="nhsuk-notification-banner")
    assert "nhsuk-notification-banner--success" in banner.classes
    assert "Quarter 1 submitted." in banner.text


# ---------------------------------------------------------------- static files


def _static_path(url):
    assert url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL)
    return url.split(settings.STATIC_URL, 1)[1]


@pytest.mark.django_db
def test_every_static_file_a_page_references_exists(client):
    doc = page(client.get(reverse("login")))
    urls = [e.attrs["src"] for e in doc.find_all("script")]
    urls += [e.attrs["href"] for e in doc.find_all("link")]

    assert len(urls) >= 8
    missing = [url for url in urls if not finders.find(_static_path(url))]
    assert not missing, f"missing static files {missing}: run `make assets` (npm ci, build:css)"


def test_favicon_ico_is_the_portals_icon(client):
    # Browsers ask for it on pages that name no icon (Django admin's).
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert finders.find(_static_path(response["Location"]))
    assert response["Location"].endswith("/favicon.ico")


def test_portal_js_imports_the_copied_nhsuk_frontend_bundle():
    source = Path(finders.find("js/portal.js")).read_text()
    assert 'from "../dist/nhsuk-frontend.min.js"' in source
    bundle = finders.find("dist/nhsuk-frontend.min.js")
    assert bundle, "run `make assets` (npm ci, build:css)"
    assert "initAll" in Path(bundle).read_text()


def test_built_css_loads_nothing_remote_and_uses_our_assets():
    built = finders.find("dist/portal.css")
    assert built, "run `make assets` (npm ci, build:css)"
    css = Path(built).read_text()

    assert "http" not in css
    assert "@font-face" not in css
    assert "Frutiger" not in css
    assert "html{font-family:arial,sans-serif}" in css
    assert 'url("assets/images/nhsuk-icon-' in css
    for rag in ("red", "amber", "green", "none"):
        assert f".app-rag--{rag}" in css


@pytest.mark.parametrize(
    ("rating", "css_class", "word"),
    [
        ("red", "app-rag--red", "Red"),
        ("amber", "app-rag--amber", "Amber"),
        ("green", "app-rag--green", "Green"),
        ("", "app-rag--none", "Not rated"),
        (None, "app-rag--none", "Not rated"),
    ],
)
def test_rag_badge_always_says_its_rating_in_words(rating, css_class, word):
    template = engines["jinja2"].from_string(
        '{% from "_rag_badge.html" import rag_badge %}{{ rag_badge(rating) }}'
    )
    badge = Page(template.render({"rating": rating})).find("strong")

    assert badge.classes == ["app-rag", css_class]
    assert badge.text == word


def test_home_says_what_each_year_holds_in_a_fixed_number_of_queries(
    client, demo, django_assert_num_queries
):
    client.force_login(django_user_model_get("admin"))
    client.get(reverse("home"))  # brings the stored SPC states up to date once
    cache.clear()  # the scorecard's ratings worked out afresh, as after a new figure
    # session, user, the year overview, and the admin's day (tests/ccgportal/test_today.py: 12)
    with django_assert_num_queries(3 + 12):
        doc = page(client.get(reverse("home")))
    items = {
        item.find("span").text: " ".join(item.text.split())
        for item in doc.find("ul", id="financial-years").find_all("li", cls="app-year")
    }
    assert "39 KPIs" in items["2013/14"]
    assert "156 figures" in items["2013/14"]
    assert "44 team returns, all approved" in items["2013/14"]  # 11 teams × 4 quarters
    assert "51 running-cost lines" in items["2013/14"]
    assert "2 surveys" in items["2013/14"] and "5 directorate narratives" in items["2013/14"]
    assert "39 KPIs" in items["2014/15"] and "figures" not in items["2014/15"]
    assert "1 plan" in items["2015/16"] and "KPI" not in items["2015/16"]
    links = [a.attrs["href"] for a in doc.find("ul", id="financial-years").find_all("a")]
    year = FinancialYear.objects.get(label="2013-14")
    assert f"/admin/kpis/kpiyear/?year__id__exact={year.pk}" in links


def _year_links(doc, label="2013/14"):
    item = next(
        li
        for li in doc.find("ul", id="financial-years").find_all("li", cls="app-year")
        if li.find("span").text == label
    )
    return {a.attrs["href"]: a.text for a in item.find_all("a")}


def test_the_finance_lines_link_to_their_pages_for_every_signed_in_user(client, demo):
    client.force_login(django_user_model_get("staff.bi"))

    links = _year_links(page(client.get(reverse("home"))))

    assert links["/finance/2013-14/running-costs/"] == "51 running-cost lines"
    assert links["/finance/2013-14/"] == "finance summary"
    assert not [href for href in links if href.startswith("/admin/")]


def test_staff_have_the_admin_lists_beside_the_finance_pages(client, demo):
    client.force_login(django_user_model_get("admin"))
    year = FinancialYear.objects.get(label="2013-14")

    links = _year_links(page(client.get(reverse("home"))))

    assert links["/finance/2013-14/running-costs/"] == "51 running-cost lines"
    assert links["/finance/2013-14/"] == "finance summary"
    assert links[f"/admin/finance/costline/?schedule__year__id__exact={year.pk}"].startswith(
        "in the admin"
    )
    assert links[f"/admin/finance/financesummaryline/?year__id__exact={year.pk}"].startswith(
        "in the admin"
    )


def test_anonymous_users_see_what_a_year_holds_without_links(client, demo):
    doc = page(client.get(reverse("home")))

    assert _year_links(doc) == {}
    assert "finance summary" in doc.find("ul", id="financial-years").text


def django_user_model_get(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.mark.django_db
def test_a_years_tag_colour_is_pythons(client, years):
    doc = page(client.get(reverse("home")))
    tags = [
        item.find("strong", cls="nhsuk-tag").classes
        for item in doc.find("ul", id="financial-years").find_all("li", cls="app-year")
    ]
    assert tags == [["nhsuk-tag", "nhsuk-tag--grey"], ["nhsuk-tag", "nhsuk-tag--blue"]]
    locked, open_ = FinancialYear.objects.order_by("start_date")
    assert (year_tag(locked), year_tag(open_)) == (Tag("Locked", "grey"), Tag("Open", "blue"))
