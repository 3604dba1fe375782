"""Directorates write their own sections: a director or deputy saves a draft of their own
directorate's narrative for an open year, previews it as the report draws it, and the report
prints it once an admin publishes the year's narrative. Nobody else writes it."""

import io

import pytest
from django.core.cache import cache
from django.utils import timezone
from django.utils.text import slugify
from pypdf import PdfReader

from directorates.models import FinancialYear, NarrativeSection
from directorates.narrative import CaseStudyText, Content, HighlightText
from tests.html import page
from tests.support import login, user

YEAR = "2013-14"
REPORT = f"/reports/annual/{YEAR}/"
NARRATIVE = f"/reports/annual/{YEAR}/narrative/"
PUBLISH = f"{NARRATIVE}publish/"
FINANCE = "Finance and performance directorate"
QUALITY = "Quality directorate"
EDIT = f"{NARRATIVE}{slugify(FINANCE)}/"
SCRIPT = '<script>alert("narrative")</script>'


@pytest.fixture
def open_report_year(demo):
    """2013/14, which has a report, opened again so its narrative may change."""
    FinancialYear.objects.filter(label=YEAR).update(status=FinancialYear.Status.OPEN)
    cache.clear()
    yield FinancialYear.objects.get(label=YEAR)
    cache.clear()


def section(title=FINANCE) -> NarrativeSection:
    return NarrativeSection.objects.get(year__label=YEAR, title=title)


def post_data(content: Content, *, action="save", version=None) -> dict[str, str]:
    """What the editor posts for this content (no blank entries)."""
    data = {
        "action": action,
        "purpose": content.purpose,
        "highlights_intro": content.highlights_intro,
        "facts_intro": content.facts_intro,
    }
    if version is not None:
        data["version"] = str(version)
    parts = {
        "highlight": [
            {"group": h.group, "text": h.text, "items": "\n".join(h.items)}
            for h in content.highlights
        ],
        "fact": [{"text": text} for text in content.facts],
        "case": [
            {"title": c.title, "subtitle": c.subtitle, "body": c.body} for c in content.case_studies
        ],
    }
    for prefix, rows in parts.items():
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data


def edited(base: Content, **changes) -> Content:
    fields = {**base.__dict__, **changes}
    return Content(**fields)


def state(title=FINANCE):
    """Everything a refused write must leave as it was: the section, its rows and history."""
    found = section(title)
    return (
        NarrativeSection.objects.filter(pk=found.pk).values().get(),
        list(found.highlights.values()),
        list(found.facts.values()),
        list(found.case_studies.values()),
        found.history.count(),
    )


def section_texts(client, title=FINANCE) -> str:
    doc = page(client.get(REPORT))
    return doc.find("section", id=slugify(title)).text


# ---------------------------------------------------------------- the report after publishing


