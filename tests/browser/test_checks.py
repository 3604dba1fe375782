"""The browser checks find what they look for: a page that breaks each rule is reported for each.

Served by Chromium's request interception with the portal's own Content-Security-Policy
header, so it needs neither the live server nor the database."""

from csp.utils import build_policy

from tests.browser.portal import (
    HEIGHT,
    MAIN_CONTENT,
    WIDTH,
    Problems,
    content_problems,
    page_problems,
    watch,
)

BROKEN = """<!DOCTYPE html>
<html lang="en-GB">
<head><title>Broken</title><script src="/throws.js"></script></head>
<body>
  <main>
    <h1>Broken</h1>
    <script>document.title = "inline script ran";</script>
    <p style="color: red">An inline style attribute.</p>
    <img src="/missing.png">
    <div class="wide"></div>
  </main>
  <link rel="stylesheet" href="/wide.css">
</body>
</html>
"""
FILES = {
    "/": ("text/html", BROKEN),
    "/throws.js": ("text/javascript", "throw new Error('thrown by a script');"),
    "/wide.css": ("text/css", ".wide { width: 2000px; height: 1px; }"),
}


def _broken_page_problems(browser, axe):
    context = browser.browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        watch(context)
        page = context.new_page()
        problems = Problems()
        problems.attach(page)

        def serve(route):
            path = "/" + route.request.url.split("/", 3)[3]
            if path not in FILES:
                return route.fulfill(status=404, body="")
            content_type, body = FILES[path]
            headers = {"Content-Security-Policy": build_policy()}
            return route.fulfill(status=200, content_type=content_type, headers=headers, body=body)

        page.route("http://portal.test/**", serve)
        page.goto("http://portal.test/")
        return page.title(), page_problems(page, problems, axe)
    finally:
        context.close()


def test_the_checks_report_csp_console_axe_and_width_problems(browser, axe):
    title, found = browser.call(_broken_page_problems, browser, axe)
    report = "\n".join(found)

    assert title == "Broken", "the page's CSP let its inline script run"
    assert '"directive": "script-src-elem", "blocked": "inline"' in report
    assert '"directive": "style-src-attr", "blocked": "inline"' in report
    assert "uncaught: thrown by a script" in report
    assert "console error: Failed to load resource: the server responded with a status of 404" in (
        report
    )
    assert "axe: image-alt (critical)" in report
    assert '["img"]' in report
    assert "the page is 2008 px wide in a 1280 px window" in report  # 2000 and body's margins


# A chart's box that keeps its height without scripts, no table beside it, and a section that
# only a script writes: what reading a page with JavaScript off must report.
CHART_PAGE = """<!DOCTYPE html>
<html lang="en-GB">
<head><title>Chart</title><link rel="stylesheet" href="/chart.css"></head>
<body>
  <main>
    <h1>Chart</h1>
    <figure><div class="plot" data-chart="spc-data"></div><figcaption>Summary</figcaption></figure>
    <div id="later"></div>
    <script src="/later.js"></script>
  </main>
</body>
</html>
"""
CHART_FILES = {
    "/": ("text/html", CHART_PAGE),
    "/chart.css": ("text/css", ".plot { min-height: 240px; }"),
    "/later.js": (
        "text/javascript",
        "document.getElementById('later').innerHTML = '<h2>Written by a script</h2>"
        "<table><tr><td>1</td></tr></table>';",
    ),
}


def _chart_page_content(browser, javascript: bool):
    context = browser.browser.new_context(java_script_enabled=javascript)
    try:
        page = context.new_page()

        def serve(route):
            content_type, body = CHART_FILES["/" + route.request.url.split("/", 3)[3]]
            headers = {"Content-Security-Policy": build_policy()}
            return route.fulfill(status=200, content_type=content_type, headers=headers, body=body)

        page.route("http://portal.test/**", serve)
        page.goto("http://portal.test/")
        return page.evaluate(MAIN_CONTENT)
    finally:
        context.close()


def test_reading_without_javascript_reports_blank_charts_and_missing_content(browser):
    shown = browser.call(_chart_page_content, browser, True)
    plain = browser.call(_chart_page_content, browser, False)
    report = "\n".join(content_problems(shown, plain, "Chart"))

    assert shown["headings"] == ["Written by a script"] and shown["tables"] == 1
    assert "sections [], not ['Written by a script']" in report
    assert "0 tables, not 1" in report
    assert "blank chart areas ['spc-data']" in report
    assert "charts ['spc-data'] but no table" in report
