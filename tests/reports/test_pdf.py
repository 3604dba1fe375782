"""The annual report as a PDF: A4, tagged, its own static files only, cached by what it was
built from."""

import re
import zlib

from django.test import override_settings

from kpis.models import Figure
from reports import pdf
from tests.dashboards.test_rating_cache import NO_REDIS
from tests.support import login

PDF = "/reports/annual/2013-14.pdf"


def inflated(body: bytes) -> bytes:
    """The PDF with its compressed streams (object streams among them) inflated."""
    parts = [body]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", body, re.S):
        try:
            parts.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_pdf_is_a4_tagged_and_titled(client, demo, renders):
    login(client)
    response = client.get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-1.7")
    objects = inflated(body)
    assert b"/StructTreeRoot" in objects and b"/MarkInfo" in objects  # tagged
    assert b"pdfuaid:part" in objects  # declared PDF/UA
    html = renders[0]
    assert "Commissioning support services annual report 2013/14" in html
    assert "nhsuk-header" not in html  # no navigation in print
    assert "report-pdf.css" in html
    pages = pdf.layout(html).pages
    assert (round(pages[0].width), round(pages[0].height)) == (794, 1123)  # A4 in CSS px
    assert len(pages) > 20


def test_with_the_cache_gone_the_pdf_is_built_every_time_and_never_refused(client, demo, renders):
    login(client)
    with override_settings(CACHES=NO_REDIS):  # a Redis at an address where nothing listens
        first, second = client.get(PDF), client.get(PDF)
    assert first.status_code == second.status_code == 200
    assert first["Content-Type"] == "application/pdf"
    assert second.content == first.content
    assert len(renders) == 2


def test_a_second_download_of_unchanged_data_is_not_rendered_again(client, demo, renders):
    login(client)
    first = client.get(PDF).content
    assert client.get(PDF).content == first
    assert len(renders) == 1
    figure = Figure.objects.get(
        kpi_year__kpi__slug="delivery-plan-projects-on-target",
        kpi_year__year__label="2013-14",
        quarter=4,
    )
    figure.count = 27
    figure.save()  # as every write does, which marks the KPI's cached ratings out of date
    client.get(PDF)
    assert len(renders) == 2
    assert "27 out of a total 31" in renders[1]


def test_the_pdf_needs_a_signed_in_user_while_a_draft(client, demo):
    assert client.get(PDF).status_code == 302


def test_nothing_but_the_portals_static_files_is_fetched(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the PDF reached for the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    fetched = []
    real_fetch = pdf.StaticFilesOnly.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        try:
            return real_fetch(self, url, headers)
        finally:
            spy.refused = list(self.refused)

    monkeypatch.setattr(pdf.StaticFilesOnly, "fetch", spy)
    html = (
        '<html lang="en-GB"><head><title>t</title>'
        '<link rel="stylesheet" href="/static/reports/report-pdf.css"></head><body>'
        '<p>Report content</p><img src="http://example.com/x.png" alt="x">'
        '<img src="file:///etc/passwd" alt="y"><img src="/static/../ccgportal/settings.py" alt="z">'
        "</body></html>"
    )
    assert pdf.render(html).startswith(b"%PDF")
    assert fetched == [
        "https://portal.invalid/static/reports/report-pdf.css",
        "http://example.com/x.png",
        "file:///etc/passwd",
        "https://portal.invalid/ccgportal/settings.py",
    ]
    assert spy.refused == fetched[1:]


def test_a_picture_typed_into_report_content_prints_as_text(client, demo, renders):
    from reports.models import AnnualReport

    AnnualReport.objects.filter(year__label="2013-14").update(
        next_steps='<img src="http://example.com/x.png">'
    )
    login(client)
    assert client.get(PDF).status_code == 200
    assert "&lt;img src=" in renders[0] and "<img" not in renders[0]


def test_the_page_links_its_pdf_and_prints_with_the_reports_stylesheet(client, demo):
    from tests.html import page

    login(client)
    doc = page(client.get("/reports/annual/2013-14/"))
    assert doc.find("a", href=PDF).text == "Download the report as a PDF"
    assert doc.find("link", media="print").attrs["href"].endswith("reports/report-pdf.css")
