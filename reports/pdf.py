"""The annual report as a PDF: the portal's PDF machinery (common/pdf.py: WeasyPrint, the
static-files-only URL fetcher, the digest cache) applied to the report's print HTML."""

from common import pdf as machinery
from common.pdf import BASE_URL, Refused, StaticFilesOnly, digest, layout  # noqa: F401

CACHE_PREFIX = "annual-report-pdf"


def render(html: str) -> bytes:
    """A4 PDF, tagged for accessibility (PDF/UA-1), from the report's print HTML."""
    return machinery.render(html)


def cached_pdf(label: str, html: str) -> bytes:
    """The PDF for this HTML, rendered once however many times it is downloaded."""
    return machinery.cached(f"{CACHE_PREFIX}:{label}", html, render)
