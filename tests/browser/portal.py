"""A person using the portal in headless Chromium, and what every page they reach must pass.

``Portal`` signs in through the login form and moves only by clicking: the header's
navigation, links on the page, breadcrumbs. Each page it arrives on is checked (``arrive``):

- it answered 200, its title is the one the journey expects and it has a main heading;
- its charts were drawn;
- axe-core finds no WCAG 2.0, 2.1 or 2.2 A or AA violation (once per person and address: the
  journeys change nothing, so a page reached again is the same page);
- nothing was written to the console as an error, no script threw, no request failed;
- the Content Security Policy refused nothing (``securitypolicyviolation`` events, recorded by
  a script Chromium runs before the page's own, which the page's policy does not govern);
- at 1280 px the page is no wider than the window;
- the first time a kind of page is seen in the run, it is loaded again with JavaScript off
  (``read_without_js``): the same main heading, its main content (the same section headings
  and tables), no chart's drawing area left blank, a table beside every chart, and its GET
  forms (the dashboards' filters) still submit.

axe's count of violations for each page read is kept in ``AXE_COUNTS`` and printed at the end
of the run (tests/browser/conftest.py).

Playwright's synchronous API keeps an asyncio loop marked as running in the thread that drives
it, where Django refuses database work (SynchronousOnlyOperation). So Chromium is driven from a
thread of its own (``BrowserThread``), and every ``Portal`` method runs there, while fixtures
and the test itself keep the database in the test's thread.

axe is evaluated through the DevTools protocol (``page.evaluate``), which the page's CSP does
not govern, so injecting it neither needs ``bypass_csp`` nor shows up as a violation.
"""

import functools
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import Resolver404, resolve

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA. axe has no rule of 2.2's level A (no wcag22a tag);
# its one rule of 2.2's AA is 2.5.8, target size.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTH, HEIGHT = 1280, 900
TIMEOUT_MS = 15_000  # for a link to be there to click and a page to load
# For a file to download: the annual report's PDF is built on its first request, which takes
# a few seconds alone and far longer on a machine busy with other work.
DOWNLOAD_TIMEOUT_MS = 180_000

# Runs in every document before its own scripts (Playwright's init script).
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""

# Each chart's element holds plotly's drawing once static/js/charts.js has run.
CHARTS_DRAWN = """
() => Array.from(document.querySelectorAll("[data-chart]"))
  .every((element) => element.querySelector("svg.main-svg"))
"""

MAIN_HEADING = "main h1"

# What a page's main content shows, read with JavaScript on and off alike: its section headings,
# how many tables, and each chart's drawing area with its height and whether a table follows it
# in its section (every chart's data is also a table).
MAIN_CONTENT = """
() => {
  const main = document.querySelector("main");
  const headings = Array.from(main.querySelectorAll("h2")).map((h) => h.innerText.trim());
  const charts = Array.from(main.querySelectorAll("[data-chart]")).map((plot) => ({
    id: plot.dataset.chart,
    height: plot.getBoundingClientRect().height,
  }));
  return {
    text: main.innerText.trim().length,
    headings: headings,
    tables: main.querySelectorAll("table").length,
    charts: charts,
    getForms: Array.from(main.querySelectorAll("form"))
      .filter((form) => (form.getAttribute("method") || "get").toLowerCase() === "get").length,
  };
}
"""

# axe's count of violations by page: (who, path, title) -> count, for the run's summary.
AXE_COUNTS: dict[tuple[str, str, str], int] = {}


class BrowserThread:
    """Playwright and the Chromium it launched, on one thread that every call is handed to."""

    def __init__(self, chromium: str):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="chromium")
        self._thread = None
        self.browser = self.call(self._start, chromium)

    def _start(self, chromium: str):
        from playwright.sync_api import sync_playwright

        self._thread = threading.current_thread()
        self._playwright = sync_playwright().start()
        return self._playwright.chromium.launch(executable_path=chromium, headless=True)

    def call(self, function, *args, **kwargs):
        if threading.current_thread() is self._thread:
            return function(*args, **kwargs)
        return self._executor.submit(function, *args, **kwargs).result()

    def stop(self) -> None:
        self.call(self._stop)
        self._executor.shutdown()

    def _stop(self) -> None:
        self.browser.close()
        self._playwright.stop()


def in_browser_thread(method):
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        return self.thread.call(method, self, *args, **kwargs)

    return run


def axe_source() -> str:
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: `make setup` installs axe-core from npm")
    return AXE.read_text()


def watch(context) -> None:
    context.add_init_script(WATCH_CSP)


