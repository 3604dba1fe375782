"""Time to build the annual report's PDF for 2013/14 from the demo.

    python -m bench.report [--runs 3] [--database sqlite:////tmp/ccgportal_report_bench.sqlite3]

Migrates a fresh database (SQLite in a temporary file unless BENCH_DATABASE_URL or --database
names another), loads the demo, then builds the PDF as the download does (reads, HTML, then
WeasyPrint), uncached, the given number of times. Prints each run's time, its pages and size.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
        from django.core.management import call_command
        from django.template.loader import render_to_string

        from demo.published import load_demo
        from reports import pdf, presenters, selectors

        call_command("migrate", verbosity=0)
        if not selectors.latest_report_year():
            load_demo(password="bench-only")  # noqa: S106 - a throwaway database
        for run in range(1, args.runs + 1):
            start = time.perf_counter()
            page = presenters.report_page(selectors.annual_report(args.year))
            html = render_to_string("reports/annual_pdf.html", {"page": page})
            document = pdf.layout(html)
            built = document.write_pdf(pdf_variant="pdf/ua-1")
            seconds = time.perf_counter() - start
            print(
                f"run {run}: annual report {args.year} PDF in {seconds:.2f} s "
                f"({len(document.pages)} pages, {len(built) / 1024:.0f} kB)"
            )
            if run == 1:
                Path(folder, "report.pdf").write_bytes(built)
                out = Path(tempfile.gettempdir()) / f"annual-report-{args.year}.pdf"
                out.write_bytes(built)
                print(f"written to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
