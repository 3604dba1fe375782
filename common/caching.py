"""Reading and filling the shared cache without ever failing a page because of it.

The cache (Redis, when ``REDIS_URL`` is set) only saves work: when it does not answer, the
page works the values out as if nothing were cached, and the failure is logged once per call.
"""

import functools
import hashlib
import logging
from pathlib import Path

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


def get(key: str):
    return get_many([key]).get(key)


def set(key: str, value, timeout: int) -> None:  # noqa: A001 - as cache.set, beside get
    set_many({key: value}, timeout)


# Where the portal's own code and templates are, and what is left out of the release digest.
ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("*.py", "*.html", "*.jinja", "requirements.txt")
OUTSIDE = {".venv", "node_modules", "static", "staticfiles", ".git", "tests", "bench", "docs"}


@functools.cache
def release() -> str:
    """A digest of the portal's code and templates and of the pinned requirements: what a
    rendered page is made by. Rendered HTML kept in the cache carries it in its key, so after
    an update (a shared Redis outlives it) no page is served as the old code drew it. Worked
    out once a process, in milliseconds."""
    digest = hashlib.blake2b(digest_size=16)
    for path in sorted(_sources(ROOT)):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sources(folder: Path):
    for entry in folder.iterdir():
        if entry.is_dir():
            if entry.name not in OUTSIDE and not entry.name.startswith("."):
                yield from _sources(entry)
        elif any(entry.match(pattern) for pattern in SOURCES):
            yield entry


def page_key(name: str, request, data: str) -> str:
    """The cache key of a rendered part of a page: ``name`` (the part), the page's address
    with its query string exactly as asked (the links drawn keep it), the data it was drawn
    from (``data``, a digest of everything it shows) and the release that drew it."""
    asked = f"{request.path}?{request.META.get('QUERY_STRING', '')}"
    parts = "\0".join((release(), name, asked, data))
    return "page:" + hashlib.blake2b(parts.encode(), digest_size=20).hexdigest()