def test_a_directors_edit_shows_in_the_report_after_publishing_and_not_before(
    client, open_report_year
):
    published = section().published_content()
    assert len(published.highlights) == 18 and len(published.facts) == 2
    new = edited(
        published,
        purpose="We keep the CCG's books and its information.\n\n- budgets\n- reporting",
        facts=(*published.facts, "Did you know that 31,002 invoices were paid in 2014?"),
        highlights=published.highlights[1:],
    )
    login(client, "director.finance")
    response = client.post(EDIT, post_data(new, version=section().history.first().history_id))
    assert response.status_code == 302 and response["Location"] == EDIT
    saved = section()
    assert saved.has_draft and saved.draft_saved_by == user("director.finance")
    assert saved.current_content() == new
    assert saved.published_content() == published  # the report's copy is untouched

    before = section_texts(client)
    assert "31,002 invoices" not in before and "surplus of over £12 million achieved" in before
    doc = page(client.get(REPORT))
    built = [li.text for li in doc.find("ul", cls="app-report__built").find_all("li")]
    assert (
        "Directorates' narrative: as published; 1 section with changes not yet published, "
        "which this report does not show." in built
    )

    refused = client.post(PUBLISH)
    assert refused.status_code == 403
    assert "Only an admin can publish the narrative" in page(refused).find(id="error-reason").text
    assert section().has_draft

    login(client, "admin")
    response = client.post(PUBLISH, follow=True)
    assert f"Published: {FINANCE}. The 2013/14 report shows them now." in response.content.decode()
    after = section_texts(client)
    assert "31,002 invoices" in after and "We keep the CCG's books" in after
    assert "surplus of over £12 million achieved" not in after  # the first highlight removed
    doc = page(client.get(REPORT))
    finance = doc.find("section", id=slugify(FINANCE))
    assert [li.text for li in finance.find("aside").find_all("li")][-1] == (
        "Did you know that 31,002 invoices were paid in 2014?"
    )
    assert [li.text for li in finance.find_all("ul")[0].find_all("li")] == ["budgets", "reporting"]
    published_now = section()
    assert not published_now.has_draft and published_now.published_by == user("admin")
    assert published_now.published_content() == new
    assert published_now.history.first().history_change_reason == (
        "Published: purpose changed; 17 highlights changed; 1 highlight removed; 1 fact added"
    )
    built = [li.text for li in doc.find("ul", cls="app-report__built").find_all("li")]
    stamp = timezone.localtime(published_now.published_at)
    assert built[0] == f"Built from the data as of {stamp:%-d %B %Y at %H:%M} (its latest change)."
    assert f"Directorates' narrative: as published on {stamp:%-d %B %Y}." in built


def test_the_editor_starts_from_the_draft_and_round_trips_the_published_section(
    client, open_report_year
):
    published = section().published_content()
    login(client, "director.finance")
    doc = page(client.get(EDIT))
    legends = [legend.text for legend in doc.find_all("legend")]
    assert legends[:18] == [f"Highlight {n}" for n in range(1, 19)]
    assert "New highlight" in legends and "New fact" in legends and "New case study" in legends
    # Posting the section back unchanged saves a draft equal to the published copy.
    assert client.post(EDIT, post_data(published)).status_code == 302
    assert section().current_content() == published
    assert section().history.first().history_change_reason == "Draft saved: nothing changed"


def test_preview_draws_the_section_as_the_report_does_and_saves_nothing(client, open_report_year):
    before = state()
    new = edited(
        section().published_content(),
        case_studies=(CaseStudyText("Paying on time", "We paid 98% within 30 days."),),
    )
    login(client, "director.finance")
    response = client.post(EDIT, post_data(new, action="preview"))
    assert response.status_code == 200
    preview = page(response).find("section", id="preview")
    drawn = preview.find("section", id=slugify(FINANCE))
    assert [h.text for h in drawn.find_all("h3")][-1] == "Paying on time"
    assert "We paid 98% within 30 days." in drawn.text
    assert state() == before


# ---------------------------------------------------------------- who may not


def test_another_directorates_director_is_refused_and_nothing_is_written(
    client, open_report_year, director_of_quality
):
    before, quality_before = state(), state(QUALITY)
    content = edited(section().published_content(), purpose="Quality writes Finance's story.")
    client.force_login(director_of_quality)
    for response in (client.get(EDIT), client.post(EDIT, post_data(content))):
        assert response.status_code == 403
        reason = page(response).find(id="error-reason").text
        assert reason == (
            "Only a director or deputy of Finance and Performance can edit its narrative."
        )
        assert page(response).find("header", cls="nhsuk-header")  # in the portal's layout
    assert state() == before
    # Their own directorate's section is theirs to write.
    assert client.get(f"{NARRATIVE}{slugify(QUALITY)}/").status_code == 200
    # And the finance director cannot write Quality's.
    login(client, "director.finance")
    assert client.post(f"{NARRATIVE}{slugify(QUALITY)}/", post_data(content)).status_code == 403
    assert state(QUALITY) == quality_before


