"""Sessions in Redis and the database (ccgportal/sessions.py): with Redis gone, signing in,
reading pages and signing out still work, from the database alone; with Redis there, a
session is in both."""

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches

from tests.conftest import DEMO_PASSWORD
from tests.dashboards.test_rating_cache import NO_REDIS

ENGINE = "ccgportal.sessions"
REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/9",  # the suite's own database of the local Redis
        "KEY_PREFIX": "ccgportal-test-sessions",
    }
}


def sign_in(client) -> str:
    response = client.post("/accounts/login/", {"username": "exec", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return response.cookies["sessionid"].value


def test_with_redis_gone_a_user_signs_in_reads_pages_and_signs_out(client, demo, settings):
    settings.CACHES, settings.SESSION_ENGINE = NO_REDIS, ENGINE  # nothing listens there
    key = sign_in(client)
    assert Session.objects.filter(session_key=key).exists()  # held by the database
    page = client.get("/dashboard/?year=2013-14&quarter=4")
    assert page.status_code == 200
    assert "Organisation scorecard" in page.content.decode()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/dashboard/").status_code == 302  # signed out: to the log-in page


def test_with_redis_there_a_session_is_kept_in_it_and_in_the_database(client, demo, settings):
    settings.CACHES, settings.SESSION_ENGINE = REDIS, ENGINE
    key = sign_in(client)
    cached = f"django.contrib.sessions.cached_db{key}"
    try:
        assert caches["default"].get(cached) is not None
        assert Session.objects.filter(session_key=key).exists()
        assert client.get("/dashboard/?year=2013-14&quarter=4").status_code == 200
    finally:
        caches["default"].delete(cached)


def test_djangos_own_store_fails_a_log_in_without_redis(client, demo, settings):
    # Why the portal has its own store: Django's asks Redis whether a new key is taken.
    settings.CACHES = NO_REDIS
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    with pytest.raises(Exception, match="Connection refused|Error 111"):
        sign_in(client)
