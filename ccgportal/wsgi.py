"""WSGI entry point (gunicorn ccgportal.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
application = get_wsgi_application()
# Everything loaded so far lives as long as the process: keep it out of the garbage
# collector's reach, so a full collection in the middle of a request scans only what requests
# made. A dashboard over a thousand KPIs allocates enough to trigger one (measured in the
# README, "Synthetic data and benchmarks").
gc.freeze()
