"""The return form's live RAG preview says what the server says, and never more.

The preview is static/js/rag-preview.js, run here under Node (tests/kpis/rag_preview.mjs) on the
KPI row exactly as the server drew it: its data-rag-* attributes, each input's limits and the
page's JSON words, with figures typed in. The same figures are then saved through the form and
the page the server draws afterwards must show the same RAG and the same words. The expected
texts are worked out from the published rules (kpis/rules.py) and the demo's targets.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kpis.models import Figure, KpiYear
from kpis.presenters import rag_preview_words, rag_words
from tests.html import form_values, page
from tests.support import login

HARNESS = Path(__file__).with_name("rag_preview.mjs")
ROOT = Path(__file__).resolve().parent.parent.parent


def run_preview(rows: list[dict], words: dict) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node runs the form's script in these tests (make setup needs it for the assets)"
    done = subprocess.run(  # noqa: S603 - Node on our own harness, fixed arguments
        [node, str(HARNESS)],
        input=json.dumps({"words": words, "rows": rows}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def _camel(name: str) -> str:
    """A data-* attribute's name as the browser's dataset spells it: at-most -> atMost."""
    first, *rest = name.split("-")
    return first + "".join(part.capitalize() for part in rest)


def _key(element) -> str:
    """An input's name without its row's prefix: k41-count -> count, k41-m4_count -> m4_count."""
    return element.attrs["name"].split("-", 1)[1]


def described(row, typed: dict[str, str], not_collected=()) -> dict:
    """The row as return-form.js hands it to rag-preview.js, with ``typed`` in its inputs."""
    basis = {
        _camel(name.removeprefix("data-rag-")): value
        for name, value in row.attrs.items()
        if name.startswith("data-rag-")
    }
    periods = []
    for period in row.find_all("div", cls="app-return-period"):
        parts = {}
        for field in period.find_all("input", cls="app-figure-input"):
            limits = {
                _camel(name.removeprefix("data-")): value
                for name, value in field.attrs.items()
                if name.startswith("data-")
            }
            text = typed.get(_key(field), field.attrs.get("value") or "")
            parts[field.attrs["data-field"]] = {"text": text, "limits": limits}
        box = period.find("input", **{"data-field": "not_collected"})
        ticked = _key(box) in not_collected or "checked" in box.attrs
        periods.append({"notCollected": ticked, "parts": parts})
    return {"basis": basis, "periods": periods}


def _url(kpi_year: KpiYear, quarter: int) -> str:
    return f"/returns/{kpi_year.year.label}/{quarter}/{kpi_year.team.slug}/"


def _row(doc, kpi_year: KpiYear):
    return doc.find("fieldset", id=f"kpi-{kpi_year.id}")


def shown(row) -> dict:
    """The RAG and its words as the page shows them in the KPI's row."""
    badge = row.find("span", cls="app-computed-rag").find("strong")
    rating = badge.classes[-1].removeprefix("app-rag--")
    return {
        "rag": "" if rating == "none" else rating,
        "text": row.find("span", cls="app-computed-rag__reason").text,
    }


def save(client, kpi_year: KpiYear, quarter: int, typed: dict[str, str], not_collected=()):
    """Post the form as a browser would with these figures typed (and the inputs of a period
    marked not collected left out, as the script greys them out)."""
    url = _url(kpi_year, quarter)
    doc = page(client.get(url))
    data = form_values(doc.find("form", id="return-form"))
    prefix = f"k{kpi_year.id}-"
    data.update({prefix + key: value for key, value in typed.items()})
    for period in _row(doc, kpi_year).find_all("div", cls="app-return-period"):
        box = period.find("input", **{"data-field": "not_collected"})
        if _key(box) in not_collected:
            data[box.attrs["name"]] = "on"
            for field in period.find_all("input", cls="app-figure-input"):
                data.pop(field.attrs["name"], None)
    return client.post(url, {**data, "action": "draft"})


def kpi(slug: str) -> KpiYear:
    return KpiYear.objects.select_related("team", "year").get(year__label="2014-15", kpi__slug=slug)


