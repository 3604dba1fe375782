"""RAG and trend on every one of the 39 KPIs of 2013/14, against the targets as published."""

import csv
from decimal import Decimal

import pytest

from common.cells import parse_kpi_cell, parse_target
from kpis import rules
from kpis.rules import Rag
from kpis.shapes import cell_values, target_value
from tests.published import PORTAL, PUBLISHED

G, A, R, N = Rag.GREEN, Rag.AMBER, Rag.RED, None

# Worked by hand from the published figures, targets and the default 10% amber tolerance.
EXPECTED_RAG = {
    "coding-challenges-successful": (N, N, N, N),  # N/A
    "bi-meetings-attended": (A, A, A, A),  # 96 a quarter against 386 pa: 384 for the year
    "procurement-projects-supported": (N, N, N, N),
    "successful-procurement-challenges": (G, G, G, G),  # 0 against 0, lower is better
    "contracts-signed-regulated": (N, N, N, A),  # 22/23 = 95.7% against 100%
    "contracts-signed-non-regulated": (N, N, N, N),  # counts with no denominator: no rate
    "finance-contract-meetings-attended": (N, N, N, G),  # 66/66 against 90%
    "financial-returns-on-time": (N, N, N, G),
    "days-to-issue-monthly-reports": (G, G, G, G),  # 6 days against at most 6
    "invoices-paid-within-30-days": (G, G, G, G),  # 96.5, 95, 98.5, 97% against 95%
    "quality-inspections": (G, G, G, R),  # 5 against 6 a quarter is 17% short
    "risks-added": (N, N, N, N),
    "risks-removed": (N, N, N, N),
    "safeguarding-boards-attended": (G, G, G, G),
    "safeguarding-reports-submitted": (G, G, G, G),
    "policies-reviewed-on-time": (N, N, N, N),
    "complaints-acknowledged-in-3-days": (N, N, N, G),
    "complaints-closed": (N, N, N, N),
    "prescriber-newsletters": (N, N, N, G),  # 11 against 10 for the year
    "visit-reports-produced": (N, N, N, N),
    "medicines-optimisation-reports": (G, G, G, G),  # 1 a quarter against 4 for the year
    "nice-guidance-reviews": (G, G, G, G),
    "foi-requests-responded": (N, N, N, A),  # 63/67 = 94% against 100%
    "subject-access-requests-responded": (N, N, N, R),  # 6/10 = 60% against 100%
    "delivery-plan-projects-on-target": (R, R, R, R),  # 24 of 31 projects
    "personal-health-budgets-issued": (N, N, N, N),
    "chc-contracts-issued": (N, N, N, R),  # 214 for the year against 299
    "chc-contracts-outstanding": (N, N, N, R),  # 85 against 0
    "chc-cases-breaching-28-days": (R, R, G, R),  # 6, 1, 0, 37 against 0
    "new-starters": (N, N, N, N),
    "leavers": (N, N, N, N),
    "payslips-issued": (N, N, N, N),
    "staff-turnover": (N, N, N, N),
    "staff-absence": (R, R, R, R),  # 2.31 … 3.76% against 2%, lower is better
    "whole-time-equivalents": (N, N, N, N),
    "statutory-mandatory-training": (N, N, N, R),  # 62% against 90%
    "events-organised": (N, N, N, N),
    "health-scrutiny-agenda-items": (N, N, N, N),
    "press-statements": (N, N, N, N),  # annual increase, and 2012/13 is not held
}


