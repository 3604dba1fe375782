"""Reads for the dashboards: each KPI's standing in a quarter, counted by directorate or team.

A fixed number of queries whatever the number of KPIs, years or directorates: the year's KPIs
(one), their quarterly figures this year and last (one), the quarter's returns (one), and, for
the rows the exception report shows, their latest periods (two, ``kpis.series.recent_points``).

A scorecard over a thousand KPIs reads them as plain values (``KpiLine``), not model instances:
a KpiYear with its KPI, team and directorate costs about forty microseconds to build, which
made up a third of the page's time.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from common import caching
from directorates.models import FinancialYear
from kpis import comparators, rules, spc
from kpis.models import TARGET_SPEC_FIELDS, VALUE_FIELDS, Figure, KpiYear, TeamReturn
from kpis.presenters import NOT_COLLECTED, RAG_TEXT, figure_text
from kpis.rules import Assessment, FigureValues, Rag, Trend
from kpis.series import SeriesPoint, recent_points
from kpis.spc_state import Icons, states_for


class Standing(StrEnum):
    """Where a KPI stands in a quarter: its RAG, or why it has none."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_COLLECTED = "not_collected"
    NO_TARGET = "no_target"
    NO_RAG = "no_rag"


# Sort order for "RAG": red first, then amber, green, and the KPIs with no rating.
RANKED = (Standing.RED, Standing.AMBER, Standing.GREEN, Standing.NOT_COLLECTED, Standing.NO_RAG)

# In the order the counts table and chart give them; a rating in its own word (kpis.presenters).
STANDING_LABELS = {
    Standing.GREEN: RAG_TEXT[Rag.GREEN],
    Standing.AMBER: RAG_TEXT[Rag.AMBER],
    Standing.RED: RAG_TEXT[Rag.RED],
    Standing.NOT_COLLECTED: NOT_COLLECTED,
    Standing.NO_TARGET: "No target",
    Standing.NO_RAG: "No figure or no RAG",
}


def standing(assessment: Assessment, figure: FigureValues | None, has_target: bool) -> Standing:
    if assessment.rag is not None:
        return Standing(assessment.rag.value)
    if figure is not None and figure.not_collected:
        return Standing.NOT_COLLECTED
    if not has_target:
        return Standing.NO_TARGET
    return Standing.NO_RAG


class Attention(StrEnum):
    """Why a KPI is on the exception report."""

    RAG = "rag"  # red or amber this quarter
    SPC_CONCERN = "spc_concern"  # the latest point is special cause of concern
    SPC_FAIL = "spc_fail"  # the process will consistently fail its target


def attention(row: ScorecardRow) -> list[Attention]:
    """Each reason a row needs the board's attention, in the order the report gives them: red
    or amber, or SPC shows concern or consistent failure (what ``kpis.spc.concern`` asks a
    return to explain). The report shows exactly the rows with a reason, and says which."""
    reasons = []
    if row.standing in (Standing.RED, Standing.AMBER):
        reasons.append(Attention.RAG)
    if row.variation == spc.Variation.CONCERN:
        reasons.append(Attention.SPC_CONCERN)
    if row.assurance == spc.Assurance.FAIL:
        reasons.append(Attention.SPC_FAIL)
    return reasons


def needs_attention(row: ScorecardRow) -> bool:
    """On the exception report: any reason at all (``attention``)."""
    return bool(attention(row))


@dataclass(frozen=True, slots=True)
class Named:
    """A KPI, team or directorate as a row shows it: ``str()`` is its label (a sub-team's
    carries its parent: "Review West › Team A")."""

    pk: int
    name: str
    slug: str
    label: str

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, slots=True)
class KpiLine:
    """What a dashboard row reads of a KPI year."""

    pk: int
    kpi_id: int
    kpi: Named
    team: Named
    directorate: Named
    start_year: int  # of the financial year
    frequency: str
    target_text: str
    data_version: int  # the KPI's, bumped by every change to its figures or targets
    spec: rules.TargetSpec


