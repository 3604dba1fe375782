"""The words of a PDF the portal built, read back with pypdf: each page's text with its
whitespace (line ends inside a table cell or heading among it) run together."""

from io import BytesIO

from pypdf import PdfReader


def page_texts(body: bytes) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(BytesIO(body)).pages]


def pdf_text(body: bytes) -> str:
    return " ".join(page_texts(body))


def words(text: str) -> str:
    return " ".join(text.split())
