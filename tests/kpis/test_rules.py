"""Unit tests of the pure KPI rules: compare, roll-up, roll-up from the name, trend."""

from decimal import Decimal

import pytest

from kpis import rules
from kpis.rules import Direction, FigureValues, Measure, Rag, Rollup, TargetKind, TargetSpec

D = Decimal


@pytest.mark.parametrize(
    ("actual", "target", "direction", "expected"),
    [
        (D(90), D(90), Direction.HIGHER, Rag.GREEN),
        (D(81), D(90), Direction.HIGHER, Rag.AMBER),  # exactly 10% short
        (D("80.9"), D(90), Direction.HIGHER, Rag.RED),
        (D(2), D(2), Direction.LOWER, Rag.GREEN),
        (D("2.2"), D(2), Direction.LOWER, Rag.AMBER),
        (D("2.21"), D(2), Direction.LOWER, Rag.RED),
        (D(1), D(0), Direction.LOWER, Rag.RED),  # a zero target has no amber band
        (D(0), D(0), Direction.LOWER, Rag.GREEN),
    ],
)
def test_compare_bands_with_default_tolerance(actual, target, direction, expected):
    assert rules.compare(actual, target, direction, rules.DEFAULT_AMBER_TOLERANCE) == expected


def test_admin_tolerance_widens_the_amber_band():
    assert rules.compare(D(75), D(90), Direction.HIGHER, D("0.20")) == Rag.AMBER
    assert rules.compare(D(75), D(90), Direction.HIGHER, D("0.10")) == Rag.RED


def test_rollup_total_adds_months():
    months = [FigureValues(count=5), FigureValues(count=7), FigureValues(count=4)]
    assert rules.rollup(months, Rollup.SUM) == FigureValues(count=16)


def test_rollup_average_of_percentages():
    months = [
        FigureValues(percent=D("2.1")),
        FigureValues(percent=D("2.4")),
        FigureValues(percent=D("2.7")),
    ]
    assert rules.rollup(months, Rollup.MEAN).percent == D("2.4")


def test_rollup_latest_takes_last_month_recorded():
    months = [FigureValues(value=D("273.26")), FigureValues(value=D("280.00")), FigureValues()]
    assert rules.rollup(months, Rollup.LATEST).value == D("280.00")


def test_rollup_of_ratio_recomputes_rate_from_parts():
    months = [
        FigureValues(numerator=20, denominator=20),
        FigureValues(numerator=21, denominator=22),
    ]
    rolled = rules.rollup(months, Rollup.SUM)
    assert (rolled.numerator, rolled.denominator) == (41, 42)
    assert rolled.percent == D(41) * 100 / D(42)


def test_rollup_leaves_out_months_not_collected():
    months = [FigureValues(not_collected=True), FigureValues(count=3)]
    assert rules.rollup(months, Rollup.SUM) == FigureValues(count=3)
    assert rules.rollup([FigureValues(not_collected=True)] * 3, Rollup.SUM).not_collected


@pytest.mark.parametrize(
    ("name", "measure", "expected"),
    [
        ("Number of new starters (total per quarter)", Measure.COUNT, Rollup.SUM),
        ("% staff absence rates (average per quarter)", Measure.PERCENT, Rollup.MEAN),
        (
            "Number and value of projects procurement team support (cumulative)",
            Measure.COUNT_VALUE,
            Rollup.CUMULATIVE,
        ),
        ("Number of whole time equivalents", Measure.DECIMAL, Rollup.LATEST),
        ("% staff completed statutory and mandatory training", Measure.PERCENT, Rollup.LATEST),
        ("Number of complaints processed/closed", Measure.COUNT, Rollup.SUM),
    ],
)
def test_rollup_follows_the_kpi_name(name, measure, expected):
    assert rules.rollup_from_name(name, measure) == expected


def test_trend_respects_direction():
    assert rules.trend(D(5), D(4), Direction.HIGHER) == rules.Trend.IMPROVED
    assert rules.trend(D(5), D(4), Direction.LOWER) == rules.Trend.DECLINED
    assert rules.trend(D(4), D(4), Direction.LOWER) == rules.Trend.NO_CHANGE
    assert rules.trend(None, D(4), Direction.LOWER) is None


