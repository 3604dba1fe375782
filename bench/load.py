"""Load test: the dashboards and the return form under gunicorn on PostgreSQL, with locust.

    python -m bench.load [--scales 0,100] [--seconds 20] [--users N] [--port 8001] [--keep]

For each scale (0 is the demo alone; N adds ``make_synthetic_data --scale N``): (re)create the
PostgreSQL database ``ccgportal_load`` (BENCH_LOAD_DATABASE_URL to use another), migrate, load
the demo, add the synthetic data; start gunicorn on 127.0.0.1:PORT as ``make serve`` does
(ccgportal/gunicorn_conf.py: two workers a core and one, DEBUG off), with ``bench.settings``
(static files by name, so no collectstatic; the bench's minimal view); then, per page, a
headless locust run (bench/locustfile.py) of --users users with no pause between requests,
bounded by --seconds, after a short warm-up of every page. Prints per page requests a second,
median and 95th-percentile latency (ms) and errors; stops gunicorn and drops the database
(unless --keep) however it ends.

Pages: the minimal view (the least a signed-in request costs, the yardstick), the scorecard,
the exception report and the KPI page (as the executive, 2013-14 quarter 4; the KPI is the
demo's monthly contract meetings, at larger scales ``syn-kpi-1-01``, ten years of months),
the return form (GET) and saving it as a draft (GET then POST, the POST counted; as each demo
team's member, each user its own team and quarter of the open year).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import subprocess  # noqa: S404 - runs manage.py, gunicorn and locust of this checkout
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

from bench.pages import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ccgportal_load"
PASSWORD = "load-test-only"  # noqa: S105 - the demo log-ins of a throwaway database
# (tag in bench/locustfile.py, the name locust records, the page as the table prints it)
PAGES = [
    ("minimal", "minimal", "minimal view"),
    ("scorecard", "scorecard", "scorecard"),
    ("exceptions", "exception report", "exception report"),
    ("kpi", "KPI page", "KPI page"),
    ("form", "return form GET", "return form GET"),
    ("save", "return form POST (save draft)", "return form POST"),
]
WORKERS = (os.cpu_count() or 1) * 2 + 1  # ccgportal/gunicorn_conf.py's default
GOAL = "scorecard at the demo's size: ≥ 100 requests/s, p95 < 250 ms, no errors"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="0,100", help="0 is the demo alone, e.g. 0,10,100")
    parser.add_argument("--seconds", type=int, default=20, help="each page's locust run")
    parser.add_argument(
        "--users", type=int, default=WORKERS, help="concurrent users (default: gunicorn's workers)"
    )
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_LOAD_PORT", 8001)))
    parser.add_argument("--pages", default=",".join(tag for tag, *_ in PAGES))
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    url = os.environ.get("BENCH_LOAD_DATABASE_URL", DEFAULT_URL)
    pages = [page for page in PAGES if page[0] in args.pages.split(",")]
    try:
        for scale in [int(s) for s in args.scales.split(",")]:
            version = recreate_database(url)
            made = prepare(url, scale)
            env = environment(url, scale, args.port)
            load_before = os.getloadavg()[0]
            with Gunicorn(env, args.port) as server:
                env = {**env, "LOAD_SERVER_PID": str(server.process.pid)}
                rows = [(label, *load(env, args, tag, name)) for tag, name, label in pages]
            print_table(scale, version, made, server.workers, args, rows, load_before)
    finally:
        if not args.keep:
            drop_database(url)
    print(f"\nGoal: {GOAL}.")
    return 0


def manage(url: str, *command: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "DEMO_PASSWORD": PASSWORD}
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.exit(f"manage.py {' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(url: str, scale: int) -> str:
    manage(url, "migrate", "--noinput")
    manage(url, "load_demo")
    if not scale:
        return "the demo alone"
    started = time.perf_counter()
    manage(url, "make_synthetic_data", "--scale", str(scale))
    return f"the demo and synthetic scale {scale} ({time.perf_counter() - started:.0f} s to make)"


def environment(url: str, scale: int, port: int) -> dict[str, str]:
    today = date.today()
    start = today.year if today.month >= 4 else today.year - 1  # the open year load_demo made
    quarter = (today.month - 4) % 12 // 3 + 1  # the quarter today falls in: begun, editable
    return {
        **os.environ,
        "DATABASE_URL": url,
        "LOAD_DATABASE": url.rsplit("/", 1)[1],
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "0",
        "DEMO_PASSWORD": PASSWORD,
        "BIND": f"127.0.0.1:{port}",
        "LOAD_YEAR": "2013-14",
        "LOAD_QUARTER": "4",
        "LOAD_KPI": "finance-contract-meetings-attended" if scale < 1 else "syn-kpi-1-01",
        "LOAD_OPEN_YEAR": f"{start}-{str(start + 1)[2:]}",
        "LOAD_OPEN_QUARTERS": ",".join(str(q) for q in range(1, quarter + 1)),
    }


class Gunicorn:
    """gunicorn as `make serve` starts it, stopped (TERM, then KILL) however the block ends."""

    def __init__(self, env: dict[str, str], port: int):
        self.env, self.port = env, port
        self.process: subprocess.Popen | None = None
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(  # noqa: S603 - gunicorn of this checkout
            [str(BIN / "gunicorn"), "--config", "ccgportal/gunicorn_conf.py", "ccgportal.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                sys.exit(f"gunicorn stopped:\n{self.log.read().decode(errors='replace')}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/accounts/login/", timeout=5)  # noqa: S310
                break
            except OSError:
                time.sleep(0.5)
        else:
            self.__exit__()
            sys.exit(f"gunicorn did not answer on 127.0.0.1:{self.port} within 60 s")
        self.log.seek(0)
        self.workers = self.log.read().decode(errors="replace").count("Booting worker")
        return self

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def locust(env: dict[str, str], args, tags: list[str], csv_prefix: str) -> None:
    """One headless run: every user signs in, a warm-up, then --seconds timed (locustfile.py);
    --run-time bounds it if the users cannot all sign in."""
    seconds = args.seconds + 300
    env = {**env, "LOAD_SECONDS": str(args.seconds), "LOAD_WARMUP": "3"}
    command = [
        str(BIN / "locust"), "-f", "bench/locustfile.py", "--headless", "--only-summary",
        "--host", f"http://127.0.0.1:{args.port}", "--users", str(args.users),
        "--spawn-rate", str(args.users), "--run-time", f"{seconds}s", "--stop-timeout", "10",
        "--tags", *tags, "--csv", csv_prefix, "--loglevel", "WARNING", "--exit-code-on-error", "0",
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - locust of this checkout
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=seconds + 60
    )
    if done.returncode:
        sys.exit(f"locust failed:\n{done.stdout}{done.stderr}")


def load(env: dict[str, str], args, tag: str, name: str) -> tuple:
    """(requests a second, median ms, p95 ms, requests, errors, CPU ms a request of the server's
    workers, of PostgreSQL and of locust) of one page's locust run."""
    with tempfile.TemporaryDirectory() as folder:
        env = {**env, "LOAD_CPU_FILE": f"{folder}/cpu.json"}
        locust(env, args, [tag], f"{folder}/run")
        cpu_path = Path(folder, "cpu.json")
        cpu = json.loads(cpu_path.read_text()) if cpu_path.exists() else {}
        with open(f"{folder}/run_stats.csv", newline="") as file:
            rows = {row["Name"]: row for row in csv.DictReader(file)}
        with open(f"{folder}/run_failures.csv", newline="") as file:
            failures = list(csv.DictReader(file))
    for failure in failures:
        print(
            f"  {failure['Name']}: {failure['Error']} ({failure['Occurrences']}×)", file=sys.stderr
        )
    row = rows.get(name)
    if row is None:
        return (0.0, 0.0, 0.0, 0, f"no requests ({', '.join(rows)})", None, None, None)
    errors = int(row["Failure Count"]) + sum(
        int(r["Occurrences"]) for r in failures if r["Name"] != name
    )
    # Every request of the window, the GET before each save included, shares the CPU.
    requests = int(rows["Aggregated"]["Request Count"]) if "Aggregated" in rows else 0
    per_request = [
        cpu[key] * 1000 / requests if cpu and requests else None
        for key in ("server", "database", "locust")
    ]
    return (
        float(row["Requests/s"]),
        float(row["50%"]),
        float(row["95%"]),
        int(row["Request Count"]),
        errors,
        *per_request,
    )


