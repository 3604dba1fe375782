"""What production asks of every response and session, beside Django's own settings.

``NoStoreMiddleware``: pages carry personal or unpublished figures, so no browser or proxy may
keep a copy; a response that says how it may be cached (static files through whitenoise, a
download that sets its own header) keeps its own word.

``IdleSessionMiddleware``: a session lasts ``SESSION_IDLE_MINUTES`` from the last request, not
from sign-in. Django only moves a session's expiry when the session is saved, so it is saved
again as the user works, at most once a minute (saving it on every request would be a write
for every page view).

``client_ip``: the address django-axes counts failed log-ins against.
"""

import time

from django.conf import settings
from django.utils.cache import add_never_cache_headers
from django.utils.functional import empty

RENEW_EVERY_SECONDS = 60
RENEWED_KEY = "_renewed_at"


class NoStoreMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
        return response


class IdleSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Only the session of a user the request already found signed in: an anonymous view,
        # a stale cookie or a refused one (ccgportal/errors.py) never creates or loads one.
        if not signed_in_user(request):
            return response
        session = request.session
        if getattr(session, "modified", False):
            return response  # saved anyway, which moves the expiry
        now = int(time.time())
        if now - session.get(RENEWED_KEY, 0) >= RENEW_EVERY_SECONDS:
            session[RENEWED_KEY] = now
        return response


def signed_in_user(request):
    """The request's user if it was already read and is signed in, else None; never reads it
    (``request.user`` is lazy: reading it would look the session up)."""
    user = getattr(request, "user", None)
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is None or wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return None
    return wrapped


def mark_renewed(sender, request, user, **kwargs):
    """Signing in saves the session anyway: count that as its renewal."""
    if request is not None and hasattr(request, "session"):
        request.session[RENEWED_KEY] = int(time.time())


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or, behind ``TRUSTED_PROXY_COUNT`` proxies that each
    append to X-Forwarded-For, the address the outermost of them saw. Entries before that are
    whatever the client claimed and are never trusted."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if count > 0 and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
