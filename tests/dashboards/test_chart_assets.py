"""plotly.js is loaded only by pages that draw a chart, with both of the stylesheets it would
otherwise inject as <style> elements (which the CSP refuses) linked by the ids it looks for."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from tests.html import page
from tests.support import login

Q4 = "?year=2013-14&quarter=4"
# How the bundle appends a stylesheet to the head: plotly's own, unless an element with its id
# carries the class no-inline-styles; maplibre-gl's, unless an element with its id exists.
PLOTLY_GUARD = (
    'var i="plotly.js-style-"+e,n=document.getElementById(i);'
    'if(!(n&&n.matches(".no-inline-styles")))'
)
MAPLIBRE_GUARD = re.compile(
    r'if\(!document\.getElementById\("([0-9a-f]+)"\)\)\{'
    r'var (\w+)=document\.createElement\("style"\)'
)


def plotly_loaded(doc) -> dict:
    return {
        "script": [
            s.attrs["src"] for s in doc.find_all("script") if "plotly" in s.attrs.get("src", "")
        ],
        "links": {
            link.attrs["id"]: link.attrs["href"]
            for link in doc.find_all("link")
            if "plotly" in link.attrs.get("href", "")
        },
    }


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/" + Q4,
        "/dashboard/directorates/quality/" + Q4,
        "/kpis/quality-inspections/",
    ],
)
def test_chart_pages_load_plotly_and_both_its_stylesheets(client, demo, url):
    doc = page(login(client).get(url))
    assert len(doc.find_all(cls="app-chart")) == 1
    bundle = Path(finders.find("dist/plotly.min.js")).read_text(encoding="utf-8")
    maplibre_id = MAPLIBRE_GUARD.search(bundle).group(1)
    assert plotly_loaded(doc) == {
        "script": ["/static/dist/plotly.min.js"],
        "links": {
            "plotly.js-style-global": "/static/dist/plotly.css",
            maplibre_id: "/static/dist/plotly-maplibre.css",
        },
    }
    assert doc.find("link", id="plotly.js-style-global").attrs["class"] == "no-inline-styles"


def test_every_stylesheet_the_bundle_would_inject_is_one_the_pages_link():
    bundle = Path(finders.find("dist/plotly.min.js")).read_text(encoding="utf-8")
    # Two places create a <style>: plotly's global rules and maplibre-gl's. A new one (a new
    # plotly.js version) would be a CSP violation on every chart page: this fails first.
    assert bundle.count('createElement("style")') == 2
    assert PLOTLY_GUARD in bundle
    assert len(MAPLIBRE_GUARD.findall(bundle)) == 1
    css = Path(finders.find("dist/plotly-maplibre.css")).read_text(encoding="utf-8")
    assert css.startswith(".maplibregl-map{")
    assert "<" not in css  # the rules, not the JavaScript around them


@pytest.mark.parametrize(
    "url",
    [
        "/dashboard/exceptions/" + Q4,  # draws no chart
        "/dashboard/" + "?year=2099-00&quarter=4",  # refused for its filters: no chart either
    ],
)
def test_pages_without_a_chart_load_no_plotly(client, demo, url):
    doc = page(login(client).get(url))
    assert not doc.find_all(cls="app-chart")
    assert plotly_loaded(doc) == {"script": [], "links": {}}
