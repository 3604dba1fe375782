"""Approving one team's return at a time, beside approving all of a directorate's at once."""

import pytest
from django.core.exceptions import PermissionDenied

from kpis.models import ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns import services
from tests.kpis.test_services import submitted_case_return
from tests.support import snapshot


@pytest.fixture
def submitted(case):
    return submitted_case_return(case)


def test_a_director_approves_one_submitted_return(case, submitted):
    approved = services.return_approve(by=case.director, team_return=submitted)
    assert (approved.status, approved.version) == (ReturnStatus.APPROVED, submitted.version + 1)
    events = ReturnEvent.objects.filter(team_return=submitted).order_by("pk")
    assert [(e.action, e.by) for e in events] == [
        ("submitted", case.member),
        ("approved", case.director),
    ]


@pytest.mark.parametrize("who", ["member", "executive", "other_director"])
def test_nobody_else_approves_it(case, submitted, who):
    before = snapshot()
    with pytest.raises(PermissionDenied, match="cannot approve this directorate"):
        services.return_approve(by=getattr(case, who), team_return=submitted)
    assert snapshot() == before


def test_a_return_not_submitted_cannot_be_approved(case, submitted):
    services.return_approve(by=case.director, team_return=submitted)
    before = snapshot()
    with pytest.raises(services.ReturnError, match="this one is approved"):
        services.return_approve(by=case.director, team_return=submitted)
    assert snapshot() == before
    draft = TeamReturn.objects.filter(pk=submitted.pk)
    draft.update(status=ReturnStatus.DRAFT)
    with pytest.raises(services.ReturnError, match="this one is draft"):
        services.return_approve(by=case.director, team_return=draft.get())


def test_a_locked_year_takes_no_approval(case, submitted):
    case.year.status = "locked"
    case.year.save()
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="is locked"):
        services.return_approve(by=case.director, team_return=submitted)
    assert snapshot() == before
