"""The return form and sign-off pages: what each role sees and can do, and every bad input."""

import json
import re
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from directorates.models import Directorate, FinancialYear, Team
from kpis.models import Figure, Kpi, KpiYear, ReturnEvent, ReturnStatus, TeamReturn
from kpis.presenters import COMMENTARY_HINT, NOT_STARTED, RETURN_STATUS_TAGS, rag_words
from kpis.returns import selectors, services, transitions
from tests.html import form_values, page
from tests.support import login, snapshot, user

URL = "/returns/2014-15/1/business-intelligence/"


def form_data(
    bi_kpis, *, meetings="97", coding="15", amount="900,000", action="draft", version="", **extra
):
    coding_id = bi_kpis["coding-challenges-successful"].id
    meetings_id = bi_kpis["bi-meetings-attended"].id
    return {
        "version": version,
        "action": action,
        f"k{coding_id}-count": coding,
        f"k{coding_id}-amount_gbp": amount,
        f"k{meetings_id}-count": meetings,
        **extra,
    }


def text(response) -> str:
    return " ".join(response.content.decode().split())


def test_the_url_names_year_quarter_and_team_slug(bi):
    assert reverse("return_form", kwargs={"year": "2014-15", "quarter": 1, "team": bi.slug}) == URL


def test_member_sees_inputs_shaped_by_each_kpi_and_the_figures_to_compare(
    client, bi_kpis, django_assert_max_num_queries
):
    login(client, "staff.bi")
    with django_assert_max_num_queries(14):
        response = client.get(URL)
    page = text(response)
    assert response.status_code == 200
    coding, meetings = (
        bi_kpis["coding-challenges-successful"].id,
        bi_kpis["bi-meetings-attended"].id,
    )
    assert f'name="k{coding}-count"' in page and f'name="k{coding}-amount_gbp"' in page
    assert f'name="k{meetings}-count"' in page and f'name="k{meetings}-amount_gbp"' not in page
    # Same quarter last year: 2013/14 Q1 as published; last quarter: 2013/14 Q4.
    assert (
        'Same quarter last year</dt> <dd class="nhsuk-summary-list__value">17 (£1,059,768)' in page
    )
    assert 'Last quarter</dt> <dd class="nhsuk-summary-list__value">14 (£920,168)' in page
    assert 'data-rag-target="96.5"' in page  # 386 pa, a quarter of it in Q1
    assert re.search(r"Status: <strong[^>]*>\s*Not started", page)


def test_saving_a_draft_stores_the_figures(client, bi_kpis):
    response = login(client, "staff.bi").post(URL, form_data(bi_kpis))
    assert response.status_code == 302
    coding = Figure.objects.get(kpi_year=bi_kpis["coding-challenges-successful"], quarter=1)
    assert (coding.count, coding.amount_gbp) == (15, Decimal("900000"))
    assert (
        TeamReturn.objects.get(
            team__slug="business-intelligence", quarter=1, year__label="2014-15"
        ).status
        == ReturnStatus.DRAFT
    )
    assert "Draft saved" in text(client.get(URL))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("meetings", "ninety", "Enter a whole number, like 96"),
        ("meetings", "-4", "This cannot be negative"),
        ("meetings", "=1+1", "Enter a number, not a formula"),
        ("amount", "£12abc", "Enter a number, like 28.33"),
    ],
)
def test_bad_numbers_are_named_beside_the_field_and_nothing_is_saved(
    client, bi_kpis, field, value, message
):
    before = snapshot()
    response = login(client, "staff.bi").post(URL, form_data(bi_kpis, **{field: value}))
    assert response.status_code == 400
    page = text(response)
    assert "There is a problem" in page and message in page
    assert 'class="nhsuk-error-message"' in page
    assert snapshot() == before


