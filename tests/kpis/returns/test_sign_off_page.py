"""The sign-off page: each team's return approved or returned where its figures are."""

from kpis.models import ReturnEvent, ReturnStatus, TeamReturn
from tests.html import page
from tests.support import login, snapshot, submitted_bi_return, user

SIGN_OFF = "/returns/2014-15/1/sign-off/finance-and-performance/"


def section_of(doc, team_name):
    return next(
        s
        for s in doc.find_all("section", cls="app-sign-off-team")
        if team_name in s.find("h2").text
    )


def test_each_submitted_return_can_be_approved_where_its_figures_are(
    client, open_year, bi, bi_kpis
):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    doc = page(login(client, "director.finance").get(SIGN_OFF))
    buttons = section_of(doc, "Business intelligence").find_all("button")
    assert [(b.text, b.attrs.get("value")) for b in buttons] == [
        ("Approve Business intelligence", "approve_team"),
        ("Return to Business intelligence", "return"),
    ]
    # The bulk approval is kept above the teams.
    assert doc.find("button", value="approve").text == "Approve the 1 submitted return"

    response = client.post(SIGN_OFF, {"action": "approve_team", "team_return": team_return.pk})
    assert response.status_code == 302
    team_return.refresh_from_db()
    assert team_return.status == ReturnStatus.APPROVED
    assert ReturnEvent.objects.filter(team_return=team_return, action="approved").count() == 1
    after = page(client.get(SIGN_OFF))
    assert "Approved Business intelligence's return" in after.text
    assert not section_of(after, "Business intelligence").find_all("button")


def test_returning_without_a_comment_marks_the_comment_box(client, open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    before = snapshot()
    response = login(client, "director.finance").post(
        SIGN_OFF, {"action": "return", "team_return": team_return.pk, "comment": "  "}
    )
    assert response.status_code == 400
    assert snapshot() == before
    doc = page(response)
    summary_link = doc.find("div", cls="nhsuk-error-summary").find("a")
    assert summary_link.attrs["href"] == f"#comment-{team_return.pk}"
    box = doc.find("textarea", id=f"comment-{team_return.pk}")
    assert "nhsuk-textarea--error" in box.classes
    assert "a comment is needed" in doc.find("span", cls="nhsuk-error-message").text


def test_a_bad_action_or_return_is_refused_and_changes_nothing(client, open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    quality_team = user("staff.quality").memberships.get().team
    other = TeamReturn.objects.create(year=open_year, quarter=1, team=quality_team)
    login(client, "director.finance")
    before = snapshot()
    response = client.post(SIGN_OFF, {"action": "delete", "team_return": team_return.pk})
    assert response.status_code == 400
    assert "Choose to approve or return" in response.content.decode()
    assert client.post(SIGN_OFF, {"action": "approve_team", "team_return": "x"}).status_code == 404
    # Another directorate's return is not on this page.
    response = client.post(SIGN_OFF, {"action": "approve_team", "team_return": other.pk})
    assert response.status_code == 404
    assert snapshot() == before


def test_another_directorates_sign_off_says_why_it_is_read_only(client, open_year, bi, bi_kpis):
    submitted_bi_return(open_year, bi, bi_kpis)
    doc = page(login(client, "exec").get(SIGN_OFF))
    assert doc.find("div", id="read-only-reason").text == (
        "Information: You can read this page but not approve or return these returns: only a "
        "director or deputy of Finance and Performance (or an admin) signs off its returns."
    )
    assert not doc.find_all("form", cls="app-sign-off-decision")
    director = page(login(client, "director.finance").get(SIGN_OFF))
    assert not director.find_all("div", id="read-only-reason")
