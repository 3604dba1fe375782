"""Admins reopen an approved return from Django admin, giving a reason that is kept."""

from django.contrib.auth import get_user_model

from kpis.models import ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns import services
from kpis.returns.services import RowInput
from kpis.rules import FigureValues
from tests.support import OPEN_DAY, snapshot, user


def approved_bi_return(open_year, bi, bi_kpis):
    rows = [RowInput(ky.id, FigureValues(count=100)) for ky in bi_kpis.values()]
    services.return_save(
        by=user("staff.bi"),
        team=bi,
        year=open_year,
        quarter=1,
        rows=rows,
        version=None,
        submit=True,
        today=OPEN_DAY,
    )
    (approved,) = services.quarter_approve(
        by=user("director.finance"), directorate=bi.directorate, year=open_year, quarter=1
    )
    return approved


def test_admin_reopens_with_a_reason(client, open_year, bi, bi_kpis):
    approved = approved_bi_return(open_year, bi, bi_kpis)
    client.force_login(user("admin"))
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


def test_staff_who_are_not_admins_cannot_reopen(client, open_year, bi, bi_kpis):
    approved = approved_bi_return(open_year, bi, bi_kpis)
    clerk = get_user_model().objects.create_user("clerk", is_staff=True)
    client.force_login(clerk)
    before = snapshot()
    assert (
        client.post(f"/admin/kpis/teamreturn/{approved.pk}/reopen/", {"reason": "x"}).status_code
        == 403
    )
    assert snapshot() == before
