"""Reads for the finance pages: a year's running-cost schedule beside the one before it, and
its finance summary beside the one before it, each in two queries however many lines they hold.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Subquery

from directorates.models import FinancialYear
from finance.models import CostLine, FinanceSummaryLine, RunningCostSchedule

NET_OPERATING_COSTS = FinanceSummaryLine.Measure.NET_OPERATING_COSTS
RESOURCE_LIMIT = FinanceSummaryLine.Measure.RESOURCE_LIMIT
SURPLUS = FinanceSummaryLine.Measure.SURPLUS


@dataclass
class Line:
    """A cost line with its place in the tree: level 1 at the top, its path of names from there."""

    id: int
    parent_id: int | None
    name: str
    amount: Decimal
    published_text: str
    programme_funded: bool
    note: str
    level: int = 1
    path: tuple[str, ...] = ()
    children: list["Line"] = field(default_factory=list)


@dataclass(frozen=True)
class Schedule:
    year: FinancialYear
    title: str
    population_note: str
    published_total: Decimal
    lines: list[Line]  # every line, in the published order (each line before its own lines)

    @property
    def top(self) -> list[Line]:
        return [line for line in self.lines if line.parent_id is None]


@dataclass(frozen=True)
class RunningCosts:
    schedule: Schedule
    previous: Schedule | None  # the latest earlier year's schedule, if there is one
    outturn_running_000: Decimal | None  # net operating costs on running costs, £'000
    has_summary: bool


@dataclass(frozen=True)
class SummaryLine:
    """A finance summary row as published, £'000."""

    measure: str
    label: str
    programme: Decimal
    running: Decimal
    published_total: Decimal


@dataclass(frozen=True)
class FinanceSummary:
    year: FinancialYear
    lines: dict[str, SummaryLine]  # by measure
    previous_year: FinancialYear | None  # the latest earlier year with a finance summary
    previous: dict[str, SummaryLine]
    has_schedule: bool


_LINE_FIELDS = (
    "id",
    "schedule_id",
    "parent_id",
    "name",
    "amount_gbp",
    "published_text",
    "programme_funded",
    "note",
)


def running_costs(label: str) -> RunningCosts | None:
    """The year's schedule and the one before it; None when the year has no schedule.

    Two queries: the two schedules with their years (and the year's outturn from its finance
    summary), then every line of both.
    """
    start = FinancialYear.objects.filter(label=label).values("start_date")
    summary = FinanceSummaryLine.objects.filter(year=OuterRef("year_id"))
    schedules = list(
        RunningCostSchedule.objects.filter(year__start_date__lte=Subquery(start))
        .select_related("year")
        .annotate(
            outturn_000=Subquery(
                summary.filter(measure=NET_OPERATING_COSTS).values("running_gbp_000")[:1]
            ),
            has_summary=Exists(summary),
        )
        .order_by("-year__start_date")[:2]
    )
    if not schedules or schedules[0].year.label != label:
        return None
    rows: dict[int, list[dict]] = {schedule.id: [] for schedule in schedules}
    for row in (
        CostLine.objects.filter(schedule__in=[s.id for s in schedules])
        .order_by("schedule_id", "display_order")
        .values(*_LINE_FIELDS)
    ):
        rows[row["schedule_id"]].append(row)
    current, *earlier = [_schedule(schedule, rows[schedule.id]) for schedule in schedules]
    return RunningCosts(
        schedule=current,
        previous=earlier[0] if earlier else None,
        outturn_running_000=schedules[0].outturn_000,
        has_summary=schedules[0].has_summary,
    )


def _schedule(schedule: RunningCostSchedule, rows: list[dict]) -> Schedule:
    lines = {
        row["id"]: Line(
            id=row["id"],
            parent_id=row["parent_id"],
            name=row["name"],
            amount=row["amount_gbp"],
            published_text=row["published_text"],
            programme_funded=row["programme_funded"],
            note=row["note"],
        )
        for row in rows
    }
    top = []
    for line in lines.values():  # in display order, so each line's children are in order too
        if line.parent_id is None:
            top.append(line)
        else:
            lines[line.parent_id].children.append(line)
    ordered: list[Line] = []

    def place(line: Line, level: int, path: tuple[str, ...]) -> None:
        line.level, line.path = level, (*path, line.name)
        ordered.append(line)
        for child in line.children:
            place(child, level + 1, line.path)

    for line in top:
        place(line, 1, ())
    return Schedule(
        year=schedule.year,
        title=schedule.title,
        population_note=schedule.population_note,
        published_total=schedule.published_total_gbp,
        lines=ordered,
    )


def finance_summary(label: str) -> FinanceSummary | None:
    """The year's finance summary and the latest earlier one; None when the year has none.

    Two queries: the year (with the earlier year's id and whether it has a running-cost
    schedule), then both years' summary rows.
    """
    earlier = FinanceSummaryLine.objects.filter(year__start_date__lt=OuterRef("start_date"))
    year = (
        FinancialYear.objects.filter(label=label)
        .annotate(
            previous_id=Subquery(earlier.order_by("-year__start_date").values("year_id")[:1]),
            has_schedule=Exists(RunningCostSchedule.objects.filter(year=OuterRef("pk"))),
        )
        .first()
    )
    if year is None:
        return None
    lines: dict[int, dict[str, SummaryLine]] = {year.id: {}, year.previous_id: {}}
    previous_year = None
    for row in (
        FinanceSummaryLine.objects.filter(year_id__in=[y for y in lines if y])
        .select_related("year")
        .order_by("display_order")
    ):
        if row.year_id == year.previous_id:
            previous_year = row.year
        lines[row.year_id][row.measure] = SummaryLine(
            measure=row.measure,
            label=row.get_measure_display(),
            programme=row.programme_gbp_000,
            running=row.running_gbp_000,
            published_total=row.published_total_gbp_000,
        )
    if not lines[year.id]:
        return None
    return FinanceSummary(
        year=year,
        lines=lines[year.id],
        previous_year=previous_year,
        previous=lines[year.previous_id] if year.previous_id else {},
        has_schedule=year.has_schedule,
    )


def latest_schedule_year() -> str | None:
    """The label of the latest year with a running-cost schedule, for the navigation's link."""
    return (
        RunningCostSchedule.objects.order_by("-year__start_date")
        .values_list("year__label", flat=True)
        .first()
    )
