"""The synthetic data, planned in plain values: structure, KPIs, targets and every figure.

Pure (no ORM), so a plan can be compared with another or with what was written, and the
same seed always gives the same plan. ``demo.synthetic`` writes a plan to the database.

Sizes at scale N (chosen so scale 1 is about the demo's size and scale 100 about a hundred
directorates' worth of KPIs):

* N + 3 directorates ("Synthetic directorate 1" …), each with 5 teams: two functions, one
  with two teams under it and one with one;
* 10 KPIs per directorate (2 per team), always the same ten kinds (``TEMPLATES``): 5 monthly,
  5 quarterly, covering every measure shape, the target kinds and both directions;
* min(N + 2, 10) financial years ending 2013-14, the demo's published year;
* for every KPI and year a KpiYear and its figures: a quarterly KPI has 4 quarter figures, a
  monthly one 12 month figures and the 4 quarters rolled up from them by the KPI's roll-up;
* an approved return for every team, year and quarter.

So scale 1 is 4 directorates, 20 teams, 40 KPIs over 3 years (1,200 figures); scale 10 is 13
directorates and 130 KPIs over 10 years (13,000 figures); scale 100 is 103 directorates and
1,030 KPIs over 10 years (103,000 figures).

Each KPI's series is a process across all its years: mostly stable noise around a level; in
each directorate two of the ten shift a step, one drifts in a steady trend and one has an
outlying quarter in its last year, so statistical process control (``kpis.spc``) finds
special causes as well as common-cause variation.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from decimal import Decimal

from kpis import rules
from kpis.models import QUARTER_MONTHS
from kpis.rules import Direction, FigureValues, Frequency, Measure, Rollup, TargetKind

LAST_YEAR_START = 2013  # 2013-14, the demo's published year
MAX_YEARS = 10
TEAMS_PER_DIRECTORATE = 5
SLUG_PREFIX = "syn-"

STABLE, SHIFT, TREND, OUTLIER = "stable", "shift", "trend", "outlier"
# One directorate's ten KPIs take these behaviours, rotated from one directorate to the next
# so every kind of KPI shows every behaviour somewhere.
BEHAVIOURS = (STABLE, STABLE, SHIFT, STABLE, TREND, STABLE, OUTLIER, STABLE, SHIFT, STABLE)

# What each directorate's teams are: (key, parent key or None, name suffix).
TEAM_LAYOUT = (
    ("1", None, "function"),
    ("1-1", "1", "team"),
    ("1-2", "1", "team"),
    ("2", None, "function"),
    ("2-1", "2", "team"),
)


@dataclass(frozen=True)
class Template:
    """One kind of KPI. ``level`` is a range to draw the usual figure of one period from: a
    count, a percentage, a ratio's rate in %, or a decimal. ``spread`` is the period-to-period
    noise: a fraction of the level for counts and decimals, percentage points for rates."""

    key: str
    name: str
    unit: str
    measure: Measure
    frequency: Frequency
    rollup: Rollup
    target_kind: TargetKind
    direction: Direction
    level: tuple[float, float]
    spread: float
    denominator: tuple[int, int] = (0, 0)  # ratio: the usual denominator of one period
    price: tuple[int, int] = (0, 0)  # count with £ value: £ per item
    secondary_label: str = ""


M, Q = Frequency.MONTHLY, Frequency.QUARTERLY
TEMPLATES = (
    Template("referrals", "Number of referrals processed (total per quarter)", "referrals",
             Measure.COUNT, M, Rollup.SUM, TargetKind.PER_PERIOD, Direction.HIGHER,
             level=(80, 400), spread=0.06),
    Template("requests", "Number of requests responded to within 20 working days", "requests",
             Measure.RATIO, M, Rollup.SUM, TargetKind.PERCENT, Direction.HIGHER,
             level=(88, 96), spread=1.2, denominator=(40, 300)),
    Template("absence", "% staff absence rates (average per quarter)", "",
             Measure.PERCENT, M, Rollup.MEAN, TargetKind.PERCENT, Direction.LOWER,
             level=(2.5, 5.5), spread=0.3),
    Template("meetings", "Number of contract meetings attended", "meetings",
             Measure.COUNT, Q, Rollup.SUM, TargetKind.ANNUAL, Direction.HIGHER,
             level=(40, 120), spread=0.08),
    Template("wte", "Number of whole time equivalents", "WTE",
             Measure.DECIMAL, M, Rollup.LATEST, TargetKind.NONE, Direction.HIGHER,
             level=(20, 150), spread=0.02),
    Template("challenges", "Number of coding challenges that have been successful and value (£)",
             "challenges", Measure.COUNT_VALUE, Q, Rollup.SUM, TargetKind.NONE, Direction.HIGHER,
             level=(10, 40), spread=0.15, price=(20_000, 80_000)),
    Template("breaches", "Number of cases that breached the 28 day standard", "cases",
             Measure.COUNT, Q, Rollup.SUM, TargetKind.PER_PERIOD, Direction.LOWER,
             level=(15, 40), spread=0.12),
    Template("contracts", "Number of contracts signed", "contracts",
             Measure.RATIO, Q, Rollup.LATEST, TargetKind.PERCENT, Direction.HIGHER,
             level=(85, 97), spread=1.5, denominator=(20, 120)),
    Template("statements", "Number of press statements issued/converted to being published",
             "statements", Measure.COUNT_PAIR, Q, Rollup.SUM, TargetKind.INCREASE,
             Direction.HIGHER, level=(30, 80), spread=0.1,
             secondary_label="converted to being published"),
    Template("contracts-issued", "Number of contracts issued (cumulative)", "contracts",
             Measure.COUNT, M, Rollup.CUMULATIVE, TargetKind.ANNUAL, Direction.HIGHER,
             level=(20, 60), spread=0.1),
)  # fmt: skip
RATES = (Measure.PERCENT, Measure.RATIO)


@dataclass(frozen=True)
class DirectoratePlan:
    number: int
    slug: str
    name: str


@dataclass(frozen=True)
class TeamPlan:
    directorate: int
    slug: str
    name: str
    parent_slug: str | None
    display_order: int


@dataclass
class KpiPlan:
    slug: str
    name: str
    directorate: int
    team_slug: str
    display_order: int
    template: Template
    behaviour: str
    target_value: Decimal | None
    target_text: str
    # (year label, quarter, month or None for the quarter) -> values; commentary by quarter.
    figures: dict[tuple[str, int, int | None], FigureValues] = field(default_factory=dict)
    commentary: dict[tuple[str, int], str] = field(default_factory=dict)


@dataclass
class Plan:
    scale: int
    seed: int
    years: list[str]
    directorates: list[DirectoratePlan]
    teams: list[TeamPlan]
    kpis: list[KpiPlan]


def year_label(start: int) -> str:
    return f"{start}-{(start + 1) % 100:02d}"


def directorate_slug(number: int) -> str:
    return f"{SLUG_PREFIX}directorate-{number}"


def kpi_slug(directorate: int, number: int) -> str:
    return f"{SLUG_PREFIX}kpi-{directorate}-{number:02d}"


def sizes(scale: int) -> tuple[int, int]:
    """(directorates, years) at a scale."""
    if scale < 1:
        raise ValueError("scale is 1 or more")
    return scale + 3, min(scale + 2, MAX_YEARS)


def plan(scale: int, seed: int = 1) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    directorate_count, year_count = sizes(scale)
    years = [year_label(LAST_YEAR_START - back) for back in reversed(range(year_count))]
    directorates, teams, kpis = [], [], []
    for d in range(1, directorate_count + 1):
        directorates.append(DirectoratePlan(d, directorate_slug(d), f"Synthetic directorate {d}"))
        for order, (key, parent, kind) in enumerate(TEAM_LAYOUT, start=1):
            teams.append(
                TeamPlan(
                    directorate=d,
                    slug=f"{SLUG_PREFIX}team-{d}-{key}",
                    name=f"Synthetic {kind} {d}.{key.replace('-', '.')}",
                    parent_slug=f"{SLUG_PREFIX}team-{d}-{parent}" if parent else None,
                    display_order=order,
                )
            )
        directorate_teams = teams[-TEAMS_PER_DIRECTORATE:]
        for k, template in enumerate(TEMPLATES, start=1):
            behaviour = BEHAVIOURS[(3 * d + k) % len(BEHAVIOURS)]
            kpis.append(
                _kpi(rng, d, k, template, behaviour, directorate_teams[(k - 1) // 2], years)
            )
    return Plan(scale, seed, years, directorates, teams, kpis)


def _kpi(rng, d, k, template, behaviour, team, years) -> KpiPlan:
    level = rng.uniform(*template.level)
    sd = template.spread if template.measure in RATES else template.spread * level
    native = _native_values(rng, template, behaviour, level, sd, len(years))
    value, text = _target(rng, template, level)
    kpi = KpiPlan(
        slug=kpi_slug(d, k),
        name=f"Synthetic {d}.{k:02d}: {template.name}",
        directorate=d,
        team_slug=team.slug,
        # After the demo's schedule (1-39), in directorate order.
        display_order=100 + (d - 1) * len(TEMPLATES) + k,
        template=template,
        behaviour=behaviour,
        target_value=value,
        target_text=text,
    )
    monthly = template.frequency == Frequency.MONTHLY
    per_year = 12 if monthly else 4
    for y, label in enumerate(years):
        chunk = native[y * per_year : (y + 1) * per_year]
        for quarter in range(1, 5):
            if monthly:
                months = chunk[(quarter - 1) * 3 : quarter * 3]
                for month, values in zip(QUARTER_MONTHS[quarter], months, strict=True):
                    kpi.figures[(label, quarter, month)] = values
                rolled = rules.rollup(months, template.rollup)
                kpi.figures[(label, quarter, None)] = _quantized(rolled)
            else:
                kpi.figures[(label, quarter, None)] = chunk[quarter - 1]
    _add_commentary(kpi, years)
    return kpi


def _effects(rng, behaviour: str, quarters: int) -> list[float]:
    """The process's departure from its level in each quarter, in standard deviations.

    The sign is left to the caller; shifts start late enough to leave 7 quarters after them
    (a run), outliers fall in the last year so the latest quarters show them.
    """
    if behaviour == SHIFT:
        latest = quarters - 7
        start = rng.randint(min(max(4, quarters // 2), latest), latest)
        size = rng.uniform(2.0, 3.0)
        return [size if q >= start else 0.0 for q in range(quarters)]
    if behaviour == TREND:
        total = rng.uniform(4.0, 6.0)
        return [total * (q / (quarters - 1) - 0.5) for q in range(quarters)]
    if behaviour == OUTLIER:
        at = quarters - 1 - rng.randint(0, 3)
        size = rng.uniform(5.0, 7.0)
        return [size if q == at else 0.0 for q in range(quarters)]
    return [0.0] * quarters


def _native_values(rng, template, behaviour, level, sd, year_count) -> list[FigureValues]:
    """Every period's figure, oldest first, in the KPI's own frequency."""
    quarters = 4 * year_count
    effects = _effects(rng, behaviour, quarters)
    top = 100.0 if template.measure in RATES else float("inf")
    # Point the effect where the figure has room to go (a 97% rate cannot rise 7 points).
    sign = rng.choice((-1, 1))
    extreme = max(abs(e) for e in effects)
    if not sd < level + sign * extreme * sd < top - sd:
        sign = -sign
    per_quarter = 3 if template.frequency == Frequency.MONTHLY else 1
    denominator = rng.uniform(*template.denominator)
    share = rng.uniform(0.5, 0.8)  # count pair: the share of the first count the second is
    price = rng.uniform(*template.price)
    values = []
    for i in range(quarters * per_quarter):
        x = level + sd * (sign * effects[i // per_quarter] + rng.gauss(0, 1))
        values.append(_shape(rng, template.measure, x, denominator, share, price))
    if template.rollup == Rollup.CUMULATIVE:
        values = _cumulative(values, 12 if per_quarter == 3 else 4)
    return values


def _shape(rng, measure: Measure, x: float, denominator: float, share: float, price: float):
    """One period's figure of this measure shape from the process value x."""
    if measure == Measure.PERCENT:
        return FigureValues(percent=Decimal(f"{min(max(x, 0.0), 100.0):.2f}"))
    if measure == Measure.RATIO:
        whole = max(1, round(rng.gauss(denominator, denominator * 0.07)))
        part = min(whole, max(0, round(whole * x / 100)))
        return FigureValues(numerator=part, denominator=whole)
    if measure == Measure.DECIMAL:
        return FigureValues(value=Decimal(f"{max(x, 0.0):.2f}"))
    count = max(0, round(x))
    if measure == Measure.COUNT_VALUE:
        amount = Decimal(f"{count * price * rng.uniform(0.8, 1.2):.2f}")
        return FigureValues(count=count, amount_gbp=amount)
    if measure == Measure.COUNT_PAIR:
        second = min(count, max(0, round(count * (share + rng.gauss(0, 0.05)))))
        return FigureValues(count=count, count_2=second)
    return FigureValues(count=count)


