"""The annual report in words: each section's blocks, the KPI schedule, the survey and the
running costs, worded by the same helpers as the dashboards and finance pages. Nothing here
queries; every figure comes from ``reports.selectors.ReportData``."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from common.navigation import Crumb, trail
from dashboards.scorecard import STANDING_LABELS, ScorecardRow
from directorates.narrative import Content
from finance import presenters as finance_presenters
from finance import rules as finance_rules
from finance.models import FinanceSummaryLine
from kpis.presenters import NOT_COLLECTED, RAG_TEXT, TREND_ARROW, TREND_TEXT, number_text
from kpis.rules import RAG_LEGEND
from reports import charts, rules
from reports.rules import Block
from reports.selectors import ReportData
from surveys import presenters as survey_presenters

AWAITING_SIGN_OFF = "Awaiting sign-off"
DRAFT = "Draft"


@dataclass(frozen=True)
class Leader:
    name: str
    title: str


@dataclass(frozen=True)
class HighlightGroup:
    heading: str
    items: list[rules.Bullet]


@dataclass(frozen=True)
class CaseStudy:
    title: str
    subtitle: str
    blocks: list[Block]


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    leaders: list[Leader]
    purpose: list[Block]
    highlights_intro: str
    highlights: list[HighlightGroup]
    facts_intro: str
    facts: list[str]
    case_studies: list[CaseStudy]


@dataclass(frozen=True)
class Mark:
    """A RAG or trend as an icon and its word: ``key`` the modifier (app-rag--green)."""

    key: str
    text: str
    icon: str = ""


@dataclass(frozen=True)
class KpiRow:
    name: str
    href: str
    team: str
    frequency: str
    quarters: list[str]
    target: str
    rag: Mark
    self_assessed: Mark | None
    trend: Mark | None


@dataclass(frozen=True)
class KpiSchedule:
    id: str
    heading: str
    rows: list[KpiRow]


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    href: str | None = None


@dataclass
class ReportPage:
    title: str
    year: str
    organisation: str
    pdf_href: str
    breadcrumbs: list[Crumb]
    is_draft: bool
    status: str
    built_from: list[str]
    contents: list[Link]
    foreword: list[Block]
    signatory: list[str]
    introduction: list[Block]
    summary: list[Block]
    summary_finance: finance_presenters.FinanceSummaryPage | None
    summary_href: str
    summary_survey: list[Block]
    summary_imt_lead: str
    summary_imt: list[str]
    organising: list[Block]
    cycle: list[str]
    cycle_centre: str
    chief_officer: Leader | None
    directors: list[tuple[str, Leader | None]]
    sections: list[Section]
    schedules: list[KpiSchedule]
    rag_chart: charts.SvgChart | None
    legend: list[Mark]
    survey_heading: str
    survey_facts: list[Fact]
    survey_items: list[tuple[str, list[str]]]
    survey_improvements: list[rules.Bullet]
    survey_note: str
    survey_href: str  # the survey's results page, where each figure comes from
    imt_href: str
    imt_rows: list[tuple[str, str, str, str]]
    costs: finance_presenters.RunningCostsPage | None
    costs_href: str
    cost_lines: list[tuple[finance_presenters.Row, str]]
    next_steps: list[Block]
    contact: list[str]
    contact_links: list[Fact] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)  # section id: what its data lacks


# ---------------------------------------------------------------- figures from the data


def _delivery_plan(data: ReportData) -> tuple[str, str]:
    """The delivery plan KPI's quarter 4 figure and its target, as the schedule prints them."""
    kpi = data.report.delivery_plan_kpi_id
    row = next((row for row in data.rows if row.kpi_year.kpi_id == kpi), None)
    if row is None:
        return "", ""
    return row.quarter_text(4), number_text(
        row.kpi_year.spec.value
    ) if row.kpi_year.spec.value else ""


def _per_head(amount_000: Decimal | None, population: int | None) -> str:
    if amount_000 is None or not population:
        return ""
    return f"£{finance_rules.per_head(finance_rules.from_thousands(amount_000), population)}"


