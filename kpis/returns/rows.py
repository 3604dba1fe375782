"""What the return form and the sign-off page show of teams' quarters, in fixed queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from directorates.models import FinancialYear, Team
from kpis import comparators, rules
from kpis.models import QUARTER_MONTHS, Figure, KpiYear, ReturnEvent, TeamReturn
from kpis.presenters import assessment_text, compared_number, figure_text, headline_unit
from kpis.returns.transitions import NOT_STARTED


@dataclass
class EntryRow:
    """One KPI on the form: its set-up, this quarter's figures and what to compare them with."""

    kpi_year: KpiYear
    figure: Figure | None
    months: dict[int, Figure]
    previous_text: str
    last_year_text: str
    assessment: rules.Assessment
    year_figures: dict[int, rules.FigureValues]
    last_year: rules.FigureValues | None

    @property
    def measure(self) -> rules.Measure:
        return rules.Measure(self.kpi_year.measure)

    @property
    def figure_display(self) -> str:
        return figure_text(self.measure, self.figure.values if self.figure else None)

    @property
    def has_figure(self) -> bool:
        """Whether a figure (or 'not collected') is saved for the quarter or one of its months."""
        figures = [self.figure, *self.months.values()]
        return any(f is not None and not f.values.is_empty for f in figures)

    @property
    def is_monthly(self) -> bool:
        return self.kpi_year.frequency == rules.Frequency.MONTHLY

    @property
    def seen_versions(self) -> dict[int | None, int | None]:
        versions = {None: self.figure.version if self.figure else None}
        versions.update({month: figure.version for month, figure in self.months.items()})
        return versions

    @property
    def assessment_text(self) -> str:
        """The computed RAG's reason, as the form's script words it while figures are typed."""
        return assessment_text(self.kpi_year.target_spec(), self.assessment)

    def rag_basis(self, quarter: int) -> dict[str, str]:
        """What the form's script needs to recompute the RAG as the user types, each a
        data-rag-* attribute of the KPI's row: the target (pro rata to date for a total over
        the year), the amber limit, what earlier quarters add, and how to word it. The script
        only adds up and compares these; ``preview`` says whether it may ("live"), whether no
        figure can have a RAG ("none"), or whether the RAG is left to the server ("on_save")."""
        spec = self.kpi_year.target_spec()
        basis = rules.compared_on(spec)
        target = spec.value
        offset = Decimal(0)
        if spec.kind == rules.TargetKind.INCREASE:
            target = rules.headline(spec.measure, self.last_year) if self.last_year else None
        elif basis == rules.Basis.YEAR_TO_DATE and target is not None:
            target = rules.target_to_date(spec, quarter)
            if spec.rollup == rules.Rollup.SUM:
                earlier = [
                    rules.headline(spec.measure, self.year_figures[q])
                    for q in range(1, quarter)
                    if q in self.year_figures
                ]
                offset = sum((v for v in earlier if v is not None), Decimal(0))
        preview = "live"
        if basis is None or target is None:
            preview = "none"
        elif spec.kind == rules.TargetKind.PERCENT and spec.measure not in rules.PERCENT_MEASURES:
            preview = "none"  # the figure is not a rate: no figure gets a RAG
        elif basis == rules.Basis.YEAR_AVERAGE:
            preview = "on_save"  # an average over the year's quarters: left to the server
        usable = preview == "live"
        unit = headline_unit(spec)
        return {
            "preview": preview,
            "measure": spec.measure.value,
            "rollup": spec.rollup.value,
            "target": _plain(target) if usable else "",
            "amber": _plain(rules.amber_limit(target, spec.direction, spec.tolerance))
            if usable
            else "",
            "offset": _plain(offset),
            "direction": spec.direction.value,
            "tolerance": f"{spec.tolerance}",
            "equal-is-amber": "true" if spec.kind == rules.TargetKind.INCREASE else "false",
            "basis": basis.value if basis else "",
            "unit": unit,
            "target-text": f"{compared_number(target)}{unit}" if usable else "",
        }


def _plain(number) -> str:
    """A number for the form's script: no exponent, no trailing zeros ('96.5', '0')."""
    return f"{Decimal(number).normalize():f}"


@dataclass
class Entry:
    year: FinancialYear
    quarter: int
    team: Team
    team_return: TeamReturn | None
    rows: list[EntryRow]
    events: list[ReturnEvent] = field(default_factory=list)

    @property
    def version(self) -> int | None:
        return self.team_return.version if self.team_return else None

    @property
    def status(self) -> str:
        """The return's status, or "not_started" before its first save."""
        return self.team_return.status if self.team_return else NOT_STARTED

    @property
    def months(self) -> tuple[int, int, int]:
        return QUARTER_MONTHS[self.quarter]


def entry_for(year: FinancialYear, quarter: int, team: Team) -> Entry:
    """What the return form shows for one team's quarter."""
    return entries_for(year, quarter, [team])[0]


def entries_for(year: FinancialYear, quarter: int, teams: list[Team]) -> list[Entry]:
    """The same for several teams (the sign-off page) in the same five queries as for one."""
    kpi_years = list(KpiYear.objects.for_schedule(year).filter(team__in=teams))
    kpi_ids = [ky.kpi_id for ky in kpi_years]
    this_year: dict[int, list[Figure]] = {}
    for figure in Figure.objects.filter(kpi_year__in=kpi_years).order_by("quarter", "month"):
        this_year.setdefault(figure.kpi_year_id, []).append(figure)
    last_year = comparators.last_year_quarters(kpi_ids, year)
    returns = {
        r.team_id: r
        for r in TeamReturn.objects.filter(
            year=year, quarter=quarter, team__in=teams
        ).prefetch_related(Prefetch("events", queryset=ReturnEvent.objects.select_related("by")))
    }
    entries = []
    for team in teams:
        team_return = returns.get(team.pk)
        rows = [
            _row(ky, quarter, this_year.get(ky.id, []), last_year.get(ky.kpi_id, {}))
            for ky in kpi_years
            if ky.team_id == team.pk
        ]
        events = list(team_return.events.all()) if team_return else []
        entries.append(
            Entry(
                year=year,
                quarter=quarter,
                team=team,
                team_return=team_return,
                rows=rows,
                events=events,
            )
        )
    return entries


def _row(
    kpi_year: KpiYear, quarter: int, figures: list[Figure], last_year: dict[int, rules.FigureValues]
) -> EntryRow:
    measure = rules.Measure(kpi_year.measure)
    quarters = {f.quarter: f for f in figures if f.month is None}
    year_figures = {q: f.values for q, f in quarters.items()}
    previous = year_figures.get(quarter - 1) if quarter > 1 else last_year.get(4)
    same_quarter_last_year = last_year.get(quarter)
    return EntryRow(
        kpi_year=kpi_year,
        figure=quarters.get(quarter),
        months={f.month: f for f in figures if f.quarter == quarter and f.month is not None},
        previous_text=figure_text(measure, previous),
        last_year_text=figure_text(measure, same_quarter_last_year),
        assessment=rules.assess(
            kpi_year.target_spec(), quarter, year_figures, same_quarter_last_year
        ),
        year_figures=year_figures,
        last_year=same_quarter_last_year,
    )
