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

# The load test (bench/load.py) serves these settings under gunicorn on loopback over plain
# HTTP, where a browser or locust never sends back a cookie marked Secure: there, and only
# there, the session and CSRF cookies are not, and nothing redirects to HTTPS.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
