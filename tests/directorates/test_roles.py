"""Who a user is: worked out once per request from memberships, and what each role may do."""

import pytest
from django.contrib.auth.models import AnonymousUser

from directorates.models import Directorate, Team
from directorates.roles import NOBODY, Roles, roles_for
from tests.factories import MembershipFactory, TeamFactory, UserFactory

PERMISSIONS = [
    "directorates.view_team_return",
    "directorates.edit_team_return",
    "directorates.approve_directorate",
]


def test_roles_decide_viewing_editing_and_approving_without_a_database():
    team, other_team = Team(pk=1, directorate_id=10), Team(pk=2, directorate_id=20)
    directorate, other_directorate = Directorate(pk=10), Directorate(pk=20)
    member = Roles(member_team_ids=frozenset({1}))
    director = Roles(led_directorate_ids=frozenset({10}))
    executive = Roles(is_executive=True)
    admin = Roles(is_admin=True)

    table = {
        name: (
            roles.can_view_team(team),
            roles.can_view_team(other_team),
            roles.can_edit_team(team),
            roles.can_edit_team(other_team),
            roles.can_approve(directorate),
            roles.can_approve(other_directorate),
        )
        for name, roles in {
            "member": member,
            "director": director,
            "executive": executive,
            "admin": admin,
            "nobody": NOBODY,
        }.items()
    }
    assert table == {
        "member": (True, False, True, False, False, False),
        "director": (True, True, False, False, True, False),
        "executive": (True, True, False, False, False, False),
        "admin": (True, True, True, True, True, True),
        "nobody": (False, False, False, False, False, False),
    }
    assert [r.sees_everything for r in (member, director, executive, admin, NOBODY)] == [
        False,
        True,
        True,
        True,
        False,
    ]


def test_anonymous_and_inactive_users_have_no_role(db):
    assert roles_for(None) is NOBODY
    assert roles_for(AnonymousUser()) is NOBODY
    admin = UserFactory(admin=True)
    admin.is_active = False
    assert roles_for(admin) is NOBODY


def test_users_roles_come_from_their_memberships(case):
    assert roles_for(case.member) == Roles(member_team_ids=frozenset({case.team.pk}))
    assert roles_for(case.director) == Roles(led_directorate_ids=frozenset({case.directorate.pk}))
    assert roles_for(case.executive) == Roles(is_executive=True)
    assert roles_for(case.admin).is_admin


def test_a_team_deputy_leads_the_directorate_of_the_team(db):
    team = TeamFactory()
    deputy = MembershipFactory(team=team, deputy=True).user
    roles = roles_for(deputy)
    assert roles.led_directorate_ids == {team.directorate_id}
    assert roles.member_team_ids == frozenset()  # leads it; does not enter its returns
    assert roles.can_approve(team.directorate) and not roles.can_edit_team(team)


def test_roles_are_read_once_and_kept_for_the_request(db, django_assert_num_queries):
    person = MembershipFactory().user
    with django_assert_num_queries(2):  # memberships, executives group
        first = roles_for(person)
    with django_assert_num_queries(0):
        assert roles_for(person) is first


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("member", [True, True, False]),
        ("other_member", [False, False, False]),
        ("director", [True, False, True]),
        ("executive", [True, False, False]),
        ("admin", [True, True, True]),
    ],
)
def test_registered_permissions_give_the_same_answers(case, who, allowed):
    person = getattr(case, who)
    objects = [case.team, case.team, case.directorate]
    assert [
        person.has_perm(name, obj) for name, obj in zip(PERMISSIONS, objects, strict=True)
    ] == allowed
