"""Who may do what, asked one way, and which teams a user sees.

The portal's permissions are named once, in ``Perm``. Each is a predicate over the user's
roles (``directorates.roles``) registered with django-rules, so ``user.has_perm`` and ``may``
give the same answer. Pages, services, admin pages and commands ask ``may`` or ``require``;
the rows a user may see come from one scoping function per model (``visible_teams`` and
``own_teams`` here, ``kpis.scoping`` for KPI data), never from a filter written in a view.
"""

from enum import StrEnum

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from directorates.models import Directorate, Team
from directorates.roles import roles_for


class Perm(StrEnum):
    VIEW_TEAM_RETURN = "directorates.view_team_return"  # on a team
    EDIT_TEAM_RETURN = "directorates.edit_team_return"  # on a team
    APPROVE_DIRECTORATE = "directorates.approve_directorate"  # on a directorate
    REOPEN_RETURN = "directorates.reopen_return"
    VIEW_COMPLETENESS = "directorates.view_completeness"
    IMPORT_RETURNS = "directorates.import_returns"
    EDIT_NARRATIVE = "directorates.edit_narrative"  # on a directorate
    PUBLISH_NARRATIVE = "directorates.publish_narrative"
    PUBLISH_PLAN = "directorates.publish_plan"


# What a refusal says when the caller has nothing more particular to say.
REFUSED = {
    Perm.VIEW_TEAM_RETURN: "You cannot see this team's returns",
    Perm.EDIT_TEAM_RETURN: "You cannot edit this team's return",
    Perm.APPROVE_DIRECTORATE: "You cannot approve this directorate's returns",
    Perm.REOPEN_RETURN: "Only an admin can reopen an approved return",
    Perm.VIEW_COMPLETENESS: "Only directors, deputies, executives and admins see completeness",
    Perm.IMPORT_RETURNS: "Only an admin can import returns",
    Perm.EDIT_NARRATIVE: "Only the directorate's director or deputy can edit its narrative",
    Perm.PUBLISH_NARRATIVE: "Only an admin can publish the narrative",
    Perm.PUBLISH_PLAN: "Only an admin can publish or withdraw a plan",
}


@rules.predicate
def _views_team(user, team) -> bool:
    return team is not None and roles_for(user).can_view_team(team)


@rules.predicate
def _edits_team(user, team) -> bool:
    return team is not None and roles_for(user).can_edit_team(team)


@rules.predicate
def _approves(user, directorate) -> bool:
    return directorate is not None and roles_for(user).can_approve(directorate)


@rules.predicate
def _writes_narrative(user, directorate) -> bool:
    roles = roles_for(user)
    return directorate is not None and (
        roles.is_admin or directorate.pk in roles.led_directorate_ids
    )


@rules.predicate
def _is_admin(user) -> bool:
    return roles_for(user).is_admin


@rules.predicate
def _oversees_returns(user) -> bool:
    return roles_for(user).sees_everything


PREDICATES = {
    Perm.VIEW_TEAM_RETURN: _views_team,
    Perm.EDIT_TEAM_RETURN: _edits_team,
    Perm.APPROVE_DIRECTORATE: _approves,
    Perm.REOPEN_RETURN: _is_admin,
    Perm.VIEW_COMPLETENESS: _oversees_returns,
    Perm.IMPORT_RETURNS: _is_admin,
    Perm.EDIT_NARRATIVE: _writes_narrative,
    Perm.PUBLISH_NARRATIVE: _is_admin,
    Perm.PUBLISH_PLAN: _is_admin,
}
for _perm, _predicate in PREDICATES.items():
    rules.set_perm(_perm.value, _predicate)


def may(user, perm: Perm, obj=None) -> bool:
    """Whether the user may do this (to this team or directorate, for the object permissions)."""
    return rules.has_perm(perm.value, user, obj)


def require(user, perm: Perm, obj=None, message: str | None = None) -> None:
    """PermissionDenied, saying why, unless the user may."""
    if not may(user, perm, obj):
        raise PermissionDenied(message or REFUSED[perm])


def scoped(user, queryset, team: str):
    """The rows of the queryset a user sees, where ``team`` names the field of the team that
    owns each row: every row for those who see everything, else their own teams' rows."""
    roles = roles_for(user)
    if roles.sees_everything:
        return queryset.all()
    return queryset.filter(**{f"{team}__in": roles.member_team_ids})


def visible_teams(user):
    """The teams whose returns and KPIs a user sees."""
    return scoped(user, Team.objects, "pk")


def led_directorates(user) -> list[Directorate]:
    """The directorates the user leads as director or deputy, by name."""
    return list(Directorate.objects.filter(pk__in=roles_for(user).led_directorate_ids))


def own_teams(user):
    """The teams whose returns are the user's to make or sign off ("my returns"): their own
    teams and the teams of the directorates they lead; every team for admins and executives."""
    roles = roles_for(user)
    if roles.is_admin or roles.is_executive:
        return Team.objects.all()
    return Team.objects.filter(
        Q(pk__in=roles.member_team_ids) | Q(directorate_id__in=roles.led_directorate_ids)
    )
