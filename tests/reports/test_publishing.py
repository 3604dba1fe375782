"""Publishing: a draft is for signed-in users; an admin publishes a year's report once every
quarter is approved, and from then anyone may read it and download its PDF."""

import pytest
from django.core.cache import cache

from kpis.models import ReturnStatus, TeamReturn
from reports.models import AnnualReport
from reports.services import PublishRefused, report_publish
from tests.html import page
from tests.support import login, user

REPORT = "/reports/annual/2013-14/"
PDF = "/reports/annual/2013-14.pdf"
CHANGELIST = "/admin/reports/annualreport/"


@pytest.fixture
def report(demo):
    return AnnualReport.objects.get(year__label="2013-14")


def publish_in_admin(client, report):
    login(client, "admin")
    return client.post(
        CHANGELIST,
        {"action": "publish", "_selected_action": [report.pk]},
        follow=True,
    )


def test_a_draft_is_for_signed_in_users_only(client, report):
    for address in (REPORT, PDF):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"] == f"/accounts/login/?next={address}"


def test_an_admin_publishes_and_then_anyone_may_read_it(client, report):
    response = publish_in_admin(client, report)
    assert "The 2013/14 report is published: anyone may read it." in response.content.decode()
    report.refresh_from_db()
    assert report.is_published and report.published_by == user("admin")
    assert report.history.first().history_change_reason == "Published"
    client.logout()
    cache.clear()
    doc = page(client.get(REPORT))
    assert doc.find("h1").text == "Commissioning support services annual report 2013/14"
    built = [li.text for li in doc.find("ul", cls="app-report__built").find_all("li")]
    assert built[-1].startswith("Published on ")
    response = client.get(PDF)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert not doc.find_all("nav", cls="nhsuk-header__navigation")


def test_publishing_is_refused_until_every_quarter_is_approved(client, report):
    TeamReturn.objects.filter(
        year__label="2013-14", quarter=3, team__slug="business-intelligence"
    ).update(status=ReturnStatus.SUBMITTED)
    response = publish_in_admin(client, report)
    assert (
        "The 2013/14 report cannot be published: Q3 not yet approved." in response.content.decode()
    )
    report.refresh_from_db()
    assert not report.is_published
    client.logout()
    assert client.get(REPORT).status_code == 302


def test_a_report_is_published_once(report):
    report_publish(report=report, by=user("admin"))
    with pytest.raises(PublishRefused, match="already published"):
        report_publish(report=report, by=user("admin"))
