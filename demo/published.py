"""Load the published 2013/14 record, the 2015/16 plan, an open 2014/15 and demo users.

Master data (the organisation, its structure and narrative, the KPIs and their set-up, the
surveys and what they asked, the finance summary, the plan) comes from each app's loaders.
The published figures (the KPI schedule's quarters, the running-cost schedule, the customer
survey's ratings) go in the way an admin's upload of the same file does: read as an upload,
planned and applied by the importer of its layout (ccgportal/imports.py), with the annual
report and the file as the reason in the change history of each figure and cost line (survey
ratings keep none). 2013/14 is therefore created open, its figures imported, its returns
approved as published, and then locked.
"""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ccgportal import imports
from common.loading import LoadError, read_json
from directorates import loaders as directorate_loaders
from directorates.models import EXECUTIVES_GROUP, FinancialYear, Membership, Team
from finance import loaders as finance_loaders
from kpis import loaders as kpi_loaders
from kpis.models import KpiYear, ReturnAction, ReturnEvent, ReturnStatus, TeamReturn
from plans import loaders as plan_loaders
from reports import loaders as report_loaders
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
def load_demo(
    fixtures: Path = FIXTURES, *, password: str, open_year: str = OPEN_YEAR
) -> DemoSummary:
    """Everything in one transaction: a bad fixture raises LoadError and nothing is written."""
    published, portal = fixtures / "published", fixtures / "portal"
    org, directorates, sections = directorate_loaders.load_structure(portal / "structure.json")
    year = directorate_loaders.load_organisation_year(
        published / f"organisation_{PUBLISHED_YEAR}.csv", org
    )
    directorate_loaders.load_narrative(
        portal / f"narrative_{PUBLISHED_YEAR}.json", year, directorates
    )
    schedule = published / f"kpis_{PUBLISHED_YEAR}.csv"
    kpis = kpi_loaders.load_kpi_definitions(
        schedule, portal / f"kpi_definitions_{PUBLISHED_YEAR}.csv", year, sections
    )
    import_published(schedule, year)
    approve_as_published(year, schedule)
    import_published(published / f"running_costs_{PUBLISHED_YEAR}.csv", year)
    finance_loaders.load_finance_summary(published / f"finance_summary_{PUBLISHED_YEAR}.csv", year)
    survey = survey_loaders.load_customer_survey(
        published / f"customer_survey_{PUBLISHED_YEAR}.csv",
        portal / f"customer_survey_{PUBLISHED_YEAR}.json",
        year,
        list(directorates.values()),
        illustrative=True,
    )
    import_published(portal / f"customer_survey_ratings_{PUBLISHED_YEAR}_illustrative.csv", year)
    survey_loaders.add_illustrative_invitees(survey)
    survey_loaders.load_imt_survey(published / f"imt_survey_{PUBLISHED_YEAR}.csv", year)
    report_loaders.load_report(portal / f"report_{PUBLISHED_YEAR}.json", year)
    if not year.is_locked:
        year.status = FinancialYear.Status.LOCKED
        year.save(update_fields=["status"])

    # The year returns are made for: 2014/15 in the tests, this year's for `manage.py load_demo`,
    # so a fresh install's returns are due on dates that read as live.
    next_year = directorate_loaders.ensure_year(org, open_year, status=FinancialYear.Status.OPEN)
    kpis_next_year = kpi_loaders.copy_kpis_to_year(year, next_year)

    plan_year = directorate_loaders.ensure_year(org, PLAN_YEAR, status=FinancialYear.Status.LOCKED)
    plan_loaders.load_plan(portal / f"od_plan_{PLAN_YEAR}.json", org, plan_year)

    users = load_demo_users(portal / "structure.json", password=password)
    return DemoSummary(kpis=kpis, kpis_next_year=kpis_next_year, users=users)


def published_reason(year: FinancialYear, path: Path) -> str:
    """What the change history of each figure imported from the file gives as its source."""
    return f"Published annual report {year.display_name}: {path.name}"


def import_published(path: Path, year: FinancialYear) -> None:
    """Import a published file into the year as an admin's upload of it is imported: read,
    its layout recognised, planned and applied, with published_reason() as the history's
    reason and no user. A plan with problems is a LoadError naming the file and each one.

    No ImportRecord is kept: the published record is not an admin's import.
    """
    if not path.is_file():
        raise LoadError(path, "file not found")
    importer, plan, _ = imports.prepare(path.name, path.read_bytes(), year=year)
    if not plan.ok:
        raise LoadError.from_problems(path, plan.problems)
    importer.apply(plan, by=None, reason=published_reason(year, path))


def approve_as_published(year: FinancialYear, schedule: Path) -> None:
    """Approve each quarter's return of every team that owns a KPI in the year, as published,
    each with an approval in its trail. The import created the returns it wrote (as drafts)."""
    teams = set(
        KpiYear.objects.filter(year=year, is_reported=True).values_list("team_id", flat=True)
    )
    started = set(TeamReturn.objects.filter(year=year).values_list("team_id", "quarter"))
    TeamReturn.objects.bulk_create(
        TeamReturn(year=year, team_id=team, quarter=quarter, status=ReturnStatus.APPROVED)
        for team, quarter in sorted({(t, q) for t in teams for q in range(1, 5)} - started)
    )
    returns = TeamReturn.objects.filter(year=year, team__in=teams)
    returns.exclude(status=ReturnStatus.APPROVED).update(
        status=ReturnStatus.APPROVED, updated_at=timezone.now()
    )
    approved = set(
        ReturnEvent.objects.filter(
            team_return__in=returns, action=ReturnAction.APPROVED
        ).values_list("team_return_id", flat=True)
    )
    ReturnEvent.objects.bulk_create(
        ReturnEvent(
            team_return_id=pk,
            action=ReturnAction.APPROVED,
            comment=f"Loaded as published, from {schedule.name}",
        )
        for pk in returns.order_by("pk").values_list("pk", flat=True)
        if pk not in approved
    )


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