def test_amber_without_commentary_cannot_be_submitted(client, bi_kpis):
    before = snapshot()
    response = login(client, "staff.bi").post(
        URL, form_data(bi_kpis, meetings="90", action="submit")
    )
    assert response.status_code == 400
    assert "Explain why this KPI is amber: commentary is needed" in text(response)
    assert snapshot() == before


def test_submitting_then_the_form_is_read_only(client, bi_kpis):
    login(client, "staff.bi").post(URL, form_data(bi_kpis, action="submit"))
    team_return = TeamReturn.objects.get(
        team__slug="business-intelligence", quarter=1, year__label="2014-15"
    )
    assert team_return.status == ReturnStatus.SUBMITTED
    page = text(client.get(URL))
    assert "You can read this return but not change it." in page and 'id="return-form"' not in page


def test_extra_posted_fields_change_nothing_they_name(client, bi_kpis):
    other = KpiYear.objects.get(year__label="2014-15", kpi__slug="staff-absence")
    data = form_data(
        bi_kpis,
        team="organisational-development",
        status="approved",
        year="2013-14",
        **{f"k{other.id}-percent": "1.5"},
    )
    login(client, "staff.bi").post(URL, data)
    assert not Figure.objects.filter(kpi_year=other).exists()
    assert (
        TeamReturn.objects.get(
            team__slug="business-intelligence", quarter=1, year__label="2014-15"
        ).status
        == ReturnStatus.DRAFT
    )
    assert not TeamReturn.objects.filter(
        team__slug="organisational-development", year__label="2014-15"
    ).exists()


@pytest.mark.parametrize("username", ["staff.quality", "exec", "director.finance"])
def test_who_may_not_edit_gets_403_on_post_and_nothing_changes(client, bi_kpis, username):
    before = snapshot()
    assert login(client, username).post(URL, form_data(bi_kpis)).status_code == 403
    assert snapshot() == before


def test_other_teams_member_cannot_even_read(client, bi_kpis):
    assert login(client, "staff.quality").get(URL).status_code == 403


@pytest.mark.parametrize("username", ["exec", "director.finance", "admin"])
def test_those_who_see_everything_can_read(client, bi_kpis, username):
    response = login(client, username).get(URL)
    assert response.status_code == 200 and "Counting and coding" in text(response)


def test_anonymous_is_sent_to_log_in(client, bi_kpis):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "url",
    [
        "/returns/2099-00/1/business-intelligence/",
        "/returns/2014-15/5/business-intelligence/",
        "/returns/2014-15/1/no-such-team/",
        "/returns/2014-15/0/business-intelligence/",
    ],
)
def test_unknown_year_quarter_or_team_is_404(client, demo, url):
    assert login(client, "admin").get(url).status_code == 404


def test_a_locked_year_refuses_figures_with_a_message(client, demo):
    published = KpiYear.objects.get(year__label="2013-14", kpi__slug="bi-meetings-attended")
    before = snapshot()
    response = login(client, "admin").post(
        "/returns/2013-14/1/business-intelligence/",
        {"version": "5", "action": "draft", f"k{published.id}-count": "1"},
    )
    assert response.status_code == 400
    assert "2013/14 is locked: its figures were approved and can no longer change" in text(response)
    assert snapshot() == before


def test_a_stale_version_is_refused_with_what_changed(client, bi_kpis):
    first = login(Client(), "staff.bi")
    first.post(URL, form_data(bi_kpis, meetings="97"))  # someone saves while we have the form open
    before = snapshot()
    response = login(client, "admin").post(URL, form_data(bi_kpis, meetings="80"))
    assert response.status_code == 400
    page = text(response)
    assert "Your changes were not saved" in page and "Someone else saved this return" in page
    assert snapshot() == before


def test_replaying_a_saved_form_is_refused_as_stale(client, bi_kpis):
    data = form_data(bi_kpis, meetings="97")
    login(client, "staff.bi").post(URL, data)
    before = snapshot()
    response = client.post(URL, data)
    assert response.status_code == 400 and "Your changes were not saved" in text(response)
    assert snapshot() == before


