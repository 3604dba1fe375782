"""A KPI's figures as one series across years, with each period's target, RAG and SPC.

The KPI page charts it, the dashboards read its SPC icons, the return form asks for commentary
from it. ``series_for`` reads any number of KPIs in three queries; ``build_series`` is the pure
part (plain rows in, a ``KpiSeries`` out) so its rules are unit-tested without a database.

A series runs by month when every year with figures recorded months, otherwise by quarter:
mixing the two in one XmR chart would mix two processes with different variation. Within a
year it runs from the first quarter to the last period with a figure, so a year still being
reported does not end in empty periods; a period with no figure before that stays in the
series as a gap (SPC takes no moving range across it).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from kpis import rules, spc
from kpis.models import (
    QUARTER_MONTHS,
    TARGET_SPEC_FIELDS,
    VALUE_FIELDS,
    Figure,
    KpiYear,
    SpcRebase,
)
from kpis.rules import FigureValues, Rag, Rollup, TargetKind, TargetSpec

# A month's place in an April-March year: April is 1, March 12.
MONTH_POSITION = {month: i for i, month in enumerate((4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3), 1)}


@dataclass(frozen=True, order=True)
class Period:
    start_year: int  # the calendar year the financial year starts in: 2013 for 2013-14
    quarter: int
    month_position: int = 0  # 0 for the quarter itself
    year_label: str = ""

    @property
    def month(self) -> int | None:
        if not self.month_position:
            return None
        return (self.month_position + 2) % 12 + 1

    @property
    def label(self) -> str:
        month = self.month
        if month is None:
            return f"{self.year_label} Q{self.quarter}"
        calendar_year = self.start_year if month >= 4 else self.start_year + 1
        return f"{calendar.month_abbr[month]} {calendar_year}"


def period(year_label: str, start_year: int, quarter: int, month: int | None = None) -> Period:
    return Period(start_year, quarter, MONTH_POSITION[month] if month else 0, year_label)


@dataclass(frozen=True)
class SeriesPoint:
    period: Period
    figure: FigureValues | None  # None: no figure recorded for the period
    value: Decimal | None  # the headline number, None when not collected or missing
    target: Decimal | None
    rag: Rag | None


@dataclass(frozen=True)
class Rebase:
    period: Period
    reason: str
    by: str
    at: datetime


@dataclass(frozen=True)
class KpiSeries:
    kpi_id: int
    by_month: bool
    measure: rules.Measure
    direction: rules.Direction
    points: list[SeriesPoint]
    rebases: list[Rebase]
    spc: spc.SpcResult

    @property
    def variation(self) -> spc.Variation | None:
        return self.spc.variation

    @property
    def assurance(self) -> spc.Assurance | None:
        return self.spc.assurance


def period_target(spec: TargetSpec, quarter: int, month: int | None) -> Decimal | None:
    """The target a single period's figure is drawn against on a chart.

    A rate or a per-quarter level is the same every period (a per-quarter total is shared
    across its three months); an annual total is shared across the year's periods, or builds
    up over it when the figure is cumulative; an annual level is the level. An increase on last
    year has no fixed line. The quarter's RAG itself comes from ``rules.assess``.
    """
    if spec.kind in (TargetKind.NONE, TargetKind.INCREASE) or spec.value is None:
        return None
    value = spec.value
    if spec.kind in (TargetKind.PERCENT, TargetKind.PER_PERIOD):
        if month and spec.kind == TargetKind.PER_PERIOD and spec.rollup == Rollup.SUM:
            return value / 3
        return value
    periods = 12 if month else 4
    position = MONTH_POSITION[month] if month else quarter
    if spec.rollup == Rollup.SUM:
        return value / periods
    if spec.rollup == Rollup.CUMULATIVE:
        return value * position / periods
    return value


@dataclass(frozen=True)
class YearRows:
    """What ``build_series`` needs of one KPI year: its set-up and its figures by period."""

    year_label: str
    start_year: int
    spec: TargetSpec
    quarters: dict[int, FigureValues]
    months: dict[int, FigureValues]


def quarter_rag(year: YearRows, quarter: int, last_year: YearRows | None) -> rules.Assessment:
    return rules.assess(
        year.spec, quarter, year.quarters, last_year.quarters.get(quarter) if last_year else None
    )


def _last_period(year: YearRows, by_month: bool) -> int:
    if by_month:
        return max((MONTH_POSITION[m] for m in year.months), default=0)
    return max(year.quarters, default=0)


def build_series(
    kpi_id: int,
    years: list[YearRows],
    rebases: Iterable[Rebase] = (),
    *,
    until: tuple[int, int] | None = None,
    screen_outliers: bool = True,
) -> KpiSeries:
    """One KPI's series, oldest first, from its years (any order) and the admins' rebases.

    ``until`` (start year, quarter) ends the series at that quarter, as it stood then.
    """
    years = sorted(years, key=lambda y: y.start_year)
    latest = years[-1].spec if years else None
    by_month, points = series_points(years, until=until)
    rebases = sorted(rebases, key=lambda r: r.period)
    rebase_at = _rebase_indices(points, rebases, by_month)
    result = spc.xmr(
        [p.value for p in points],
        direction=latest.direction if latest else None,
        target=points[-1].target if points else None,
        rebase_at=rebase_at,
        screen_outliers=screen_outliers,
    )
    return KpiSeries(
        kpi_id=kpi_id,
        by_month=by_month,
        measure=latest.measure if latest else rules.Measure.COUNT,
        direction=latest.direction if latest else rules.Direction.HIGHER,
        points=points,
        rebases=rebases,
        spc=result,
    )


def series_points(
    years: list[YearRows], *, until: tuple[int, int] | None = None
) -> tuple[bool, list[SeriesPoint]]:
    """Whether the series runs by month, and its points with their targets and RAG, oldest
    first, from a KPI's years sorted oldest first (see ``build_series``)."""
    with_figures = [y for y in years if y.quarters or y.months]
    by_month = bool(with_figures) and all(y.months for y in with_figures)
    by_start = {y.start_year: y for y in years}
    points: list[SeriesPoint] = []
    for year in years:
        last = _last_period(year, by_month)
        if by_month:
            for position in range(1, last + 1):
                month = (position + 2) % 12 + 1
                quarter = next(q for q, months in QUARTER_MONTHS.items() if month in months)
                figure = year.months.get(month)
                value = rules.headline(year.spec.measure, figure) if figure else None
                target = period_target(year.spec, quarter, month)
                rag = (
                    rules.compare(value, target, year.spec.direction, year.spec.tolerance)
                    if value is not None and target is not None
                    else None
                )
                points.append(
                    SeriesPoint(
                        period(year.year_label, year.start_year, quarter, month),
                        figure,
                        value,
                        target,
                        rag,
                    )
                )
        else:
            for quarter in range(1, last + 1):
                figure = year.quarters.get(quarter)
                value = rules.headline(year.spec.measure, figure) if figure else None
                assessment = quarter_rag(year, quarter, by_start.get(year.start_year - 1))
                points.append(
                    SeriesPoint(
                        period(year.year_label, year.start_year, quarter),
                        figure,
                        value,
                        period_target(year.spec, quarter, None),
                        assessment.rag,
                    )
                )
    if until is not None:
        points = [p for p in points if (p.period.start_year, p.period.quarter) <= until]
    return by_month, points