def figures(data: ReportData) -> dict[str, str]:
    """Every placeholder's value (``reports.rules.PLACEHOLDERS``) from the data; a figure the
    data lacks is left out, and prints as '—'."""
    year = data.year
    values = {"year": year.display_name, "localities": str(data.localities)}
    if year.organisation.member_practices:
        values["member_practices"] = str(year.organisation.member_practices)
    on_target, total = _delivery_plan(data)
    if on_target:
        values["projects_on_target"] = on_target
    if total:
        values["projects_total"] = total
    summary = data.finance_summary
    lines = summary.lines if summary else {}
    costs = lines.get(FinanceSummaryLine.Measure.NET_OPERATING_COSTS)
    limit = lines.get(FinanceSummaryLine.Measure.RESOURCE_LIMIT)
    if costs and limit:
        surplus = finance_rules.surplus(
            finance_rules.total(limit.programme, limit.running),
            finance_rules.total(costs.programme, costs.running),
        )
        values["revenue_surplus_000"] = finance_presenters.thousands(surplus)
        underspend = finance_rules.surplus(limit.running, costs.running)
        values["running_cost_underspend"] = finance_presenters.gbp(
            finance_rules.from_thousands(underspend)
        )
        if outturn := _per_head(costs.running, year.registered_population):
            values["outturn_per_head"] = outturn
    if year.running_cost_allowance_per_head is not None:
        values["allowance_per_head"] = f"£{year.running_cost_allowance_per_head}"
    customer = _results_page(data.customer_survey)
    if customer is not None:
        outcome = customer.outcome  # the results page's overall figures: published first
        if outcome.mean is not None:
            values["survey_mean"] = number_text(outcome.mean)
        if outcome.lowest is not None:
            values["survey_lowest"] = str(outcome.lowest)
        if outcome.highest is not None:
            values["survey_highest"] = str(outcome.highest)
    return values


def _results_page(results) -> survey_presenters.ResultsPage | None:
    """A survey as its results page words it (surveys/presenters.py), or None for none."""
    return survey_presenters.results_page(results) if results is not None else None


def _percent(value: Decimal | None) -> str:
    return f"{number_text(value)}%" if value is not None else ""


def imt_changes(data: ReportData) -> list[str]:
    """The IM&T survey's changes in words, one a measure: practices first, then the CCG."""
    results = data.imt_survey
    if results is None:
        return []
    measures: dict[str, dict[str, object]] = {}
    for metric in results.metrics:
        measures.setdefault(metric.measure, {})[metric.group] = metric
    found = []
    for measure, groups in measures.items():
        practices, staff = groups.get("GP practices"), groups.get("CCG staff")
        if practices is None or staff is None:
            continue
        name = measure[0].lower() + measure[1:]
        if practices.previous_percent is not None and staff.previous_percent is not None:
            way = "up" if practices.current_percent >= practices.previous_percent else "down"
            found.append(
                f"{name} {way} from {_percent(practices.previous_percent)} in practices to "
                f"{_percent(practices.current_percent)} ({_percent(staff.previous_percent)} to "
                f"{_percent(staff.current_percent)} for the CCG)"
            )
        else:
            found.append(
                f"{name} by {_percent(practices.current_percent)} of practices and "
                f"{_percent(staff.current_percent)} of CCG staff"
            )
    return found


# ---------------------------------------------------------------- the KPI schedule


def _rag(row: ScorecardRow) -> Mark:
    return Mark(row.standing.value, STANDING_LABELS[row.standing])


def _self_assessed(row: ScorecardRow) -> Mark | None:
    if row.self_assessed is None:
        return None
    return Mark(row.self_assessed.value, RAG_TEXT[row.self_assessed])


def _trend(row: ScorecardRow) -> Mark | None:
    if row.trend is None:
        return None
    key = row.trend.value
    return Mark(key, TREND_TEXT[key], TREND_ARROW[key])