def test_a_forged_form_without_its_csrf_token_is_refused(bi_kpis):
    client = login(Client(enforce_csrf_checks=True), "staff.bi")
    before = snapshot()
    assert client.post(URL, form_data(bi_kpis)).status_code == 403
    assert snapshot() == before


SIGN_OFF = "/returns/2014-15/1/sign-off/finance-and-performance/"
# session, user, memberships, executives, year, directorate, teams, then the entries: KPI
# years, figures this year and last, returns with their events
SIGN_OFF_QUERIES = 12


def submit_bi(bi_kpis):
    login(Client(), "staff.bi").post(URL, form_data(bi_kpis, action="submit"))


def test_director_approves_the_submitted_returns(client, bi_kpis):
    submit_bi(bi_kpis)
    login(client, "director.finance")
    assert "1 of 4 team returns are waiting for approval" in text(client.get(SIGN_OFF))
    response = client.post(SIGN_OFF, {"action": "approve"})
    assert response.status_code == 302
    assert (
        TeamReturn.objects.get(
            team__slug="business-intelligence", quarter=1, year__label="2014-15"
        ).status
        == ReturnStatus.APPROVED
    )
    assert "Approved 1 return" in text(client.get(SIGN_OFF))


def test_director_returns_a_return_with_a_comment_the_team_sees(client, bi_kpis):
    submit_bi(bi_kpis)
    team_return = TeamReturn.objects.get(
        team__slug="business-intelligence", quarter=1, year__label="2014-15"
    )
    login(client, "director.finance")
    response = client.post(
        SIGN_OFF, {"action": "return", "team_return": team_return.pk, "comment": ""}
    )
    assert response.status_code == 400 and "a comment is needed" in text(response)
    client.post(
        SIGN_OFF,
        {"action": "return", "team_return": team_return.pk, "comment": "Recount Q1 meetings"},
    )
    assert (
        ReturnEvent.objects.get(team_return=team_return, action="returned").comment
        == "Recount Q1 meetings"
    )
    assert "Recount Q1 meetings" in text(login(Client(), "staff.bi").get(URL))


@pytest.mark.parametrize("username", ["staff.bi", "exec", "director.quality"])
def test_others_cannot_sign_off_the_directorate(client, bi_kpis, director_of_quality, username):
    submit_bi(bi_kpis)
    before = snapshot()
    assert login(client, username).post(SIGN_OFF, {"action": "approve"}).status_code == 403
    assert snapshot() == before


def test_a_return_of_another_directorate_cannot_be_returned_through_this_page(
    client, bi_kpis, director_of_quality
):
    submit_bi(bi_kpis)
    team_return = TeamReturn.objects.get(
        team__slug="business-intelligence", quarter=1, year__label="2014-15"
    )
    url = "/returns/2014-15/1/sign-off/quality/"
    response = login(client, "director.quality").post(
        url, {"action": "return", "team_return": team_return.pk, "comment": "x"}
    )
    assert response.status_code == 404
    assert team_return.events.filter(action="returned").count() == 0


def test_a_percentage_over_100_is_refused_beside_the_field(client, demo):
    absence = KpiYear.objects.get(year__label="2014-15", kpi__slug="staff-absence")
    before = snapshot()
    response = login(client, "staff.od").post(
        "/returns/2014-15/1/organisational-development/",
        {"version": "", "action": "draft", f"k{absence.id}-m4_percent": "101"},
    )
    assert response.status_code == 400
    assert "A percentage cannot be more than 100" in text(response)
    assert snapshot() == before


