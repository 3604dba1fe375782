"""The factories build valid rows that clash with nothing, on the demo or an empty database."""

from directorates.models import FinancialYear, Membership, Organisation
from kpis.models import Figure, KpiYear
from tests.factories import FigureFactory, MembershipFactory, TeamReturnFactory, team_case


def _valid(*rows):
    for row in rows:
        row.full_clean()  # the models' own checks (a year's label, a team's nesting, …)


def test_two_cases_build_beside_the_demo_and_each_other(demo):
    years = FinancialYear.objects.count()
    first, second = team_case(), team_case()
    assert FinancialYear.objects.count() == years + 2
    assert Organisation.objects.count() == 1  # the portal's one organisation, the demo's
    assert first.year.label != second.year.label and first.team.slug != second.team.slug
    assert first.member.username != second.member.username
    _valid(first.year, first.team, first.meetings, first.coding, first.other_kpi)
    _valid(FigureFactory(kpi_year=first.meetings), TeamReturnFactory(team=first.team))
    demo_years = FinancialYear.objects.exclude(pk__in=[first.year.pk, second.year.pk])
    assert second.year.start_date < demo_years.earliest("start_date").start_date


def test_a_case_builds_on_an_empty_database_with_the_roles_it_names(empty_db):
    case = team_case(start=2014)
    assert case.year.label == "2014-15" and Organisation.objects.count() == 1
    assert [(m.team, m.directorate, m.role) for m in case.director.memberships.all()] == [
        (None, case.directorate, Membership.Role.DIRECTOR)
    ]
    assert case.member.memberships.get().team == case.team
    assert case.executive.groups.filter(name="Executives").exists()
    assert case.admin.is_superuser and case.admin.is_staff
    assert KpiYear.objects.filter(year=case.year, team=case.team).count() == 2
    deputy = MembershipFactory(team=case.team, deputy=True)
    _valid(deputy, FigureFactory(kpi_year=case.coding))
    assert Figure.objects.count() == 1
