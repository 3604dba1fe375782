"""Synthetic KPI data added beside the demo, for benchmarks and query-count tests.

``make_synthetic_data(scale)`` writes the plan of ``demo.synthetic_plan`` (sizes and
behaviours are described there): directorates, teams, KPIs and their years, figures and
approved returns, every name starting "Synthetic" and every slug ``syn-``.

It only adds. Demo rows are never changed or deleted; the years it spans are reused by label
where they exist (the demo's 2013-14) and created, locked, where they do not. It runs once
per database: if synthetic directorates are already there it refuses with
``SyntheticDataExists`` and writes nothing, so a second run can never mix two scales or
seeds. Start from a fresh database for another scale.

Speed: everything is written with ``bulk_create`` in batches inside one transaction. That
bypasses ``save()`` and its signals, so no change history (django-simple-history) is kept
for synthetic figures and targets: they have no past to audit, and history rows would double
the writes.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass

from django.db import transaction

from demo.synthetic_plan import SLUG_PREFIX, Plan, plan
from directorates.loaders import year_dates
from directorates.models import Directorate, FinancialYear, Organisation, Team
from kpis.models import (
    Figure,
    Kpi,
    KpiYear,
    ReturnAction,
    ReturnEvent,
    ReturnStatus,
    TeamReturn,
)

BATCH = 2000
# Years before the demo's have no published population: shrink it by about what the
# registered list grew each year, so per-head figures stay plausible.
POPULATION_GROWTH = 0.006


class SyntheticDataError(Exception):
    """Synthetic data cannot be added to this database; str() says why and what to do."""


class SyntheticDataExists(SyntheticDataError):
    pass


@dataclass(frozen=True)
class Summary:
    scale: int
    seed: int
    years: list[str]
    years_created: list[str]
    directorates: int
    teams: int
    kpis: int
    kpi_years: int
    figures: int
    returns: int
    seconds: float
    # What pages and benchmarks can ask for: a synthetic directorate, and a monthly KPI with
    # figures in every year.
    first_directorate: str
    long_monthly_kpi: str

    @property
    def rows(self) -> int:
        """Rows added (a return's approval event counts with its return)."""
        created = len(self.years_created)
        parts = (self.directorates, self.teams, self.kpis, self.kpi_years, self.figures)
        return created + sum(parts) + 2 * self.returns


def make_synthetic_data(scale: int, *, seed: int = 1) -> Summary:
    """Add synthetic data at this scale beside the demo (see the module docstring)."""
    started = time.perf_counter()
    the_plan = plan(scale, seed)
    with transaction.atomic():
        counts = _write(the_plan)
    return Summary(
        scale=scale,
        seed=seed,
        years=the_plan.years,
        seconds=time.perf_counter() - started,
        first_directorate=the_plan.directorates[0].slug,
        long_monthly_kpi=the_plan.kpis[0].slug,  # the first kind of KPI is monthly
        **counts,
    )


def _write(the_plan: Plan) -> dict:
    organisation = Organisation.objects.order_by("id").first()
    if organisation is None:
        raise SyntheticDataError(
            "There is no organisation yet: load the demo first (manage.py load_demo); "
            "synthetic data is added beside it."
        )
    existing = Directorate.objects.filter(slug__startswith=SLUG_PREFIX).count()
    if existing or Kpi.objects.filter(slug__startswith=SLUG_PREFIX).exists():
        raise SyntheticDataExists(
            f"Synthetic data is already in this database ({existing} synthetic directorates). "
            "It is added once and never changed; nothing was written. Start from a fresh "
            "database to make another scale."
        )
    years, created = _years(organisation, the_plan.years)
    directorates = _directorates(organisation, the_plan)
    teams = _teams(the_plan, directorates)
    kpi_years = _kpis(the_plan, teams, years)
    figures = _figures(the_plan, kpi_years)
    returns = _returns(the_plan, teams, years)
    return {
        "years_created": created,
        "directorates": len(directorates),
        "teams": len(teams),
        "kpis": len(the_plan.kpis),
        "kpi_years": len(kpi_years),
        "figures": figures,
        "returns": returns,
    }


def _years(organisation, labels: list[str]) -> tuple[dict[str, FinancialYear], list[str]]:
    """Years by label: existing ones as they are, missing ones created locked."""
    years = {y.label: y for y in FinancialYear.objects.filter(label__in=labels)}
    known = FinancialYear.objects.filter(registered_population__isnull=False).order_by("start_date")
    reference = known.first()
    created = []
    for label in labels:
        if label in years:
            continue
        start, end = year_dates(label)
        population = None
        if reference is not None:
            back = reference.start_date.year - start.year
            population = round(reference.registered_population * (1 - POPULATION_GROWTH) ** back)
        years[label] = FinancialYear.objects.create(
            organisation=organisation,
            label=label,
            start_date=start,
            end_date=end,
            status=FinancialYear.Status.LOCKED,
            registered_population=population,
        )
        created.append(label)
    return years, created


def _directorates(organisation, the_plan: Plan) -> dict[int, Directorate]:
    Directorate.objects.bulk_create(
        [
            # After the demo's directorates (1-4) in every list.
            Directorate(
                organisation=organisation, name=d.name, slug=d.slug, display_order=100 + d.number
            )
            for d in the_plan.directorates
        ],
        batch_size=BATCH,
    )
    by_slug = {d.slug: d for d in Directorate.objects.filter(slug__startswith=SLUG_PREFIX)}
    return {d.number: by_slug[d.slug] for d in the_plan.directorates}


def _teams(the_plan: Plan, directorates: dict[int, Directorate]) -> dict[str, Team]:
    """Functions first, then the teams under them, which need their parent's id."""
    teams: dict[str, Team] = {}
    for top_level in (True, False):
        batch = [
            Team(
                directorate=directorates[t.directorate],
                parent=None if top_level else teams[t.parent_slug],
                name=t.name,
                slug=t.slug,
                display_order=t.display_order,
            )
            for t in the_plan.teams
            if (t.parent_slug is None) == top_level
        ]
        Team.objects.bulk_create(batch, batch_size=BATCH)
        teams.update({t.slug: t for t in Team.objects.filter(slug__in=[t.slug for t in batch])})
    return teams


def _kpis(the_plan: Plan, teams: dict[str, Team], years: dict[str, FinancialYear]) -> dict:
    """Each KPI and its set-up for every year; returns KpiYears by (KPI slug, year label)."""
    Kpi.objects.bulk_create(
        [Kpi(slug=k.slug, name=k.name) for k in the_plan.kpis], batch_size=BATCH
    )
    kpis = {k.slug: k for k in Kpi.objects.filter(slug__startswith=SLUG_PREFIX)}
    headings = {d.number: d.name.upper() for d in the_plan.directorates}
    rows = []
    for k in the_plan.kpis:
        t = k.template
        for label in the_plan.years:
            rows.append(
                KpiYear(
                    kpi=kpis[k.slug],
                    year=years[label],
                    team=teams[k.team_slug],
                    display_order=k.display_order,
                    schedule_heading=headings[k.directorate],
                    frequency=t.frequency.value,
                    measure=t.measure.value,
                    unit=t.unit,
                    secondary_label=t.secondary_label,
                    rollup=t.rollup.value,
                    target_kind=t.target_kind.value,
                    target_value=k.target_value,
                    target_text=k.target_text,
                    direction=t.direction.value,
                )
            )
    KpiYear.objects.bulk_create(rows, batch_size=BATCH)
    labels = {y.id: label for label, y in years.items()}
    return {
        (slug, labels[year_id]): id_
        for id_, slug, year_id in KpiYear.objects.filter(kpi__slug__startswith=SLUG_PREFIX)
        .values_list("id", "kpi__slug", "year_id")
        .iterator()
    }


def _figures(the_plan: Plan, kpi_years: dict) -> int:
    """Every figure, written in batches so memory stays flat at large scales."""
    written, batch = 0, []
    for k in the_plan.kpis:
        for (label, quarter, month), values in k.figures.items():
            batch.append(
                Figure(
                    kpi_year_id=kpi_years[(k.slug, label)],
                    quarter=quarter,
                    month=month,
                    commentary="" if month else k.commentary.get((label, quarter), ""),
                    **asdict(values),
                )
            )
            if len(batch) >= BATCH:
                Figure.objects.bulk_create(batch, batch_size=BATCH)
                written, batch = written + len(batch), []
    Figure.objects.bulk_create(batch, batch_size=BATCH)
    return written + len(batch)


def _returns(the_plan: Plan, teams: dict[str, Team], years: dict[str, FinancialYear]) -> int:
    """Every synthetic team's return for every quarter, approved, with its approval event."""
    owners = sorted({k.team_slug for k in the_plan.kpis})
    TeamReturn.objects.bulk_create(
        [
            TeamReturn(
                year=years[label], quarter=quarter, team=teams[slug], status=ReturnStatus.APPROVED
            )
            for label in the_plan.years
            for quarter in range(1, 5)
            for slug in owners
        ],
        batch_size=BATCH,
    )
    ids = TeamReturn.objects.filter(team__slug__startswith=SLUG_PREFIX).values_list("id", flat=True)
    ReturnEvent.objects.bulk_create(
        [
            ReturnEvent(team_return_id=id_, action=ReturnAction.APPROVED, comment="Synthetic data")
            for id_ in ids.iterator()
        ],
        batch_size=BATCH,
    )
    return len(owners) * 4 * len(the_plan.years)
