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
  and shows the same main heading.

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
from django.urls import resolve

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA. axe has no rule of 2.2's level A (no wcag22a tag);
# its one rule of 2.2's AA is 2.5.8, target size.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTH, HEIGHT = 1280, 900
TIMEOUT_MS = 15_000  # for a link to be there to click and a page to load

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


def csp_violations(page) -> list[dict]:
    return page.evaluate("window.__cspViolations || null")


def page_problems(page, problems: Problems, axe: str | None) -> list[str]:
    """Every check of one page but its title, heading and JavaScript-off reading, as messages;
    axe's too unless ``axe`` (its source) is None."""
    found = []
    if csp_violations(page) is None:
        found.append("the CSP watcher did not run in this page")
    if axe is not None:
        found += [f"axe: {v}" for v in axe_violations(page, axe)]
    # Read after axe, so a violation axe itself caused would be seen too.
    found += [f"CSP refused: {json.dumps(v)}" for v in csp_violations(page) or []]
    found += problems.console
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
    reached: set = field(default_factory=set)  # the kinds of page (URL names) arrived at
    axe_checked: set = field(default_factory=set)  # addresses axe has read for this person

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
        self.arrive(self.page.goto(self.base_url + "/"), "CCG Portal")
        self._click(self.page.get_by_role("link", name="Log in", exact=True), "Log in")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password", exact=True).fill(self.password)
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

    def _click(self, target, title: str) -> None:
        self.problems.console.clear()
        with self.page.expect_navigation() as navigation:
            target.click()
        self.arrive(navigation.value, title)

    # ------------------------------------------------------------------ what every page passes

    def arrive(self, response, title: str) -> None:
        url = self.page.url
        assert response is not None, f"clicking loaded no page (at {url})"
        assert response.status == 200, f"{url} answered {response.status}"
        assert self.page.title().startswith(title), f"{url} is {self.page.title()!r}, not {title!r}"
        heading = self.page.locator(MAIN_HEADING).first.inner_text()
        assert heading.strip(), f"{url} has no main heading"
        self.page.wait_for_function(CHARTS_DRAWN)
        found = page_problems(
            self.page, self.problems, None if url in self.axe_checked else self.axe
        )
        self.axe_checked.add(url)
        assert not found, f"{url} ({self.page.title()}):\n  " + "\n  ".join(found)
        kind = resolve(urlsplit(url).path).view_name
        self._read_without_js(kind, url, heading)
        self.reached.add(kind)

    def _read_without_js(self, kind: str, url: str, heading: str) -> None:
        if kind in self.seen_without_js:
            return
        # The same person: the JavaScript context's cookies, so signed in as they are.
        self.without_js.clear_cookies()
        self.without_js.add_cookies(self.context.cookies())
        response = self.page_without_js.goto(url)
        assert response.status == 200, f"{url} without JavaScript answered {response.status}"
        plain = self.page_without_js.locator(MAIN_HEADING).first.inner_text()
        assert plain == heading, f"{url} without JavaScript: heading {plain!r}, not {heading!r}"
        self.seen_without_js.add(kind)