def _add_team_with_a_kpi(directorate, year, n):
    team = Team.objects.create(directorate=directorate, name=f"Extra team {n}", slug=f"extra-{n}")
    template = KpiYear.objects.filter(year=year, is_reported=True).select_related("kpi").first()
    kpi = Kpi.objects.create(name=f"Extra KPI {n}", slug=f"extra-kpi-{n}")
    KpiYear.objects.create(
        kpi=kpi,
        year=year,
        team=team,
        frequency=template.frequency,
        measure=template.measure,
        rollup=template.rollup,
        target_kind=template.target_kind,
        target_value=template.target_value,
        target_text=template.target_text,
        direction=template.direction,
        display_order=1000 + n,
    )
    TeamReturn.objects.create(year=year, quarter=1, team=team, status=ReturnStatus.SUBMITTED)


def test_the_sign_off_page_runs_the_same_queries_however_many_teams(
    client, bi_kpis, django_assert_num_queries
):
    submit_bi(bi_kpis)
    login(client, "director.finance")
    with django_assert_num_queries(SIGN_OFF_QUERIES):
        before = client.get(SIGN_OFF)
    assert "1 of 4 team returns are waiting for approval" in text(before)

    year = FinancialYear.objects.get(label="2014-15")
    directorate = Directorate.objects.get(slug="finance-and-performance")
    for n in range(3):
        _add_team_with_a_kpi(directorate, year, n)
    with django_assert_num_queries(SIGN_OFF_QUERIES):
        after = client.get(SIGN_OFF)
    assert "4 of 7 team returns are waiting for approval" in text(after)
    assert all(f"Extra KPI {n}" in text(after) for n in range(3))


def _add_busy_team(directorate, n, kpis):
    """A team with several KPIs, figures this year and last, and a return with its events:
    everything the sign-off page reads for a team."""
    year, last = (
        FinancialYear.objects.get(label="2014-15"),
        FinancialYear.objects.get(label="2013-14"),
    )
    team = Team.objects.create(directorate=directorate, name=f"Busy team {n}", slug=f"busy-{n}")
    template = KpiYear.objects.filter(year=year, is_reported=True, measure="count").first()
    for k in range(kpis):
        kpi = Kpi.objects.create(name=f"Busy KPI {n}.{k}", slug=f"busy-kpi-{n}-{k}")
        for kpi_year_of, quarters in ((last, (1, 4)), (year, (1,))):
            kpi_year = KpiYear.objects.create(
                kpi=kpi,
                year=kpi_year_of,
                team=team,
                frequency="quarterly",
                measure="count",
                rollup=template.rollup,
                target_kind=template.target_kind,
                target_value=template.target_value,
                target_text=template.target_text,
                direction=template.direction,
                display_order=2000 + k,
            )
            for quarter in quarters:
                Figure.objects.create(kpi_year=kpi_year, quarter=quarter, count=10 + k)
    team_return = TeamReturn.objects.create(
        year=year, quarter=1, team=team, status=ReturnStatus.SUBMITTED
    )
    ReturnEvent.objects.create(team_return=team_return, action="submitted", by=user("staff.bi"))
    ReturnEvent.objects.create(
        team_return=team_return, action="returned", by=user("director.finance"), comment="Recount"
    )
    ReturnEvent.objects.create(team_return=team_return, action="submitted", by=user("staff.bi"))


def test_the_sign_off_page_runs_the_same_queries_however_many_kpis_figures_and_events(
    client, bi_kpis, django_assert_num_queries
):
    submit_bi(bi_kpis)
    login(client, "director.finance")
    directorate = Directorate.objects.get(slug="finance-and-performance")
    for n in range(8):
        _add_busy_team(directorate, n, kpis=1 + n % 4)  # 20 KPIs more over 8 teams
    with django_assert_num_queries(SIGN_OFF_QUERIES):
        response = client.get(SIGN_OFF)
    assert "9 of 12 team returns are waiting for approval" in text(response)
    doc = page(response)
    busy = [s for s in doc.find_all("section", cls="app-sign-off-team") if "Busy" in s.text]
    assert len(busy) == 8
    assert all(len(s.find("ul", cls="app-return-events").find_all("li")) == 3 for s in busy)
    assert sum(len(s.find("tbody").find_all("tr")) for s in busy) == 20