def _kpi_row(row: ScorecardRow, approved: set[tuple[int, int]]) -> KpiRow:
    """A KPI as the schedule prints it; a quarter its team's return has not had approved
    prints as awaiting sign-off, and so do the rating and trend until quarter 4's is."""
    team = row.team.pk
    final = (team, 4) in approved
    return KpiRow(
        name=row.kpi.name,
        href=reverse("kpi_page", kwargs={"kpi": row.kpi.slug}),
        team=row.team_name,
        frequency=row.kpi_year.frequency.capitalize(),
        quarters=[
            row.quarter_text(q) if (team, q) in approved else AWAITING_SIGN_OFF for q in range(1, 5)
        ],
        target=row.kpi_year.target_text or "—",
        rag=_rag(row) if final else Mark("none", AWAITING_SIGN_OFF),
        self_assessed=_self_assessed(row) if final else None,
        trend=_trend(row) if final else None,
    )


def schedules(data: ReportData) -> list[KpiSchedule]:
    """Each directorate's KPIs, in the directorates' order, each KPI as the schedule prints it."""
    by_directorate: dict[int, list[KpiRow]] = {}
    for row in data.rows:
        by_directorate.setdefault(row.directorate.pk, []).append(_kpi_row(row, data.approved))
    return [
        KpiSchedule(f"kpis-{directorate.slug}", directorate.name, by_directorate[directorate.pk])
        for directorate in data.directorates
        if directorate.pk in by_directorate
    ]


def legend() -> list[Mark]:
    """The published legend: each RAG and its meaning, '*', then each trend."""
    marks = [Mark(rag.value, f"{RAG_TEXT[rag]}: {meaning}") for rag, meaning in RAG_LEGEND.items()]
    marks.append(Mark("not_collected", f"{NOT_COLLECTED}: information not collected (*)"))
    marks += [Mark(key, text, TREND_ARROW[key]) for key, text in TREND_TEXT.items()]
    return marks


# ---------------------------------------------------------------- the narrative


def section_view(title: str, content: Content, leaders: list[Leader]) -> Section:
    """A directorate's section as the report prints it, from its content: the published copy
    in the report, a draft in its editor's preview."""
    groups: list[HighlightGroup] = []
    for highlight in content.highlights:
        if not groups or (highlight.group and highlight.group != groups[-1].heading):
            groups.append(HighlightGroup(highlight.group, []))
        groups[-1].items.append(rules.Bullet(highlight.text, list(highlight.items)))
    return Section(
        id=slugify(title),
        title=title,
        leaders=leaders,
        purpose=rules.blocks(content.purpose),
        highlights_intro=content.highlights_intro,
        highlights=groups,
        facts_intro=content.facts_intro,
        facts=list(content.facts),
        case_studies=[
            CaseStudy(case.title, case.subtitle, rules.blocks(case.body))
            for case in content.case_studies
        ],
    )


def _section(section, leaders: list[Leader]) -> Section:
    return section_view(section.title, section.published_content(), leaders)


def _sections(data: ReportData) -> list[Section]:
    """Each narrative; a directorate's deputies by the first of its sections (the locality
    support section shares the Service Delivery directorate's)."""
    deputies: dict[int, list[Leader]] = {}
    for leader in data.leaders:
        if leader.role == leader.Role.DEPUTY:
            deputies.setdefault(leader.directorate_id, []).append(Leader(leader.name, leader.title))
    seen, found = set(), []
    for section in data.sections:
        first = section.directorate_id not in seen
        seen.add(section.directorate_id)
        found.append(_section(section, deputies.get(section.directorate_id, []) if first else []))
    return found


# ---------------------------------------------------------------- the survey


def _survey(
    page: survey_presenters.ResultsPage | None,
) -> tuple[str, list[Fact], list[tuple[str, list[str]]], list, str]:
    """The customer survey as its results page gives it: the same facts (the overall mean,
    lowest and highest as published), each linked to that page, its departments by
    directorate and its published findings."""
    if page is None:
        return "", [], [], [], ""
    survey = page.survey
    href = _survey_href(page)
    facts = [Fact(f.key, f.value, href) for f in page.facts if f.id != "fact-question"]
    items = [(group.name, [row.name for row in group.rows]) for group in page.groups]
    improvements = [rules.Bullet(c.text, list(c.items)) for c in page.findings]
    return survey.title, facts, items, improvements, survey.question


# ---------------------------------------------------------------- the page