def published_kpis():
    with (PORTAL / "kpi_definitions_2013-14.csv").open(newline="", encoding="utf-8") as handle:
        definitions = {row["kpi"]: row for row in csv.DictReader(handle)}
    with (PUBLISHED / "kpis_2013-14.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kpis = {}
    for row in rows:
        definition = definitions[row["kpi"]]
        measure = rules.Measure(definition["measure"])
        kind = rules.TargetKind(definition["target_kind"])
        override = Decimal(definition["target_value"]) if definition["target_value"] else None
        spec = rules.TargetSpec(
            kind=kind,
            value=target_value(kind, parse_target(row["target"]), override),
            direction=rules.Direction(definition["direction"]),
            measure=measure,
            rollup=rules.Rollup(definition["rollup"]),
        )
        figures = {q: cell_values(measure, parse_kpi_cell(row[f"q{q}"])) for q in range(1, 5)}
        kpis[definition["slug"]] = (spec, figures)
    return kpis


PUBLISHED_KPIS = published_kpis()


def test_every_published_kpi_has_an_expected_rating():
    assert len(PUBLISHED_KPIS) == 39
    assert set(PUBLISHED_KPIS) == set(EXPECTED_RAG)


@pytest.mark.parametrize("slug", sorted(EXPECTED_RAG))
def test_computed_rag_of_each_published_kpi(slug):
    spec, figures = PUBLISHED_KPIS[slug]
    computed = tuple(rules.assess(spec, q, figures).rag for q in range(1, 5))
    assert computed == EXPECTED_RAG[slug]


def test_rag_is_red_when_chc_breaches_exceed_zero_target():
    spec, figures = PUBLISHED_KPIS["chc-cases-breaching-28-days"]
    result = rules.assess(spec, 4, figures)
    assert (result.rag, result.actual, result.target) == (R, 37, 0)


def test_invoices_paid_within_30_days_green_at_97_against_95():
    spec, figures = PUBLISHED_KPIS["invoices-paid-within-30-days"]
    result = rules.assess(spec, 4, figures)
    assert (result.rag, result.actual, result.target) == (G, Decimal("97"), Decimal("95"))
    assert result.reason == "97% against 95%"


def test_statutory_training_red_at_62_against_90():
    spec, figures = PUBLISHED_KPIS["statutory-mandatory-training"]
    assert rules.assess(spec, 4, figures).rag == R


def test_staff_absence_red_at_376_against_2_lower_is_better():
    spec, figures = PUBLISHED_KPIS["staff-absence"]
    result = rules.assess(spec, 4, figures)
    assert (result.rag, result.actual) == (R, Decimal("3.76"))


def test_na_target_gives_no_rag():
    spec, figures = PUBLISHED_KPIS["risks-added"]
    assert rules.assess(spec, 1, figures) == rules.Assessment(None, "No target")


def test_not_collected_is_never_zero():
    spec, figures = PUBLISHED_KPIS["chc-contracts-outstanding"]
    assert figures[1].not_collected and figures[1].count is None
    assert rules.assess(spec, 1, figures).reason == "Information not collected"
    assert rules.headline(spec.measure, figures[1]) is None


def test_annual_increase_compares_with_same_quarter_last_year():
    spec, figures = PUBLISHED_KPIS["press-statements"]
    assert rules.assess(spec, 2, figures).reason == "No figure for the same quarter last year"
    last_year = rules.FigureValues(count=50, count_2=30)
    assert rules.assess(spec, 2, figures, last_year).rag == G  # 60 issued against 50
    assert rules.assess(spec, 1, figures, last_year).rag == R  # 34 against 50
    assert rules.assess(spec, 1, figures, rules.FigureValues(count=34)).rag == A  # no increase


def test_annual_target_is_judged_on_the_year_to_date():
    spec, figures = PUBLISHED_KPIS["bi-meetings-attended"]
    result = rules.assess(spec, 4, figures)
    assert (result.actual, result.target) == (Decimal(384), Decimal(386))


def test_ratio_without_denominator_says_why_it_has_no_rag():
    spec, figures = PUBLISHED_KPIS["foi-requests-responded"]
    assert rules.assess(spec, 1, figures).reason == "No rate: the denominator was not recorded"


def test_trend_of_published_invoices():
    spec, figures = PUBLISHED_KPIS["invoices-paid-within-30-days"]
    series = [rules.headline(spec.measure, figures[q]) for q in range(1, 5)]
    trends = [rules.trend(series[i], series[i - 1], spec.direction) for i in range(1, 4)]
    assert trends == [rules.Trend.DECLINED, rules.Trend.IMPROVED, rules.Trend.DECLINED]


def test_trend_of_breaches_improves_as_they_fall():
    spec, figures = PUBLISHED_KPIS["chc-cases-breaching-28-days"]
    series = [rules.headline(spec.measure, figures[q]) for q in range(1, 5)]
    assert rules.trend(series[1], series[0], spec.direction) == rules.Trend.IMPROVED
    assert rules.trend(series[3], series[2], spec.direction) == rules.Trend.DECLINED
