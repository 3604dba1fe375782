"""Time to build the annual report's PDF for 2013/14 from the demo.

    python -m bench.report [--runs 3] [--database sqlite:////tmp/ccgportal_report_bench.sqlite3]

Migrates a fresh database (SQLite in a temporary file unless BENCH_DATABASE_URL or --database
names another), loads the demo, then downloads the PDF as the view builds it (reads, HTML, then
the digest cache over WeasyPrint) the given number of times: each run once cold (the cache
emptied first) and once cached. Prints each time, wall clock and CPU (which other work on the
machine does not inflate), the cold run's phases, its pages and size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Download:
    wall: float = 0.0
    cpu: float = 0.0
    body: bytes = b""
    pages: int = 0
    phases: list[tuple[str, float]] = field(default_factory=list)


def _download(year, pdf, presenters, selectors, render_to_string) -> Download:
    """The PDF as its download builds it (reads, HTML, then the digest cache, which lays it
    out and writes it only when it holds no PDF for that HTML), each phase timed."""
    found = Download()
    wall, cpu = time.perf_counter(), time.process_time()
    mark = wall
    data = selectors.annual_report(year)
    page = presenters.report_page(data)
    reads = time.perf_counter()
    html = render_to_string(
        "reports/annual_pdf.html", {"page": page, "site": "https://portal.example"}
    )
    built = time.perf_counter()

    def build(text):
        start = time.perf_counter()
        document = pdf.layout(text)
        laid = time.perf_counter()
        body = document.write_pdf(pdf_variant="pdf/ua-1")
        found.pages = len(document.pages)
        found.phases = [
            ("reads", reads - mark),
            ("HTML", built - reads),
            ("layout", laid - start),
            ("writing", time.perf_counter() - laid),
        ]
        return body

    found.body = pdf.machinery.cached(f"{pdf.CACHE_PREFIX}:{year}", html, build)
    found.wall, found.cpu = time.perf_counter() - wall, time.process_time() - cpu
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--year", default="2013-14")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = args.database or f"sqlite:///{folder}/report.sqlite3"
        os.environ.setdefault("DEBUG", "1")  # the demo app and its loader
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ccgportal.settings")
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.core.cache import cache
        from django.core.management import call_command
        from django.template.loader import render_to_string

        from demo.published import load_demo
        from reports import pdf, presenters, selectors

        call_command("migrate", verbosity=0)
        if not selectors.latest_report_year():
            load_demo(password="bench-only")  # noqa: S106 - a throwaway database
        for run in range(1, args.runs + 1):
            cache.clear()
            cold = _download(args.year, pdf, presenters, selectors, render_to_string)
            cached = _download(args.year, pdf, presenters, selectors, render_to_string)
            assert cached.body == cold.body and not cached.phases, "the second was rendered"
            phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in cold.phases)
            print(
                f"run {run}: annual report {args.year} PDF cold {cold.wall:.2f} s "
                f"(CPU {cold.cpu:.2f} s; {phases}; {cold.pages} pages, "
                f"{len(cold.body) / 1024:.0f} kB), cached {cached.wall:.2f} s "
                f"(CPU {cached.cpu:.2f} s)"
            )
            if run == 1:
                out = Path(tempfile.gettempdir()) / f"annual-report-{args.year}.pdf"
                out.write_bytes(cold.body)
                print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
