"""Bad inputs sent to a running portal, counting the answers of 500 (there should be none).

    python -m bench.probe [--base http://127.0.0.1:8034] [--password ccg-portal-demo]

Run it against a server with DEBUG off and the demo loaded (``load_demo --allow-demo-users``).
Signs in as the demo users and sends: empty, unknown and NUL-laden dashboard filters; NUL
characters in the address, a cookie and every form field; numbers no column holds, negative,
full-width and other non-ASCII digits on the return form; ids that are not ids and a 2 MB
comment on the sign-off page; an oversized body; every method on every page; forms without
their CSRF token; imports with such numbers through the admin's preview. Prints the answers
by status, each 500 with what was sent, and exits 1 if there was any. Every 4xx must come in
the portal's layout (its NHS.UK header), and is counted as "bare" otherwise.

Only loopback: it sends nothing to any other host, and stops after its fixed list of requests.
"""

from __future__ import annotations

import argparse
import http.client
import re
import sys
import uuid
from collections import Counter
from urllib.parse import quote, urlencode, urlsplit

BIG = [str(2**63), str(2**64), "1" + "0" * 30, "9" * 400]
MONEY = ["100000000000000", "£100,000,000,000,000", "1" + "0" * 30, "99999999999999.999"]
ODD_DIGITS = ["１２", "١٢", "²", "1_000", "1e3", "NaN", "Infinity", "-5", "-0.5", "\x00", "9\x007"]


class Portal:
    def __init__(self, base: str):
        parts = urlsplit(base)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit("The probe sends requests to this machine only (loopback).")
        self.host, self.port = parts.hostname, parts.port or 80
        self.cookies: dict[str, str] = {}
        self.answers: Counter[int] = Counter()
        self.failures: list[str] = []
        self.bare = 0

    def send(self, method, path, body=b"", headers=None, *, cookies=True, note=""):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        head = dict(headers or {})
        if cookies and self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=head)
        response = connection.getresponse()
        content = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and cookies:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        self.answers[response.status] += 1
        if response.status >= 500:
            self.failures.append(f"{response.status} {method} {path[:120]!r} {note[:120]}")
        elif 400 <= response.status < 500 and b"nhsuk-header" not in content and method != "HEAD":
            self.bare += 1
            self.failures.append(f"bare {response.status} {method} {path[:100]!r} {note}")
        return response.status, content.decode("utf-8", "replace")

    def get(self, path, **kwargs):
        return self.send("GET", path, **kwargs)

    def post(self, path, data, **kwargs):
        token = self.cookies.get("csrftoken", "")
        fields = {"csrfmiddlewaretoken": token, **data}
        body = urlencode(fields, doseq=True).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return self.send("POST", path, body, headers, **kwargs)

    def post_file(self, path, fields, name, content: bytes, **kwargs):
        boundary = uuid.uuid4().hex
        parts = []
        for key, value in {
            "csrfmiddlewaretoken": self.cookies.get("csrftoken", ""),
            **fields,
        }.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'
            )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: text/csv\r\n\r\n"
        )
        body = "".join(parts).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.send("POST", path, body, headers, **kwargs)

    def login(self, username, password):
        self.cookies = {}
        self.get("/accounts/login/")
        status, _ = self.post("/accounts/login/", {"username": username, "password": password})
        if status != 302:
            raise SystemExit(f"Could not sign in as {username} ({status})")
        self.get("/")  # a fresh CSRF token after signing in


def q(text: str) -> str:
    return quote(text, safe="")


def open_year(portal) -> str:
    _, html = portal.get("/returns/")
    found = re.search(r'href="/returns/(\d{4}-\d{2})/(\d)/business-intelligence/"', html)
    return found.group(1) if found else "2014-15"


def dashboards(portal):
    pages = ["/dashboard/", "/dashboard/exceptions/", "/dashboard/directorates/quality/"]
    values = [
        "",
        "\x00",
        "x\x00",
        "%",
        "2013-14\x00",
        "9" * 5000,
        "-1",
        "0",
        "99999999999999999999",
    ]
    for page in pages:
        for name in (
            "year",
            "quarter",
            "directorate",
            "team",
            "frequency",
            "rag",
            "page",
            "sort",
            "format",
        ):
            for value in values:
                portal.get(f"{page}?{name}={q(value)}")
            portal.get(f"{page}?year=2013-14&{name}=")
        portal.get(f"{page}?year=2013-14&quarter=")
        portal.get(f"{page}?quarter=&year=")
        portal.get(f"{page}?x%00=1")
    for kpi in ("bi-meetings-attended", "whole-time-equivalents", "x%00", "nope"):
        for query in ("", "?format=%00", "?from=%00", "?format=pdf", "?page=%00", "?page=99999999"):
            portal.get(f"/kpis/{kpi}/{query}")
            portal.get(f"/kpis/{kpi}/history/{query}")


