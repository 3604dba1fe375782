"""gunicorn's settings for `make serve` (gunicorn -c ccgportal/gunicorn_conf.py ccgportal.wsgi).

Workers are processes, each with its own database connection (kept for
DATABASE_CONN_MAX_AGE seconds): WEB_CONCURRENCY of them if set, else two a core and one more,
gunicorn's own advice. The address is BIND (default 127.0.0.1:8000: behind a proxy on the
same machine; never the world unless a proxy that terminates TLS stands in front).
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "0")) or multiprocessing.cpu_count() * 2 + 1
worker_class = "sync"
# A request that takes longer is stuck: the worker is killed and restarted.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Keep connections from a proxy on the same machine open between requests.
keepalive = 5
# The longest request line gunicorn reads (its most; its default is half). An address up to
# 8 KB, as far as a proxy in front passes one, reaches the portal, which answers a bad one in
# its own layout (a 400 for bad filters, a 404) rather than with gunicorn's bare 414.
limit_request_line = 8190
# Load the application once in the master, before forking: the workers share its memory and a
# broken setting stops the server at once instead of every worker in turn.
preload_app = True
# Each worker starts afresh after this many requests (with some jitter, so they do not restart
# together), which bounds whatever memory a long-lived process would gather.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Errors to standard error, where the process supervisor collects them; Django logs each
# request itself.
errorlog = "-"
# gunicorn's control socket (one fixed path per user) would be shared by every server the same
# user starts, such as the load test's beside a running one; nothing here uses it.
control_socket_disable = True
