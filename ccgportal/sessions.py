"""Sessions in Redis and the database (``SESSION_ENGINE`` with ``REDIS_URL``), where a Redis
that does not answer costs only time.

Django's cached_db store reads a session from the cache and falls back to the database, but a
cache that does not answer still fails a request three ways: filling the cache after a database
read, checking whether a new session key is taken (every log-in) and forgetting a session
(every log-out). Here each of those carries on with the database alone, which holds every
session, and logs a warning. A session forgotten while Redis was away may still be in Redis
when it comes back, until its expiry (SESSION_COOKIE_AGE, the idle timeout); its cookie has
already been cleared from the browser that logged out.
"""

import logging

from django.contrib.sessions.backends import cached_db
from django.contrib.sessions.backends.db import SessionStore as DatabaseStore

logger = logging.getLogger(__name__)


class SessionStore(cached_db.SessionStore):
    def load(self):
        try:
            return super().load()
        except Exception:  # the cache's fill after the database read: whatever Redis raises
            logger.warning("the cache does not answer: session read from the database")
            return DatabaseStore.load(self)

    def exists(self, session_key):
        try:
            return super().exists(session_key)
        except Exception:  # as above
            logger.warning("the cache does not answer: session key checked in the database")
            return DatabaseStore.exists(self, session_key)

    def delete(self, session_key=None):
        try:
            super().delete(session_key)
        except Exception:  # the database row is gone by now; the cache's copy expires
            logger.warning("the cache does not answer: session deleted from the database only")