def other_pages(portal, year):
    for path in (
        f"/returns/{year}/completeness/?format=%00",
        f"/returns/{year}/completeness/?format=",
        "/returns/9999-10/completeness/",
        "/finance/2013-14/?format=%00",
        "/finance/2013-14/running-costs/?format=%00",
        "/surveys/2013-14/?format=%00",
        "/surveys/2013-14/customer-satisfaction-survey/?format=%00",
        "/surveys/reply/abc%00def/",
        "/surveys/reply/" + "x" * 5000 + "/",
        "/reports/annual/2013-14/?x=%00",
        "/reports/annual/0000-01/",
        "/%00/",
    ):
        portal.get(path)


def current(portal, url) -> tuple[str, dict]:
    """The form's page and its return's version as it is now (a save made from an older
    version is refused as stale before any figure is read)."""
    _, html = portal.get(url)
    version = re.search(r'name="version" value="([^"]*)"', html)
    return html, {"version": version.group(1) if version else "", "action": "draft"}


def return_form(portal, year):
    url = f"/returns/{year}/1/business-intelligence/"
    html, base = current(portal, url)
    names = sorted(set(re.findall(r'name="(k\d+-[a-z0-9_]+)"', html)))
    numbers = [n for n in names if not n.endswith(("version", "not_collected", "rag"))]
    for name in names:
        for value in BIG + MONEY + ODD_DIGITS + ["x" * 6000]:
            _, base = current(portal, url)
            portal.post(url, {**base, name: value}, note=f"{name}={value[:20]!r}")
    for value in ["²", "１", "9" * 5000, str(2**63), "\x00"]:
        portal.post(url, {**base, "version": value}, note=f"version={value[:20]!r}")
    for field in numbers[:1]:
        portal.post(url, {**base, field: "1", "action": "\x00"})
    # WTE: the decimal KPI of organisational development
    portal.login("staff.od", PASSWORD)
    od = f"/returns/{year}/1/organisational-development/"
    _, html = portal.get(od)
    for name in sorted(set(re.findall(r'name="(k\d+-(?:m\d+_)?value)"', html))):
        for value in ["-5", "-0.001", "１２", "1" + "0" * 14, "1" + "0" * 30]:
            _, base = current(portal, od)
            portal.post(od, {**base, name: value}, note=f"{name}={value}")
    for name in sorted(set(re.findall(r'name="(k\d+-m\d+_count)"', html)))[:3]:
        _, base = current(portal, od)
        portal.post(od, {**base, name: str(4 * 10**18)})
    months = re.findall(r'name="(k\d+)-m(\d+)_count"', html)
    by_kpi: dict[str, list[str]] = {}
    for kpi, month in months:
        by_kpi.setdefault(kpi, []).append(month)
    for kpi, ms in by_kpi.items():
        data = {f"{kpi}-m{m}_count": str(4 * 10**18) for m in ms}
        _, base = current(portal, od)
        portal.post(od, {**base, **data}, note="months over 2^63")


def sign_off(portal, year):
    portal.login("director.finance", PASSWORD)
    url = f"/returns/{year}/1/sign-off/finance-and-performance/"
    for action in ("approve_team", "return", "approve", "\x00", ""):
        for value in ["x", "²", "１", str(2**63), "9" * 5000, "-1", "", "\x00", "1.5"]:
            portal.post(url, {"action": action, "team_return": value, "comment": "Recount"})
    portal.post(url, {"action": "return", "team_return": "1", "comment": "x" * (2 * 10**6)})
    portal.post(url, {"action": "return", "team_return": "1", "comment": "Re\x00count"})
    portal.post(url, {"action": "return", "team_return": "1", "comment": "x" * (3 * 10**6)})


def methods(portal, year):
    paths = [
        "/",
        "/returns/",
        "/returns/sign-off/",
        f"/returns/{year}/completeness/",
        f"/returns/{year}/1/business-intelligence/",
        f"/returns/{year}/1/sign-off/finance-and-performance/",
        "/dashboard/",
        "/dashboard/exceptions/",
        "/dashboard/directorates/quality/",
        "/kpis/bi-meetings-attended/",
        "/kpis/bi-meetings-attended/history/",
        "/finance/running-costs/",
        "/finance/2013-14/",
        "/finance/2013-14/running-costs/",
        "/surveys/",
        "/surveys/2013-14/",
        "/surveys/2013-14/customer-satisfaction-survey/",
        "/surveys/reply/thank-you/",
        "/surveys/reply/" + "x" * 43 + "/",
        "/reports/annual/",
        "/reports/annual/2013-14/",
        "/reports/annual/2013-14.pdf",
        "/accounts/login/",
        "/accounts/logout/",
        "/favicon.ico",
        "/admin/",
        "/admin/kpis/figure/",
        "/admin/kpis/figure/1/change/",
        "/admin/ccgportal/importrecord/import/",
        "/admin/kpis/teamreturn/1/reopen/",
    ]
    for path in paths:
        for method in ("PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND"):
            portal.send(method, path, b"a=1", {"Content-Type": "application/x-www-form-urlencoded"})
        if (
            path not in ("/accounts/login/", "/accounts/logout/")
            and "/1/" not in path[-30:]
            and not path.startswith(("/admin/", "/surveys/reply/x"))
        ):
            portal.post(path, {"a": "1"})


