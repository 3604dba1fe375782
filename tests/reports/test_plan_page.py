"""The OD framework implementation plan's progress report as a web page: every theme, lettered
outcome and progress entry of the published plan, nested and emphasised as it prints them, for
anyone to read; an unknown plan is a 404 in the portal's layout; typed markup shows as text."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans.models import Outcome, Plan, ProgressEntry, Theme
from tests.html import Page, page
from tests.reports.plan_seed import FOCUSES, portal_themes, seed_themes
from tests.support import login

PLAN = "/reports/od-framework/2015-16/"
PLANS = "/reports/plans/"


@pytest.fixture
def plan(demo):
    return Plan.objects.get(slug="od-framework", year__label="2015-16")


@pytest.fixture
def html(client, demo) -> str:
    response = client.get(PLAN)
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_holds_the_published_plan_theme_by_theme(html):
    drawn, published = portal_themes(html), seed_themes()
    assert [t.number for t in drawn] == [t.number for t in published] == [1, 2, 3, 4, 5, 6]
    for ours, theirs in zip(drawn, published, strict=True):
        # The seed prints theme titles in capitals; the portal keeps them in sentence case.
        assert ours.title.lower() == theirs.title.lower()
        assert ours.outcomes == theirs.outcomes
        for focus in FOCUSES:
            # Each entry's text, its key phrase in bold and the entries nested under it.
            assert ours.progress[focus] == theirs.progress[focus], (ours.number, focus)


def test_the_page_holds_every_outcome_and_entry_loaded(html, plan):
    drawn = {t.number: t for t in portal_themes(html)}
    for theme in plan.themes.all():
        assert drawn[theme.number].title == theme.title
        assert drawn[theme.number].outcomes == [(o.letter, o.text) for o in theme.outcomes.all()]
        items = list(drawn[theme.number].items())
        entries = list(theme.progress.all())
        assert sorted(item.text for item in items) == sorted(e.text for e in entries)
        assert sorted(item.bold for item in items) == sorted(e.key_phrase for e in entries)


def test_nested_entries_stay_under_their_parent(html, plan):
    children = ProgressEntry.objects.filter(theme__plan=plan, parent__isnull=False)
    assert children.count() == 5
    parent = children.first().parent
    theme = portal_themes(html)[parent.theme.number - 1]
    (drawn,) = [i for i in theme.progress["Internal focus"] if i.text == parent.text]
    assert [c.text for c in drawn.children] == [c.text for c in children.order_by("display_order")]
    assert all(
        not item.children
        for focus in theme.progress.values()
        for item in focus
        if item is not drawn
    )
    # In the markup itself: a list inside its parent's item, not after it.
    doc = Page(html)
    nested = doc.find("ul", cls="app-plan__progress--nested")
    assert nested.parent.tag == "li" and parent.key_phrase in nested.parent.text
    assert len(nested.find_all("li")) == 5


def test_key_phrases_are_in_bold_where_the_plan_prints_them(html, plan):
    doc = Page(html)
    bold = [s.text for s in doc.find("article").find_all("strong", cls="app-plan__key-phrase")]
    phrases = ProgressEntry.objects.filter(theme__plan=plan).exclude(key_phrase="")
    assert len(bold) == phrases.count() > 40
    reading_order = sorted(
        phrases.select_related("theme"),
        key=lambda e: (e.theme.number, e.focus != "internal", e.display_order),
    )
    assert bold == [e.key_phrase for e in reading_order]


def test_the_page_has_a_contents_list_and_a_section_per_theme(html, plan):
    doc = Page(html)
    contents = doc.find("nav", cls="app-report__contents").find_all("a")
    assert [(a.text, a.attrs["href"]) for a in contents] == [
        (str(theme), f"#theme-{theme.number}") for theme in plan.themes.all()
    ]
    headings = [h.text for h in doc.find("article").find_all("h2")]
    assert headings == ["Contents", *(str(theme) for theme in plan.themes.all())]
    assert doc.find("h1").text == plan.title
    assert doc.find("a", href="/reports/od-framework/2015-16.pdf")


def test_anyone_may_read_the_plan_as_a_published_document(client, demo):
    response = client.get(PLAN)
    assert response.status_code == 200
    doc = page(response)
    assert not doc.find_all("nav", cls="nhsuk-header__navigation")  # nobody signed in
    trail = doc.find("nav", cls="nhsuk-breadcrumb")
    assert [a.text for a in trail.find_all("a", cls="nhsuk-breadcrumb__link")] == [
        "Home",
        "Plan progress",
    ]
    assert client.get(PLANS).status_code == 200


@pytest.mark.parametrize(
    "address",
    [
        "/reports/od-framework/2014-15/",  # a year the plan has no edition for
        "/reports/od-framework/2030-31/",  # a year not in the database
        "/reports/no-such-plan/2015-16/",
        "/reports/no-such-plan/2015-16.pdf",
        "/reports/od-framework/2014-15.pdf",
    ],
)
def test_a_plan_that_does_not_exist_is_not_found_in_the_portals_layout(client, demo, address):
    login(client)
    response = client.get(address)
    assert response.status_code == 404
    doc = page(response)
    assert doc.find("h1").text == "Page not found"
    assert doc.find("header", cls="nhsuk-header")
    assert doc.find("nav", cls="nhsuk-header__navigation")


def test_the_home_page_and_the_list_of_plans_link_the_report(client, plan):
    login(client, "staff.bi")
    home = page(client.get("/"))
    assert home.find("a", id="home-plans").attrs["href"] == PLANS
    assert home.find("ul", id="financial-years").find("a", href=PLANS).text == "1 plan"
    plans = page(client.get(PLANS))
    items = plans.find("ul", id="plans").find_all("li")
    assert [li.find("a").text for li in items] == [plan.title]
    assert items[0].find("a", href=PLAN)
    assert items[0].find("a", href="/reports/od-framework/2015-16.pdf")
    assert "2015/16" in items[0].text
    trail = page(client.get(PLAN)).find("nav", cls="nhsuk-breadcrumb")
    crumbs = trail.find_all("a", cls="nhsuk-breadcrumb__link")
    assert [(a.text, a.attrs["href"]) for a in crumbs] == [("Home", "/"), ("Plan progress", PLANS)]


def test_the_list_says_when_there_are_no_plans(client, demo):
    Plan.objects.all().delete()
    doc = page(client.get(PLANS))
    assert "No plans have been entered yet." in doc.find("main").text


def test_markup_typed_into_a_plan_shows_as_text(client, plan):
    theme = plan.themes.get(number=1)
    Theme.objects.filter(pk=theme.pk).update(title='<script>alert("theme")</script>')
    Outcome.objects.filter(theme=theme, letter="a").update(text="<b>bold</b> & <i>x</i>")
    entry = theme.progress.filter(parent=None).first()
    ProgressEntry.objects.filter(pk=entry.pk).update(
        text='Held <script>alert("entry")</script> events', key_phrase='<script>alert("entry")'
    )
    body = client.get(PLAN).content.decode()
    assert "<script>alert" not in body and "<b>bold" not in body
    assert "&lt;script&gt;alert(&#34;theme&#34;)&lt;/script&gt;" in body
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;i&gt;x&lt;/i&gt;" in body
    assert (
        'Held <strong class="app-plan__key-phrase">&lt;script&gt;alert(&#34;entry&#34;)</strong>'
        "&lt;/script&gt; events" in body
    )


def test_a_theme_without_outcomes_or_progress_says_so(client, plan):
    theme = plan.themes.get(number=4)
    theme.outcomes.all().delete()
    theme.progress.filter(focus="external").delete()
    section = page(client.get(PLAN)).find("section", id="theme-4")
    assert "No outcomes recorded for this theme." in section.text
    assert "No progress recorded under external focus." in section.text
    assert section.find_all("li")  # its internal focus is still there


def test_a_plan_without_themes_says_so(client, plan):
    plan.themes.all().delete()
    response = client.get(PLAN)
    assert response.status_code == 200
    assert "This plan has no themes recorded yet." in page(response).find("main").text


# Session, user, the plan (with its year and organisation), its themes, their outcomes, their
# progress entries, and the user's roles for the navigation: however many themes or entries.
PLAN_QUERIES = 8


def test_the_plan_page_runs_a_fixed_number_of_queries(client, plan):
    login(client)
    client.get(PLAN)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PLAN).status_code == 200
    assert len(queries) == PLAN_QUERIES, "\n".join(q["sql"][:150] for q in queries)
    theme = Theme.objects.create(plan=plan, number=7, title="Another theme")
    for n in range(10):
        Outcome.objects.create(theme=theme, letter="abcdefghij"[n], text=f"Outcome {n}")
        top = ProgressEntry.objects.create(
            theme=theme, focus="internal", text=f"Entry {n}", display_order=2 * n + 1
        )
        ProgressEntry.objects.create(
            theme=theme, parent=top, focus="internal", text=f"Under {n}", display_order=2 * n + 2
        )
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PLAN).status_code == 200
    assert len(queries) == PLAN_QUERIES