# What a KpiLine is read from, in this order (``_line_rows``).
LINE_FIELDS = (
    "pk",
    "kpi_id",
    "kpi__name",
    "kpi__slug",
    "team_id",
    "team__name",
    "team__slug",
    "team__parent__name",
    "team__directorate_id",
    "team__directorate__name",
    "team__directorate__slug",
    "year__start_date",
    "frequency",
    "target_text",
    "kpi__data_version",
    *TARGET_SPEC_FIELDS,
)
TEAM_ID = LINE_FIELDS.index("team_id")


def _line_rows(kpi_years) -> list[tuple]:
    """A queryset of KPI years as the values of LINE_FIELDS, in the scorecard's order."""
    rows = kpi_years.order_by("team__directorate__name", "display_order", "kpi__name")
    return list(rows.values_list(*LINE_FIELDS))


def _lines(rows: list[tuple]) -> list[KpiLine]:
    """The rows of ``_line_rows`` as KpiLines; teams and directorates shared between them."""
    owners: dict[tuple[str, int], Named] = {}
    lines = []
    for row in rows:
        (pk, kpi_id, kpi_name, kpi_slug, team_id, team_name, team_slug, parent_name) = row[:8]
        (directorate_id, directorate_name, directorate_slug, start, frequency, target_text) = row[
            8:14
        ]
        data_version = row[14]
        team = owners.get(("team", team_id))
        if team is None:
            label = f"{parent_name} › {team_name}" if parent_name else team_name
            team = owners["team", team_id] = Named(team_id, team_name, team_slug, label)
        directorate = owners.get(("directorate", directorate_id))
        if directorate is None:
            directorate = owners["directorate", directorate_id] = Named(
                directorate_id, directorate_name, directorate_slug, directorate_name
            )
        lines.append(
            KpiLine(
                pk=pk,
                kpi_id=kpi_id,
                kpi=Named(kpi_id, kpi_name, kpi_slug, kpi_name),
                team=team,
                directorate=directorate,
                start_year=start.year,
                frequency=frequency,
                target_text=target_text,
                data_version=data_version,
                spec=KpiYear.spec_from(*row[15:]),
            )
        )
    return lines


@dataclass(frozen=True)
class Source:
    """What a quarter's scorecard is worked out from, in two queries: its KPI years (as the
    values of LINE_FIELDS) and each team's return status. ``digest`` changes whenever anything
    a dashboard shows of them changes: a KPI's figures, targets or commentary (its
    ``data_version``, which its SPC state is kept by too), a name, an order, a target's
    wording, which KPIs the filters and the user's scope let in, a return's status."""

    year: FinancialYear
    quarter: int
    rows: list[tuple]
    statuses: dict[int, str]  # team id: TeamReturn status
    digest: str

    @cached_property
    def lines(self) -> list[KpiLine]:
        # Built only when a body is drawn: a page kept in the cache needs the digest alone.
        return _lines(self.rows)


def source(kpi_years, year: FinancialYear, quarter: int) -> Source:
    rows = _line_rows(kpi_years)
    # The returns' statuses are read afresh: a return moves without its figures changing.
    statuses = dict(
        TeamReturn.objects.filter(
            year=year, quarter=quarter, team__in={row[TEAM_ID] for row in rows}
        ).values_list("team_id", "status")
    )
    seen = (year.pk, year.label, quarter, rows, sorted(statuses.items()))
    digest = hashlib.blake2b(repr(seen).encode(), digest_size=16).hexdigest()
    return Source(year, quarter, rows, statuses, digest)


@dataclass
class ScorecardRow:
    kpi_year: KpiLine
    quarter: int
    figures: dict[int, FigureValues]  # this year's quarters
    last_year: dict[int, FigureValues]  # last year's same quarter and Q4, what a row compares
    assessment: Assessment
    standing: Standing
    self_assessed: Rag | None
    reason: str  # why the self-assessment differs, as the owner put it
    trend: Trend | None
    commentary: str
    return_status: str  # a TeamReturn status, or "not_started"
    spc_state: Icons | None = None  # the SPC icons (see attach_spc)
    recent: list[SeriesPoint] = field(default_factory=list)  # see attach_recent

    @property
    def kpi(self):
        return self.kpi_year.kpi

    @property
    def team(self):
        return self.kpi_year.team

    @property
    def directorate(self):
        return self.kpi_year.directorate

    @property
    def disagrees(self) -> bool:
        return self.self_assessed is not None and self.self_assessed != self.assessment.rag

    def quarter_text(self, quarter: int) -> str:
        return figure_text(self.kpi_year.spec.measure, self.figures.get(quarter))

    @property
    def standing_rank(self) -> int:
        """Worst first when the table is sorted by RAG."""
        return RANKED.index(self.standing) if self.standing in RANKED else len(RANKED)

    @property
    def team_name(self) -> str:
        return str(self.kpi_year.team)

    @property
    def variation(self) -> spc.Variation | None:
        state = self.spc_state
        return spc.Variation(state.variation) if state and state.variation else None

    @property
    def assurance(self) -> spc.Assurance | None:
        state = self.spc_state
        return spc.Assurance(state.assurance) if state and state.assurance else None


