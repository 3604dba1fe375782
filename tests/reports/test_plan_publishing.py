"""A plan is a draft until an admin publishes it: signed-in users read the draft, marked so on
its page, in the list and on its PDF's cover; nobody else sees it or its PDF. The demo's plan,
the transcription of a published document, is loaded as published."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from pypdf import PdfReader

from plans import services
from plans.models import Plan
from reports.plan_presenters import DRAFT
from tests.html import page
from tests.support import login, user

PLAN = "/reports/od-framework/2015-16/"
PDF = "/reports/od-framework/2015-16.pdf"
PLANS = "/reports/plans/"


@pytest.fixture
def draft(demo):
    plan = Plan.objects.get(slug="od-framework", year__label="2015-16")
    assert services.plan_withdraw(plan=plan, by=user("admin"))
    return Plan.objects.get(pk=plan.pk)


def test_the_published_plan_is_loaded_as_published(demo):
    plan = Plan.objects.get(slug="od-framework", year__label="2015-16")
    assert plan.is_published and plan.published_by is None


@pytest.mark.parametrize("address", [PLAN, PDF])
def test_a_draft_is_not_shown_to_anyone_not_signed_in(client, draft, address):
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={address}"
    assert client.get(PLANS).status_code == 200
    assert "No plans have been entered yet." in page(client.get(PLANS)).find("main").text


def test_a_signed_in_user_reads_the_draft_marked_as_one(client, draft):
    login(client, "staff.bi")
    doc = page(client.get(PLAN))
    assert doc.find("strong", cls="app-report__status").text == DRAFT
    item = page(client.get(PLANS)).find("ul", id="plans").find("li")
    assert item.find("strong", cls="nhsuk-tag").text == "Draft"
    response = client.get(PDF)
    assert response.status_code == 200
    cover = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert " ".join(DRAFT.split()) in " ".join(cover.split())


def test_once_published_the_plan_is_anyones_and_says_no_draft(client, draft):
    assert services.plan_publish(plan=draft, by=user("admin"))
    published = Plan.objects.get(pk=draft.pk)
    assert published.published_by == user("admin") and published.published_at is not None
    doc = page(client.get(PLAN))
    assert not doc.find_all("strong", cls="app-report__status")
    assert client.get(PDF).status_code == 200
    assert not services.plan_publish(plan=published, by=user("admin"))  # already: no change
    assert Plan.objects.get(pk=draft.pk).published_at == published.published_at


@pytest.mark.parametrize("username", ["staff.bi", "director.finance", "exec"])
def test_only_an_admin_publishes_or_withdraws(demo, username):
    plan = Plan.objects.get(slug="od-framework", year__label="2015-16")
    before = plan.published_at
    for write in (services.plan_withdraw, services.plan_publish):
        with pytest.raises(PermissionDenied, match="Only an admin"):
            write(plan=plan, by=user(username))
    assert Plan.objects.get(pk=plan.pk).published_at == before


def test_the_admin_publishes_and_withdraws_with_its_actions(client, draft):
    login(client, "admin")
    changelist = "/admin/plans/plan/"
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 plan published." in response.content.decode()
    assert Plan.objects.get(pk=draft.pk).is_published
    response = client.post(
        changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    assert "0 plans published; 1 already published." in response.content.decode()
    response = client.post(
        changelist, {"action": "withdraw", "_selected_action": [draft.pk]}, follow=True
    )
    assert "1 plan withdrawn." in response.content.decode()
    assert not Plan.objects.get(pk=draft.pk).is_published
