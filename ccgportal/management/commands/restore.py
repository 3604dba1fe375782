"""python manage.py restore PATH [--database-url URL] [--replace] (README, "Backups")."""

import dj_database_url
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections

from ccgportal import backups


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into the portal's database (DATABASE_URL), "
        "or into the one --database-url names. A database that already holds tables is refused "
        "unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file `manage.py backup` wrote.")
        parser.add_argument(
            "--database-url", help="Restore into this database instead of DATABASE_URL's."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Replace what the database holds (its tables are dropped first).",
        )

    def handle(self, *args, **options):
        if options["database_url"]:
            try:
                target = dj_database_url.parse(options["database_url"])
            except ValueError as exc:
                raise CommandError(f"--database-url is not a database URL: {exc}") from exc
        else:
            target = connections[DEFAULT_DB_ALIAS].settings_dict
            connections[DEFAULT_DB_ALIAS].close()  # a replace must not find it in use
        try:
            database = backups.restore(options["path"], target, replace=options["replace"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {options['path']} into {database.name}. If this portal's code is newer "
            "than the backup, run `python manage.py migrate` next."
        )