@dataclass
class GroupCount:
    """How many of a directorate's (or a team's) KPIs stand where."""

    name: str
    slug: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, key: str) -> int:
        return self.counts[Standing(key)]


@dataclass
class Scorecard:
    year: FinancialYear
    quarter: int
    rows: list[ScorecardRow]  # filtered by every filter, RAG included
    groups: list[GroupCount]  # counted before the RAG filter, so the chart keeps the picture


def default_period(years: list[FinancialYear]) -> tuple[FinancialYear | None, int]:
    """The latest year and quarter that have any figure: what a board would look at first."""
    latest = (
        Figure.objects.filter(kpi_year__year__in=years, month__isnull=True)
        .order_by("-kpi_year__year__start_date", "-quarter")
        .values_list("kpi_year__year_id", "quarter")
        .first()
    )
    if latest is None:
        return (max(years, key=lambda y: y.start_date) if years else None), 1
    year_id, quarter = latest
    return next(y for y in years if y.pk == year_id), quarter


def _values(row) -> FigureValues:
    return FigureValues(*row)


def _figures(kpi_years: list[KpiLine], year: FinancialYear, quarter: int):
    """This year's quarterly figures of these KPIs with their commentary, and of last year's
    the two quarters a row compares with: the same quarter (a target of an annual increase) and
    Q4 (the trend of a Q1)."""
    this_year: dict[int, dict[int, tuple]] = defaultdict(dict)
    last_year: dict[int, dict[int, FigureValues]] = defaultdict(dict)
    ids = {ky.pk for ky in kpi_years}
    query = (
        Figure.objects.filter(
            comparators.quarter_condition(year, quarter),
            kpi_year__kpi__in={ky.kpi_id for ky in kpi_years},
        )
        .order_by()  # the rows go into dicts: sorting them is wasted work
        .values_list(
            "kpi_year_id",
            "kpi_year__kpi_id",
            "quarter",
            "commentary",
            "self_assessed_rag",
            "self_assessment_reason",
            "not_collected",
            *VALUE_FIELDS,
        )
    )
    for kpi_year_id, kpi_id, q, commentary, rag, reason, *values in query:
        if kpi_year_id in ids:
            this_year[kpi_year_id][q] = (_values(values), commentary, rag, reason)
        else:
            last_year[kpi_id][q] = _values(values)
    return this_year, last_year


@dataclass(frozen=True, slots=True)
class Rating:
    """What a KPI year's row works out from its figures: kept in the cache (``rated``)."""

    figures: dict[int, FigureValues]
    last_year: dict[int, FigureValues]
    assessment: Assessment
    standing: Standing
    self_assessed: Rag | None
    reason: str
    trend: Trend | None
    commentary: str


def _rating(ky: KpiLine, quarter: int, entered: dict, last: dict) -> Rating:
    figures = {q: item[0] for q, item in entered.items()}
    spec = ky.spec
    assessment = rules.assess(spec, quarter, figures, last.get(quarter))
    figure = figures.get(quarter)
    previous = figures.get(quarter - 1) if quarter > 1 else last.get(4)
    _, commentary, self_rag, reason = entered.get(quarter, (None, "", "", ""))
    return Rating(
        figures=figures,
        last_year=last,
        assessment=assessment,
        standing=standing(assessment, figure, spec.kind != rules.TargetKind.NONE),
        self_assessed=Rag(self_rag) if self_rag else None,
        reason=reason,
        trend=rules.trend(
            rules.headline(spec.measure, figure) if figure else None,
            rules.headline(spec.measure, previous) if previous else None,
            spec.direction,
        ),
        commentary=commentary,
    )


