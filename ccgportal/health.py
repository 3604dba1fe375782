"""``/healthz`` for load balancers and monitors: 200 when the database (and Redis, when
``REDIS_URL`` is set) answers, 503 otherwise.

Answered by a middleware before sessions, log-in and CSRF, so a probe never creates a session,
needs no account and still answers when the session store is the thing that is down.
"""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse

logger = logging.getLogger(__name__)
PATH = "/healthz"


def _database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure to answer is "down": the probe must never raise
        logger.warning("health check: the database does not answer", exc_info=False)
        return False


def _cache() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:  # as above
        logger.warning("health check: the cache (REDIS_URL) does not answer")
        return False


def checks() -> dict[str, bool]:
    results = {"database": _database()}
    if settings.REDIS_URL:
        results["cache"] = _cache()
    return results


def health(request) -> HttpResponse:
    results = checks()
    healthy = all(results.values())
    body = {"status": "ok" if healthy else "unavailable"} | {
        name: "ok" if up else "down" for name, up in results.items()
    }
    response = HttpResponse(
        json.dumps(body), content_type="application/json", status=200 if healthy else 503
    )
    response["Cache-Control"] = "no-store"
    return response


class HealthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.rstrip("/") == PATH:
            if request.method not in {"GET", "HEAD"}:
                response = HttpResponse(status=405)
                response["Allow"] = "GET, HEAD"
                return response
            return health(request)
        return self.get_response(request)
