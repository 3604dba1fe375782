"""The portal's settings, run as production would (DEBUG off), plus a bench-only URL.

DEBUG off so no query log or debug rendering is timed. Static files are served by name, not
from collectstatic's manifest, so pages render without a collectstatic run.
"""

import os

os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

from ccgportal.settings import *  # noqa: E402, F403

DEBUG = False
ROOT_URLCONF = "bench.urls"
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
