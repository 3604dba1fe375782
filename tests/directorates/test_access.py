"""The named permissions, the one way to ask them, and which teams each role sees."""

import pytest
from django.core.exceptions import PermissionDenied

from directorates.access import REFUSED, Perm, may, own_teams, require, visible_teams
from directorates.models import Directorate, Team
from tests.support import user

BI = "business-intelligence"
FINANCE = "finance-and-performance"


def test_every_permission_is_registered_and_says_why_it_refuses(demo):
    assert set(REFUSED) == set(Perm)
    admin = user("admin")
    team, directorate = Team.objects.get(slug=BI), Directorate.objects.get(slug=FINANCE)
    objects = {Perm.VIEW_TEAM_RETURN: team, Perm.EDIT_TEAM_RETURN: team}
    objects[Perm.APPROVE_DIRECTORATE] = objects[Perm.EDIT_NARRATIVE] = directorate
    # Registered with django-rules: Django's own has_perm gives the answer too.
    assert all(admin.has_perm(perm.value, objects.get(perm)) for perm in Perm)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        # view BI, edit BI, approve Finance, reopen, completeness, import, write Finance's
        # narrative, publish the narrative, publish a plan
        ("staff.bi", [True, True, False, False, False, False, False, False, False]),
        ("staff.quality", [False, False, False, False, False, False, False, False, False]),
        ("director.finance", [True, False, True, False, True, False, True, False, False]),
        ("exec", [True, False, False, False, True, False, False, False, False]),
        ("admin", [True, True, True, True, True, True, True, True, True]),
    ],
)
def test_may_answers_like_has_perm_for_every_role(demo, username, expected):
    person = user(username)
    team, directorate = Team.objects.get(slug=BI), Directorate.objects.get(slug=FINANCE)
    asked = [
        (Perm.VIEW_TEAM_RETURN, team),
        (Perm.EDIT_TEAM_RETURN, team),
        (Perm.APPROVE_DIRECTORATE, directorate),
        (Perm.REOPEN_RETURN, None),
        (Perm.VIEW_COMPLETENESS, None),
        (Perm.IMPORT_RETURNS, None),
        (Perm.EDIT_NARRATIVE, directorate),
        (Perm.PUBLISH_NARRATIVE, None),
        (Perm.PUBLISH_PLAN, None),
    ]
    answers = [may(person, perm, obj) for perm, obj in asked]
    assert answers == expected
    assert [person.has_perm(perm.value, obj) for perm, obj in asked] == expected


def test_require_refuses_with_the_reason(demo):
    with pytest.raises(PermissionDenied, match="Only an admin can import returns"):
        require(user("director.finance"), Perm.IMPORT_RETURNS)
    with pytest.raises(PermissionDenied, match="see sign-off"):
        require(user("staff.bi"), Perm.VIEW_COMPLETENESS, message="Only directors see sign-off")
    require(user("admin"), Perm.IMPORT_RETURNS)  # no refusal


def _slugs(teams) -> set[str]:
    return set(teams.values_list("slug", flat=True))


def test_members_see_their_teams_and_everyone_else_sees_every_team(demo):
    every = _slugs(Team.objects.all())
    assert _slugs(visible_teams(user("staff.bi"))) == {BI}
    for username in ("director.finance", "exec", "admin"):
        assert _slugs(visible_teams(user(username))) == every


def test_own_teams_are_a_directors_directorate_and_a_members_teams(demo):
    finance = _slugs(Team.objects.filter(directorate__slug=FINANCE))
    assert BI in finance and len(finance) > 1
    assert _slugs(own_teams(user("staff.bi"))) == {BI}
    assert _slugs(own_teams(user("director.finance"))) == finance
    assert _slugs(own_teams(user("exec"))) == _slugs(Team.objects.all())