# A rating is kept until its KPI's data_version moves on; a day bounds what the cache holds.
RATING_SECONDS = 24 * 3600


def _rating_key(ky: KpiLine, year: FinancialYear, quarter: int) -> str:
    # The KPI's data_version changes with any figure or target of any of its years (this
    # quarter's, last year's comparators, a rebase), so a new figure is read at once.
    return f"scorecard-rating:{year.pk}:{quarter}:{ky.pk}:{ky.data_version}"


def rated(kpi_years: list[KpiLine], year: FinancialYear, quarter: int) -> dict[int, Rating]:
    """Each KPI year's rating in the quarter, by KPI year id: from the cache where its data
    has not changed since it was worked out, the rest from their figures (one query)."""
    keys = {ky.pk: _rating_key(ky, year, quarter) for ky in kpi_years}
    cached = caching.get_many(keys.values())
    missing = [ky for ky in kpi_years if keys[ky.pk] not in cached]
    fresh = {}
    if missing:
        this_year, last_year = _figures(missing, year, quarter)
        fresh = {
            keys[ky.pk]: _rating(
                ky, quarter, this_year.get(ky.pk, {}), last_year.get(ky.kpi_id, {})
            )
            for ky in missing
        }
        caching.set_many(fresh, RATING_SECONDS)
    return {ky.pk: cached.get(keys[ky.pk]) or fresh[keys[ky.pk]] for ky in kpi_years}


def scorecard_rows(source: Source) -> list[ScorecardRow]:
    ratings = rated(source.lines, source.year, source.quarter)
    rows = []
    for ky in source.lines:
        rating = ratings[ky.pk]
        rows.append(
            ScorecardRow(
                kpi_year=ky,
                quarter=source.quarter,
                figures=rating.figures,
                last_year=rating.last_year,
                assessment=rating.assessment,
                standing=rating.standing,
                self_assessed=rating.self_assessed,
                reason=rating.reason,
                trend=rating.trend,
                commentary=rating.commentary,
                return_status=source.statuses.get(ky.team.pk, "not_started"),
            )
        )
    return rows


def count_by(rows: list[ScorecardRow], *, by_team: bool) -> list[GroupCount]:
    groups: dict[int, GroupCount] = {}
    for row in rows:
        owner = row.team if by_team else row.directorate
        group = groups.setdefault(owner.pk, GroupCount(str(owner), owner.slug))
        group.counts[row.standing] += 1
    return sorted(groups.values(), key=lambda g: g.name)


def scorecard(
    *,
    kpi_years,
    year: FinancialYear,
    quarter: int,
    standings: set[Standing] | None = None,
    by_team: bool = False,
) -> Scorecard:
    """Every KPI of ``kpi_years`` (a filtered queryset) in one quarter, counted by owner."""
    return scorecard_of(source(kpi_years, year, quarter), standings=standings, by_team=by_team)


def scorecard_of(
    read: Source, *, standings: set[Standing] | None = None, by_team: bool = False
) -> Scorecard:
    """The scorecard of what ``source`` read."""
    rows = scorecard_rows(read)
    groups = count_by(rows, by_team=by_team)
    if standings:
        rows = [row for row in rows if row.standing in standings]
    return Scorecard(read.year, read.quarter, rows, groups)


def attach_spc(rows: list[ScorecardRow]) -> None:
    """The SPC icons of these rows' KPIs, from the stored states (``kpis.spc_state``)."""
    states = states_for([row.kpi_year.kpi_id for row in rows])
    for row in rows:
        row.spc_state = states.get(row.kpi_year.kpi_id)


def attach_recent(rows: list[ScorecardRow]) -> None:
    """The last six periods of these rows' KPIs up to their quarter (two queries)."""
    if not rows:
        return
    until = (rows[0].kpi_year.start_year, rows[0].quarter)
    recent = recent_points([row.kpi_year.kpi_id for row in rows], until=until)
    for row in rows:
        row.recent = recent.get(row.kpi_year.kpi_id, [])


def exceptions(card: Scorecard) -> list[ScorecardRow]:
    """The rows that need the board's attention (their series are left to the page shown)."""
    attach_spc(card.rows)
    return [row for row in card.rows if needs_attention(row)]
