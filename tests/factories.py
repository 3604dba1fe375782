"""Factories for the few rows a small test needs, instead of the whole demo.

Each builds valid rows (the models' constraints hold) that never clash with the demo's: names,
slugs, usernames and years come from sequences, so a test may build on top of the loaded demo
(inside its rolled-back transaction) or on ``empty_db``. Years are 1950/51 to 1999/2000 unless a
test names one (``FinancialYearFactory(start=2014)``, on ``empty_db`` only, where 2014/15 is free).
The portal serves one organisation: rows that need it take the one there is, or make it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from directorates.models import (
    EXECUTIVES_GROUP,
    Directorate,
    FinancialYear,
    Membership,
    Organisation,
    Team,
)
from kpis import rules
from kpis.models import Figure, Kpi, KpiYear, ReturnStatus, TeamReturn


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Test CCG {n}")
    short_name = factory.LazyAttribute(lambda o: o.name)


def the_organisation() -> Organisation:
    """The organisation the portal serves: the demo's, or a new one on an empty database."""
    return Organisation.objects.first() or OrganisationFactory()


class UserFactory(DjangoModelFactory):
    """A person who can sign in (with ``force_login``); ``executive=True`` or ``admin=True``
    for those roles."""

    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)

    username = factory.Sequence(lambda n: f"person.{n}")
    first_name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@dorset.example")

    @factory.post_generation
    def executive(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get_or_create(name=EXECUTIVES_GROUP)[0])


class FinancialYearFactory(DjangoModelFactory):
    """An open April-March year; ``start`` is the calendar year it starts in."""

    class Meta:
        model = FinancialYear

    class Params:
        # Long past, so every quarter has started; clear of the demo's 2008-2016, and one test
        # (rolled back after) never holds fifty.
        start = factory.Sequence(lambda n: 1950 + n % 50)

    organisation = factory.LazyFunction(the_organisation)
    label = factory.LazyAttribute(lambda y: f"{y.start}-{(y.start + 1) % 100:02d}")
    start_date = factory.LazyAttribute(lambda y: date(y.start, 4, 1))
    end_date = factory.LazyAttribute(lambda y: date(y.start + 1, 3, 31))
    status = FinancialYear.Status.OPEN


class DirectorateFactory(DjangoModelFactory):
    class Meta:
        model = Directorate

    organisation = factory.LazyFunction(the_organisation)
    name = factory.Sequence(lambda n: f"Directorate {n}")
    slug = factory.LazyAttribute(lambda d: slugify(d.name))


class TeamFactory(DjangoModelFactory):
    """A top-level team; its slug comes from its name, as the portal sets it."""

    class Meta:
        model = Team

    directorate = factory.SubFactory(DirectorateFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class MembershipFactory(DjangoModelFactory):
    """A member of a team; ``MembershipFactory(director_of=directorate)`` for its director,
    ``deputy=True`` with a team for the deputy who leads that team."""

    class Meta:
        model = Membership

    class Params:
        director_of = None
        deputy = factory.Trait(role=Membership.Role.DEPUTY)

    user = factory.SubFactory(UserFactory)
    team = factory.Maybe(
        "director_of", yes_declaration=None, no_declaration=factory.SubFactory(TeamFactory)
    )
    directorate = factory.SelfAttribute("director_of")
    role = factory.Maybe(
        "director_of",
        yes_declaration=Membership.Role.DIRECTOR,
        no_declaration=Membership.Role.MEMBER,
    )


class KpiFactory(DjangoModelFactory):
    class Meta:
        model = Kpi

    slug = factory.Sequence(lambda n: f"kpi-{n}")
    name = factory.Sequence(lambda n: f"KPI {n}")


class KpiYearFactory(DjangoModelFactory):
    """A KPI's year: a quarterly count, the months added up, 10 a quarter, higher is better."""

    class Meta:
        model = KpiYear

    kpi = factory.SubFactory(KpiFactory)
    year = factory.SubFactory(FinancialYearFactory)
    team = factory.SubFactory(TeamFactory)
    frequency = rules.Frequency.QUARTERLY
    measure = rules.Measure.COUNT
    rollup = rules.Rollup.SUM
    target_kind = rules.TargetKind.PER_PERIOD
    target_value = Decimal(10)
    direction = rules.Direction.HIGHER


class TeamReturnFactory(DjangoModelFactory):
    """A team's quarter 1 return, saved as a draft (set ``status`` for another)."""

    class Meta:
        model = TeamReturn

    year = factory.SubFactory(FinancialYearFactory)
    team = factory.SubFactory(TeamFactory)
    quarter = 1
    status = ReturnStatus.DRAFT


class FigureFactory(DjangoModelFactory):
    """A quarter's count for a KPI year."""

    class Meta:
        model = Figure

    kpi_year = factory.SubFactory(KpiYearFactory)
    quarter = 1
    count = 10


# ---------------------------------------------------------------- a small case, built whole


@dataclass(frozen=True)
class TeamCase:
    """An open year with one team's two KPIs, as the demo's Business intelligence has them,
    and the people around it: the team's member, its director, a member and a director of
    another directorate, an executive and an admin."""

    year: FinancialYear
    directorate: Directorate
    team: Team
    coding: KpiYear  # challenges: a count with its £ value, no target
    meetings: KpiYear  # meetings attended: 386 a year, so 96.5 a quarter pro rata
    other_team: Team  # in another directorate, with a KPI of its own
    other_kpi: KpiYear  # a monthly rate, 2% or lower, as staff absence
    member: AbstractUser
    director: AbstractUser
    other_member: AbstractUser
    other_director: AbstractUser
    executive: AbstractUser
    admin: AbstractUser

    @property
    def kpis(self) -> list[KpiYear]:
        return [self.coding, self.meetings]


def team_case(**year) -> TeamCase:
    """Builds a TeamCase; keyword arguments go to the year (``start=2014`` on ``empty_db``)."""
    year = FinancialYearFactory(**year)
    team = TeamFactory()
    other_team = TeamFactory()
    member = MembershipFactory(team=team).user
    other_member = MembershipFactory(team=other_team).user
    return TeamCase(
        year=year,
        directorate=team.directorate,
        team=team,
        coding=KpiYearFactory(
            year=year,
            team=team,
            measure=rules.Measure.COUNT_VALUE,
            target_kind=rules.TargetKind.NONE,
            target_value=None,
        ),
        meetings=KpiYearFactory(
            year=year, team=team, target_kind=rules.TargetKind.ANNUAL, target_value=Decimal(386)
        ),
        other_team=other_team,
        other_kpi=KpiYearFactory(  # like staff absence: a monthly rate, 2% or lower
            year=year,
            team=other_team,
            frequency=rules.Frequency.MONTHLY,
            measure=rules.Measure.PERCENT,
            rollup=rules.Rollup.MEAN,
            target_kind=rules.TargetKind.PERCENT,
            target_value=Decimal(2),
            direction=rules.Direction.LOWER,
        ),
        member=member,
        director=MembershipFactory(director_of=team.directorate).user,
        other_member=other_member,
        other_director=MembershipFactory(director_of=other_team.directorate).user,
        executive=UserFactory(executive=True),
        admin=UserFactory(admin=True),
    )
