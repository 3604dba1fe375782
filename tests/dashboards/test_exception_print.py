"""The exception report on paper: several KPIs to an A4 page, none split, no link addresses."""

import re
from pathlib import Path

from django.contrib.staticfiles import finders

from tests.html import page
from tests.support import login

Q4 = "?year=2013-14&quarter=4"


def test_the_exception_report_prints_compactly_without_link_addresses(client, demo):
    css = Path(finders.find("dist/portal.css")).read_text(encoding="utf-8")
    printed = "".join(re.findall(r"@media print\{(.*?\})\}", css, flags=re.S))
    # NHS.UK frontend prints every link's address after it; not on the exception report.
    assert ".app-exception a::after{content:none}" in printed
    block = re.search(r"\.app-exception\{([^}]*)\}", printed).group(1)
    assert "break-inside:avoid" in block and "page-break-inside:avoid" in block
    assert "font-size:9pt" in block and "display:grid" in block
    doc = page(login(client).get("/dashboard/exceptions/" + Q4))
    first = doc.find("section", cls="app-exception")
    assert [child.attrs.get("class") for child in first.children][-2:] == [
        "nhsuk-table app-exception__figures",
        "app-exception__commentary",
    ]
