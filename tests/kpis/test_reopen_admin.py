"""Admins reopen an approved return from Django admin, giving a reason that is kept."""

import pytest

from kpis.models import ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns.services import RowInput
from kpis.rules import FigureValues
from tests.factories import UserFactory
from tests.support import approved_return, login, snapshot


@pytest.fixture
def approved(case):
    rows = [RowInput(ky.id, FigureValues(count=100)) for ky in case.kpis]
    return approved_return(case.team, case.year, rows, by=case.member, approver=case.director)


def test_admin_reopens_with_a_reason(client, case, approved):
    login(client, case.admin)
    url = f"/admin/kpis/teamreturn/{approved.pk}/reopen/"
    assert (
        f'href="{url}"'
        in client.get(f"/admin/kpis/teamreturn/{approved.pk}/change/").content.decode()
    )
    before = snapshot()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert snapshot() == before
    response = client.post(url, {"reason": "Q1 meetings were miscounted"})
    assert response.status_code == 302
    assert TeamReturn.objects.get(pk=approved.pk).status == ReturnStatus.RETURNED
    assert (
        ReturnEvent.objects.get(team_return=approved, action="reopened").comment
        == "Q1 meetings were miscounted"
    )


def test_staff_who_are_not_admins_cannot_reopen(client, approved):
    login(client, UserFactory(is_staff=True))
    before = snapshot()
    assert (
        client.post(f"/admin/kpis/teamreturn/{approved.pk}/reopen/", {"reason": "x"}).status_code
        == 403
    )
    assert snapshot() == before
