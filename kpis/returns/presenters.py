"""What the return form shows about the return as a whole, in words: why a returned return is
back with its team, and the contents of a long form. Plain values out; the templates draw them."""

from dataclasses import dataclass

from django.utils import timezone

from kpis.models import ReturnAction, ReturnStatus
from kpis.presenters import Badge, rag_badge
from kpis.returns.rows import Entry
from kpis.returns.selectors import ReturnNote

# ---------------------------------------------------------------- why it is back with the team


@dataclass(frozen=True)
class ReturnNotice:
    """The NHS.UK notification banner at the top of a returned form."""

    title: str  # "Returned", "Reopened by an admin"
    heading: str  # "Returned to the team by Dana Ellis on 3 June 2015 at 10:12"
    comment: str  # the director's comment, or the admin's reason for reopening


def return_notice(entry: Entry) -> ReturnNotice | None:
    """Why the return is back with its team, while it is: the latest return to the team with
    the director's comment, or the latest reopening with the admin's reason, who and when."""
    if entry.status != ReturnStatus.RETURNED or not entry.events:
        return None
    latest = entry.events[-1]  # oldest first
    if latest.action not in (ReturnAction.RETURNED, ReturnAction.REOPENED):
        return None
    when = timezone.localtime(latest.at)
    note = ReturnNote(latest.action, latest.comment, when.date())
    heading = ReturnAction(latest.action).label
    if latest.by:
        heading += f" by {latest.by.get_full_name() or latest.by.username}"
    heading += f" on {when:%-d %B %Y} at {when:%H:%M}"
    return ReturnNotice(title=note.label, heading=heading, comment=latest.comment)


# ---------------------------------------------------------------- the contents of a long form

CONTENTS_FROM = 6  # a form of more than 5 KPIs opens with a list of them
NO_FIGURE_YET = "No figure yet"


@dataclass(frozen=True)
class ContentsItem:
    """One KPI in the contents: its name linking down to its row, its figure, its RAG."""

    name: str
    href: str
    figure: str  # "63/67 (94%)", "Not collected", or NO_FIGURE_YET
    rag: Badge


def contents(entry: Entry) -> list[ContentsItem]:
    """The KPIs of a long return in the form's order, each with where it stands as saved;
    nothing for a return of up to 5 KPIs, which fits on a screen or two."""
    if len(entry.rows) < CONTENTS_FROM:
        return []
    return [
        ContentsItem(
            name=row.kpi_year.kpi.name,
            href=f"#kpi-{row.kpi_year.id}",
            figure=row.figure_display if row.has_figure else NO_FIGURE_YET,
            rag=rag_badge(row.assessment.rag),
        )
        for row in entry.rows
    ]
