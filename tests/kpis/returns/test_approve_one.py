"""Approving one team's return at a time, beside approving all of a directorate's at once."""

import pytest
from django.core.exceptions import PermissionDenied

from kpis.models import ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns import services
from tests.kpis.test_services import bi_rows, save
from tests.support import snapshot, user


@pytest.fixture
def submitted(open_year, bi, bi_kpis):
    return save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True)


def test_a_director_approves_one_submitted_return(submitted):
    approved = services.return_approve(by=user("director.finance"), team_return=submitted)
    assert (approved.status, approved.version) == (ReturnStatus.APPROVED, submitted.version + 1)
    events = ReturnEvent.objects.filter(team_return=submitted).order_by("pk")
    assert [(e.action, e.by.username) for e in events] == [
        ("submitted", "staff.bi"),
        ("approved", "director.finance"),
    ]


@pytest.mark.parametrize("username", ["staff.bi", "exec", "director.quality"])
def test_nobody_else_approves_it(submitted, director_of_quality, username):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="cannot approve this directorate"):
        services.return_approve(by=user(username), team_return=submitted)
    assert snapshot() == before


def test_a_return_not_submitted_cannot_be_approved(submitted):
    services.return_approve(by=user("director.finance"), team_return=submitted)
    before = snapshot()
    with pytest.raises(services.ReturnError, match="this one is approved"):
        services.return_approve(by=user("director.finance"), team_return=submitted)
    assert snapshot() == before
    draft = TeamReturn.objects.filter(pk=submitted.pk)
    draft.update(status=ReturnStatus.DRAFT)
    with pytest.raises(services.ReturnError, match="this one is draft"):
        services.return_approve(by=user("director.finance"), team_return=draft.get())


def test_a_locked_year_takes_no_approval(submitted, open_year):
    open_year.status = "locked"
    open_year.save()
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="is locked"):
        services.return_approve(by=user("director.finance"), team_return=submitted)
    assert snapshot() == before