# (KPI, what is typed, 'not collected' ticked, the RAG and the words), from the rules:
# 386 pa is 96.5 to date at Q1, amber down to 10% short (86.85); 6 per quarter is amber down to
# 5.4; 100% is amber down to 90%; 2% (lower is better) amber up to 2.2%; 299 pa cumulative is
# 74.75 to date at Q1; an annual increase is judged on the same quarter last year (press
# statements 2013/14 Q1: 34 issued), no change being amber.
AGREED = [
    ("bi-meetings-attended", {"count": "97"}, (), "green", "97 against 96.5, year to date"),
    ("bi-meetings-attended", {"count": "90"}, (), "amber", "90 against 96.5, year to date"),
    ("bi-meetings-attended", {"count": "86"}, (), "red", "86 against 96.5, year to date"),
    ("bi-meetings-attended", {"count": ""}, (), "", "No figure"),
    ("bi-meetings-attended", {}, ("not_collected",), "", "Information not collected"),
    ("quality-inspections", {"count": "5"}, (), "red", "5 against 6, this quarter"),
    ("quality-inspections", {"count": "6"}, (), "green", "6 against 6, this quarter"),
    (
        "foi-requests-responded",  # monthly: 63 of 67 over the quarter, 94.03%
        {
            "m4_numerator": "20",
            "m4_denominator": "21",
            "m5_numerator": "25",
            "m5_denominator": "25",
            "m6_numerator": "18",
            "m6_denominator": "21",
        },
        (),
        "amber",
        "94.03% against 100%, this quarter",
    ),
    (
        "foi-requests-responded",  # a month not collected is left out of the quarter
        {"m4_numerator": "20", "m4_denominator": "20", "m6_numerator": "9", "m6_denominator": "9"},
        ("m5_not_collected",),
        "green",
        "100% against 100%, this quarter",
    ),
    (
        "foi-requests-responded",
        {},
        ("m4_not_collected", "m5_not_collected", "m6_not_collected"),
        "",
        "Information not collected",
    ),
    (
        "days-to-issue-monthly-reports",  # the average of 6, 6 and 7 days is 6 whole days
        {"m4_count": "6", "m5_count": "6", "m6_count": "7"},
        (),
        "green",
        "6 against 6, this quarter",
    ),
    (
        "staff-absence",  # the average of the months, lower is better
        {"m4_percent": "2.1", "m5_percent": "2.2", "m6_percent": "2.3"},
        (),
        "amber",
        "2.2% against 2%, this quarter",
    ),
    (
        "chc-contracts-issued",  # cumulative: June's figure is the year to date
        {"m4_count": "20", "m5_count": "45", "m6_count": "80"},
        (),
        "green",
        "80 against 74.75, year to date",
    ),
    (
        "press-statements",
        {"count": "34", "count_2": "20"},
        (),
        "amber",
        "34 against 34, same quarter last year",
    ),
    (
        "press-statements",
        {"count": "40", "count_2": "20"},
        (),
        "green",
        "40 against 34, same quarter last year",
    ),
]


@pytest.mark.parametrize(("slug", "typed", "not_collected", "rag", "words"), AGREED)
def test_the_preview_and_the_saved_page_say_the_same(
    client, demo, slug, typed, not_collected, rag, words
):
    kpi_year = kpi(slug)
    login(client, "admin")
    doc = page(client.get(_url(kpi_year, 1)))
    preview_words = json.loads(doc.find("script", id="rag-preview").text)
    [previewed] = run_preview([described(_row(doc, kpi_year), typed, not_collected)], preview_words)
    assert previewed == {"rag": rag, "text": words}

    response = save(client, kpi_year, 1, typed, not_collected)
    assert response.status_code == 302
    assert shown(_row(page(client.get(_url(kpi_year, 1))), kpi_year)) == previewed


def test_the_year_to_date_adds_the_quarters_saved_before(client, bi_kpis):
    meetings = bi_kpis["bi-meetings-attended"]
    login(client, "staff.bi")
    assert save(client, meetings, 1, {"count": "97"}).status_code == 302
    doc = page(client.get(_url(meetings, 2)))
    row = _row(doc, meetings)
    assert (row.attrs["data-rag-target"], row.attrs["data-rag-offset"]) == ("193", "97")
    words = json.loads(doc.find("script", id="rag-preview").text)
    previewed = run_preview([described(row, {"count": "124"})], words)
    # 97 + 124 = 221 meetings by the end of Q2, against 386 × 2/4 = 193
    assert previewed == [{"rag": "green", "text": "221 against 193, year to date"}]
    assert save(client, meetings, 2, {"count": "124"}).status_code == 302
    assert shown(_row(page(client.get(_url(meetings, 2))), meetings)) == previewed[0]


