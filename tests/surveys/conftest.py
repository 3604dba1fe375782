"""A survey of the open year with departments and invitees; its links as the emails gave them."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from directorates.models import Directorate, FinancialYear
from surveys import services
from surveys.models import Invitee, Survey, SurveyItem

LINK = re.compile(r"/surveys/reply/([A-Za-z0-9_-]{43})/")
QUESTION = "How would you rate the quality and efficiency of the services provided?"
DEPARTMENTS = [
    ("finance-and-performance", "Business intelligence"),
    ("finance-and-performance", "Procurement"),
    ("quality", "Medicines management"),
]
INVITEES = [
    ("Dr Ada Ash", "ada@locality.example"),
    ("Dr Ben Birch", "ben@locality.example"),
    ("Dr Cy Cedar", "cy@locality.example"),
    ("Dr Di Dogwood", ""),  # no email address: never invited
]


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def live_survey(demo, today):
    """2014/15's customer survey: three departments, four invitees, replies due in a week."""
    survey = Survey.objects.create(
        year=FinancialYear.objects.get(label="2014-15"),
        kind=Survey.Kind.CUSTOMER,
        title="Customer satisfaction survey 2014/15",
        audience="Locality Leads and Clinical Commissioning Programme Chairs",
        question=QUESTION,
        responses_due=today + timedelta(days=7),
    )
    for order, (directorate, name) in enumerate(DEPARTMENTS, start=1):
        SurveyItem.objects.create(
            survey=survey,
            name=name,
            directorate=Directorate.objects.get(slug=directorate),
            display_order=order,
        )
    for name, email in INVITEES:
        Invitee.objects.create(survey=survey, name=name, email=email, role="Locality lead")
    return survey


def admin_user():
    return get_user_model().objects.get(username="admin")


def links(mailoutbox) -> dict[str, str]:
    """Each recipient's token, from the emails sent (the only place a token exists)."""
    found = {}
    for message in mailoutbox:
        (token,) = LINK.findall(message.body)
        found[message.to[0]] = token
    return found


@pytest.fixture
def invited(live_survey, mailoutbox, today):
    """The live survey's invitations sent; each invitee's token by email address."""
    services.send_invitations(survey=live_survey, by=admin_user(), today=today)
    return links(mailoutbox)


def reply_path(token: str) -> str:
    return f"/surveys/reply/{token}/"


def item_ids(survey) -> dict[str, int]:
    return dict(survey.items.values_list("name", "pk"))


def answers(survey, **scores) -> dict[str, str]:
    """POST data: each department's score by its name (spaces as underscores), 'none' for
    did not use; departments not named are left out."""
    ids = item_ids(survey)
    return {f"item-{ids[name.replace('_', ' ')]}": str(value) for name, value in scores.items()}
