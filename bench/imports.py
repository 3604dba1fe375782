"""Importing long-layout KPI figures into PostgreSQL, from CSV and from .xlsx, against COPY.

    python -m bench.imports [--rows 100000] [--keep]

Builds the PostgreSQL database ``ccgportal_bench_import`` (BENCH_IMPORT_DATABASE_URL to use
another), migrates, loads the demo and adds to its open year (2014-15) enough bench KPIs for
the rows: two thirds of the rows for monthly KPIs (twelve months each), a third for quarterly
ones (four quarters each, as numerator/denominator cells with their printed rate, with
commentary on one row in ten, on the quarter's row where the layout puts it), and a '*' on one
row in fifty. It writes the long-layout file once
as CSV and once as .xlsx, then for each:

- COPY: the same rows, one figure each, into the same table (``kpis_figure``) with a plain
  ``COPY … FROM STDIN`` inside a transaction that is rolled back: the floor any import of
  these rows could reach;
- the import, as an admin's confirmed import runs it (``ccgportal.imports.run``: read and
  check the file, plan every row against the database, then write the figures, the monthly
  figures' quarters, their change history and the import's record in one transaction), in a
  fresh process, timed from the file's bytes to the commit, with its peak memory (the
  process's peak resident set less what it held before the import started);
- then it deletes what the import wrote, so the next format starts from the same database.

Reported: seconds, rows a second, the ratio to COPY, peak memory, figures and history rows
written.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import resource
import subprocess  # noqa: S404 - runs manage.py and this module, nothing from outside
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bench.pages import drop_database, recreate_database

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ccgportal_bench_import"
YEAR = "2014-15"
WORK = ROOT / ".bench"
TENTH = Decimal("0.1")
LONG_HEADER = ["kpi", "quarter", "month", "value", "commentary", "self_assessed_rag"]
# April-March: the months of each quarter.
QUARTER_MONTHS = {1: (4, 5, 6), 2: (7, 8, 9), 3: (10, 11, 12), 4: (1, 2, 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--child", nargs=2, metavar=("TASK", "ARG"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        task, arg = args.child
        print(json.dumps(CHILD_TASKS[task](arg)))
        return 0

    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_URL)
    version = recreate_database(url)
    run([sys.executable, "manage.py", "migrate", "--noinput"], url)
    run([sys.executable, "manage.py", "load_demo"], url)
    made = child(url, "prepare", str(args.rows))
    print(f"\nImporting {made['rows']:,} long-layout rows, PostgreSQL {version}")
    print(
        f"  {made['kpis']:,} bench KPIs in {YEAR} ({made['monthly']:,} monthly, "
        f"{made['quarterly']:,} quarterly); files: CSV {made['csv_bytes'] / 1e6:.1f} MB, "
        f".xlsx {made['xlsx_bytes'] / 1e6:.1f} MB"
    )
    header = f"{'file':<7}{'COPY s':>8}{'import s':>10}{'rows/s':>10}{'× COPY':>9}"
    print(f"{header}{'peak MB':>9}{'figures':>9}{'history':>9}")
    for fmt in ("csv", "xlsx"):
        copy = child(url, "copy", made["csv"])  # the same rows, whichever file holds them
        result = child(url, "import", made[fmt])
        if "error" in result:
            print(f"{fmt:<7}{copy['seconds']:>8.2f}  import refused: {result['error']}")
            continue
        print(
            f"{fmt:<7}{copy['seconds']:>8.2f}{result['seconds']:>10.2f}"
            f"{made['rows'] / result['seconds']:>10,.0f}"
            f"{result['seconds'] / copy['seconds']:>9.1f}{result['peak_mb']:>9.0f}"
            f"{result['figures']:>9,}{result['history']:>9,}"
        )
        if fmt != "xlsx":
            child(url, "undo", result["record"])
    print("× COPY: the import's time over COPY's for the same rows into the same table")
    if not args.keep:
        drop_database(url)
    return 0


def run(command: list[str], url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)  # noqa: S603
    if done.returncode:
        sys.exit(f"{' '.join(command[1:])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def child(url: str, task: str, arg: str) -> dict:
    """A task in a fresh process, so each import's memory is its own."""
    out = run([sys.executable, "-m", "bench.imports", "--child", task, arg], url)
    return json.loads(out.splitlines()[-1])


# --- the children ---------------------------------------------------------------------------


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
    django.setup()


