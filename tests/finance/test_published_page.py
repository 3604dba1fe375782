"""Every line of the running-cost page against the published schedule, and the finance summary
against the published table (fixtures/published/, transcribed from the 2013/14 annual report)."""

import csv

from tests.finance.test_pages import RUNNING_COSTS, SUMMARY, rows, summary_rows
from tests.html import page
from tests.published import PUBLISHED
from tests.support import login


def published(name: str) -> list[dict[str, str]]:
    with (PUBLISHED / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_every_running_cost_line_shows_the_published_pounds_per_head_and_percent(client, demo):
    doc = page(login(client).get(RUNNING_COSTS))
    shown = rows(doc)
    lines = [line for line in published("running_costs_2013-14.csv") if line["level"] != "0"]
    assert len(lines) == 51  # and the total, checked against the page's own total row
    wrong = []
    for line in lines:
        amount = line["amount_gbp"]
        expected = [
            amount if amount in {"-", "-0"} else f"£{amount}",
            line["printed_per_capita"],
            line["printed_percent"],
        ]
        if shown.get(line["line"], [])[:3] != expected:
            wrong.append((line["line"], shown.get(line["line"]), expected))
    assert wrong == []


def test_the_finance_summary_shows_the_published_table(client, demo):
    doc = page(login(client).get(SUMMARY))
    assert summary_rows(doc) == {
        row["measure"]: [
            row["programme_gbp_000"],
            row["running_costs_gbp_000"],
            row["total_gbp_000"],
        ]
        for row in published("finance_summary_2013-14.csv")
    }
