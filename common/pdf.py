"""PDFs laid out by WeasyPrint from the portal's own HTML: fetching nothing but the portal's
static files, tagged for accessibility (PDF/UA-1), and cached by a digest of the HTML they were
built from. Used by the annual report (reports/pdf.py) and the exception pack (dashboards)."""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from common import caching

# The document's base: every relative address in it resolves here, and only addresses under
# it are fetched. The host is reserved (RFC 2606), so nothing could ever answer for it.
BASE_URL = "https://portal.invalid/"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}
VARIANT = "pdf/ua-1"


class Refused(ValueError):
    """An address outside the portal's static files: never fetched."""


class StaticFilesOnly(URLFetcher):
    """Serves the portal's static files from disk and refuses every other address: no network,
    no file outside the static folders, whatever the document's content asks for."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, **kwargs)
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise Refused(f"Only the portal's static files are fetched, not {url}")
        content_type = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> Path | None:
        parts = urlsplit(url)
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if parts.scheme != "https" or parts.netloc != urlsplit(BASE_URL).netloc:
            return None
        if not parts.path.startswith(prefix) or ".." in parts.path:
            return None
        name = parts.path[len(prefix) :]
        found = finders.find(name)
        if found is None and settings.STATIC_ROOT:
            candidate = Path(settings.STATIC_ROOT) / name
            found = str(candidate) if candidate.is_file() else None
        return Path(found) if found else None


def layout(html: str):
    """Print HTML laid out in pages (its own print stylesheet gives the page size)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


def render(html: str) -> bytes:
    """A PDF, tagged for accessibility (PDF/UA-1), from print HTML."""
    return layout(html).write_pdf(pdf_variant=VARIANT)


def digest(html: str) -> str:
    """What a PDF was built from, as one hash: the HTML holds every figure and word."""
    return hashlib.sha256(html.encode()).hexdigest()


# A week: an unchanged report is downloaded from the cache, and the copies of data that has
# since changed (each under its own digest) leave the shared cache by themselves.
PDF_SECONDS = 7 * 24 * 3600


def cached(key: str, html: str, build=render) -> bytes:
    """The PDF for this HTML under ``key``, built once however many times it is downloaded;
    new data makes new HTML, so a new digest and a new PDF."""
    key = f"{key}:{digest(html)}"
    found = caching.get(key)  # a cache that does not answer: built every time, never refused
    if found is None:
        found = build(html)
        caching.set(key, found, PDF_SECONDS)
    return found
