"""Shared test fixtures: the published demo, loaded once per test session.

The test database is created, migrated and given the demo once (``django_db_setup``). Each
test runs in a transaction that is rolled back afterwards, so every test starts from the
same demo however much it changed. Tests that need a database without it ask for
``empty_db``; transactional tests (real commits, on PostgreSQL) flush the database when they
end, so ``demo`` loads it again for them when an earlier one has emptied it. Tests that need
only a few rows build them with tests/factories.py (``case`` is one team's return set-up).
"""

from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management.color import no_style
from django.db import connection
from django.test.utils import override_settings

from demo.published import load_demo
from directorates.models import FinancialYear, Membership, Organisation, Team
from kpis.models import Figure, KpiYear
from tests.factories import team_case
from tests.support import EARLIER, INSPECTIONS

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_PASSWORD = "demo-pass"
# What the tests may clear: everything but Django's own registry of models and permissions.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}


def pytest_configure(config):
    # Each test empties the cache when it ends (_empty_cache), and the query counts the tests
    # pin are those of the default sessions: a REDIS_URL would have the suite flush that Redis.
    if settings.REDIS_URL:
        raise pytest.UsageError(
            "REDIS_URL is set: the tests empty the cache after each test and would flush that "
            "Redis database. Unset it to run them (tests that need Redis set it themselves)."
        )


_summary = {}


@pytest.fixture(autouse=True)
def _empty_cache():
    # Each test's rolled-back transaction gives ids and data versions out again, so what one
    # test cached could otherwise be read as another's (the scorecard's ratings).
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Hashing passwords properly costs a fifth of a second each; tests need no real hashing.
    settings.PASSWORD_HASHERS = FAST_HASHERS


def _load_demo():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        _summary["demo"] = load_demo(password=DEMO_PASSWORD)
    return _summary["demo"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _load_demo()


@pytest.fixture
def demo(request, db):
    """The published 2013/14 record, the 2015/16 plan, an open 2014/15 and the demo users."""
    if not Organisation.objects.exists():  # a transactional test before this one flushed it
        return _load_demo()
    return _summary["demo"]


@pytest.fixture
def empty_db(db):
    """A database with no rows, for the tests of loading the demo itself; rolled back after."""
    tables = [t for t in connection.introspection.django_table_names() if t not in KEEP_TABLES]
    with connection.cursor() as cursor:
        for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(statement)


@pytest.fixture
def case(db):
    """A small case built by factories (tests/factories.py ``TeamCase``): an open year, one
    team's two KPIs and the people around it, beside the demo and clashing with nothing in it."""
    return team_case()


# ---------------------------------------------------------------- the demo's pieces by name


@pytest.fixture
def open_year(demo):
    return FinancialYear.objects.get(label="2014-15")


@pytest.fixture
def bi(demo):
    return Team.objects.get(slug="business-intelligence")


@pytest.fixture
def bi_kpis(open_year, bi):
    """The BI team's two KPIs: coding challenges (count and £, no target) and meetings (386 pa)."""
    return {
        ky.kpi.slug: ky
        for ky in KpiYear.objects.filter(year=open_year, team=bi).select_related("kpi")
    }


@pytest.fixture
def director_of_quality(demo):
    person = get_user_model().objects.create_user("director.quality")
    Membership.objects.create(
        user=person,
        directorate_id=Team.objects.get(slug="information-governance").directorate_id,
        role="director",
    )
    return person


@pytest.fixture
def long_series(demo):
    """2008/09 to 2012/13 for the quality inspections KPI, before the published year."""
    published = KpiYear.objects.get(kpi__slug=INSPECTIONS, year__label="2013-14")
    organisation = Organisation.objects.get()
    for i in range(5):
        start = 2008 + i
        year = FinancialYear.objects.create(
            organisation=organisation,
            label=f"{start}-{str(start + 1)[2:]}",
            start_date=date(start, 4, 1),
            end_date=date(start + 1, 3, 31),
            status="locked",
        )
        kpi_year = KpiYear.objects.create(
            kpi=published.kpi,
            year=year,
            team=published.team,
            frequency=published.frequency,
            measure=published.measure,
            rollup=published.rollup,
            target_kind=published.target_kind,
            target_value=published.target_value,
            target_text=published.target_text,
            direction=published.direction,
        )
        for quarter in range(1, 5):
            Figure.objects.create(
                kpi_year=kpi_year, quarter=quarter, count=EARLIER[i * 4 + quarter - 1]
            )
    return published.kpi