def prepare(rows: str) -> dict:
    """Bench KPIs in the open year, and the file of their figures as CSV and .xlsx."""
    _setup()
    from django.db import transaction
    from openpyxl import Workbook

    from directorates.models import FinancialYear, Team
    from kpis.models import Kpi, KpiYear

    total = int(rows)
    monthly = (total * 2 // 3) // 12
    quarterly = (total - monthly * 12 + 3) // 4
    year = FinancialYear.objects.get(label=YEAR)
    teams = list(Team.objects.order_by("pk"))
    names = [f"Bench KPI {i:05d}" for i in range(1, monthly + quarterly + 1)]
    with transaction.atomic():
        kpis = Kpi.objects.bulk_create(
            [Kpi(name=name, slug=f"bench-kpi-{i:05d}") for i, name in enumerate(names, 1)],
            batch_size=2000,
        )
        KpiYear.objects.bulk_create(
            [
                KpiYear(
                    kpi=kpi,
                    year=year,
                    team=teams[i % len(teams)],
                    display_order=1000 + i,
                    **(MONTHLY if i < monthly else QUARTERLY),
                )
                for i, kpi in enumerate(kpis)
            ],
            batch_size=2000,
        )
    table = [LONG_HEADER]
    for i, name in enumerate(names):
        if i < monthly:
            for quarter, months in QUARTER_MONTHS.items():
                for month in months:
                    n = len(table)
                    value = "*" if n % 50 == 0 else str(80 + (i * 7 + month * 3) % 40)
                    table.append([name, str(quarter), str(month), value, "", ""])
        else:
            for quarter in range(1, 5):
                n = len(table)
                denominator = 40 + (i + quarter) % 30
                numerator = denominator - (i * quarter) % 6
                rate = (Decimal(numerator * 100) / denominator).quantize(TENTH, ROUND_HALF_UP)
                value = "*" if n % 50 == 0 else f"{numerator}/{denominator} ({rate}%)"
                rag = "" if value == "*" else ("green" if numerator == denominator else "")
                table.append([name, str(quarter), "", value, _comment(n), rag])
    table = table[: total + 1]
    WORK.mkdir(exist_ok=True)
    csv_path, xlsx_path = WORK / "long-layout.csv", WORK / "long-layout.xlsx"
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(table)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Returns")
    for row in table:
        # Figures stored as numbers where a spreadsheet would hold them as numbers.
        sheet.append([_as_number(cell) for cell in row])
    book.save(xlsx_path)
    return {
        "rows": len(table) - 1,
        "kpis": len(names),
        "monthly": monthly,
        "quarterly": quarterly,
        "csv": str(csv_path),
        "xlsx": str(xlsx_path),
        "csv_bytes": csv_path.stat().st_size,
        "xlsx_bytes": xlsx_path.stat().st_size,
    }


MONTHLY = {
    "frequency": "monthly",
    "measure": "count",
    "rollup": "sum",
    "target_kind": "per_period",
    "target_value": 300,
    "target_text": "300 per quarter",
    "direction": "higher",
}
QUARTERLY = {
    "frequency": "quarterly",
    "measure": "ratio",
    "rollup": "sum",
    "target_kind": "percent",
    "target_value": 95,
    "target_text": "95%",
    "direction": "higher",
}


def _comment(n: int) -> str:
    return f"Row {n}: demand rose after the winter pressures plan began." if n % 10 == 0 else ""


def _as_number(cell: str):
    return int(cell) if cell.isdigit() else cell


def copy_rows(path: str) -> dict:
    """COPY one figure row per file row into kpis_figure, timed, then roll back."""
    _setup()
    from django.db import connection, transaction

    from kpis.models import KpiYear

    ids = dict(
        KpiYear.objects.filter(year__label=YEAR, kpi__slug__startswith="bench-").values_list(
            "kpi__name", "pk"
        )
    )
    buffer = io.StringIO()
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for kpi, quarter, month, value, commentary, rag in reader:
            not_collected = value == "*"
            count = numerator = denominator = ""
            if not not_collected and "/" in value:
                numerator, denominator = value.split(" ")[0].split("/")
            elif not not_collected:
                count = value
            buffer.write(
                "\t".join(
                    [
                        str(ids[kpi]),
                        quarter,
                        month or r"\N",
                        "t" if not_collected else "f",
                        count or r"\N",
                        numerator or r"\N",
                        denominator or r"\N",
                        value,
                        commentary,
                        rag,
                        "",
                        "1",
                        "now()",
                    ]
                )
                + "\n"
            )
    columns = (
        "kpi_year_id, quarter, month, not_collected, count, numerator, denominator, "
        "published_text, commentary, self_assessed_rag, self_assessment_reason, version, "
        "updated_at"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        buffer.seek(0)
        started = time.perf_counter()
        cursor.cursor.copy_expert(f"COPY kpis_figure ({columns}) FROM STDIN", buffer)
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {"seconds": seconds}


def import_file(path: str) -> dict:
    """The confirmed import of a file, as an admin runs it, timed, with its peak memory."""
    _setup()
    from django.contrib.auth import get_user_model

    from ccgportal import imports
    from common.importing import ImportRefused
    from directorates.models import FinancialYear
    from kpis.models import Figure

    admin = get_user_model().objects.get(username="admin")
    year = FinancialYear.objects.get(label=YEAR)
    data = Path(path).read_bytes()
    figures, history = Figure.objects.count(), Figure.history.count()
    before = _rss_mb()
    started = time.perf_counter()
    try:
        record = imports.run(Path(path).name, data, year=year, by=admin)
    except ImportRefused as exc:
        return {"error": str(exc)[:300]}
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "peak_mb": _peak_mb() - before,
        "figures": Figure.objects.count() - figures,
        "history": Figure.history.count() - history,
        "record": str(record.pk),
    }


def undo(record: str) -> dict:
    """Remove what the bench's import wrote, so the next format starts from the same data."""
    _setup()
    from django.db import connection, transaction

    from ccgportal.models import ImportRecord
    from kpis.models import Figure, Kpi, KpiYear, TeamReturn

    # Plain DELETEs: QuerySet.delete() would load every figure to send its signals.
    bench_years = "SELECT y.id FROM {ky} y JOIN {kpi} k ON k.id = y.kpi_id WHERE k.slug LIKE %s"
    names = {
        "ky": KpiYear._meta.db_table,
        "kpi": Kpi._meta.db_table,
        "figure": Figure._meta.db_table,
        "history": Figure.history.model._meta.db_table,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ("history", "figure"):
            sql = f"DELETE FROM {{{table}}} WHERE kpi_year_id IN ({bench_years})"  # noqa: S608
            cursor.execute(sql.format(**names), ["bench-%"])
        TeamReturn.objects.filter(year__label=YEAR).delete()
        ImportRecord.objects.filter(pk=record).delete()
    return {}


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CHILD_TASKS = {"prepare": prepare, "copy": copy_rows, "import": import_file, "undo": undo}


if __name__ == "__main__":
    sys.exit(main())