@pytest.mark.parametrize("username", ["staff.bi", "exec"])
def test_staff_and_executives_are_refused(client, open_report_year, username):
    before = state()
    login(client, username)
    content = edited(section().published_content(), purpose="Not mine to write.")
    for response in (client.get(EDIT), client.post(EDIT, post_data(content))):
        assert response.status_code == 403
        assert "can edit its narrative" in page(response).find(id="error-reason").text
    assert state() == before
    doc = page(client.get(NARRATIVE))
    assert not [a for a in doc.find_all("a") if a.text.startswith("Edit")]
    assert not doc.find_all("form", id="narrative-publish")


def test_a_locked_year_cannot_be_edited_or_published(client, demo):
    assert FinancialYear.objects.get(label=YEAR).is_locked
    before = state()
    content = edited(section().published_content(), purpose="Too late.")
    login(client, "director.finance")
    for response in (client.get(EDIT), client.post(EDIT, post_data(content))):
        assert response.status_code == 403
        assert page(response).find(id="error-reason").text == (
            "2013/14 is locked: its narrative can no longer change."
        )
    assert state() == before
    doc = page(client.get(NARRATIVE))
    assert doc.find(id="narrative-locked").text == (
        "2013/14 is locked: its narrative can no longer change."
    )
    assert not [a for a in doc.find_all("a") if a.text.startswith("Edit")]
    login(client, "admin")
    assert client.post(PUBLISH).status_code == 403


def test_a_year_or_section_that_does_not_exist_is_404_in_the_layout(client, open_report_year):
    login(client, "director.finance")
    for address in (f"{NARRATIVE}no-such-section/", "/reports/annual/2031-32/narrative/"):
        response = client.get(address)
        assert response.status_code == 404
        assert page(response).find("h1").text == "Page not found"


# ---------------------------------------------------------------- bad input


def test_an_empty_purpose_and_over_long_texts_get_errors_at_their_fields(client, open_report_year):
    before = state()
    published = section().published_content()
    bad = edited(
        published,
        purpose="   ",
        facts=("x" * 601, *published.facts[1:]),
        highlights=(HighlightText("", "Orphaned group"), *published.highlights[1:]),
        case_studies=(CaseStudyText("A title", "y" * 8001),),
    )
    login(client, "director.finance")
    for action in ("save", "preview"):
        response = client.post(EDIT, post_data(bad, action=action))
        assert response.status_code == 400
        doc = page(response)
        assert doc.find("title").text.startswith("Error: ")
        summary = doc.find("div", cls="nhsuk-error-summary")
        assert [(a.text, a.attrs["href"]) for a in summary.find_all("a")] == [
            ("Enter the key summary of purpose", "#id_purpose"),
            (
                "Highlight 1: Enter the highlight, or clear its heading and sub-bullets",
                "#id_highlight-0-text",
            ),
            ("Fact 1: Fact must be 600 characters or fewer (you wrote 601)", "#id_fact-0-text"),
            (
                "Case study 1: Case study must be 8,000 characters or fewer (you wrote 8001)",
                "#id_case-0-body",
            ),
        ]
        assert "Enter the key summary of purpose" in doc.find(id="id_purpose-error").text
        assert "Fact must be 600 characters or fewer (you wrote 601)" in (
            doc.find(id="id_fact-0-text-error").text
        )
        assert "nhsuk-form-group--error" in doc.find(id="id_purpose").parent.classes
        assert doc.find("textarea", id="id_fact-0-text").text == "x" * 601  # kept as typed
        assert not doc.find_all("section", id="preview")
    assert state() == before


def test_a_forged_number_of_entries_is_refused(client, open_report_year):
    before = state()
    data = post_data(section().published_content())
    data["fact-TOTAL_FORMS"] = "5000"
    login(client, "director.finance")
    response = client.post(EDIT, data)
    assert response.status_code == 400
    summary = page(response).find("div", cls="nhsuk-error-summary").text
    assert "Please submit at most 20 forms. (facts)" in summary
    assert state() == before