# ---------------------------------------------------------------- one status, one tag


def _status_tags(client) -> dict[str, list[str]]:
    """The classes of Business intelligence's quarter 1 status tag on each page showing it."""
    form = page(client.get(URL))
    sign_off = page(client.get(SIGN_OFF))
    my_returns = page(client.get("/returns/"))
    bi_section = next(
        s
        for s in sign_off.find_all("section", cls="app-sign-off-team")
        if s.find("h2").text.startswith("Business intelligence")
    )
    bi_row = next(
        row
        for row in my_returns.find("table", id="my-returns").find("tbody").find_all("tr")
        if row.find("th").find("span", cls="nhsuk-u-font-weight-bold").text
        == "Business intelligence"
    )
    return {
        "form": form.find("strong", cls="app-return-status").classes,
        "sign-off": bi_section.find("h2").find("strong", cls="app-return-status").classes,
        "my returns": bi_row.find_all("td")[0].find("strong", cls="app-return-status").classes,
    }


@pytest.mark.parametrize(
    ("status", "word", "colour"),
    [
        (None, "Not started", "grey"),
        (ReturnStatus.DRAFT, "Draft", "blue"),
        (ReturnStatus.SUBMITTED, "Submitted", "purple"),
        (ReturnStatus.RETURNED, "Returned", "orange"),
        (ReturnStatus.APPROVED, "Approved", "green"),
    ],
)
def test_a_status_has_the_same_tag_on_the_form_sign_off_and_my_returns(
    client, bi_kpis, status, word, colour
):
    if status is not None:
        year = FinancialYear.objects.get(label="2014-15")
        team = Team.objects.get(slug="business-intelligence")
        TeamReturn.objects.create(year=year, quarter=1, team=team, status=status)
    login(client, "director.finance")
    tags = _status_tags(client)
    assert tags == dict.fromkeys(tags, ["nhsuk-tag", f"nhsuk-tag--{colour}", "app-return-status"])
    assert word in text(client.get(URL))


def test_every_status_has_one_word_and_an_nhsuk_tag_colour():
    assert NOT_STARTED == transitions.NOT_STARTED == selectors.NOT_STARTED
    assert set(RETURN_STATUS_TAGS) == {NOT_STARTED, *ReturnStatus.values}
    colours = {"white", "grey", "green", "aqua-green", "blue", "purple", "pink", "red", "orange"}
    assert all(tag.colour in colours for tag in RETURN_STATUS_TAGS.values())
    assert len({tag.colour for tag in RETURN_STATUS_TAGS.values()}) == len(RETURN_STATUS_TAGS)
    assert {RETURN_STATUS_TAGS[s].text for s in ReturnStatus.values} == set(ReturnStatus.labels)


def test_read_only_figures_say_not_assessed_where_the_team_gave_no_rating(client, bi_kpis):
    doc = page(login(client, "director.finance").get(URL))  # a director reads, cannot change
    table = doc.find("table", cls="nhsuk-table-responsive")
    heads = [th.text for th in table.find("thead").find_all("th")]
    self_assessed = heads.index("Self-assessed")
    for row in table.find("tbody").find_all("tr"):
        badge = row.find_all("td")[self_assessed].find("strong")
        assert (badge.classes, badge.text) == (["app-rag", "app-rag--none"], "Not assessed")


def test_the_form_hands_its_script_the_servers_rag_words(client, bi_kpis):
    doc = page(login(client, "staff.bi").get(URL))
    words = json.loads(doc.find("script", id="rag-words").text)
    assert words == rag_words()
    legend = [
        (dt.find("strong").classes[-1], dt.find("strong").text)
        for dt in doc.find_all("dt", cls="nhsuk-summary-list__key")
        if dt.find_all("strong", cls="app-rag") and dt.parent.parent.tag == "dl"
    ][-4:]
    assert legend == [
        ("app-rag--green", "Green"),
        ("app-rag--amber", "Amber"),
        ("app-rag--red", "Red"),
        ("app-rag--none", "Not rated"),
    ]


