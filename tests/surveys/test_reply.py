"""Answering a survey through its link: once, until the due date, with nothing tying the reply
to the invitee; and every bad link or answer refused with a clear page and nothing saved."""

from datetime import timedelta

import pytest
from django.db.models import DateTimeField, ForeignKey, OneToOneField

from surveys import services, tokens
from surveys.models import Comment, Invitee, Rating, Response, SurveyEmail, SurveyItem
from tests.html import page
from tests.support import login
from tests.surveys.conftest import admin_user, answers, links, reply_path

ADA, BEN, CY = "ada@locality.example", "ben@locality.example", "cy@locality.example"


def stored(survey):
    """What the survey's replies left in the database."""
    return (
        list(Response.objects.filter(survey=survey).order_by("pk").values()),
        list(Rating.objects.filter(response__survey=survey).order_by("pk").values()),
        list(Comment.objects.filter(survey=survey).order_by("pk").values()),
        list(Invitee.objects.filter(survey=survey).order_by("pk").values()),
    )


def full_reply(survey, **extra):
    data = answers(survey, Business_intelligence=8, Procurement="none", Medicines_management=6)
    return {**data, **extra}


def assert_private(response):
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"


def test_the_link_opens_a_form_rating_each_department_1_to_10_or_did_not_use(
    client, live_survey, invited
):
    response = client.get(reply_path(invited[ADA]))

    assert response.status_code == 200
    assert_private(response)
    doc = page(response)
    assert doc.find("h1").text == "Customer satisfaction survey 2014/15"
    assert [h.text for h in doc.find("form", id="reply-form").find_all("h2")] == [
        "Finance and Performance",
        "Quality",
    ]  # grouped by directorate, in the survey's order
    legends = [legend.text for legend in doc.find_all("legend")]
    assert legends == ["Business intelligence", "Procurement", "Medicines management"]
    item = live_survey.items.get(name="Business intelligence")
    values = [i.attrs["value"] for i in doc.find_all("input", type="radio", name=f"item-{item.pk}")]
    assert values == [str(score) for score in range(1, 11)] + ["none"]
    did_not_use = doc.find("input", type="radio", name=f"item-{item.pk}", value="none")
    assert doc.find("label", **{"for": did_not_use.attrs["id"]}).text == "Did not use"
    assert doc.find("textarea", id="improve").attrs["name"] == "improve"
    assert not doc.find_all("nav", cls="nhsuk-header__navigation")  # nobody is signed in


def test_an_invitee_answers_once_and_a_second_submit_saves_nothing(
    client, live_survey, invited, today
):
    path = reply_path(invited[ADA])
    response = client.post(path, full_reply(live_survey, improve="More regular feedback, please"))

    assert response.status_code == 302 and response["Location"] == "/surveys/reply/thank-you/"
    assert_private(response)
    assert invited[ADA] not in response["Location"]
    thanks = client.get(response["Location"])
    assert page(thanks).find("h1").text == "Thank you, your reply has been received"
    (reply,) = Response.objects.filter(survey=live_survey)
    assert reply.received_on == today
    assert reply.respondent.startswith("Online reply ")
    assert dict(reply.ratings.values_list("item__name", "score")) == {
        "Business intelligence": 8,
        "Medicines management": 6,
    }  # 'did not use' Procurement: no rating
    (comment,) = reply.comments.all()
    assert (comment.text, comment.kind, comment.survey_id) == (
        "More regular feedback, please",
        Comment.Kind.IMPROVEMENT,
        live_survey.pk,
    )
    assert Invitee.objects.get(email=ADA).answered
    assert not Invitee.objects.get(email=BEN).answered
    before = stored(live_survey)

    again = client.post(path, full_reply(live_survey, improve="Second thoughts"))

    assert again.status_code == 409
    assert_private(again)
    assert page(again).find("h1").text == "Your reply has already been received"
    assert "nothing more was saved" in page(again).find("p", id="notice-text").text
    assert stored(live_survey) == before
    reopened = client.get(path)
    assert reopened.status_code == 409 and stored(live_survey) == before