def _rebase_indices(points: list[SeriesPoint], rebases: list[Rebase], by_month: bool) -> list[int]:
    """Where each rebase starts a new baseline: the first charted period at or after it.

    A rebase recorded for a quarter starts at its first month on a monthly chart; one recorded
    for a month starts at its quarter on a quarterly chart.
    """
    indices = set()
    for rebase in rebases:
        start = rebase.period
        if not by_month and start.month_position:
            start = Period(start.start_year, start.quarter, 0, start.year_label)
        for i, point in enumerate(points):
            key = point.period
            if by_month and not start.month_position:
                key = Period(key.start_year, key.quarter, 0)
            if (key.start_year, key.quarter, key.month_position) >= (
                start.start_year,
                start.quarter,
                start.month_position,
            ):
                if i:
                    indices.add(i)
                break
    return sorted(indices)


def _values(row: tuple) -> FigureValues:
    not_collected, *values = row
    return FigureValues(not_collected, *values)


def series_for(
    kpi_ids,
    *,
    replace: dict[tuple[int, int, int | None], FigureValues] | None = None,
    until: tuple[int, int] | None = None,
    screen_outliers: bool = True,
    specs: dict[int, TargetSpec] | None = None,
    kpi_year_ids: list[int] | None = None,
) -> dict[int, KpiSeries]:
    """Every year of each KPI as a series, in three queries whatever their number.

    ``kpi_ids`` is a list of ids or a queryset of them (read as a subquery). ``replace`` puts
    figures not yet saved in place of the stored ones, keyed (KPI year id, quarter, month or
    None): a return being submitted is judged with its new figures. ``specs`` likewise puts
    set-ups not yet saved (a new target) in place, keyed by KPI year id. ``until`` as in
    ``build_series``. ``kpi_year_ids`` keeps only those years of each KPI: the years a user may
    see (``kpis.scoping``), when a KPI has moved between teams.
    """
    years = _read_years(kpi_ids, replace=replace, specs=specs, kpi_year_ids=kpi_year_ids)
    rebases: dict[int, list[Rebase]] = defaultdict(list)
    read = {(kpi_id, y.year_label) for kpi_id, rows in years.items() for y in rows}
    for rebase in SpcRebase.objects.filter(kpi_id__in=kpi_ids).select_related("year", "created_by"):
        if kpi_year_ids is not None and (rebase.kpi_id, rebase.year.label) not in read:
            continue  # a rebase in a year left out by kpi_year_ids
        rebases[rebase.kpi_id].append(
            Rebase(
                period(
                    rebase.year.label, rebase.year.start_date.year, rebase.quarter, rebase.month
                ),
                rebase.reason,
                rebase.created_by.get_username(),
                rebase.created_at,
            )
        )
    return {
        kpi_id: build_series(
            kpi_id, rows, rebases.get(kpi_id, ()), until=until, screen_outliers=screen_outliers
        )
        for kpi_id, rows in years.items()
    }


