"""A plan's progress report in words: its themes with their lettered outcomes and their
internal and external progress, entries nested as entered, each key phrase marked for
emphasis. Nothing here queries; everything comes from ``plans.selectors``."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from common.navigation import Crumb, trail
from plans import rules
from plans.models import Plan, ProgressEntry, Theme

PLANS_TITLE = "Plan progress"
PROGRESS_HEADING = "Progress against deliverables"


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Entry:
    """One progress entry: its text split around the key phrase, and the entries under it."""

    before: str
    phrase: str
    after: str
    children: list[Entry]


@dataclass(frozen=True)
class Focus:
    heading: str
    entries: list[Entry]
    missing: str  # said when there are no entries


@dataclass(frozen=True)
class Outcome:
    letter: str  # "a)", as the plan letters them
    text: str


@dataclass(frozen=True)
class ThemeSection:
    id: str
    heading: str
    running_head: str  # the PDF's page head: a theme's whole title is too long for it
    outcomes: list[Outcome]
    outcomes_missing: str
    focuses: list[Focus]


@dataclass(frozen=True)
class PlanPage:
    title: str
    organisation: str
    year: str
    pdf_href: str
    breadcrumbs: list[Crumb]
    contents: list[Link]
    themes: list[ThemeSection]
    missing: str  # said when the plan has no themes
    status: str = ""  # a draft says so, on the page and the PDF's cover; empty once published
    progress_heading: str = PROGRESS_HEADING


@dataclass(frozen=True)
class PlanLine:
    title: str
    year: str
    href: str
    pdf_href: str
    tag: str = ""  # "Draft" for a plan not yet published


@dataclass(frozen=True)
class PlansPage:
    title: str
    breadcrumbs: list[Crumb]
    plans: list[PlanLine]


DRAFT_TAG = "Draft"
DRAFT = f"{DRAFT_TAG}: not published yet. Only people signed in to the portal can read it."


def plan_status(plan: Plan) -> str:
    return "" if plan.is_published else DRAFT


def plan_href(plan: Plan) -> str:
    return reverse("plan_report", kwargs={"plan": plan.slug, "year": plan.year.label})


def plan_pdf_href(plan: Plan) -> str:
    return reverse("plan_report_pdf", kwargs={"plan": plan.slug, "year": plan.year.label})


def _entries(nodes: list[rules.Node[ProgressEntry]]) -> list[Entry]:
    return [
        Entry(*rules.emphasis(node.item.text, node.item.key_phrase), _entries(node.children))
        for node in nodes
    ]


def _focuses(theme: Theme) -> list[Focus]:
    """Internal focus, then external: each top-level entry under its own focus, the entries
    under it kept with it whatever focus they were given."""
    forest = rules.nest(theme.progress.all(), key=lambda e: e.pk, parent=lambda e: e.parent_id)
    return [
        Focus(
            label,
            _entries([node for node in forest if node.item.focus == value]),
            f"No progress recorded under {label.lower()}.",
        )
        for value, label in ProgressEntry.Focus.choices
    ]


def _theme(theme: Theme) -> ThemeSection:
    return ThemeSection(
        id=f"theme-{theme.number}",
        heading=str(theme),
        running_head=f"Theme {theme.number}",
        outcomes=[Outcome(f"{o.letter})", o.text) for o in theme.outcomes.all()],
        outcomes_missing="No outcomes recorded for this theme.",
        focuses=_focuses(theme),
    )


def plan_page(plan: Plan) -> PlanPage:
    themes = [_theme(theme) for theme in plan.themes.all()]
    return PlanPage(
        title=plan.title,
        organisation=plan.organisation.name,
        year=plan.year.display_name,
        pdf_href=plan_pdf_href(plan),
        breadcrumbs=trail(Crumb(PLANS_TITLE, reverse("plan_reports"))),
        contents=[Link(theme.heading, f"#{theme.id}") for theme in themes],
        themes=themes,
        missing="This plan has no themes recorded yet.",
        status=plan_status(plan),
    )


def plans_page(plans: list[Plan]) -> PlansPage:
    return PlansPage(
        title=PLANS_TITLE,
        breadcrumbs=trail(),
        plans=[
            PlanLine(
                plan.title,
                plan.year.display_name,
                plan_href(plan),
                plan_pdf_href(plan),
                "" if plan.is_published else DRAFT_TAG,
            )
            for plan in plans
        ],
    )
