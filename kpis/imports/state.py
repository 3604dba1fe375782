"""What a KPI import compares its rows with: the year's KPIs, their figures, returns and locks."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from common.importing import close_names
from directorates.models import FinancialYear
from kpis import comparators, locks
from kpis.models import VALUE_FIELDS, Figure, KpiYear, TeamReturn
from kpis.rules import FigureValues


@dataclass(frozen=True)
class Held:
    """A figure as the database holds it now, with the version a write must still find."""

    id: int
    version: int
    values: FigureValues
    commentary: str
    self_assessed_rag: str
    self_assessment_reason: str

    def field(self, name: str):
        if name in ("commentary", "self_assessed_rag", "self_assessment_reason"):
            return getattr(self, name)
        return getattr(self.values, name)


class YearState:
    """The year as it stands, read in a fixed number of queries whatever the number of rows."""

    def __init__(self, year: FinancialYear, today: date | None = None):
        self.year = year
        self.today = today or timezone.localdate()
        self.kpi_years = {
            ky.id: ky
            for ky in KpiYear.objects.filter(year=year, is_reported=True).select_related(
                "kpi", "team"
            )
        }
        self._by_name = {ky.kpi.name.strip(): ky for ky in self.kpi_years.values()}
        self._by_slug = {ky.kpi.slug: ky for ky in self.kpi_years.values()}
        self.figures: dict[tuple[int, int, int | None], Held] = {}
        self.months: dict[tuple[int, int], dict[int, FigureValues]] = {}
        rows = Figure.objects.filter(kpi_year__in=list(self.kpi_years)).values_list(
            "id",
            "version",
            "kpi_year_id",
            "quarter",
            "month",
            "commentary",
            "self_assessed_rag",
            "self_assessment_reason",
            "not_collected",
            *VALUE_FIELDS,
        )
        for pk, version, ky_id, quarter, month, commentary, rag, reason, *values in rows:
            held = Held(pk, version, FigureValues(*values), commentary, rag, reason)
            self.figures[(ky_id, quarter, month)] = held
            if month is not None:
                self.months.setdefault((ky_id, quarter), {})[month] = held.values
        self.returns = {
            (r.team_id, r.quarter): r.status for r in TeamReturn.objects.filter(year=year)
        }
        # Last year's quarterly figures by KPI and quarter, what each quarter is judged against.
        self.last_year = comparators.last_year_quarters(
            {ky.kpi_id for ky in self.kpi_years.values()}, year
        )

    def match(self, name: str) -> KpiYear | None:
        """The KPI named exactly (after trimming), or by its slug."""
        name = name.strip()
        return self._by_name.get(name) or self._by_slug.get(name)

    def closest(self, name: str) -> list[str]:
        """Up to three KPI names of the year that look like a near miss."""
        return close_names(name, list(self._by_name))

    def quarters(self, kpi_year_id: int) -> dict[int, FigureValues]:
        return {
            quarter: self.figures[(kpi_year_id, quarter, None)].values
            for quarter in range(1, 5)
            if (kpi_year_id, quarter, None) in self.figures
        }

    def lock(self, kpi_year: KpiYear, quarter: int) -> str | None:
        """Why the team's quarter cannot change now, in the return form's words, or None."""
        try:
            locks.check_open(self.year, quarter, self.today)
        except locks.QuarterClosed as closed:
            return str(closed)
        if locks.return_locks_figures(self.returns.get((kpi_year.team_id, quarter))):
            return (
                f"{kpi_year.team.name}'s return for quarter {quarter} of {self.year} has been "
                "approved and is locked; an admin can reopen it"
            )
        return None