def _read_years(
    kpi_ids, *, replace=None, specs=None, first_year: int | None = None, kpi_year_ids=None
):
    """Each KPI's years as YearRows, oldest first, in two queries; from ``first_year`` (a start
    year) on, if given. ``replace``, ``specs`` and ``kpi_year_ids`` as in ``series_for``."""
    years_read = KpiYear.objects.filter(kpi_id__in=kpi_ids)
    figures_read = Figure.objects.filter(kpi_year__kpi_id__in=kpi_ids)
    if kpi_year_ids is not None:
        years_read = years_read.filter(pk__in=kpi_year_ids)
        figures_read = figures_read.filter(kpi_year_id__in=kpi_year_ids)
    if first_year is not None:
        since = date(first_year, 4, 1)
        years_read = years_read.filter(year__start_date__gte=since)
        figures_read = figures_read.filter(kpi_year__year__start_date__gte=since)
    kpi_years = list(
        years_read.select_related("year")
        .only(
            "kpi_id",
            *TARGET_SPEC_FIELDS,
            "year__label",
            "year__start_date",
        )
        .order_by("year__start_date")
    )
    quarters: dict[int, dict[int, FigureValues]] = defaultdict(dict)
    months: dict[int, dict[int, FigureValues]] = defaultdict(dict)
    for kpi_year_id, quarter, month, *row in figures_read.order_by().values_list(
        "kpi_year_id", "quarter", "month", "not_collected", *VALUE_FIELDS
    ):
        if month is None:
            quarters[kpi_year_id][quarter] = _values(row)
        else:
            months[kpi_year_id][month] = _values(row)
    for (kpi_year_id, quarter, month), values in (replace or {}).items():
        if month is None:
            quarters[kpi_year_id][quarter] = values
        else:
            months[kpi_year_id][month] = values
    years: dict[int, list[YearRows]] = defaultdict(list)
    for ky in kpi_years:
        years[ky.kpi_id].append(
            YearRows(
                ky.year.label,
                ky.year.start_date.year,
                (specs or {}).get(ky.id) or ky.target_spec(),
                quarters.get(ky.id, {}),
                months.get(ky.id, {}),
            )
        )
    return years


def recent_points(
    kpi_ids, *, until: tuple[int, int], count: int = 6
) -> dict[int, list[SeriesPoint]]:
    """Each KPI's last ``count`` periods up to ``until`` (start year, quarter), with RAG, in
    two queries.

    Reads only the years those periods fall in, and the year before them (for the RAG of a
    target of an increase on last year): the exception report shows forty KPIs a page, and
    reading their whole series cost more than the rest of the page. A window whose years all
    recorded months runs by month, as the whole series would unless an older year recorded
    only quarters.
    """
    start_year, quarter = until
    # The year of the oldest quarter shown (six up to a Q1 reach back two years, up to a Q4
    # one), and the year before it.
    first_year = start_year + (quarter - count) // 4 - 1
    windows = _read_years(kpi_ids, first_year=first_year)
    return {
        kpi_id: series_points(years, until=until)[1][-count:] for kpi_id, years in windows.items()
    }
