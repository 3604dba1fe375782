"""Server time of the dashboard pages on PostgreSQL, with the demo and synthetic data at scale.

    python -m bench.pages [--scales 1,100] [--requests 20] [--warmup 3] [--keep]

For each scale: (re)create the database ``ccgportal_bench`` on PostgreSQL, migrate, load the
demo and ``make_synthetic_data --scale N``, then, in a fresh process with ``bench.settings``
(DEBUG off, plus a minimal view), request each page as the demo executive ``exec`` with
Django's test client: warm-up requests first, then N timed ones (the minimal view at least
200). Reported per page: median and 95th percentile in ms, each as a multiple of the minimal
view's median measured in the same run (so machines can be compared), the SQL queries of one
request and the response size.
A page that answers 404 is reported "not built (404)"; one that fails, by its status.

The server is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/ccgportal_bench);
the database named there is dropped and created for each scale, and dropped at the end
unless --keep is given.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess  # noqa: S404 - runs manage.py and this module, nothing from outside
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ccgportal_bench"
MINIMAL_REQUESTS = 200


# --- the parent: databases, data and the table -------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,100", help="comma-separated, e.g. 1,10,100")
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--measure", type=int, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.requests < 2:
        parser.error("--requests is at least 2 (a 95th percentile needs two)")
    if args.measure is not None:
        print(json.dumps(measure(args.measure, args.requests, args.warmup)))
        return 0

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    for scale in [int(s) for s in args.scales.split(",")]:
        version = recreate_database(url)
        made = prepare(url, scale)
        result = json.loads(
            run([sys.executable, "-m", "bench.pages", "--measure", str(scale),
                 "--requests", str(args.requests), "--warmup", str(args.warmup)],
                url, settings="bench.settings").splitlines()[-1]
        )  # fmt: skip
        print_table(scale, version, made, result, args.requests)
    if not args.keep:
        drop_database(url)
    return 0


def run(command: list[str], url: str, settings: str = "ccgportal.settings") -> str:
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": settings}
    # load_demo creates the demo log-ins only with DEBUG on; the timed process runs DEBUG off.
    env["DEBUG"] = "0" if settings == "bench.settings" else "1"
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(command[1:])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def prepare(url: str, scale: int) -> str:
    """Migrate, load the demo and make the synthetic data; returns what the last one printed."""
    manage = [sys.executable, "manage.py"]
    run([*manage, "migrate", "--noinput"], url)
    run([*manage, "load_demo"], url)
    started = time.perf_counter()
    printed = run([*manage, "make_synthetic_data", "--scale", str(scale)], url)
    return f"{printed.rstrip()}\n  make_synthetic_data took {time.perf_counter() - started:.1f} s"


def _connect_to_server(url: str):
    """A connection to the server's maintenance database, and the bench database's name."""
    import psycopg2

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    server = urlunsplit(parts._replace(path="/postgres"))
    try:
        connection = psycopg2.connect(server)
    except psycopg2.OperationalError as exc:
        sys.exit(f"PostgreSQL at {parts.hostname}:{parts.port or 5432} does not answer: {exc}")
    connection.autocommit = True  # CREATE and DROP DATABASE cannot run in a transaction
    return connection, name


def recreate_database(url: str) -> str:
    from psycopg2 import sql

    connection, name = _connect_to_server(url)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    connection.close()
    return version.split()[0]


def drop_database(url: str) -> None:
    from psycopg2 import sql

    connection, name = _connect_to_server(url)
    with connection.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
    connection.close()


def print_table(scale: int, version: str, made: str, result: dict, requests: int) -> None:
    print(f"\nScale {scale}, PostgreSQL {version}, {requests} timed requests per page")
    print(made)
    width = max(len(row["path"]) for row in result.values()) + 2
    header = f"{'page':<17}{'path':<{width}}{'median ms':>10}{'p95 ms':>9}{'× minimal':>15}"
    print(f"{header}{'queries':>9}{'kB':>8}")
    minimal = result["minimal"]["median_ms"]
    for name, row in result.items():
        line = f"{name:<17}{row['path']:<{width}}"
        if "median_ms" not in row:
            print(f"{line}{row['outcome']:>10}")
            continue
        ratios = f"{row['median_ms'] / minimal:.1f} / {row['p95_ms'] / minimal:.1f}"
        print(
            f"{line}{row['median_ms']:>10.1f}{row['p95_ms']:>9.1f}{ratios:>15}"
            f"{row['queries']:>9}{row['kb']:>8.1f}"
        )
    print("× minimal: a page's median and p95 over the minimal view's median, same run")


# --- the child: Django set up on the bench database, pages timed -------------------------


def targets(scale: int) -> dict[str, str]:
    """Each page's path: the demo's directorate and a monthly KPI at scale 1, synthetic ones
    (a directorate of ten KPIs, a monthly KPI with ten years of figures) at larger scales."""
    from demo.synthetic_plan import SLUG_PREFIX, directorate_slug, kpi_slug
    from directorates.models import Directorate, FinancialYear
    from kpis.models import KpiYear

    year = FinancialYear.objects.filter(kpi_years__figures__isnull=False).latest("start_date")
    if scale == 1:
        directorate = (
            Directorate.objects.exclude(slug__startswith=SLUG_PREFIX).order_by("display_order")[0]
        ).slug
        kpi = (
            KpiYear.objects.filter(year=year, frequency="monthly")
            .exclude(kpi__slug__startswith=SLUG_PREFIX)
            .order_by("display_order")[0]
            .kpi.slug
        )
    else:
        directorate, kpi = directorate_slug(1), kpi_slug(1, 1)
    period = f"year={year.label}&quarter=4"
    return {
        "scorecard": f"/dashboard/?{period}",
        "directorate": f"/dashboard/directorates/{directorate}/?{period}",
        "exception report": f"/dashboard/exceptions/?{period}",
        "KPI page": f"/kpis/{kpi}/",
    }


def measure(scale: int, requests: int, warmup: int) -> dict:
    import gc

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    import ccgportal.urls  # noqa: F401 - loaded before the freeze, as the WSGI module has it
    from bench.urls import MINIMAL_PATH

    gc.freeze()  # as ccgportal/wsgi.py does once the application is loaded

    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="exec"))
    # The yardstick is cheap, so it gets more requests: its median must not be noise.
    results = {"minimal": time_page(client, MINIMAL_PATH, max(requests, MINIMAL_REQUESTS), warmup)}
    for name, path in targets(scale).items():
        results[name] = time_page(client, path, requests, warmup)
    return results


def time_page(client, path: str, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            code = response.status_code
            return {"path": path, "outcome": "not built (404)" if code == 404 else f"status {code}"}
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
    # Counted on a request of its own: capturing queries slows the ones it captures.
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return {
        "path": path,
        "median_ms": statistics.median(samples),
        "p95_ms": statistics.quantiles(samples, n=20, method="inclusive")[18],
        "queries": len(queries.captured_queries),
        "kb": len(response.content) / 1024,
    }


if __name__ == "__main__":
    sys.exit(main())