def test_the_commentary_hint_is_the_forms_own(client, bi_kpis):
    doc = page(login(client, "staff.bi").get(URL))
    hints = [h.text for h in doc.find_all("div", cls="nhsuk-hint")]
    assert hints.count(COMMENTARY_HINT) == len(bi_kpis)
    assert COMMENTARY_HINT == "Needed for red or amber, and when SPC shows a concern"


# ---------------------------------------------------------------- values as they were typed


def _figure_inputs(doc, kpi_year) -> dict[str, str]:
    row = doc.find("fieldset", id=f"kpi-{kpi_year.id}")
    return {
        field.attrs["name"].split("-", 1)[1]: field.attrs.get("value", "")
        for field in row.find_all("input", cls="app-figure-input")
    }


@pytest.mark.parametrize(
    ("slug", "figures", "shown"),
    [
        (
            "coding-challenges-successful",
            {None: {"count": 1017, "amount_gbp": Decimal("950000.00")}},
            {"count": "1,017", "amount_gbp": "950,000"},
        ),
        (
            "coding-challenges-successful",
            {None: {"count": 17, "amount_gbp": Decimal("1059768.50")}},
            {"count": "17", "amount_gbp": "1,059,768.50"},
        ),
        (
            "invoices-paid-within-30-days",
            {
                4: {"numerator": 3140, "denominator": 3925},
                None: {"numerator": 3140, "denominator": 3925, "percent": Decimal(80)},
            },
            {"m4_numerator": "3,140", "m4_denominator": "3,925"},
        ),
        (
            "staff-absence",
            {4: {"percent": Decimal("95.0000")}, None: {"percent": Decimal("95.0000")}},
            {"m4_percent": "95"},
        ),
        (
            "whole-time-equivalents",
            {4: {"value": Decimal("1234.5000")}, None: {"value": Decimal("1234.5000")}},
            {"m4_value": "1,234.5"},
        ),
        (
            "press-statements",
            {None: {"count": 60, "count_2": 40}},
            {"count": "60", "count_2": "40"},
        ),
    ],
)
def test_figures_come_back_as_typed_and_save_back_unchanged(client, demo, slug, figures, shown):
    kpi_year = KpiYear.objects.select_related("team").get(year__label="2014-15", kpi__slug=slug)
    for month, values in figures.items():
        Figure.objects.create(kpi_year=kpi_year, quarter=1, month=month, **values)
    url = f"/returns/2014-15/1/{kpi_year.team.slug}/"
    doc = page(login(client, "admin").get(url))
    inputs = _figure_inputs(doc, kpi_year)
    assert {key: inputs[key] for key in shown} == shown
    before = snapshot(Figure, Figure.history.model)
    response = client.post(
        url, {**form_values(doc.find("form", id="return-form")), "action": "draft"}
    )
    assert response.status_code == 302  # the form read back every value it showed
    assert snapshot(Figure, Figure.history.model) == before
    assert _figure_inputs(page(client.get(url)), kpi_year) == inputs


def test_a_refused_form_shows_the_figures_as_they_were_typed(client, bi_kpis):
    response = login(client, "staff.bi").post(
        URL, form_data(bi_kpis, meetings="ninety", amount="950,000", coding="1,017")
    )
    assert response.status_code == 400
    coding = bi_kpis["coding-challenges-successful"]
    assert _figure_inputs(page(response), coding) == {"count": "1,017", "amount_gbp": "950,000"}


# ---------------------------------------------------------------- the same words after submission


def _read_only_row(doc, name_start: str):
    table = doc.find("table", cls="nhsuk-table-responsive")
    heads = [th.text for th in table.find("thead").find_all("th")]
    row = next(
        tr for tr in table.find("tbody").find_all("tr") if tr.find("td").text.startswith(name_start)
    )
    return dict(zip(heads, row.find_all("td"), strict=True))