def _cost_lines(costs, href: str) -> list[tuple[finance_presenters.Row, str]]:
    """Every line of the schedule as printed, each linked to its place on the running-costs
    page: a top-level line to its own lines there, a line under it to the same."""
    if costs is None:
        return []
    groups = {group.id: group for group in costs.groups}
    found = []
    for row in costs.rows:
        found.append((row, href + (row.href or "")))
        group = groups.get((row.href or "#")[1:])
        for line in group.rows if group else []:
            found.append((line, f"{href}#{group.id}"))
    return found


def narrative_line(sections: list) -> str:
    """The report's word on its narrative: the published copy it prints (when last published
    in the portal) and how many sections have a draft it does not show."""
    if not sections:
        return ""
    stamps = [s.published_at for s in sections if s.published_at]
    line = "Directorates' narrative: as published"
    if stamps:
        line += " on " + timezone.localtime(max(stamps)).strftime("%-d %B %Y")
    waiting = sum(1 for s in sections if s.has_draft)
    if waiting:
        line += (
            f"; {waiting} section{'' if waiting == 1 else 's'} with changes not yet published, "
            "which this report does not show"
        )
    return line + "."


def _survey_href(page: survey_presenters.ResultsPage | None) -> str:
    if page is None:
        return ""
    survey = page.survey
    return reverse("survey_results", kwargs={"year": survey.year.label, "survey": survey.slug})


def _built_from(data: ReportData, approved: set[int]) -> list[str]:
    lines = []
    # The narrative's latest publishing is a change the report was built from too.
    stamps = [data.as_of, *(section.published_at for section in data.sections)]
    as_of = max((stamp for stamp in stamps if stamp), default=None)
    if as_of is not None:
        stamp = timezone.localtime(as_of).strftime("%-d %B %Y at %H:%M")
        lines.append(f"Built from the data as of {stamp} (its latest change).")
    signed = [f"Q{s.quarter}" for s in data.sign_off if s.is_approved]
    waiting = [f"Q{s.quarter}" for s in data.sign_off if not s.is_approved]
    if signed:
        lines.append(f"Quarters approved: {', '.join(signed)}.")
    if waiting:
        lines.append(f"Awaiting sign-off: {', '.join(waiting)}.")
    if narrative := narrative_line(data.sections):
        lines.append(narrative)
    report = data.report
    if report.is_published:
        stamp = timezone.localtime(report.published_at).strftime("%-d %B %Y")
        lines.append(f"Published on {stamp}.")
    else:
        lines.append("Not published: for signed-in users only.")
    return lines


def _unfilled(report, values: dict[str, str]) -> list[str]:
    """What the placeholders in the report's texts stand for where the data has no value."""
    texts = [
        report.foreword,
        report.introduction,
        report.summary,
        report.summary_survey,
        report.summary_imt,
        report.organising,
        report.next_steps,
    ]
    names = dict.fromkeys(name for text in texts for name in rules.placeholders_in(text))
    return [rules.PLACEHOLDERS[name] for name in names if name not in values]


def missing(data: ReportData, values: dict[str, str]) -> dict[str, str]:
    """Each section whose data the portal does not hold for the year, and what is missing, in
    words: the report prints it where the section's figures would be, never fails for it."""
    year = data.year.display_name
    found = {}
    unfilled = _unfilled(data.report, values)
    if data.finance_summary is None:
        found["finance-summary"] = f"No finance summary is held for {year}."
    if unfilled:
        found["executive-summary"] = (
            "Not yet in the data, so shown as —: " + "; ".join(unfilled) + "."
        )
    if not data.sections:
        found["sections"] = f"No directorate has written its section for {year} yet."
    if not data.rows:
        found["kpis"] = f"No KPI is reported for {year}."
    if data.customer_survey is None:
        found["survey"] = f"No customer satisfaction survey is held for {year}."
    if data.imt_survey is None:
        found["imt"] = f"No IM&T survey is held for {year}."
    if data.running_costs is None:
        found["running-costs"] = f"No running-cost schedule is held for {year}."
    return found