def print_table(scale, version, made, workers, args, rows, load_before) -> None:
    print(
        f"\nScale {scale} ({made}), PostgreSQL {version}, gunicorn {workers} workers, "
        f"{args.users} locust users, {args.seconds} s a page; load average "
        f"{load_before:.1f} before, {os.getloadavg()[0]:.1f} after ({os.cpu_count()} cores)"
    )
    print(
        f"{'page':<20}{'requests/s':>11}{'median ms':>11}{'p95 ms':>9}{'requests':>10}"
        f"{'errors':>8}   CPU ms a request: gunicorn + PostgreSQL (locust) → idle capacity"
    )
    cores = os.cpu_count() or 1
    for label, rps, median, p95, count, errors, app, db, own in rows:
        line = f"{label:<20}{rps:>11.1f}{median:>11.0f}{p95:>9.0f}{count:>10}{errors!s:>8}"
        if app is not None:
            line += f"   {app:.1f} + {db:.1f} ({own:.1f}) → {cores * 1000 / (app + db):.0f}/s"
        print(line)
    print(
        "idle capacity: the requests a second this machine's cores would serve with nothing "
        "else running, from the CPU time gunicorn's workers and PostgreSQL spent per request "
        "in the timed window (locust's own left out)"
    )


if __name__ == "__main__":
    sys.exit(main())
