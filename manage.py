#!/usr/bin/env python
"""Django's command-line utility for the CCG Portal."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")
    except OperationalError as exc:
        # A database that does not answer is a set-up problem, not a bug: say which one.
        from django.db import connection

        settings = connection.settings_dict
        where = f"{settings.get('HOST') or 'local'}:{settings.get('PORT') or ''}/{settings['NAME']}"
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.exit(f"Cannot use the database {where} (from DATABASE_URL): {reason}")


if __name__ == "__main__":
    main()
