"""The load test's users (locust): run by bench/load.py, one page at a time, by its tag.

    LOAD_SECONDS=20 locust -f bench/locustfile.py --headless --host http://127.0.0.1:8001 \
        --users 10 --run-time 200s --tags scorecard …

Each simulated user signs in through the login form (CSRF token and all) as a demo log-in, then
requests its page again and again with no pause (a closed loop: as many requests in flight as
users). Pages, by tag:

- ``scorecard``, ``exceptions``, ``kpi``: the dashboards as the executive ``exec``, at the year
  and quarter (and KPI) that LOAD_YEAR, LOAD_QUARTER and LOAD_KPI name;
- ``form``: the return form of a team's quarter in the open year, as that team's member;
- ``save``: the same form opened and saved as a draft with one figure changed (the form's
  CSRF token and version posted back); a save counts only if it answers 302 back to the form.
  Each user has a return of its own (``SLOTS``: a team member, the team and a quarter), so no
  two users save the same return and none is refused as stale.

Only the standard library and locust: nothing of the portal is imported here.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import resource
from html.parser import HTMLParser

import gevent
from locust import FastHttpUser, constant, tag, task

PASSWORD = os.environ.get("DEMO_PASSWORD", "ccg-portal-demo")
YEAR = os.environ.get("LOAD_YEAR", "2013-14")
QUARTER = os.environ.get("LOAD_QUARTER", "4")
KPI = os.environ.get("LOAD_KPI", "finance-contract-meetings-attended")
OPEN_YEAR = os.environ.get("LOAD_OPEN_YEAR", "2026-27")
# (member, team, quarter): the demo's team members, in the open year's quarters already begun.
SLOTS = [
    (member, team, quarter)
    for quarter in os.environ.get("LOAD_OPEN_QUARTERS", "1,2,3").split(",")
    for member, team in (
        ("staff.bi", "business-intelligence"),
        ("staff.quality", "quality-and-patient-safety"),
        ("staff.chc", "continuing-healthcare"),
        ("staff.od", "organisational-development"),
    )
]
_next_slot = itertools.count()
# Signing in costs each user a password hash (a second or more on a busy machine), and the
# first views after the data was loaded work out every KPI's SPC state (many seconds at scale
# 100), so the timed window opens only once every user is in, has had one answer of its page and
# LOAD_WARMUP seconds more: then the statistics are reset, and LOAD_SECONDS later the run stops
# itself (--run-time only bounds it in case that never happens).
SECONDS = float(os.environ.get("LOAD_SECONDS", "20"))
WARMUP = float(os.environ.get("LOAD_WARMUP", "3"))
_warmed = itertools.count(1)


def _cpu_seconds() -> dict[tuple[str, int], float]:
    """CPU time used so far by each of the server's workers (children of LOAD_SERVER_PID), each
    PostgreSQL backend of database LOAD_DATABASE, and this locust process, by (kind, process):
    what requests cost, whatever else the machine is doing."""
    server, database = os.environ.get("LOAD_SERVER_PID"), os.environ.get("LOAD_DATABASE")
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as file:
                fields = file.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as file:
                command = file.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if server and fields[1] == server:
            used["server", int(entry)] = seconds
        elif database and command.startswith("postgres: ") and f" {database} " in command:
            used["database", int(entry)] = seconds
    mine = resource.getrusage(resource.RUSAGE_SELF)
    used["locust", os.getpid()] = mine.ru_utime + mine.ru_stime
    return used


def _timed_window(environment):
    environment.stats.reset_all()
    started = _cpu_seconds()
    gevent.spawn_later(SECONDS, _close_window, environment, started)


def _close_window(environment, started):
    ended = _cpu_seconds()
    spent = {"server": 0.0, "database": 0.0, "locust": 0.0}
    # A process that ended in the window is not counted; one that began is counted whole.
    for (kind, process), seconds in ended.items():
        spent[kind] += seconds - started.get((kind, process), 0.0)
    if path := os.environ.get("LOAD_CPU_FILE"):
        with open(path, "w") as file:
            json.dump(spent, file)
    environment.runner.quit()


class FormValues(HTMLParser):
    """What a browser would post from the page's form of the given id."""

    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.values = form_id, False, {}
        self._textarea = self._select = None

    def handle_starttag(self, tag_name, attributes):
        attrs = dict(attributes)
        if tag_name == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag_name == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.values[name] = attrs.get("value", "on")
            elif kind not in ("submit", "button"):
                self.values[name] = attrs.get("value") or ""
        elif tag_name == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag_name == "select" and name:
            self._select = name
            self.values.setdefault(name, "")
        elif tag_name == "option" and self._select and "selected" in attrs:
            self.values[self._select] = attrs.get("value") or ""

    def handle_endtag(self, tag_name):
        if tag_name == "form":
            self.inside = False
        elif tag_name == "textarea":
            self._textarea = None
        elif tag_name == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WHOLE_NUMBER = re.compile(r"^k\d+-(m\d+_)?count$")


class PortalUser(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.slot = SLOTS[next(_next_slot) % len(SLOTS)]
        self.saves = itertools.count(1)
        tags = self.environment.parsed_options.tags or []
        self.log_in(self.slot[0] if {"form", "save"} & set(tags) else "exec")
        self.warmed = False

    def answered(self):
        """Called after each request of the page: the last user's first answer opens the window."""
        if not self.warmed:
            self.warmed = True
            if next(_warmed) == self.environment.runner.target_user_count:
                gevent.spawn_later(WARMUP, _timed_window, self.environment)

    def log_in(self, username: str):
        page = self.client.get("/accounts/login/", name="log in (form)")
        token = CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            allow_redirects=False,
            name="log in",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{username} could not sign in: {response.status_code}")

    def page(self, path: str, name: str):
        """A page that must answer 200 itself: a redirect (to the log-in) is an error."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {response.headers.get('Location', '')}")
        self.answered()
        return response

    @property
    def form_path(self) -> str:
        _, team, quarter = self.slot
        return f"/returns/{OPEN_YEAR}/{quarter}/{team}/"

    @tag("minimal")
    @task
    def minimal(self):
        self.page("/__bench__/minimal/", "minimal")

    @tag("scorecard")
    @task
    def scorecard(self):
        self.page(f"/dashboard/?year={YEAR}&quarter={QUARTER}", "scorecard")

    @tag("exceptions")
    @task
    def exception_report(self):
        self.page(f"/dashboard/exceptions/?year={YEAR}&quarter={QUARTER}", "exception report")

    @tag("kpi")
    @task
    def kpi_page(self):
        self.page(f"/kpis/{KPI}/", "KPI page")

    @tag("form")
    @task
    def return_form(self):
        self.page(self.form_path, "return form GET")

    @tag("save")
    @task
    def save_draft(self):
        with self.client.get(
            self.form_path,
            name="return form GET (before saving)",
            allow_redirects=False,
            catch_response=True,
        ) as page:
            form = FormValues("return-form")
            form.feed(page.text or "")
            values = form.values
            counts = sorted(name for name in values if WHOLE_NUMBER.match(name))
            if not counts or "version" not in values:
                page.failure("the return form has no count to change or no version")
                return
        values[counts[0]] = str(100 + next(self.saves) % 50)
        values["action"] = "draft"
        with self.client.post(
            self.form_path,
            data=values,
            headers={"Referer": f"{self.host}{self.form_path}"},
            allow_redirects=False,
            name="return form POST (save draft)",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"the draft was not saved: {response.status_code}")
        self.answered()
