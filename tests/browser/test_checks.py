"""The browser checks find what they look for: a page that breaks each rule is reported for each.

Served by Chromium's request interception with the portal's own Content-Security-Policy
header, so it needs neither the live server nor the database."""

from csp.utils import build_policy

from tests.browser.portal import HEIGHT, WIDTH, Problems, page_problems, watch

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
