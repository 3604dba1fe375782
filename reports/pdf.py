"""The annual report as a PDF: rendered by WeasyPrint from the report's own HTML, fetching
nothing but the portal's own static files, and cached by a digest of what it was built from."""

import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The document's base: every relative address in it resolves here, and only addresses under
# it are fetched. The host is reserved (RFC 2606), so nothing could ever answer for it.
BASE_URL = "https://portal.invalid/"
CACHE_PREFIX = "annual-report-pdf"
CONTENT_TYPES = {".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png"}


class Refused(ValueError):
    """An address outside the portal's static files: never fetched."""


class StaticFilesOnly(URLFetcher):
    """Serves the portal's static files from disk and refuses every other address: no network,
    no file outside the static folders, whatever the report's content asks for."""

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
    """The report's print HTML laid out in pages (A4, from static/reports/report-pdf.css)."""
    return HTML(string=html, base_url=BASE_URL, url_fetcher=StaticFilesOnly()).render()


def render(html: str) -> bytes:
    """A4 PDF, tagged for accessibility (PDF/UA-1), from the report's print HTML."""
    return layout(html).write_pdf(pdf_variant="pdf/ua-1")


def digest(html: str) -> str:
    """What the PDF was built from, as one hash: the HTML holds every figure and word."""
    return hashlib.sha256(html.encode()).hexdigest()


def cached_pdf(label: str, html: str) -> bytes:
    """The PDF for this HTML, rendered once however many times it is downloaded; new data
    makes new HTML, so a new digest and a new rendering."""
    key = f"{CACHE_PREFIX}:{label}:{digest(html)}"
    found = cache.get(key)
    if found is None:
        found = render(html)
        cache.set(key, found, timeout=None)
    return found