def test_a_save_on_a_version_someone_else_has_replaced_writes_nothing(client, open_report_year):
    login(client, "director.finance")
    opened_on = section().history.first().history_id
    first = edited(section().published_content(), purpose="The first save.")
    assert client.post(EDIT, post_data(first, version=opened_on)).status_code == 302
    before = state()
    second = edited(first, purpose="A save on the old version.")
    response = client.post(EDIT, post_data(second, version=opened_on))
    assert response.status_code == 400
    summary = page(response).find("div", cls="nhsuk-error-summary").text
    assert "after you opened it. Nothing of yours was saved" in summary
    assert state() == before
    assert section().current_content().purpose == "The first save."


# ---------------------------------------------------------------- escaping, history, queries


def test_html_in_a_text_is_shown_as_text_in_the_page_and_the_pdf(client, open_report_year):
    new = edited(
        section().published_content(),
        purpose=f"Our purpose {SCRIPT} and <b>bold</b> claims.",
        facts=("Did you know <img src=x onerror=alert(1)>?",),
    )
    login(client, "director.finance")
    preview = client.post(EDIT, post_data(new, action="preview")).content.decode()
    assert SCRIPT not in preview and "&lt;script&gt;alert(" in preview
    assert client.post(EDIT, post_data(new)).status_code == 302
    login(client, "admin")
    client.post(PUBLISH)
    html = client.get(REPORT).content.decode()
    assert SCRIPT not in html and "<b>bold</b>" not in html and "<img src=x" not in html
    assert "Our purpose &lt;script&gt;alert(&#34;narrative&#34;)&lt;/script&gt; and" in html
    doc = page(client.get(REPORT))
    assert (
        f"Our purpose {SCRIPT} and <b>bold</b> claims."
        in doc.find("section", id=slugify(FINANCE)).text
    )
    response = client.get(f"/reports/annual/{YEAR}.pdf")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    assert f"Our purpose {SCRIPT} and <b>bold</b> claims." in text
    assert "Did you know <img src=x onerror=alert(1)>?" in text
    assert "Edit this section" in html and "Edit this section" not in text  # not in print


def test_each_save_keeps_a_history_row_with_the_user_shown_on_the_editor(client, open_report_year):
    published = section().published_content()
    rows_before = section().history.count()
    login(client, "director.finance")
    new = edited(published, purpose="Changed purpose.", facts=published.facts[:1])
    client.post(EDIT, post_data(new))
    latest = section().history.first()
    assert section().history.count() == rows_before + 1
    assert latest.history_user == user("director.finance")
    assert latest.history_change_reason == "Draft saved: purpose changed; 1 fact removed"
    assert latest.draft["purpose"] == "Changed purpose."
    doc = page(client.get(EDIT))
    first = doc.find("table", id="narrative-history").find("tbody").find_all("tr")[0]
    cells = [td.text for td in first.find_all("td")]
    assert cells[1:] == ["Finance Director", "Draft saved: purpose changed; 1 fact removed"]
    oldest = doc.find("table", id="narrative-history").find("tbody").find_all("tr")[-1]
    assert [td.text for td in oldest.find_all("td")][1:] == [
        "loaded from file",
        "Loaded from narrative_2013-14.json",
    ]
    assert "Draft waiting to be published" in doc.find(id="narrative-state").text


def test_the_editor_runs_a_fixed_number_of_queries(
    client, open_report_year, django_assert_num_queries
):
    login(client, "director.finance")
    client.get(EDIT)
    with django_assert_num_queries(10):
        assert client.get(EDIT).status_code == 200
    # However many entries the section holds.
    new = edited(section().published_content(), facts=tuple(f"Fact {n}" for n in range(15)))
    client.post(EDIT, post_data(new))
    with django_assert_num_queries(10):
        assert client.get(EDIT).status_code == 200


# ---------------------------------------------------------------- the way there


