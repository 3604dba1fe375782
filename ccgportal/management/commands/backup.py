"""python manage.py backup [PATH]: a backup of the portal's database (README, "Backups")."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ccgportal import backups
from common.commands import database_name, require_database


class Command(BaseCommand):
    help = (
        "Back up the portal's database: PostgreSQL as a pg_dump custom-format archive, SQLite by "
        "its online backup; to PATH, or backups/ccgportal-<UTC time>.dump (or .sqlite3)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="Where to write the backup.")

    def handle(self, *args, **options):
        require_database()
        try:
            path = backups.backup(options["path"])
        except backups.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backed up {database_name()} to {path} ({filesizeformat(path.stat().st_size)})"
        )
