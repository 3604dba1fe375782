"""WSGI entry point (gunicorn ccgportal.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
application = get_wsgi_application()