def test_a_reply_after_the_due_date_is_refused_with_410_and_nothing_saved(
    client, live_survey, mailoutbox, today
):
    live_survey.sent_on = today - timedelta(days=10)
    live_survey.save()
    services.send_invitations(survey=live_survey, by=admin_user(), today=today - timedelta(days=10))
    token = links(mailoutbox)[ADA]
    live_survey.responses_due = today - timedelta(days=1)
    live_survey.save()
    before = stored(live_survey)

    for response in (
        client.get(reply_path(token)),
        client.post(reply_path(token), full_reply(live_survey)),
    ):
        assert response.status_code == 410
        assert_private(response)
        doc = page(response)
        assert doc.find("h1").text == "This survey has closed"
        closed = f"{live_survey.responses_due:%-d %B %Y}"
        assert f"stopped taking replies on {closed}" in doc.find("p", id="notice-text").text
        assert doc.find("header", cls="nhsuk-header")  # the portal's layout
    assert stored(live_survey) == before


def test_the_due_day_itself_still_takes_replies(client, live_survey, invited, today):
    live_survey.responses_due = today
    live_survey.save()
    response = client.post(reply_path(invited[BEN]), full_reply(live_survey))
    assert response.status_code == 302 and Response.objects.filter(survey=live_survey).count() == 1


def test_a_survey_in_a_locked_year_takes_no_replies(client, live_survey, invited):
    year = live_survey.year
    year.status = year.Status.LOCKED
    year.save()
    response = client.post(reply_path(invited[BEN]), full_reply(live_survey))
    assert response.status_code == 410 and not Response.objects.filter(survey=live_survey).exists()


def not_found_page(response):
    assert response.status_code == 404
    assert_private(response)
    doc = page(response)
    return doc.find("h1").text, doc.find("p", id="notice-text").text


def test_a_forged_truncated_malformed_or_unknown_link_is_the_same_404(client, live_survey, invited):
    real = invited[ADA]
    other = "A" if real[0] != "A" else "B"
    bad = {
        "forged": other + real[1:],  # well formed, one character changed
        "unknown": tokens.make_token()[0],
        "truncated": real[:20],
        "too long": real + "x",
        "not a token": "not-a-token-at-all!",
        "the stored hash": SurveyEmail.objects.get(invitee__email=ADA).token_hash,
    }
    before = stored(live_survey)
    pages = {}
    for name, token in bad.items():
        pages[name] = not_found_page(client.get(reply_path(token)))
        assert (
            not_found_page(client.post(reply_path(token), full_reply(live_survey))) == pages[name]
        )
    assert set(pages.values()) == {
        (
            "This survey link does not work",
            "Check that you copied the whole link from your email. Each link works for one "
            "person once; if yours still does not work, reply to the email that sent it.",
        )
    }
    assert stored(live_survey) == before


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("11", "out of range"),
        ("0", "out of range"),
        ("-3", "negative"),
        ("7.5", "not whole"),
        ("seven", "not a number"),
        ("", "blank"),
        ("=1+1", "a formula"),
    ],
)
def test_a_score_outside_the_scale_or_not_a_number_is_refused_with_400(
    client, live_survey, invited, value, problem
):
    data = full_reply(live_survey)
    item = live_survey.items.get(name="Procurement")
    data[f"item-{item.pk}"] = value
    before = stored(live_survey)

    response = client.post(reply_path(invited[ADA]), data)

    assert response.status_code == 400, problem
    assert_private(response)
    doc = page(response)
    summary = doc.find("div", cls="nhsuk-error-summary")
    message = "Choose a rating from 1 to 10 for Procurement, or 'Did not use'"
    assert [(a.text, a.attrs["href"]) for a in summary.find_all("a")] == [
        (message, f"#item-{item.pk}")
    ]
    assert doc.find("title").text.startswith("Error: ")
    # The other answers are shown again as they were chosen.
    kept = live_survey.items.get(name="Business intelligence")
    assert "checked" in doc.find("input", id=f"item-{kept.pk}-8").attrs
    assert stored(live_survey) == before
    assert not Invitee.objects.get(email=ADA).answered  # the link still works


def test_a_department_left_unanswered_is_named_and_the_link_still_works(
    client, live_survey, invited
):
    data = answers(live_survey, Business_intelligence=8)
    response = client.post(reply_path(invited[ADA]), data)
    assert response.status_code == 400
    errors = [a.text for a in page(response).find("div", cls="nhsuk-error-summary").find_all("a")]
    assert errors == [
        "Choose a rating from 1 to 10 for Procurement, or 'Did not use'",
        "Choose a rating from 1 to 10 for Medicines management, or 'Did not use'",
    ]
    assert client.post(reply_path(invited[ADA]), full_reply(live_survey)).status_code == 302