# (KPI, what is typed, what the server says when it refuses it): the preview shows no RAG.
REFUSED = [
    ("bi-meetings-attended", {"count": "96.5"}, "Enter a whole number, like 96"),
    ("bi-meetings-attended", {"count": "+5"}, "Enter a number, not a formula"),
    ("bi-meetings-attended", {"count": "-5"}, "This cannot be negative"),
    ("bi-meetings-attended", {"count": "9 7"}, "Enter a whole number, like 96"),
    (
        "foi-requests-responded",
        {"m4_numerator": "22", "m4_denominator": "21"},
        "The numerator (22) cannot be more than the denominator (21)",
    ),
    ("foi-requests-responded", {"m4_numerator": "20"}, "Enter the denominator"),
    (
        "foi-requests-responded",
        {"m4_numerator": "0", "m4_denominator": "0"},
        "The denominator must be more than 0",
    ),
    ("staff-absence", {"m4_percent": "101"}, "A percentage cannot be more than 100"),
    ("staff-absence", {"m4_percent": "2.12345"}, "Enter no more than 4 decimal places"),
    (
        "coding-challenges-successful",  # no target: no RAG whatever is typed
        {"count": "15", "amount_gbp": "900,000.123"},
        "Enter no more than 2 decimal places",
    ),
]


@pytest.mark.parametrize(("slug", "typed", "refusal"), REFUSED)
def test_what_the_server_would_refuse_gets_no_rag_in_the_preview(
    client, demo, slug, typed, refusal
):
    kpi_year = kpi(slug)
    login(client, "admin")
    doc = page(client.get(_url(kpi_year, 1)))
    row = _row(doc, kpi_year)
    [previewed] = run_preview(
        [described(row, typed)], json.loads(doc.find("script", id="rag-preview").text)
    )
    if row.attrs["data-rag-preview"] == "none":
        assert shown(row) == {"rag": "", "text": "No target"}  # the script leaves it be
    else:
        assert previewed == {"rag": "", "text": "Not rated: check the figure"}
    before = list(Figure.objects.filter(kpi_year=kpi_year).values())
    response = save(client, kpi_year, 1, typed)
    assert response.status_code == 400
    assert refusal in " ".join(response.content.decode().split())
    assert list(Figure.objects.filter(kpi_year=kpi_year).values()) == before


def _string_literals(path: Path) -> list[str]:
    code = "\n".join(line.split("//")[0] for line in path.read_text().splitlines())
    return re.findall(r'"[^"\n]*"|\'[^\'\n]*\'|`[^`]*`', code)


def test_the_scripts_type_none_of_the_words_they_write():
    literals = [
        literal
        for name in ("rag-preview.js", "return-form.js")
        for literal in _string_literals(ROOT / "static" / "js" / name)
    ]
    words = rag_preview_words()
    texts = [words["empty"], words["not_collected"], words["invalid"], words["on_save"]]
    texts += [*words["basis"].values(), *rag_words().values(), "against"]
    assert [t for t in texts if any(t in literal for literal in literals)] == []
    assert '"rag-preview"' in literals and '"rag-words"' in literals


def test_the_form_hands_its_script_the_preview_words(client, bi_kpis):
    doc = page(login(client, "staff.bi").get("/returns/2014-15/1/business-intelligence/"))
    assert json.loads(doc.find("script", id="rag-preview").text) == rag_preview_words()
    assert rag_preview_words() == {
        "against": "{actual} against {target}, {basis}",
        "places": 2,
        "basis": {
            "quarter": "this quarter",
            "year_to_date": "year to date",
            "year_average": "average for the year to date",
            "year_level": "target for the year",
            "last_year": "same quarter last year",
        },
        "empty": "No figure",
        "not_collected": "Information not collected",
        "invalid": "Not rated: check the figure",
        "on_save": "Rated when you save",
    }
