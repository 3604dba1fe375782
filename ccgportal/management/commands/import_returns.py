"""python manage.py import_returns PATH --year 2014-15 [--dry-run] [--user NAME]: as the admin
page does, for automation; exits non-zero, saying why, when anything is wrong."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ccgportal import imports
from common.commands import require_database
from common.importing import ImportRefused
from directorates.access import Perm, may


class Command(BaseCommand):
    help = (
        "Import a KPI return (or another layout the portal knows) from a CSV or .xlsx file into "
        "a year: prints the preview and its problems; with --dry-run writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The CSV or .xlsx file.")
        parser.add_argument("--year", required=True, help="The financial year, e.g. 2014-15.")
        parser.add_argument("--dry-run", action="store_true", help="Preview only; write nothing.")
        parser.add_argument("--user", help="Username the change history records (an admin).")
        parser.add_argument(
            "--list-unchanged", action="store_true", help="List unchanged items too."
        )

    def handle(self, *args, **options):
        require_database()
        path = Path(options["path"])
        by = self._user(options["user"])
        data = self._read(path)
        plan, table = imports.preview(path.name, data, year=options["year"])
        for line in imports.preview_lines(plan, unchanged=options["list_unchanged"]):
            self.stdout.write(line)
        if not plan.ok:
            raise CommandError(
                f"{path.name} cannot be imported: {len(plan.problems)} problem(s), listed above; "
                "nothing was written."
            )
        if options["dry_run"]:
            self.stdout.write("Dry run: nothing was written.")
            return
        try:
            record = imports.run(
                path.name,
                data,
                year=options["year"],
                by=by,
                expected_digest=imports.digest(plan, table),
            )
        except ImportRefused as refused:
            raise CommandError(f"Nothing was written: {refused}") from refused
        self.stdout.write(
            self.style.SUCCESS(f"Imported {path.name} into {record.year} as import {record.pk}.")
        )

    def _user(self, username):
        if username is None:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None or not may(user, Perm.IMPORT_RETURNS):
            raise CommandError(f"--user {username}: no admin (superuser) has that username.")
        return user

    def _read(self, path: Path) -> bytes:
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        size = path.stat().st_size
        if size > limit:  # refused before it is read into memory
            raise CommandError(
                f"{path.name} is {filesizeformat(size)}; the largest file accepted is "
                f"{filesizeformat(limit)}. Nothing was written."
            )
        return path.read_bytes()