def test_an_over_long_or_unreadable_comment_is_refused(client, live_survey, invited):
    too_long = client.post(reply_path(invited[ADA]), full_reply(live_survey, improve="x" * 5001))
    nul = client.post(reply_path(invited[ADA]), full_reply(live_survey, improve="bad\x00text"))
    assert (too_long.status_code, nul.status_code) == (400, 400)
    assert "Write no more than 5,000 characters" in too_long.content.decode()
    # A NUL character is refused before the form is read, for every form alike.
    assert "holds a character the portal cannot store" in nul.content.decode()
    assert not Response.objects.filter(survey=live_survey).exists()


def test_a_formula_in_the_comment_is_kept_as_text(client, live_survey, invited):
    client.post(reply_path(invited[ADA]), full_reply(live_survey, improve="=HYPERLINK(1)"))
    assert Comment.objects.get(response__survey=live_survey).text == "=HYPERLINK(1)"


def test_a_signed_in_user_needs_a_link_too(client, live_survey, invited):
    login(client, "admin")
    assert client.get("/surveys/reply/").status_code == 404
    assert not_found_page(client.get(reply_path("x" * 43)))[0] == "This survey link does not work"


def test_the_stored_reply_cannot_be_joined_to_its_invitee(client, live_survey, invited, today):
    # Nothing on a response, its ratings or comments points at an invitee or an email, and
    # none of them keeps a time finer than the day.
    for model in (Response, Rating, Comment):
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            assert related not in (Invitee, SurveyEmail), f"{model.__name__}.{field.name}"
            assert not isinstance(field, DateTimeField), f"{model.__name__}.{field.name}"
    assert not any(
        isinstance(f, ForeignKey | OneToOneField) and f.related_model is Response
        for f in Invitee._meta.get_fields() + SurveyEmail._meta.get_fields()
    )
    emails_before = list(SurveyEmail.objects.order_by("pk").values())
    invitees_before = {i["email"]: i for i in Invitee.objects.filter(survey=live_survey).values()}

    # Cy answers before Ada, in the other order from their invitations.
    for email, score in ((CY, 3), (ADA, 9)):
        reply = full_reply(live_survey)
        reply[f"item-{live_survey.items.get(name='Business intelligence').pk}"] = str(score)
        assert client.post(reply_path(invited[email]), reply).status_code == 302

    # The invitee side records only that each answered: not when, nor in which order…
    assert list(SurveyEmail.objects.order_by("pk").values()) == emails_before
    for invitee in Invitee.objects.filter(survey=live_survey).values():
        expected = {**invitees_before[invitee["email"]], "answered": invitee["email"] in (CY, ADA)}
        assert invitee == expected
    # …and the response side holds no invitee's id, name, address or token, only the day.
    identities = (
        {
            value
            for invitee in invitees_before.values()
            for value in (invitee["id"], invitee["name"], invitee["email"])
        }
        | {email["token_hash"] for email in emails_before}
        | set(invited.values())
    )
    rows = stored(live_survey)[:3]
    values = {value for table in rows for row in table for value in row.values()}
    assert not values & identities
    assert {row["received_on"] for row in rows[0]} == {today}
    assert len({row["respondent"] for row in rows[0]}) == 2


@pytest.mark.parametrize("departments", [3, 30])
def test_the_form_runs_a_fixed_number_of_queries(
    client, live_survey, invited, django_assert_num_queries, departments
):
    quality = live_survey.items.get(name="Medicines management").directorate
    SurveyItem.objects.bulk_create(
        SurveyItem(survey=live_survey, name=f"Department {n}", directorate=quality, display_order=n)
        for n in range(4, departments + 1)
    )
    data = {f"item-{pk}": "7" for pk in live_survey.items.values_list("pk", flat=True)}
    data.update(full_reply(live_survey, improve="Fine"))  # Procurement: did not use
    path = reply_path(invited[ADA])
    with django_assert_num_queries(2):  # the link with its invitee, survey and year; the items
        assert client.get(path).status_code == 200
    # The link, the items (the form's and the check's), then in the transaction (a savepoint
    # inside the test's) the conditional UPDATE, the response, its ratings and its comment.
    with django_assert_num_queries(9):
        assert client.post(path, data).status_code == 302
    assert Rating.objects.filter(response__survey=live_survey).count() == departments - 1