def _cumulative(values: list[FigureValues], per_year: int) -> list[FigureValues]:
    """Counts as the year to date: each year starts again from its first period."""
    out, total = [], 0
    for i, values_ in enumerate(values):
        total = (0 if i % per_year == 0 else total) + values_.count
        out.append(FigureValues(count=total))
    return out


def _quantized(values: FigureValues) -> FigureValues:
    """A rolled-up quarter in the places the database keeps (an average has many more)."""
    places = {
        "percent": Decimal("0.0001"),
        "value": Decimal("0.0001"),
        "amount_gbp": Decimal("0.01"),
    }
    return FigureValues(
        **{
            name: (
                getattr(values, name).quantize(places[name])
                if name in places and getattr(values, name) is not None
                else getattr(values, name)
            )
            for name in FigureValues.__dataclass_fields__
        }
    )


def _target(rng, template: Template, level: float) -> tuple[Decimal | None, str]:
    """A target near the usual figure, so quarters come out green, amber and red."""
    kind = template.target_kind
    if kind == TargetKind.NONE:
        return None, "N/A"
    if kind == TargetKind.INCREASE:
        return None, "Annual increase"
    if kind == TargetKind.PERCENT:
        offset = rng.uniform(-1.5, 2.5) * template.spread
        wanted = level + offset if template.direction == Direction.HIGHER else level - offset
        value = Decimal(f"{min(max(wanted, 0.0), 100.0):.0f}" if wanted > 10 else f"{wanted:.1f}")
        return value, f"{value}%"
    per_quarter = level * (3 if template.frequency == Frequency.MONTHLY else 1)
    factor = rng.uniform(0.95, 1.08)
    if template.direction == Direction.LOWER:
        factor = 2 - factor
    if kind == TargetKind.ANNUAL:
        value = Decimal(round(per_quarter * 4 * factor))
        return value, f"{value:,} pa"
    value = Decimal(round(per_quarter * factor))
    return value, f"{value:,} per quarter"


def _add_commentary(kpi: KpiPlan, years: list[str]) -> None:
    """A line of commentary where a quarter is red or amber, as an approved return has."""
    template = kpi.template
    spec = rules.TargetSpec(
        kind=template.target_kind,
        value=kpi.target_value,
        direction=template.direction,
        measure=template.measure,
        rollup=template.rollup,
    )
    if spec.kind == TargetKind.NONE:
        return
    for y, label in enumerate(years):
        year_figures = {q: kpi.figures[(label, q, None)] for q in range(1, 5)}
        for quarter in range(1, 5):
            last = kpi.figures[(years[y - 1], quarter, None)] if y else None
            assessment = rules.assess(spec, quarter, year_figures, last)
            if assessment.rag in (rules.Rag.RED, rules.Rag.AMBER):
                kpi.commentary[(label, quarter)] = (
                    f"Synthetic commentary: {assessment.rag.value}, {assessment.reason}."
                )