def test_after_submission_the_rag_its_words_and_the_reason_are_shown_as_on_the_form(
    client, bi_kpis
):
    meetings = bi_kpis["bi-meetings-attended"]
    reason = "Two of the meetings were cancelled on the day"
    extra = {f"k{meetings.id}-self_assessed_rag": "amber"}
    extra[f"k{meetings.id}-self_assessment_reason"] = reason
    login(client, "staff.bi").post(URL, form_data(bi_kpis, **extra))  # a draft first
    doc = page(client.get(URL))
    form_row = doc.find("fieldset", id=f"kpi-{meetings.id}")
    version = doc.find("input", name="version").attrs["value"]
    on_form = (
        form_row.find("span", cls="app-computed-rag").text,
        form_row.find("span", cls="app-computed-rag__reason").text,
    )
    assert on_form == ("Green", "97 against 96.5, year to date")

    response = client.post(URL, form_data(bi_kpis, action="submit", version=version, **extra))
    assert response.status_code == 302
    for who in ("staff.bi", "director.finance"):
        for url in (URL, SIGN_OFF):
            if who == "staff.bi" and url == SIGN_OFF:
                continue
            cells = _read_only_row(page(login(client, who).get(url)), "Number of locality")
            computed = cells["Computed RAG"]
            assert (computed.find("strong").text, computed.find("span").text) == on_form
            self_assessed = cells["Self-assessed"]
            assert self_assessed.find("strong").text == "Amber"
            assert self_assessed.find("span", cls="app-self-assessment-reason").text == reason


def test_read_only_says_what_the_form_says_where_there_is_no_rating(client, bi_kpis):
    coding = bi_kpis["coding-challenges-successful"]
    form_row = page(login(client, "staff.bi").get(URL)).find("fieldset", id=f"kpi-{coding.id}")
    chosen = form_row.find("select").find("option", value="").text
    computed = form_row.find("span", cls="app-computed-rag").text
    cells = _read_only_row(page(login(client, "exec").get(URL)), "Counting and coding")
    assert (cells["Computed RAG"].find("strong").text, computed) == ("Not rated", "Not rated")
    assert cells["Computed RAG"].find("span").text == "No target"
    assert cells["Self-assessed"].find("strong").text == chosen == "Not assessed"


# ---------------------------------------------------------------- why it is back with the team


def _notice(doc):
    found = doc.find_all("div", cls="app-return-notice")
    if not found:
        return None
    banner = found[0]
    return (
        banner.find("h2", cls="nhsuk-notification-banner__title").text,
        banner.find("h3", cls="nhsuk-notification-banner__heading").text,
        banner.find("p", cls="nhsuk-body").text,
    )


def _at(team_return, action, when):
    ReturnEvent.objects.filter(team_return=team_return, action=action).update(at=when)


def _bi_return():
    return TeamReturn.objects.get(
        team__slug="business-intelligence", quarter=1, year__label="2014-15"
    )


def test_a_returned_form_opens_with_the_directors_comment_who_and_when(client, bi_kpis):
    submit_bi(bi_kpis)
    team_return = _bi_return()
    login(client, "director.finance").post(
        SIGN_OFF,
        {"action": "return", "team_return": team_return.pk, "comment": "Recount Q1 meetings"},
    )
    # 09:12 UTC on 3 June 2015 is 10:12 in London (summer time); submitted the day before
    _at(team_return, "submitted", datetime(2015, 6, 2, 15, 0, tzinfo=UTC))
    _at(team_return, "returned", datetime(2015, 6, 3, 9, 12, tzinfo=UTC))
    doc = page(login(client, "staff.bi").get(URL))
    assert _notice(doc) == (
        "Returned",
        "Returned to the team by Finance Director on 3 June 2015 at 10:12",
        "Recount Q1 meetings",
    )
    order = [
        "notice" if "app-return-notice" in e.classes else e.tag
        for e in doc.find("main").children
        if e.tag in ("h1", "form") or "app-return-notice" in e.classes
    ]
    assert order == ["notice", "h1", "form"]  # at the top, before the heading and the form

    version = doc.find("input", name="version").attrs["value"]
    client.post(URL, form_data(bi_kpis, action="submit", version=version))
    assert _bi_return().status == ReturnStatus.SUBMITTED
    assert _notice(page(client.get(URL))) is None  # the comment stays in the return's history
    assert "Recount Q1 meetings" in text(client.get(URL))