@dataclass
class Problems:
    """What the browser reported about the page being read, cleared on each arrival."""

    console: list[str] = field(default_factory=list)

    def attach(self, page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        page.on(
            "requestfailed",
            lambda request: self.console.append(
                f"request failed: {request.url} ({request.failure})"
            ),
        )

    def forget_own_status(self, url: str, status: int) -> None:
        """Drop Chromium's report of the page's own (expected) error status."""
        own = f"the server responded with a status of {status}"
        self.console[:] = [m for m in self.console if not (own in m and m.endswith(f"({url})"))]

    def _console(self, message) -> None:
        if message.type == "error":
            location = message.location.get("url", "")
            self.console.append(f"console error: {message.text} ({location})")


def axe_violations(page, source: str) -> list[str]:
    page.evaluate(source)
    # resultTypes: details only of what fails, which makes axe about a third quicker.
    options = {"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]}
    result = page.evaluate("options => axe.run(document, options)", options)
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}; "
        + ", ".join(json.dumps(node["target"]) for node in violation["nodes"])
        for violation in result["violations"]
    ]


AXE_STYLE_REFUSED = "console error: Applying inline style violates the following Content Security"


def _axes(violation: dict) -> bool:
    """Whether a violation seen while axe ran is its own stylesheet loader's <style>."""
    inline_style = (violation["directive"], violation["blocked"]) == ("style-src-elem", "inline")
    return inline_style and not violation["source"] and not violation["sample"]


def csp_violations(page) -> list[dict]:
    return page.evaluate("window.__cspViolations || null")


def page_problems(page, problems: Problems, axe: str | None) -> list[str]:
    """Every check of one page but its title, heading and JavaScript-off reading, as messages;
    axe's too unless ``axe`` (its source) is None."""
    found = []
    before = csp_violations(page)
    if before is None:
        found.append("the CSP watcher did not run in this page")
    console = len(problems.console)
    if axe is not None:
        found += [f"axe: {v}" for v in axe_violations(page, axe)]
    # Read after axe, so a violation axe itself caused would be seen too, but for its loader of
    # the page's stylesheets: it reads a sheet's @import (Django admin's forms.css imports
    # widgets.css) through a <style> element of its own, which the page's CSP refuses.
    during = (csp_violations(page) or [])[len(before or []) :]
    found += [f"CSP refused: {json.dumps(v)}" for v in before or []]
    found += [f"CSP refused: {json.dumps(v)}" for v in during if not _axes(v)]
    found += problems.console[:console] + [
        m for m in problems.console[console:] if not m.startswith(AXE_STYLE_REFUSED)
    ]
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if width[0] > width[1]:
        found.append(f"the page is {width[0]} px wide in a {width[1]} px window")
    return found


