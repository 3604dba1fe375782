"""The OD framework plan's progress report as a PDF: A4, tagged as the annual report is, a
cover, a contents page whose page numbers are where each theme falls, running heads and page
numbers; its text, read back from the PDF, holds every theme, outcome and entry of the
published plan, key phrases in bold and nested entries indented under their parent."""

import io
import re
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from plans.models import Plan, ProgressEntry
from tests.reports.plan_seed import seed_themes
from tests.reports.test_pdf import inflated

PDF = "/reports/od-framework/2015-16.pdf"


@dataclass(frozen=True)
class Run:
    """A piece of text as the PDF draws it: where it starts, in what font."""

    text: str
    x: float
    y: float
    bold: bool


@dataclass(frozen=True)
class PdfPage:
    text: str
    runs: list[Run]

    @property
    def lines(self) -> list[str]:
        return [line.strip() for line in self.text.splitlines() if line.strip()]


def read_pdf(body: bytes) -> list[PdfPage]:
    pages = []
    for page in PdfReader(io.BytesIO(body)).pages:
        runs = []

        def visit(text, cm, tm, font, size, runs=runs):
            if text.strip():
                name = (font or {}).get("/BaseFont", "")
                runs.append(Run(text, tm[4] + cm[4], tm[5] + cm[5], "Bold" in name))

        text = page.extract_text(visitor_text=visit)
        pages.append(PdfPage(text, runs))
    return pages


def squeezed(text: str) -> str:
    """Text without its white space: lines break wherever the page width puts them."""
    return "".join(text.split())


# The demo plan's PDF and its pages read back, for the tests that only read it: built and read
# once (each takes a second or two), since every test starts from the same demo.
_BUILT: dict[str, tuple[bytes, list[PdfPage]]] = {}


@pytest.fixture
def built(client, demo) -> tuple[bytes, list[PdfPage]]:
    if PDF not in _BUILT:
        response = client.get(PDF)  # a published document: nobody needs to sign in
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'inline; filename="od-framework-2015-16.pdf"'
        _BUILT[PDF] = (response.content, read_pdf(response.content))
    return _BUILT[PDF]


@pytest.fixture
def body(built) -> bytes:
    return built[0]


@pytest.fixture
def pages(built) -> list[PdfPage]:
    return built[1]


@pytest.fixture
def plan(demo):
    return Plan.objects.get(slug="od-framework", year__label="2015-16")


def test_the_pdf_is_a4_tagged_as_the_annual_report_is_and_titled(body, plan):
    assert body.startswith(b"%PDF-1.7")
    objects = inflated(body)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects  # tagged
    assert b"pdfuaid:part" in objects  # PDF/UA, the variant reports.pdf.render writes
    reader = PdfReader(io.BytesIO(body))
    assert reader.metadata.title == plan.title
    assert reader.metadata.author == plan.organisation.name
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 in points


def test_a_cover_then_a_contents_page_whose_numbers_are_where_each_theme_falls(pages, plan):
    cover = pages[0].lines
    assert cover[0] == plan.organisation.name
    assert " ".join(cover[1:-1]) == plan.title
    assert cover[-1] == plan.year.display_name
    contents = pages[1].lines
    assert contents[0] == "Contents"
    listed = {}
    for line in contents[1:]:
        match = re.fullmatch(r"(.+?)\s*\.+\s*(\d+)", line)
        if match:
            listed[match[1]] = int(match[2])
    themes = [str(theme) for theme in plan.themes.all()]
    assert list(listed) == themes
    for title, number in listed.items():
        # The theme's heading opens the page the contents give for it.
        assert squeezed(pages[number - 1].text).startswith(squeezed(title)), title


def test_every_page_but_the_cover_has_its_running_head_and_number(pages, plan):
    total = len(pages)
    assert total >= 7  # cover, contents, six themes
    assert "Page" not in pages[0].text
    themes = {str(theme): f"Theme {theme.number}" for theme in plan.themes.all()}
    section = "Contents"
    for number, page in enumerate(pages[1:], start=2):
        text = squeezed(page.text)
        section = next((h for t, h in themes.items() if text.startswith(squeezed(t))), section)
        # The running head (the plan's title, then the theme the page is in, by its number)
        # and the page number close the page's text, the head on one line.
        assert page.lines[-1] == f"Page {number} of {total}"
        assert text.endswith(squeezed(f"{plan.title} {section} Page {number} of {total}"))
        assert squeezed(f"{plan.title} {section}") in [squeezed(line) for line in page.lines]


def test_the_pdfs_text_holds_every_theme_outcome_and_entry_of_the_published_plan(pages):
    text = squeezed(" ".join(page.text for page in pages))
    published = seed_themes()
    assert len(published) == 6
    for theme in published:
        assert squeezed(f"{theme.number}. {theme.title}").lower() in text.lower()
        for letter, outcome in theme.outcomes:
            assert squeezed(f"{letter}) {outcome}") in text
        items = list(theme.items())
        assert items
        for item in items:
            assert squeezed(item.text) in text, item.text


def test_key_phrases_print_in_bold_and_the_rest_of_an_entry_does_not(pages, plan):
    bold = squeezed(" ".join(run.text for page in pages for run in page.runs if run.bold))
    regular = squeezed(" ".join(run.text for page in pages for run in page.runs if not run.bold))
    phrases = ProgressEntry.objects.filter(theme__plan=plan).exclude(key_phrase="")
    assert phrases.count() > 40
    for entry in phrases:
        assert squeezed(entry.key_phrase) in bold, entry.key_phrase
        before, _, after = entry.text.partition(entry.key_phrase)
        for part in (before, after):
            if len(part.strip()) > 12:
                assert squeezed(part) in regular, part


def test_nested_entries_print_indented_under_their_parent(pages, plan):
    runs = [run for page in pages for run in page.runs]

    def start(text):
        (run,) = [r for r in runs if r.text.strip() and text.startswith(r.text.strip())][:1]
        return run

    children = ProgressEntry.objects.filter(theme__plan=plan, parent__isnull=False)
    assert children.count() == 5
    for child in children.select_related("parent"):
        parent_words = child.parent.text.partition(child.parent.key_phrase)[0]
        assert start(child.text).x > start(parent_words).x + 10
        assert start(child.text).y > start(parent_words).y  # below it (y runs down the page)


def test_a_second_download_of_an_unchanged_plan_is_not_rendered_again(client, demo, renders):
    first = client.get(PDF).content
    assert client.get(PDF).content == first
    assert len(renders) == 1
    assert "nhsuk-header" not in renders[0]  # no navigation in print
    entry = ProgressEntry.objects.filter(key_phrase="practice visits").get()
    ProgressEntry.objects.filter(pk=entry.pk).update(
        text=entry.text.replace("18 visits", "19 visits")
    )
    client.get(PDF)
    assert len(renders) == 2
    assert "19 visits have taken place" in renders[1]


def test_markup_typed_into_a_plan_prints_as_text(client, plan, renders):
    theme = plan.themes.get(number=2)
    entry = theme.progress.filter(parent=None).first()
    ProgressEntry.objects.filter(pk=entry.pk).update(
        text='See <img src="http://example.com/x.png"> and <script>alert(1)</script>',
        key_phrase="<script>",
    )
    response = client.get(PDF)
    assert response.status_code == 200
    html = renders[0]
    assert "<img src=" not in html and "<script>" not in html
    assert "&lt;img src=" in html and "&lt;script&gt;" in html
    text = squeezed(" ".join(page.text for page in read_pdf(response.content)))
    assert (
        squeezed('See <img src="http://example.com/x.png"> and <script>alert(1)</script>') in text
    )
