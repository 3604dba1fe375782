#!/usr/bin/env python
"""Django's command-line utility for the CCG Portal."""

import os
import sys

# In the demo app, which only development (DEBUG=1) or a demonstration site (DEMO_DATA=1) installs.
DEMO_COMMANDS = {"load_demo", "make_synthetic_data"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line
    from django.db.utils import OperationalError

    try:
        from django.conf import settings

        if sys.argv[1:2] and sys.argv[1] in DEMO_COMMANDS and "demo" not in settings.INSTALLED_APPS:
            sys.exit(
                f"{sys.argv[1]} is a demo data command, there only with DEBUG=1 (development; "
                "make run sets it) or DEMO_DATA=1 (a training or demonstration site)."
            )
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as exc:
        sys.exit(f"Configuration error: {exc}")
    except OperationalError as exc:
        # A database that does not answer is a set-up problem, not a bug: say which one.
        from common.commands import MIGRATE, database_name

        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        hint = f" Run `{MIGRATE}` first." if "no such table" in reason else ""
        sys.exit(f"Cannot use the database {database_name()}: {reason}.{hint}")


if __name__ == "__main__":
    main()
