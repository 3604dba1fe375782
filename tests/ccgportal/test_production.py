"""Production mode: the settings an environment gives, the headers every answer carries,
sessions that end when idle, lock-out after repeated failed log-ins, and the deploy check."""

import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.utils import timezone

from ccgportal.security import RENEWED_KEY
from tests.ccgportal.test_settings import manage
from tests.conftest import DEMO_PASSWORD
from tests.html import page
from tests.support import login

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k" * 20 + "-production-like-key-for-tests-" + "q" * 20,
    "ALLOWED_HOSTS": "portal.example.nhs.uk",
}
HSTS = "max-age=31536000; includeSubDomains; preload"


@pytest.fixture
def production(settings):
    """The security settings a production environment gets by default (DEBUG off)."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 365 * 24 * 3600
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    return settings


def setting(name: str, **env) -> str:
    """A setting's value as ``manage.py`` sees it with this environment."""
    result = manage(
        "shell", "-c", f"from django.conf import settings; print(settings.{name})", **env
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_make_check_deploy_passes_with_a_production_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_defaults_are_strict_and_development_ones_are_not():
    assert setting("SECURE_SSL_REDIRECT", **PRODUCTION_ENV) == "True"
    assert setting("SECURE_HSTS_SECONDS", **PRODUCTION_ENV) == "31536000"
    assert setting("SESSION_COOKIE_SECURE", **PRODUCTION_ENV) == "True"
    assert setting("SECURE_SSL_REDIRECT", DEBUG="1") == "False"
    assert setting("SECURE_HSTS_SECONDS", DEBUG="1") == "0"
    # Every one is the environment's to set: a proxy that ends TLS, a shorter idle time.
    assert setting(
        "SECURE_PROXY_SSL_HEADER", DEBUG="1", SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"
    ) == ("('HTTP_X_FORWARDED_PROTO', 'https')")
    assert setting("SESSION_COOKIE_AGE", DEBUG="1", SESSION_IDLE_MINUTES="10") == "600"
    bad = manage("check", DEBUG="1", SESSION_IDLE_MINUTES="ten")
    assert bad.returncode == 1
    assert "SESSION_IDLE_MINUTES must be a whole number, not 'ten'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_redis_holds_the_cache_and_sessions_when_configured():
    redis = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/0"}
    assert setting("CACHES['default']['BACKEND']", **redis) == (
        "django.core.cache.backends.redis.RedisCache"
    )
    assert setting("SESSION_ENGINE", **redis) == "ccgportal.sessions"
    assert setting("CACHES['default']['BACKEND']", DEBUG="1") == (
        "django.core.cache.backends.locmem.LocMemCache"
    )


def assert_security_headers(response):
    assert response["Strict-Transport-Security"] == HSTS
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert {"no-store", "no-cache", "private"} <= {
        part.strip() for part in response["Cache-Control"].split(",")
    }
    assert len(response["X-Request-ID"]) == 32


def test_a_page_a_download_and_an_error_page_carry_every_header(client, demo, production):
    login(client)
    page_response = client.get("/dashboard/", secure=True)
    download = client.get("/dashboard/?format=csv", secure=True)
    error = client.get("/no-such-page/", secure=True)

    assert page_response.status_code == 200
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert error.status_code == 404
    for response in (page_response, download, error):
        assert_security_headers(response)


def test_plain_http_is_sent_to_https_except_the_health_probe(client, demo, production):
    response = client.get("/dashboard/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/dashboard/"
    assert client.get("/healthz").status_code == 200


def test_behind_a_proxy_its_header_says_the_request_came_over_https(client, demo, production):
    production.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    login(client)
    response = client.get("/dashboard/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == HSTS


def test_signing_in_sets_secure_http_only_same_site_cookies(client, demo, production):
    form = client.get("/accounts/login/", secure=True)
    csrf = form.cookies["csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["samesite"] == "Lax"
    response = client.post(
        "/accounts/login/",
        {"username": "exec", "password": DEMO_PASSWORD},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert session["max-age"] == ""  # ends when the browser closes, and sooner when idle


# ------------------------------------------------------------------------ idle sessions


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_a_session_left_idle_longer_than_its_limit_is_signed_out(client, demo, settings):
    login(client)
    assert client.get("/dashboard/").status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    response = client.get("/dashboard/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_working_keeps_a_session_alive_renewing_it_at_most_once_a_minute(client, demo, settings):
    login(client)
    idle = timedelta(minutes=settings.SESSION_IDLE_MINUTES)
    first = _session(client).expire_date
    client.get("/dashboard/")
    assert _session(client).expire_date == first  # renewed at sign-in, not again at once

    session = client.session
    session[RENEWED_KEY] = int(time.time()) - 61
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=1)
    )
    client.get("/dashboard/")
    renewed = _session(client).expire_date
    assert renewed > timezone.now() + idle - timedelta(seconds=30)


def test_an_anonymous_page_view_creates_no_session(client, demo):
    before = Session.objects.count()
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
    # Nor does a stale cookie, from a session that has ended: it is deleted, not renewed.
    client.cookies["sessionid"] = "ended0session0key0000000000000000"
    response = client.get("/accounts/login/")
    assert response.cookies["sessionid"].value == ""
    assert Session.objects.count() == before


# ------------------------------------------------------------------------------ lock-out


def _try(client, username, password, address="10.0.0.1"):
    return client.post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def test_five_wrong_passwords_lock_that_user_out_from_that_address(client, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        refused = _try(client, "exec", "wrong-password")
        assert refused.status_code == 200  # the form again, with its error
        assert "enter a correct username and password" in refused.content.decode()

    locked = _try(client, "exec", "wrong-password")
    assert locked.status_code == 429
    doc = page(locked)
    assert doc.find("header", cls="nhsuk-header") is not None
    assert doc.find("h1").text == "Too many attempts to sign in"
    reason = doc.find("p", id="lockout-reason").text
    assert "exec" in reason and "failed 5 times" in reason
    assert "Try again in 15 minutes" in locked.content.decode()

    # Now even the right password is refused, from that address, for that user.
    assert _try(client, "exec", DEMO_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session
    # Per user and address: the same user elsewhere, and another user here, may sign in.
    assert _try(client, "exec", DEMO_PASSWORD, address="10.0.0.2").status_code == 302
    client.logout()
    assert _try(client, "director.finance", DEMO_PASSWORD).status_code == 302


def test_an_admin_lifts_a_lock_out_in_admin(client, demo, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(client, "exec", "wrong-password")
    attempt = AccessAttempt.objects.get(username="exec", ip_address="10.0.0.1")
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT

    admin = login(client, "admin")
    listing = admin.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "exec" in listing.content.decode()
    deleted = admin.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert deleted.status_code == 302
    assert not AccessAttempt.objects.filter(username="exec").exists()
    admin.logout()
    assert _try(client, "exec", DEMO_PASSWORD).status_code == 302


def test_behind_trusted_proxies_the_address_counted_is_the_one_they_saw(rf, settings):
    from ccgportal.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="10.0.0.5")
    assert client_ip(request) == "10.0.0.5"  # no proxy trusted: the forwarded list is a claim
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.9"  # what the one proxy saw; 6.6.6.6 was claimed
