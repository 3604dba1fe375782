"""Who a user is in the portal, worked out once per request from their memberships.

Every permission (directorates.access) and every scoped query reads these roles, so the rules
live here:
- admins (superusers) do everything;
- executives (the Executives group) see everything and edit nothing;
- directors and deputies see everything and approve the directorate they lead;
- team members see and edit their own teams' returns.
"""

from dataclasses import dataclass

from directorates.models import EXECUTIVES_GROUP, Membership


@dataclass(frozen=True)
class Roles:
    is_admin: bool = False
    is_executive: bool = False
    member_team_ids: frozenset[int] = frozenset()
    led_directorate_ids: frozenset[int] = frozenset()

    @property
    def sees_everything(self) -> bool:
        return self.is_admin or self.is_executive or bool(self.led_directorate_ids)

    def can_view_team(self, team) -> bool:
        return self.sees_everything or team.pk in self.member_team_ids

    def can_edit_team(self, team) -> bool:
        return self.is_admin or team.pk in self.member_team_ids

    def can_approve(self, directorate) -> bool:
        return self.is_admin or directorate.pk in self.led_directorate_ids


NOBODY = Roles()


def roles_for(user) -> Roles:
    """The user's roles, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        memberships = list(
            Membership.objects.filter(user=user)
            .select_related("team")
            .only("role", "team_id", "directorate_id", "team__directorate_id")
        )
        cached = Roles(
            is_admin=user.is_superuser,
            is_executive=user.groups.filter(name=EXECUTIVES_GROUP).exists(),
            member_team_ids=frozenset(
                m.team_id for m in memberships if m.role == Membership.Role.MEMBER
            ),
            led_directorate_ids=frozenset(
                m.led_directorate_id for m in memberships if m.role != Membership.Role.MEMBER
            ),
        )
        user._portal_roles = cached
    return cached
