"""A KPI's series across years: periods, targets per period, RAG, gaps and rebases."""

from datetime import datetime
from decimal import Decimal

from kpis import rules
from kpis.rules import Direction, FigureValues, Measure, Rollup, TargetKind, TargetSpec
from kpis.series import Period, Rebase, YearRows, build_series, period, period_target
from kpis.spc import Variation


def spec(kind=TargetKind.PER_PERIOD, value=Decimal(10), rollup=Rollup.SUM, measure=Measure.COUNT):
    return TargetSpec(kind, value, Direction.HIGHER, measure, rollup)


def counts(*values):
    return {q: FigureValues(count=v) for q, v in enumerate(values, 1) if v is not None}


def year(start, quarters=None, months=None, target=None):
    return YearRows(
        f"{start}-{str(start + 1)[2:]}", start, target or spec(), quarters or {}, months or {}
    )


def test_period_labels_and_order():
    q = period("2013-14", 2013, 4)
    m = period("2013-14", 2013, 4, 2)
    assert q.label == "2013-14 Q4"
    assert m.label == "Feb 2014"
    assert m.month == 2
    assert (
        period("2013-14", 2013, 1, 4) < period("2013-14", 2013, 4, 1) < period("2014-15", 2014, 1)
    )


def test_target_per_period_by_kind():
    assert period_target(spec(TargetKind.PERCENT, Decimal(90)), 2, None) == 90
    assert period_target(spec(TargetKind.PER_PERIOD, Decimal(6)), 2, None) == 6
    assert period_target(spec(TargetKind.PER_PERIOD, Decimal(6)), 2, 8) == 2  # a month's share
    assert period_target(spec(TargetKind.ANNUAL, Decimal(386)), 1, None) == Decimal("96.5")
    assert period_target(spec(TargetKind.ANNUAL, Decimal(120)), 1, 5) == 10
    cumulative = spec(TargetKind.ANNUAL, Decimal(40), Rollup.CUMULATIVE)
    assert period_target(cumulative, 3, None) == 30  # three quarters of the year's total
    level = spec(TargetKind.ANNUAL, Decimal(4), Rollup.LATEST)
    assert period_target(level, 3, None) == 4
    assert period_target(spec(TargetKind.INCREASE, None), 1, None) is None
    assert period_target(spec(TargetKind.NONE, None), 1, None) is None


def test_quarterly_series_spans_years_and_stops_at_the_last_figure():
    series = build_series(1, [year(2014, counts(12, 9)), year(2013, counts(10, 11, 8, 12))])
    assert [p.period.label for p in series.points] == [
        "2013-14 Q1",
        "2013-14 Q2",
        "2013-14 Q3",
        "2013-14 Q4",
        "2014-15 Q1",
        "2014-15 Q2",
    ]
    assert [p.value for p in series.points] == [10, 11, 8, 12, 12, 9]
    assert [p.rag for p in series.points] == [
        rules.Rag.GREEN,
        rules.Rag.GREEN,
        rules.Rag.RED,  # 8 against 10 is 20% short
        rules.Rag.GREEN,
        rules.Rag.GREEN,
        rules.Rag.AMBER,  # 9 against 10 is within the 10% band
    ]
    assert not series.by_month
    assert series.spc.limits_status == "provisional"  # 6 points
    assert series.spc.points[0].mean == sum([10, 11, 8, 12, 12, 9]) / 6


def test_a_missing_quarter_is_a_gap_not_a_zero():
    series = build_series(1, [year(2013, counts(10, None, 8))])
    assert [p.value for p in series.points] == [10, None, 8]
    assert series.points[1].figure is None


def test_not_collected_is_a_gap_with_its_figure_kept():
    quarters = {1: FigureValues(not_collected=True), 2: FigureValues(count=4)}
    series = build_series(1, [year(2013, quarters)])
    assert series.points[0].value is None
    assert series.points[0].figure.not_collected


def test_series_runs_by_month_only_when_every_year_recorded_months():
    months = {m: FigureValues(count=3) for m in (4, 5, 6, 7)}
    monthly = build_series(1, [year(2013, counts(9, 3), months)])
    assert monthly.by_month
    assert [p.period.label for p in monthly.points] == [
        "Apr 2013",
        "May 2013",
        "Jun 2013",
        "Jul 2013",
    ]
    assert monthly.points[0].target == Decimal(10) / 3
    mixed = build_series(1, [year(2012, counts(9, 9)), year(2013, counts(9, 3), months)])
    assert not mixed.by_month
    assert len(mixed.points) == 4


def test_rebase_starts_new_limits_from_its_period():
    values = [10, 11, 10, 12, 11, 10, 30, 31, 29, 30, 31, 30]
    years = [
        year(2011, counts(*values[0:4])),
        year(2012, counts(*values[4:8])),
        year(2013, counts(*values[8:12])),
    ]
    plain = build_series(1, years)
    assert plain.spc.points[6].special_cause == Variation.IMPROVEMENT  # the step up stands out
    rebase = Rebase(period("2012-13", 2012, 3), "New triage service", "admin", datetime(2013, 1, 1))
    rebased = build_series(1, years, [rebase])
    assert [p.segment for p in rebased.spc.points] == [0] * 6 + [1] * 6
    assert rebased.spc.points[6].mean == 30.166666666666668
    assert rebased.rebases == [rebase]


def test_a_quarterly_rebase_on_a_monthly_series_starts_at_its_first_month():
    months = {m: FigureValues(count=m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12)}
    rebase = Rebase(period("2013-14", 2013, 2), "why", "admin", datetime(2013, 1, 1))
    series = build_series(1, [year(2013, {}, months)], [rebase])
    assert [p.segment for p in series.spc.points] == [0, 0, 0, 1, 1, 1, 1, 1, 1]


def test_period_is_ordered_by_year_quarter_then_month():
    assert Period(2013, 1, 3) < Period(2013, 2, 0) < Period(2013, 2, 4)
