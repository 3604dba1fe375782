"""What every management command checks first: that its database answers and is migrated.

A command run against the wrong environment should say how to put it right, not end in a
traceback about a missing table. ``make run`` uses DEBUG=1 and, without DATABASE_URL, the
SQLite file db.sqlite3 beside manage.py; it migrates before anything else.
"""

import os

from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.migrations.executor import MigrationExecutor

MIGRATE = "python manage.py migrate"
SHOWN = 3  # unapplied migrations named


def database_name(using: str = DEFAULT_DB_ALIAS) -> str:
    """The database as a person would look for it, and where its address came from."""
    settings = connections[using].settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        where = f"the SQLite file {settings['NAME']}"
    else:
        host = settings.get("HOST") or "localhost"
        port = f":{settings['PORT']}" if settings.get("PORT") else ""
        where = f"{host}{port}/{settings['NAME']}"
    if "DATABASE_URL" in os.environ:
        return f"{where} (from DATABASE_URL)"
    return f"{where} (the default: DATABASE_URL is not set)"


def require_database(using: str = DEFAULT_DB_ALIAS) -> None:
    """CommandError saying what to run if the database does not answer or is not migrated."""
    connection = connections[using]
    same = "with the same DATABASE_URL" if "DATABASE_URL" in os.environ else "in this folder"
    try:
        executor = MigrationExecutor(connection)
        applied = executor.loader.applied_migrations
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise CommandError(
            f"Cannot use the database {database_name(using)}: {reason}. Set DATABASE_URL to a "
            "database that answers (for PostgreSQL, create it first: createdb -h HOST -U USER "
            "NAME), or leave it unset for the SQLite file that make run uses."
        ) from exc
    if not plan:
        return
    if not applied:
        raise CommandError(
            f"The database {database_name(using)} has no tables yet. Run `{MIGRATE}` {same} "
            "first (make run does this, then loads the demo data)."
        )
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in plan[:SHOWN])
    more = f" and {len(plan) - SHOWN} more" if len(plan) > SHOWN else ""
    raise CommandError(
        f"The database {database_name(using)} is not up to date: {len(plan)} migration"
        f"{'' if len(plan) == 1 else 's'} not applied ({names}{more}). Run `{MIGRATE}` {same} "
        "first."
    )
