"""The real-browser layer: Debian's headless Chromium driven by Playwright against a live server.

The live server is pytest-django's ``live_server``: one server thread for the whole run,
serving the test database (and the static files, from the finders). A request made by the
browser is handled in that thread, so the demo must be committed for it to see it on
PostgreSQL: each browser test is therefore transactional (``live_server`` makes it so) and
asks for ``demo``, which the session loaded and committed before any test ran, and which it
loads again when an earlier transactional test has flushed it. pytest-django runs every
transactional test after the others, so the flushes never reach the rest of the suite. On
SQLite the test database is in memory and the server thread is handed the test's own
connection (pytest-django does this), which sees the same rows.

Chromium is never downloaded: Playwright launches the browser at ``CHROMIUM``
(/usr/bin/chromium, from Debian's chromium package, unless set).
"""

import os
import shutil

import pytest

from tests.browser.portal import AXE_COUNTS, BrowserThread, Portal, axe_source
from tests.conftest import DEMO_PASSWORD

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(os.path.dirname(__file__)):
            item.add_marker(pytest.mark.browser)


def pytest_terminal_summary(terminalreporter):
    """axe's count of WCAG 2.2 A and AA violations on each page the browser tests read."""
    if not AXE_COUNTS:
        return
    heading = f"axe-core: WCAG 2.2 A and AA violations on {len(AXE_COUNTS)} pages"
    terminalreporter.write_sep("-", heading)
    for (who, path, title), count in sorted(AXE_COUNTS.items(), key=lambda item: item[0][1]):
        terminalreporter.write_line(f"{count:3d}  {path}  {title}  ({who})")
    total = sum(AXE_COUNTS.values())
    terminalreporter.write_line(f"{total:3d}  in all")


@pytest.fixture(scope="session")
def chromium():
    path = shutil.which(CHROMIUM)
    if path is None:
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install Debian's (apt-get install chromium "
            "chromium-driver) or set CHROMIUM to another Chromium's path"
        )
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    thread = BrowserThread(chromium)
    yield thread
    thread.stop()


@pytest.fixture(scope="session")
def axe():
    return axe_source()


@pytest.fixture(scope="session")
def _seen_without_js():
    return set()


@pytest.fixture
def portal(browser, axe, _seen_without_js, live_server, demo):
    """A person at the portal's signed-out home page, in a browser 1280 px wide."""
    visit = Portal(browser, live_server.url, DEMO_PASSWORD, axe, _seen_without_js)
    yield visit
    visit.close()