def oversized_and_csrf(portal, year):
    url = f"/returns/{year}/1/business-intelligence/"
    portal.post(url, {"version": "", "action": "draft", "pad": "x" * (3 * 1024 * 1024)})
    portal.send(
        "POST",
        url,
        b"a=" + b"x" * (3 * 1024 * 1024),
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    portal.post(url, {f"f{n}": "1" for n in range(1200)})
    saved = dict(portal.cookies)
    portal.cookies.pop("csrftoken", None)
    portal.send("POST", url, b"action=draft", {"Content-Type": "application/x-www-form-urlencoded"})
    portal.send(
        "POST",
        "/surveys/reply/" + "x" * 43 + "/",
        b"comment=hi",
        {"Content-Type": "application/x-www-form-urlencoded"},
        cookies=False,
    )
    portal.send(
        "POST",
        "/accounts/login/",
        b"username=exec&password=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
        cookies=False,
    )
    portal.cookies = saved
    portal.send(
        "GET", "/dashboard/", headers={"Cookie": "sessionid=abcdefgh\x00ijkl"}, cookies=False
    )
    portal.send("GET", "/", headers={"Cookie": "csrftoken=\x00"}, cookies=False)
    for method in ("PUT", "POST", "DELETE"):
        portal.send(method, url, headers={"Cookie": "sessionid=abcdefgh\x00ijkl"}, cookies=False)
    portal.post("/accounts/login/", {"username": "exec\x00", "password": "x"}, cookies=False)


def imports(portal, year):
    portal.login("admin", PASSWORD)
    url = "/admin/ccgportal/importrecord/import/"
    portal.get(url)
    header = "kpi,quarter,month,value,commentary,self_assessed_rag\r\n"
    rows = (
        [
            f'"Number of quality inspections carried out",1,,{value},,\r\n'
            for value in BIG + ["１２", "-5", "\x00"]
        ]
        + [
            f'"Counting and coding: Number of coding challenges that have been successful and '
            f'value (£)",1,,"3/£{value}",,\r\n'
            for value in MONEY
        ]
        + [
            f'"Number of whole time equivalents",1,4,{value},,\r\n'
            for value in ["100000000000000", "1" + "0" * 30, "-5", "１２"]
        ]
        + [
            f'"Number of new starters (total per quarter)",1,{m},{4 * 10**18},,\r\n'
            for m in (4, 5, 6)
        ]
    )
    for row in rows:
        portal.post_file(url, {"year": year}, "returns.csv", (header + row).encode())
    portal.post_file(url, {"year": year}, "returns.csv", (header + "".join(rows)).encode())
    portal.post_file(url, {"year": year}, "r.csv", (header + '"x",1,4,\x00,a\x00,\r\n').encode())
    portal.post_file(url, {"year": "\x00"}, "r.csv", header.encode())
    portal.post_file(url, {"year": year}, "r\x00.csv", header.encode())


PASSWORD = "ccg-portal-demo"  # noqa: S105 - the demo's, as load_demo gives it


def main() -> int:
    global PASSWORD
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8034")
    parser.add_argument("--password", default=PASSWORD)
    args = parser.parse_args()
    PASSWORD = args.password
    portal = Portal(args.base)
    portal.login("exec", PASSWORD)
    dashboards(portal)
    portal.login("staff.bi", PASSWORD)
    year = open_year(portal)
    other_pages(portal, year)
    return_form(portal, year)
    portal.login("staff.bi", PASSWORD)
    oversized_and_csrf(portal, year)
    sign_off(portal, year)
    portal.login("admin", PASSWORD)
    methods(portal, year)
    imports(portal, year)
    total = sum(portal.answers.values())
    print(f"{total} requests: " + ", ".join(f"{s}: {n}" for s, n in sorted(portal.answers.items())))
    for failure in portal.failures:
        print(failure)
    print(
        f"500s: {sum(n for s, n in portal.answers.items() if s >= 500)}; 4xx not in the layout: "
        f"{portal.bare}"
    )
    return 1 if portal.failures else 0


if __name__ == "__main__":
    sys.exit(main())
