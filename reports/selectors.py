"""What the annual report reads for a year: its texts, the narrative, the quarter 4 scorecard,
running costs, the finance summary, the surveys and the state of each quarter's sign-off.

A fixed number of queries whatever the number of KPIs, lines or directorates. The report is
the organisation's document: it reads every reported KPI, not a user's scoped share of them.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max

from dashboards import scorecard
from dashboards.scorecard import ScorecardRow
from directorates.models import Directorate, FinancialYear, Leader, Locality, NarrativeSection
from finance import selectors as finance_selectors
from finance.models import CostLine
from finance.selectors import FinanceSummary, RunningCosts
from kpis.models import Figure, KpiYear, ReturnStatus, TeamReturn
from reports.models import AnnualReport
from surveys import selectors as survey_selectors
from surveys.models import Survey
from surveys.selectors import SurveyResults

REPORT_QUARTER = 4  # the schedule prints every quarter; its RAG and trend are the year's last


@dataclass(frozen=True)
class QuarterSignOff:
    quarter: int
    returns: int
    approved: int

    @property
    def is_approved(self) -> bool:
        return self.returns > 0 and self.approved == self.returns


@dataclass
class ReportData:
    year: FinancialYear
    report: AnnualReport
    localities: int
    directorates: list[Directorate]
    leaders: list[Leader]
    sections: list[NarrativeSection]
    rows: list[ScorecardRow]  # quarter 4 of every reported KPI, in the schedule's order
    running_costs: RunningCosts | None
    finance_summary: FinanceSummary | None
    customer_survey: SurveyResults | None  # as the survey's results page reads it
    imt_survey: SurveyResults | None
    sign_off: list[QuarterSignOff]
    approved: set[tuple[int, int]]  # (team, quarter) of each approved return
    as_of: datetime | None  # the latest change to any figure, cost line, return or text


def _sign_off(year, teams: set[int]):
    """Each quarter's returns and how many are approved, of the teams that report a KPI; the
    approved (team, quarter) pairs; and the latest change to any of them. A team's quarter
    with no return yet counts as not approved."""
    counts = {q: [len(teams), 0] for q in range(1, 5)}
    approved, latest = set(), None
    returns = TeamReturn.objects.filter(year=year, team__in=teams)
    for team, quarter, status, updated in returns.values_list(
        "team_id", "quarter", "status", "updated_at"
    ):
        if status == ReturnStatus.APPROVED:
            counts[quarter][1] += 1
            approved.add((team, quarter))
        latest = max(latest, updated) if latest else updated
    return [QuarterSignOff(q, *counts[q]) for q in range(1, 5)], approved, latest


def _latest_change(year, report: AnnualReport, returns: datetime | None) -> datetime | None:
    stamps = [
        Figure.objects.filter(kpi_year__year=year).aggregate(at=Max("updated_at"))["at"],
        CostLine.history.filter(schedule__year=year).aggregate(at=Max("history_date"))["at"],
        returns,
        report.updated_at,
    ]
    return max((stamp for stamp in stamps if stamp), default=None)


def _surveys(year) -> dict[str, SurveyResults]:
    """The year's customer and IM&T surveys' results, read as their results pages read them
    (surveys/selectors.py: one query for the year's surveys, five for each one's results)."""
    found = {}
    for survey in survey_selectors.year_surveys(year):
        if survey.kind in (Survey.Kind.CUSTOMER, Survey.Kind.IMT) and survey.kind not in found:
            results = survey_selectors.survey_results(year.label, survey.slug)
            if results is not None:
                found[survey.kind] = results
    return found


def annual_report(label: str) -> ReportData | None:
    """The year's report, or None when the year has no report texts."""
    year = (
        FinancialYear.objects.filter(label=label)
        .select_related("organisation", "annual_report")
        .first()
    )
    report = getattr(year, "annual_report", None) if year else None
    if report is None:
        return None
    sections = list(
        NarrativeSection.objects.filter(year=year)
        .select_related("directorate")
        .prefetch_related("highlights", "facts", "case_studies")
    )
    surveys = _surveys(year)
    kpi_years = KpiYear.objects.filter(year=year, is_reported=True)
    card = scorecard.scorecard(kpi_years=kpi_years, year=year, quarter=REPORT_QUARTER)
    sign_off, approved, returns_changed = _sign_off(year, {row.team.pk for row in card.rows})
    return ReportData(
        year=year,
        report=report,
        localities=Locality.objects.filter(cluster__organisation=year.organisation).count(),
        directorates=list(Directorate.objects.filter(organisation=year.organisation)),
        leaders=list(Leader.objects.filter(year=year).select_related("directorate")),
        sections=sections,
        rows=card.rows,
        running_costs=finance_selectors.running_costs(label),
        finance_summary=finance_selectors.finance_summary(label),
        customer_survey=surveys.get(Survey.Kind.CUSTOMER),
        imt_survey=surveys.get(Survey.Kind.IMT),
        sign_off=sign_off,
        approved=approved,
        as_of=_latest_change(year, report, returns_changed),
    )


def latest_report_year() -> str | None:
    """The label of the latest year with an annual report, for the navigation's link."""
    return (
        AnnualReport.objects.order_by("-year__start_date")
        .values_list("year__label", flat=True)
        .first()
    )


def unapproved_quarters(year: FinancialYear) -> list[int]:
    """The quarters of the year with a reporting team whose return is not approved (two
    queries): what stops its report being published."""
    teams = set(
        KpiYear.objects.filter(year=year, is_reported=True).values_list("team_id", flat=True)
    )
    sign_off, _, _ = _sign_off(year, teams)
    return [s.quarter for s in sign_off if not s.is_approved]
