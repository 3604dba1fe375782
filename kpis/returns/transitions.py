"""A return's life as one table: from which status each move goes, to which, and who makes it.

Not started (no row yet) → draft → submitted → approved (locked), or returned to the team with a
comment and submitted again; only an admin reopens an approved return. The services ask this
table before they write (the move's status and who may make it), and the pages ask it what to
offer; nothing else decides.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied

from directorates.access import Perm, may
from kpis.models import ReturnStatus

NOT_STARTED = "not_started"  # no TeamReturn row yet


class Move(StrEnum):
    SAVE = "save"
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    REOPEN = "reopen"


class Who(StrEnum):
    TEAM = "team"  # a member of the return's team (or anyone who may edit it)
    DIRECTOR = "director"  # a director or deputy of the team's directorate
    ADMIN = "admin"


@dataclass(frozen=True)
class Transition:
    to: str
    by: Who


DRAFT, SUBMITTED, APPROVED, RETURNED = (
    ReturnStatus.DRAFT,
    ReturnStatus.SUBMITTED,
    ReturnStatus.APPROVED,
    ReturnStatus.RETURNED,
)

TRANSITIONS: dict[tuple[str, Move], Transition] = {
    (NOT_STARTED, Move.SAVE): Transition(DRAFT, Who.TEAM),
    (DRAFT, Move.SAVE): Transition(DRAFT, Who.TEAM),
    (RETURNED, Move.SAVE): Transition(RETURNED, Who.TEAM),  # stays returned until resubmitted
    (NOT_STARTED, Move.SUBMIT): Transition(SUBMITTED, Who.TEAM),
    (DRAFT, Move.SUBMIT): Transition(SUBMITTED, Who.TEAM),
    (RETURNED, Move.SUBMIT): Transition(SUBMITTED, Who.TEAM),
    (SUBMITTED, Move.APPROVE): Transition(APPROVED, Who.DIRECTOR),
    (SUBMITTED, Move.RETURN): Transition(RETURNED, Who.DIRECTOR),
    (APPROVED, Move.REOPEN): Transition(RETURNED, Who.ADMIN),
}

# Why a move is refused from a status the table has no row for, worded for the person trying.
_EDIT_REFUSED = {
    APPROVED: "This return has been approved and is locked. An admin can reopen it.",
    SUBMITTED: (
        "This return has been submitted for approval. Ask your director to return it "
        "to the team if it needs changing."
    ),
}
_REFUSED = {
    Move.APPROVE: "Only a submitted return can be approved; this one is {status}",
    Move.RETURN: "Only a submitted return can be returned; this one is {status}",
    Move.REOPEN: "Only an approved return can be reopened",
}


# Each move is made by one kind of person, whatever the status it starts from.
MOVER: dict[Move, Who] = {move: t.by for (_, move), t in TRANSITIONS.items()}
assert all(t.by == MOVER[move] for (_, move), t in TRANSITIONS.items()), "one mover per move"

# The permission that makes a user that kind of person, and what a refusal says.
PERMISSION = {
    Who.TEAM: Perm.EDIT_TEAM_RETURN,  # on the return's team
    Who.DIRECTOR: Perm.APPROVE_DIRECTORATE,  # on the team's directorate
    Who.ADMIN: Perm.REOPEN_RETURN,
}
_NOT_YOURS = {
    Move.SAVE: "You cannot edit this team's return",
    Move.SUBMIT: "You cannot edit this team's return",
    Move.APPROVE: "You cannot approve this directorate's returns",
    Move.RETURN: "You cannot return this directorate's returns",
    Move.REOPEN: "Only an admin can reopen an approved return",
}


def may_make(user, move: Move, *, team=None, directorate=None) -> bool:
    """Whether the user is who the table says makes this move on a return of the team (or of
    the directorate's teams)."""
    who = MOVER[move]
    if who == Who.TEAM:
        on = team
    elif who == Who.DIRECTOR:
        on = directorate if directorate is not None else team.directorate
    else:
        on = None
    return may(user, PERMISSION[who], on)


def require_mover(user, move: Move, *, team=None, directorate=None) -> None:
    """PermissionDenied, saying why, unless ``may_make``."""
    if not may_make(user, move, team=team, directorate=directorate):
        raise PermissionDenied(_NOT_YOURS[move])


class MoveRefused(Exception):
    """The return's status does not allow the move; the message says why."""


def allows(status: str, move: Move) -> bool:
    return (status, move) in TRANSITIONS


def transition(status: str, move: Move) -> Transition:
    """The transition a move makes from a status, or MoveRefused saying why there is none."""
    found = TRANSITIONS.get((status, move))
    if found is None:
        if move in (Move.SAVE, Move.SUBMIT):
            raise MoveRefused(_EDIT_REFUSED[status])
        label = "not started" if status == NOT_STARTED else ReturnStatus(status).label.lower()
        raise MoveRefused(_REFUSED[move].format(status=label))
    return found


def editable(status: str) -> bool:
    """Whether the team may still change the figures of a return in this status."""
    return allows(status, Move.SAVE)