def test_a_reopened_form_opens_with_the_admins_reason(client, bi_kpis):
    submit_bi(bi_kpis)
    services.return_approve(by=user("director.finance"), team_return=_bi_return())
    services.return_reopen(by=user("admin"), team_return=_bi_return(), reason="Q1 recounted")
    _at(_bi_return(), "submitted", datetime(2015, 1, 12, 9, 0, tzinfo=UTC))
    _at(_bi_return(), "approved", datetime(2015, 1, 14, 9, 0, tzinfo=UTC))
    _at(_bi_return(), "reopened", datetime(2015, 1, 20, 16, 5, tzinfo=UTC))  # winter: UTC
    assert _notice(page(login(client, "director.finance").get(URL))) == (
        "Reopened by an admin",
        "Reopened by Portal Admin on 20 January 2015 at 16:05",
        "Q1 recounted",
    )


def test_a_draft_or_submitted_form_has_no_notice(client, bi_kpis):
    login(client, "staff.bi").post(URL, form_data(bi_kpis))
    assert _notice(page(client.get(URL))) is None
    submit_bi(bi_kpis)
    assert _notice(page(client.get(URL))) is None


# ---------------------------------------------------------------- the contents of a long form

OD = "/returns/2014-15/1/organisational-development/"


def _contents(doc) -> list[tuple[str, str, str, str]]:
    found = doc.find_all("nav", cls="app-return-contents")
    if not found:
        return []
    return [
        (
            item.find("a").text,
            item.find("a").attrs["href"],
            item.find("div", cls="nhsuk-task-list__hint").text,
            item.find("strong", cls="app-rag").text,
        )
        for item in found[0].find_all("li", cls="nhsuk-task-list__item")
    ]


def test_a_long_form_opens_with_its_kpis_linking_down_to_each(client, demo):
    od = list(
        KpiYear.objects.filter(year__label="2014-15", team__slug="organisational-development")
        .select_related("kpi")
        .order_by("display_order")
    )
    assert len(od) == 8
    absence = next(ky for ky in od if ky.kpi.slug == "staff-absence")
    login(client, "staff.od").post(
        OD,
        {
            "version": "",
            "action": "draft",
            f"k{absence.id}-m4_percent": "2.1",
            f"k{absence.id}-m5_percent": "2.2",
            f"k{absence.id}-m6_percent": "2.3",
        },
    )
    doc = page(client.get(OD))
    items = _contents(doc)
    assert [(name, href) for name, href, _, _ in items] == [
        (ky.kpi.name, f"#kpi-{ky.id}") for ky in od
    ]
    assert all(doc.find("fieldset", id=href[1:]) for _, href, _, _ in items)
    by_name = {name: (figure, rag) for name, _, figure, rag in items}
    # the average of 2.1, 2.2 and 2.3% against 2%, lower is better: 2.2% is at the amber limit
    assert by_name[absence.kpi.name] == ("2.2%", "Amber")
    assert by_name["Number of leavers (total per quarter)"] == ("No figure yet", "Not rated")
    heading = doc.find("h2", id="return-contents-heading").text
    assert heading == "KPIs in this return (8)"


def test_a_short_form_has_no_contents(client, bi_kpis):
    assert len(bi_kpis) == 2
    assert _contents(page(login(client, "staff.bi").get(URL))) == []