@dataclass
class Portal:
    """One person's visit: a JavaScript context they click through, and one without it.

    Each move names the page it must reach by the start of that page's title (``<title>``),
    which tells apart pages that share a heading (a KPI and its history)."""

    thread: BrowserThread
    base_url: str
    password: str
    axe: str
    seen_without_js: set  # the run's kinds of page (URL names) already read without JavaScript
    who: str = "signed out"  # who is signed in, for the run's summary of axe's findings
    reached: set = field(default_factory=set)  # the kinds of page (URL names) arrived at
    # What axe has read for this person: (address, title), since one address shows another
    # page after a refused form (its errors) or once used (a survey link's "already received").
    axe_checked: set = field(default_factory=set)

    def __post_init__(self):
        self.thread.call(self._open)

    def _open(self) -> None:
        browser = self.thread.browser
        size = {"width": WIDTH, "height": HEIGHT}
        self.context = browser.new_context(viewport=size)
        self.context.set_default_timeout(TIMEOUT_MS)
        watch(self.context)
        self.page = self.context.new_page()
        self.problems = Problems()
        self.problems.attach(self.page)
        self.without_js = browser.new_context(java_script_enabled=False, viewport=size)
        self.without_js.set_default_timeout(TIMEOUT_MS)
        self.page_without_js = self.without_js.new_page()

    @in_browser_thread
    def close(self) -> None:
        self.context.close()
        self.without_js.close()

    # ------------------------------------------------------------------ moving by clicking

    @in_browser_thread
    def sign_in(self, username: str) -> None:
        """From the signed-out home page (the one address typed), through the header's log-in
        link and the login form, to the home page signed in."""
        self.problems.console.clear()
        self.axe_checked.clear()  # another person may see other things at the same address
        self.arrive(self.page.goto(self.base_url + "/"), "CCG Portal")
        self._click(self.page.get_by_role("link", name="Log in", exact=True), "Log in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(self.password)
        self.axe_checked.clear()  # signed in, the same addresses show them other pages
        self.who = username
        self._click(self.page.get_by_role("button", name="Log in"), "CCG Portal")
        account = self.page.get_by_role("button", name="Log out")
        assert account.is_visible(), f"{username} is not signed in"

    @in_browser_thread
    def nav(self, name: str, title: str) -> None:
        """Follow an item of the header's navigation."""
        menu = self.page.get_by_role("navigation", name="Menu")
        self._click(menu.get_by_role("link", name=name, exact=True), title)

    @in_browser_thread
    def link(self, name: str, title: str) -> None:
        """Follow the first link of that name in the page's main content."""
        main = self.page.locator("main")
        self._click(main.get_by_role("link", name=name, exact=True).first, title)

    @in_browser_thread
    def crumb(self, name: str, title: str) -> None:
        """Follow a link of the breadcrumbs."""
        trail = self.page.get_by_role("navigation", name="Breadcrumb")
        self._click(trail.get_by_role("link", name=name, exact=True), title)

    @in_browser_thread
    def follow(self, name: str, title: str) -> None:
        """Follow a link anywhere on the page (Django admin's "View site")."""
        self._click(self.page.get_by_role("link", name=name, exact=True), title)

    @in_browser_thread
    def sign_out(self) -> None:
        """The header's Log out button, back to the signed-out home page."""
        self.axe_checked.clear()
        self._click(self.page.get_by_role("button", name="Log out"), "CCG Portal")
        self.who = "signed out"

    @in_browser_thread
    def visit(self, path: str, title: str, status: int = 200) -> None:
        """Type an address: a link from an email, or one no page links to (an error's)."""
        self.problems.console.clear()
        self.arrive(self.page.goto(self.base_url + path), title, status)

    # ------------------------------------------------------------------ filling in forms

    def _scope(self, within: str | None, page=None):
        """The page's main content, or the fieldset of main whose legend says ``within``."""
        page = page or self.page
        main = page.locator("main")
        if within is None:
            return main
        return main.locator("fieldset").filter(has=page.locator("legend", has_text=within)).first

    @in_browser_thread
    def fill(self, label: str, value: str, within: str | None = None) -> None:
        """Type into the field of that label (in the fieldset whose legend says ``within``)."""
        self._scope(within).get_by_label(label, exact=True).fill(value)

    @in_browser_thread
    def choose(self, label: str, value: str) -> None:
        """Choose an option of the select of that label, by its value."""
        self.page.locator("main").get_by_label(label, exact=True).select_option(value)

    @in_browser_thread
    def check(self, label: str, within: str | None = None) -> None:
        """Tick the radio or checkbox of that label."""
        self._scope(within).get_by_label(label, exact=True).check()

    @in_browser_thread
    def attach(self, label: str, path: str) -> None:
        """Choose a file for the file input of that label."""
        self.page.get_by_label(label, exact=True).set_input_files(path)

    @in_browser_thread
    def press(self, name: str, title: str, status: int = 200) -> None:
        """Press the button of that name (a form's submit) and arrive where it leads."""
        self._click(self.page.get_by_role("button", name=name, exact=True), title, status)

    @in_browser_thread
    def download(self, name: str) -> tuple[str, bytes]:
        """Follow a link to a file: its content type and its bytes, fetched with the person's
        cookies (Chromium shows a PDF rather than saving it)."""
        link = self.page.locator("main").get_by_role("link", name=name, exact=True)
        response = self.context.request.get(
            link.evaluate("a => a.href"), timeout=DOWNLOAD_TIMEOUT_MS
        )
        assert response.status == 200, f"{link} answered {response.status}"
        return response.headers["content-type"], response.body()

    @in_browser_thread
    def submit_without_js(
        self, path: str, button: str, title: str, *, check=(), fill=(), status: int = 200
    ) -> None:
        """A plain form filled in and sent with JavaScript off, by the same person: open the
        address, tick each (fieldset legend, label) of ``check``, type each (label, value) of
        ``fill``, press the button; the answer must have the status and title given."""
        self.without_js.clear_cookies()
        self.without_js.add_cookies(self.context.cookies())
        page = self.page_without_js
        opened = page.goto(self.base_url + path)
        assert opened.status == 200, f"{path} without JavaScript answered {opened.status}"
        for within, label in check:
            self._scope(within, page).get_by_label(label, exact=True).check()
        for label, value in fill:
            page.locator("main").get_by_label(label, exact=True).fill(value)
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name=button, exact=True).click()
        answer = navigation.value
        where = f"{path}'s form sent without JavaScript"
        assert answer.status == status, f"{where} answered {answer.status}, not {status}"
        assert page.title().startswith(title), f"{where} led to {page.title()!r}, not {title!r}"

    # ------------------------------------------------------------------ reading the page

    @in_browser_thread
    def text(self, selector: str = "main") -> str:
        """The text of the first element the selector finds, spaces collapsed."""
        return " ".join(self.page.locator(selector).first.inner_text().split())

    @in_browser_thread
    def count(self, selector: str) -> int:
        return self.page.locator(selector).count()

    def _click(self, target, title: str, status: int = 200) -> None:
        self.problems.console.clear()
        with self.page.expect_navigation() as navigation:
            target.click()
        self.arrive(navigation.value, title, status)

    # ------------------------------------------------------------------ what every page passes

    def arrive(self, response, title: str, status: int = 200) -> None:
        url = self.page.url
        assert response is not None, f"clicking loaded no page (at {url})"
        assert response.status == status, f"{url} answered {response.status}, not {status}"
        assert self.page.title().startswith(title), f"{url} is {self.page.title()!r}, not {title!r}"
        heading = self.page.locator(MAIN_HEADING).first.inner_text()
        assert heading.strip(), f"{url} has no main heading"
        self.page.wait_for_function(CHARTS_DRAWN)
        if status != 200:  # Chromium reports the page's own status as a failed load
            self.problems.forget_own_status(url, status)
        seen = (url, self.page.title())
        checked = seen in self.axe_checked
        found = page_problems(self.page, self.problems, None if checked else self.axe)
        if not checked:
            path = urlsplit(url).path
            AXE_COUNTS[(self.who, path, self.page.title())] = sum(
                problem.startswith("axe: ") for problem in found
            )
        self.axe_checked.add(seen)
        assert not found, f"{url} ({self.page.title()}):\n  " + "\n  ".join(found)
        kind = page_kind(url, status)
        if self.who == "signed out":  # the home page signed out is another page
            kind += " (signed out)"
        # A form's answer that is not a redirect (its errors) cannot be asked for again.
        if kind not in self.seen_without_js and response.request.method == "GET":
            self.read_without_js(url, heading, status)
            self.seen_without_js.add(kind)
        self.reached.add(kind)

    def read_without_js(self, url: str, heading: str, status: int = 200) -> None:
        """The page at ``url`` as it reads with JavaScript off, for the same person: its main
        content as with JavaScript (read from the JavaScript page, which is still open), no
        blank chart area, and its GET forms submit."""
        shown = self.page.evaluate(MAIN_CONTENT)
        # The same person: the JavaScript context's cookies, so signed in as they are.
        self.without_js.clear_cookies()
        self.without_js.add_cookies(self.context.cookies())
        page = self.page_without_js
        response = page.goto(url)
        where = f"{url} without JavaScript"
        assert response.status == status, f"{where} answered {response.status}, not {status}"
        plain = page.locator(MAIN_HEADING).first.inner_text()
        assert plain == heading, f"{where}: heading {plain!r}, not {heading!r}"
        content = page.evaluate(MAIN_CONTENT)
        found = content_problems(shown, content, heading)
        assert not found, f"{where}:\n  " + "\n  ".join(found)
        if content["getForms"]:
            # The dashboards' filters: a plain GET form, submitted by its own button.
            form = page.locator("main form[method=get]").first
            with page.expect_navigation() as navigation:
                form.locator("[type=submit]").first.click()
            answered = navigation.value.status
            assert answered == 200, f"{where}: its form submitted answered {answered}"
            assert page.locator(MAIN_HEADING).first.inner_text().strip(), (
                f"{where}: its form submitted led to a page without a heading"
            )


def content_problems(shown: dict, content: dict, heading: str) -> list[str]:
    """What the main content read without JavaScript (``content``, from MAIN_CONTENT) lacks
    beside the same page with it (``shown``), as messages."""
    found = []
    if content["text"] <= len(heading):
        found.append("nothing in its main content but its heading")
    if content["headings"] != shown["headings"]:
        found.append(f"sections {content['headings']}, not {shown['headings']}")
    if content["tables"] != shown["tables"]:
        found.append(f"{content['tables']} tables, not {shown['tables']}")
    blank = [chart["id"] for chart in content["charts"] if chart["height"] > 0]
    if blank:
        found.append(f"blank chart areas {blank}")
    if content["charts"] and not content["tables"]:
        found.append(f"charts {[chart['id'] for chart in content['charts']]} but no table")
    return found


def page_kind(url: str, status: int = 200) -> str:
    """The kind of page an address is (its URL name), or its status for an error page."""
    if status != 200:
        return f"error {status}"
    try:
        return resolve(urlsplit(url).path).view_name
    except Resolver404:
        return f"unrouted {urlsplit(url).path}"