def report_page(data: ReportData) -> ReportPage:
    report, year = data.report, data.year
    values = figures(data)
    approved = {s.quarter for s in data.sign_off if s.is_approved}
    is_draft = approved != {1, 2, 3, 4}
    leaders = data.leaders
    chief = next((x for x in leaders if x.role == x.Role.CHIEF_OFFICER), None)
    directors = {x.directorate_id: x for x in leaders if x.role == x.Role.DIRECTOR}
    sections = _sections(data)
    customer, imt = _results_page(data.customer_survey), _results_page(data.imt_survey)
    survey_heading, survey_facts, survey_items, improvements, question = _survey(customer)
    survey_heading = survey_heading or "Customer satisfaction survey"
    costs = (
        finance_presenters.running_costs_page(data.running_costs) if data.running_costs else None
    )
    summary = (
        finance_presenters.finance_summary_page(data.finance_summary)
        if data.finance_summary
        else None
    )
    sched = schedules(data)
    contents = [
        Link("Foreword", "#foreword"),
        Link("Introduction", "#introduction"),
        Link("Executive summary", "#executive-summary"),
        Link("Organising for delivery", "#organising-for-delivery"),
        *(Link(section.title, f"#{section.id}") for section in sections),
        *([] if sections else [Link("The directorates", "#directorates")]),
        Link("Key performance indicators by directorate", "#kpis"),
        Link("Customer satisfaction survey", "#survey"),
        Link("Running costs", "#running-costs"),
        Link("Next steps", "#next-steps"),
        Link("Who to contact for further information", "#contact"),
    ]
    contact = [
        line
        for line in [report.contact_name, report.contact_role, *report.contact_address.splitlines()]
        if line
    ]
    contact_links = [
        fact
        for fact in [
            Fact("Telephone", report.contact_telephone),
            Fact("Email", report.contact_email, f"mailto:{report.contact_email}"),
            Fact("Our website", report.contact_website),
            Fact("Twitter", report.contact_twitter),
            Fact("Facebook", report.contact_facebook),
        ]
        if fact.value
    ]
    title = f"{report.title} {year.display_name}"
    costs_href = reverse("running_costs", kwargs={"year": year.label})
    return ReportPage(
        title=title,
        year=year.display_name,
        organisation=year.organisation.name,
        pdf_href=reverse("annual_report_pdf", kwargs={"year": year.label}),
        breadcrumbs=trail(),
        is_draft=is_draft,
        status=DRAFT if is_draft else "",
        built_from=_built_from(data, approved),
        contents=contents,
        foreword=rules.blocks(rules.fill(report.foreword, values)),
        signatory=[
            line
            for line in (
                report.foreword_signatory,
                report.foreword_signatory_role,
                report.foreword_signatory_organisation,
            )
            if line
        ],
        introduction=rules.blocks(rules.fill(report.introduction, values)),
        summary=rules.blocks(rules.fill(report.summary, values)),
        summary_finance=summary,
        summary_href=reverse("finance_summary", kwargs={"year": year.label}),
        summary_survey=rules.blocks(rules.fill(report.summary_survey, values)),
        summary_imt_lead=rules.fill(report.summary_imt, values),
        summary_imt=imt_changes(data),
        organising=rules.blocks(rules.fill(report.organising, values)),
        cycle=list(report.commissioning_cycle),
        cycle_centre=report.commissioning_cycle_centre,
        chief_officer=Leader(chief.name, chief.title) if chief else None,
        directors=[
            (
                d.name,
                Leader(directors[d.pk].name, directors[d.pk].title) if d.pk in directors else None,
            )
            for d in data.directorates
        ],
        sections=sections,
        schedules=sched,
        rag_chart=charts.rag_by_directorate(data.rows, quarter=4) if data.rows else None,
        legend=legend(),
        survey_heading=survey_heading,
        survey_facts=survey_facts,
        survey_items=survey_items,
        survey_improvements=improvements,
        survey_note=question,
        survey_href=_survey_href(customer),
        imt_href=_survey_href(imt),
        imt_rows=[
            (m.measure, m.group, m.previous_text, m.current_text)
            for m in (imt.metrics if imt else [])
        ],
        costs=costs,
        costs_href=costs_href,
        cost_lines=_cost_lines(costs, costs_href),
        next_steps=rules.blocks(rules.fill(report.next_steps, values)),
        contact=contact,
        contact_links=contact_links,
        values=values,
        missing=missing(data, values),
    )
