"""/healthz: 200 only when the database (and Redis, when configured) answers, 503 otherwise,
without a session or a log-in."""

import json
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import OperationalError

from ccgportal import health
from tests.ccgportal.test_settings import manage

REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/15",
    }
}
NO_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
    }
}


def test_healthy_answers_200_without_a_session_or_a_log_in(client, db):
    sessions = Session.objects.count()
    response = client.get("/healthz")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok"}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie
    assert Session.objects.count() == sessions
    assert client.get("/healthz/").status_code == 200


def test_a_database_that_does_not_answer_is_503(client, db):
    refused = OperationalError("connection refused")
    with mock.patch.object(health.connection, "cursor", side_effect=refused):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable", "database": "down"}


def test_with_the_database_really_down_it_answers_503_not_an_error():
    """The portal started against a PostgreSQL port nothing listens on."""
    script = (
        "from django.test import Client; r = Client().get('/healthz'); "
        "print(r.status_code, r.content.decode())"
    )
    result = manage(
        "shell", "-c", script, DEBUG="1", DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere"
    )
    assert result.returncode == 0, result.stderr
    status, body = result.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body) == {"status": "unavailable", "database": "down"}


@pytest.mark.parametrize(
    "caches, status, cache_state", [(REDIS, 200, "ok"), (NO_REDIS, 503, "down")], ids=["up", "down"]
)
def test_with_redis_configured_it_must_answer_too(
    client, db, settings, caches, status, cache_state
):
    settings.REDIS_URL = caches["default"]["LOCATION"]
    settings.CACHES = caches
    response = client.get("/healthz")

    assert response.status_code == status
    assert json.loads(response.content)["cache"] == cache_state
    assert json.loads(response.content)["database"] == "ok"


def test_only_get_and_head(client, db):
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
