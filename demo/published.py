"""Load the published 2013/14 record, the 2015/16 plan, an open 2014/15 and demo users."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from common.loading import LoadError, read_json
from directorates import loaders as directorate_loaders
from directorates.models import EXECUTIVES_GROUP, FinancialYear, Membership, Team
from finance import loaders as finance_loaders
from kpis import loaders as kpi_loaders
from kpis.models import ReturnStatus
from plans import loaders as plan_loaders
from surveys import loaders as survey_loaders

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
PUBLISHED_YEAR = "2013-14"
OPEN_YEAR = "2014-15"
PLAN_YEAR = "2015-16"


@dataclass(frozen=True)
class DemoSummary:
    kpis: int
    kpis_next_year: int
    users: list[str]


@transaction.atomic
def load_demo(fixtures: Path = FIXTURES, *, password: str) -> DemoSummary:
    """Everything in one transaction: a bad fixture raises LoadError and nothing is written."""
    published, portal = fixtures / "published", fixtures / "portal"
    org, directorates, sections = directorate_loaders.load_structure(portal / "structure.json")
    year = directorate_loaders.load_organisation_year(
        published / f"organisation_{PUBLISHED_YEAR}.csv", org, status=FinancialYear.Status.LOCKED
    )
    directorate_loaders.load_narrative(
        portal / f"narrative_{PUBLISHED_YEAR}.json", year, directorates
    )
    kpis = kpi_loaders.load_kpi_schedule(
        published / f"kpis_{PUBLISHED_YEAR}.csv",
        portal / f"kpi_definitions_{PUBLISHED_YEAR}.csv",
        year,
        sections,
        return_status=ReturnStatus.APPROVED,
    )
    finance_loaders.load_running_costs(
        published / f"running_costs_{PUBLISHED_YEAR}.csv", year, list(directorates.values())
    )
    finance_loaders.load_finance_summary(published / f"finance_summary_{PUBLISHED_YEAR}.csv", year)
    survey_loaders.load_customer_survey(
        published / f"customer_survey_{PUBLISHED_YEAR}.csv",
        portal / f"customer_survey_{PUBLISHED_YEAR}.json",
        portal / f"customer_survey_ratings_{PUBLISHED_YEAR}_illustrative.csv",
        year,
        list(directorates.values()),
    )
    survey_loaders.load_imt_survey(published / f"imt_survey_{PUBLISHED_YEAR}.csv", year)

    next_year = directorate_loaders.ensure_year(org, OPEN_YEAR, status=FinancialYear.Status.OPEN)
    kpis_next_year = kpi_loaders.copy_kpis_to_year(year, next_year)

    plan_year = directorate_loaders.ensure_year(org, PLAN_YEAR, status=FinancialYear.Status.LOCKED)
    plan_loaders.load_plan(portal / f"od_plan_{PLAN_YEAR}.json", org, plan_year)

    users = load_demo_users(portal / "structure.json", password=password)
    return DemoSummary(kpis=kpis, kpis_next_year=kpis_next_year, users=users)


def load_demo_users(path: Path, *, password: str) -> list[str]:
    """Demo log-ins, one per role; their password is reset to the one given on every load."""
    executives, _ = Group.objects.get_or_create(name=EXECUTIVES_GROUP)
    User = get_user_model()
    usernames = []
    for item in read_json(path)["demo_users"]:
        user, _ = User.objects.get_or_create(username=item["username"])
        user.first_name, user.last_name = item["first_name"], item["last_name"]
        user.is_staff = user.is_superuser = item["role"] == "admin"
        user.set_password(password)
        user.save()
        if item["role"] == "executive":
            user.groups.add(executives)
        if item["role"] in ("director", "deputy"):
            directorate = _lookup(path, "directorate", item["directorate"])
            Membership.objects.get_or_create(
                user=user, directorate=directorate, defaults={"role": item["role"]}
            )
        if item["role"] == "member":
            team = _lookup(path, "team", item["team"])
            Membership.objects.get_or_create(
                user=user, team=team, defaults={"role": Membership.Role.MEMBER}
            )
        usernames.append(user.username)
    return usernames


def _lookup(path, kind, slug):
    from directorates.models import Directorate

    model = Directorate if kind == "directorate" else Team
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise LoadError(path, f"demo user names an unknown {kind} '{slug}'")
    return found
