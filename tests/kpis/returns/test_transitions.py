"""The one table of a return's moves: every status and move, allowed or refused with why."""

import pytest
from django.core.exceptions import PermissionDenied

from kpis.returns.transitions import (
    NOT_STARTED,
    TRANSITIONS,
    Move,
    MoveRefused,
    Who,
    allows,
    editable,
    transition,
)

STATUSES = [NOT_STARTED, "draft", "submitted", "approved", "returned"]

# status -> the moves it allows, with where each goes and who makes it
EXPECTED = {
    NOT_STARTED: {Move.SAVE: ("draft", Who.TEAM), Move.SUBMIT: ("submitted", Who.TEAM)},
    "draft": {Move.SAVE: ("draft", Who.TEAM), Move.SUBMIT: ("submitted", Who.TEAM)},
    "returned": {Move.SAVE: ("returned", Who.TEAM), Move.SUBMIT: ("submitted", Who.TEAM)},
    "submitted": {
        Move.APPROVE: ("approved", Who.DIRECTOR),
        Move.RETURN: ("returned", Who.DIRECTOR),
    },
    "approved": {Move.REOPEN: ("returned", Who.ADMIN)},
}


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("move", list(Move))
def test_each_status_allows_exactly_the_moves_of_the_workflow(status, move):
    expected = EXPECTED[status].get(move)
    assert allows(status, move) is (expected is not None)
    if expected:
        found = transition(status, move)
        assert (found.to, found.by) == expected
    else:
        with pytest.raises(MoveRefused):
            transition(status, move)


def test_the_table_holds_nothing_else():
    assert len(TRANSITIONS) == sum(len(moves) for moves in EXPECTED.values()) == 9


def test_a_team_is_told_why_a_submitted_or_approved_return_cannot_change():
    with pytest.raises(MoveRefused, match="approved and is locked. An admin can reopen it"):
        transition("approved", Move.SAVE)
    with pytest.raises(MoveRefused, match="Ask your director to return it"):
        transition("submitted", Move.SUBMIT)


def test_a_director_or_admin_is_told_the_status_that_refused_them():
    with pytest.raises(
        MoveRefused, match="Only a submitted return can be returned; this one is draft"
    ):
        transition("draft", Move.RETURN)
    with pytest.raises(MoveRefused, match="this one is not started"):
        transition(NOT_STARTED, Move.APPROVE)
    with pytest.raises(MoveRefused, match="Only an approved return can be reopened"):
        transition("returned", Move.REOPEN)


def test_only_returns_not_yet_submitted_are_editable():
    assert [status for status in STATUSES if editable(status)] == [NOT_STARTED, "draft", "returned"]


def test_each_move_has_one_mover_and_the_permission_that_makes_one(demo):
    from directorates.models import Directorate, Team
    from kpis.returns.transitions import MOVER, may_make, require_mover
    from tests.support import user

    assert MOVER == {
        Move.SAVE: Who.TEAM,
        Move.SUBMIT: Who.TEAM,
        Move.APPROVE: Who.DIRECTOR,
        Move.RETURN: Who.DIRECTOR,
        Move.REOPEN: Who.ADMIN,
    }
    bi = Team.objects.get(slug="business-intelligence")
    quality = Directorate.objects.exclude(pk=bi.directorate_id).first()
    member, director = user("staff.bi"), user("director.finance")
    assert may_make(member, Move.SUBMIT, team=bi) and not may_make(director, Move.SUBMIT, team=bi)
    assert may_make(director, Move.RETURN, team=bi)  # the team's own directorate
    assert not may_make(director, Move.APPROVE, directorate=quality)
    assert not may_make(director, Move.REOPEN) and may_make(user("admin"), Move.REOPEN)
    with pytest.raises(PermissionDenied, match="cannot approve this directorate"):
        require_mover(member, Move.APPROVE, directorate=bi.directorate)