def test_percent_target_on_a_count_gives_no_rag():
    spec = TargetSpec(TargetKind.PERCENT, D(100), Direction.HIGHER, Measure.COUNT, Rollup.SUM)
    assert rules.assess(spec, 1, {1: FigureValues(count=54)}).rag is None


def test_cumulative_annual_target_is_pro_rata():
    spec = TargetSpec(TargetKind.ANNUAL, D(400), Direction.HIGHER, Measure.COUNT, Rollup.CUMULATIVE)
    result = rules.assess(spec, 2, {1: FigureValues(count=90), 2: FigureValues(count=200)})
    assert (result.rag, result.actual, result.target) == (Rag.GREEN, D(200), D(200))


def test_an_annual_total_is_judged_against_its_target_pro_rata():
    spec = TargetSpec(TargetKind.ANNUAL, D(386), Direction.HIGHER, Measure.COUNT, Rollup.SUM)
    assert [rules.target_to_date(spec, q) for q in (1, 2, 3, 4)] == [
        D("96.5"),
        D(193),
        D("289.5"),
        D(386),
    ]
    cumulative = TargetSpec(
        TargetKind.ANNUAL, D(400), Direction.HIGHER, Measure.COUNT, Rollup.CUMULATIVE
    )
    assert rules.target_to_date(cumulative, 1) == D(100)


def test_levels_rates_and_per_quarter_targets_are_not_pro_rata():
    level = TargetSpec(TargetKind.ANNUAL, D(12), Direction.HIGHER, Measure.DECIMAL, Rollup.LATEST)
    rate = TargetSpec(TargetKind.PERCENT, D(90), Direction.HIGHER, Measure.RATIO, Rollup.SUM)
    each = TargetSpec(TargetKind.PER_PERIOD, D(6), Direction.HIGHER, Measure.COUNT, Rollup.SUM)
    unset = TargetSpec(TargetKind.ANNUAL, None, Direction.HIGHER, Measure.COUNT, Rollup.SUM)
    assert [rules.target_to_date(s, 1) for s in (level, rate, each, unset)] == [
        D(12),
        D(90),
        D(6),
        None,
    ]


FOUR = D(4)


def test_what_each_target_sets_a_quarter_against():
    def spec(kind, rollup, value=FOUR):
        return TargetSpec(kind, value, Direction.HIGHER, Measure.COUNT, rollup)

    assert [
        rules.compared_on(spec(TargetKind.ANNUAL, Rollup.SUM)),
        rules.compared_on(spec(TargetKind.ANNUAL, Rollup.CUMULATIVE)),
        rules.compared_on(spec(TargetKind.ANNUAL, Rollup.MEAN)),
        rules.compared_on(spec(TargetKind.ANNUAL, Rollup.LATEST)),
        rules.compared_on(spec(TargetKind.PER_PERIOD, Rollup.SUM)),
        rules.compared_on(spec(TargetKind.PERCENT, Rollup.SUM)),
        rules.compared_on(spec(TargetKind.INCREASE, Rollup.SUM, None)),
        rules.compared_on(spec(TargetKind.NONE, Rollup.SUM, None)),
    ] == [
        rules.Basis.YEAR_TO_DATE,
        rules.Basis.YEAR_TO_DATE,
        rules.Basis.YEAR_AVERAGE,
        rules.Basis.YEAR_LEVEL,
        rules.Basis.QUARTER,
        rules.Basis.QUARTER,
        rules.Basis.LAST_YEAR,
        None,
    ]


@pytest.mark.parametrize(
    ("target", "direction", "limit"),
    [
        (D("96.5"), Direction.HIGHER, D("86.85")),  # 386 pa at Q1, 10% short
        (D(90), Direction.HIGHER, D(81)),
        (D(2), Direction.LOWER, D("2.2")),
        (D(0), Direction.LOWER, D(0)),  # no amber band
    ],
)
def test_the_amber_limit_is_where_compare_turns_red(target, direction, limit):
    tolerance = rules.DEFAULT_AMBER_TOLERANCE
    assert rules.amber_limit(target, direction, tolerance) == limit
    assert rules.compare(limit, target, direction, tolerance) == (
        Rag.GREEN if limit == target else Rag.AMBER
    )
    past = limit - D("0.01") if direction == Direction.HIGHER else limit + D("0.01")
    assert rules.compare(past, target, direction, tolerance) == Rag.RED