def test_the_director_reaches_the_editor_from_the_report_the_narrative_and_home(
    client, open_report_year
):
    login(client, "director.finance")
    doc = page(client.get(REPORT))
    edit_links = [a.attrs["href"] for a in doc.find_all("a") if a.text.startswith("Edit this")]
    assert edit_links == [EDIT]
    assert doc.find("section", id=slugify(FINANCE)).find("a").attrs["href"] == EDIT
    narrative = page(client.get(NARRATIVE))
    assert [a.attrs["href"] for a in narrative.find_all("a") if a.text.startswith("Edit")] == [EDIT]
    home = page(client.get("/"))
    assert EDIT in [a.attrs["href"] for a in home.find(id="today-narrative").find_all("a")]
    assert NARRATIVE in [a.attrs["href"] for a in home.find(id="financial-years").find_all("a")]
    breadcrumb = page(client.get(EDIT)).find("nav", cls="nhsuk-breadcrumb")
    assert [a.text for a in breadcrumb.find_all("a")][:3] == [
        "Home",
        "Annual report 2013/14",
        "Narrative 2013/14",
    ]
    # Those who may not edit get no link.
    login(client, "exec")
    assert not [a for a in page(client.get(REPORT)).find_all("a") if a.text.startswith("Edit this")]


def test_a_director_starts_an_open_years_section_from_the_latest_earlier_one(client, open_year):
    start = f"/reports/annual/{open_year.label}/narrative/start/finance-and-performance/"
    assert not NarrativeSection.objects.filter(year=open_year).exists()
    login(client, "staff.bi")
    assert client.post(start).status_code == 403
    login(client, "director.finance")
    home = page(client.get("/")).find(id="today-narrative")
    assert [(a.text, a.attrs["href"]) for a in home.find_all("a")] == [
        (
            "Start your directorate's 2014/15 narrative",
            f"/reports/annual/{open_year.label}/narrative/",
        )
    ]
    doc = page(client.get(f"/reports/annual/{open_year.label}/narrative/"))
    assert [f.attrs["action"] for f in doc.find_all("form", cls="app-narrative-start")] == [start]
    response = client.post(start, follow=True)
    assert f"Started: {FINANCE}, from the latest earlier year's." in page(response).root.text
    started = NarrativeSection.objects.get(year=open_year)
    assert started.title == FINANCE and started.purpose == "" and not started.highlights.exists()
    assert started.current_content() == section().published_content()
    assert started.history.first().history_user == user("director.finance")
    assert started.history.first().history_change_reason == "Started from 2013/14's section"
    assert (
        client.get(f"/reports/annual/{open_year.label}/narrative/{slugify(FINANCE)}/").status_code
        == 200
    )
    response = client.post(start, follow=True)
    assert "already has its 2014/15 narrative" in response.content.decode()
    assert NarrativeSection.objects.filter(year=open_year).count() == 1


def test_the_admin_lists_drafts_waiting_and_each_sections_history(client, open_report_year):
    login(client, "director.finance")
    client.post(EDIT, post_data(edited(section().published_content(), purpose="New.")))
    login(client, "admin")
    changelist = "/admin/directorates/narrativesection/"
    listing = page(client.get(f"{changelist}?year__id__exact={open_report_year.pk}"))
    assert listing.find("th", cls="column-draft_waiting")
    history = client.get(f"/admin/directorates/narrativesection/{section().pk}/history/")
    assert history.status_code == 200
    assert "Draft saved: purpose changed" in history.content.decode()


def test_the_admin_shows_the_published_narrative_but_changes_it_only_through_the_portal(
    client, open_report_year
):
    login(client, "admin")
    published = section()
    before = (published.purpose, [h.text for h in published.highlights.all()])
    change = f"/admin/directorates/narrativesection/{published.pk}/change/"
    shown = client.get(change)
    assert shown.status_code == 200  # to read: the view-only page
    assert 'name="purpose"' not in shown.content.decode()
    assert client.post(change, {"purpose": "Typed in the admin."}).status_code == 403
    highlight = published.highlights.first()
    assert client.post(f"/admin/directorates/highlight/{highlight.pk}/delete/").status_code == 403
    assert client.get("/admin/directorates/highlight/add/").status_code == 403
    assert client.get("/admin/directorates/narrativesection/add/").status_code == 403
    again = section()
    assert (again.purpose, [h.text for h in again.highlights.all()]) == before
