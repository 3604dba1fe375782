"""Reading and filling the shared cache without ever failing a page because of it.

The cache (Redis, when ``REDIS_URL`` is set) only saves work: when it does not answer, the
page works the values out as if nothing were cached, and the failure is logged once per call.
"""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)


def get_many(keys) -> dict:
    try:
        return cache.get_many(list(keys))
    except Exception:  # whatever the backend raises: the cache is an optimisation only
        logger.warning("the cache does not answer: working the values out instead")
        return {}


def set_many(values: dict, timeout: int) -> None:
    if not values:
        return
    try:
        cache.set_many(values, timeout)
    except Exception:  # as above
        logger.warning("the cache does not answer: nothing stored")
