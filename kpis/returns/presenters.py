"""What the return form shows about the return as a whole, in words: why a returned return is
back with its team. Plain values out; the templates draw them."""

from dataclasses import dataclass

from django.utils import timezone

from kpis.models import ReturnAction, ReturnStatus
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
