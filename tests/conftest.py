"""Shared test fixtures: the published demo, loaded once per test session.

The test database is created, migrated and given the demo once (``django_db_setup``). Each
test runs in a transaction that is rolled back afterwards, so every test starts from the
same demo however much it changed. Tests that need a database without it ask for
``empty_db``; transactional tests (real commits, on PostgreSQL) flush the database when they
end, so ``demo`` loads it again for them when an earlier one has emptied it.
"""

import pytest
from django.core.management.color import no_style
from django.db import connection
from django.test.utils import override_settings

from demo.published import load_demo
from directorates.models import Organisation

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEMO_PASSWORD = "demo-pass"
# What the tests may clear: everything but Django's own registry of models and permissions.
KEEP_TABLES = {"django_migrations", "django_content_type", "auth_permission"}

_summary = {}


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
