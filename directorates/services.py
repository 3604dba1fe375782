"""Writes of the directorates' narrative: a director's or deputy's draft of their own
directorate's section, and an admin's publishing of a year's drafts into the report.

Each is one transaction that checks who may and that the year is open; each keeps a history
row with the acting user and, as its reason, what changed (``directorates.narrative``).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from directorates import narrative
from directorates.access import Perm, require
from directorates.models import (
    CaseStudy,
    Directorate,
    Fact,
    FinancialYear,
    Highlight,
    NarrativeSection,
)
from directorates.narrative import Content


class StaleDraft(Exception):
    """The section was saved by someone else since the form was opened; nothing was written."""

    def __init__(self, section: NarrativeSection):
        self.section = section
        who = section.draft_saved_by or "someone else"
        when = (
            timezone.localtime(section.draft_saved_at).strftime("%-d %B %Y at %H:%M")
            if section.draft_saved_at
            else "since"
        )
        super().__init__(
            f"{who} saved this section on {when}, after you opened it. Nothing of yours was "
            "saved: read their change in the history, then save again to replace it with yours."
        )


def check_year_open(year: FinancialYear) -> None:
    if year.is_locked:
        raise PermissionDenied(
            f"{year.display_name} is locked: its narrative can no longer change."
        )


def check_writable(user, section: NarrativeSection) -> None:
    """PermissionDenied, saying why, unless the user leads the section's directorate (or is an
    admin) and its year is open."""
    _check_writes(user, section.directorate, section.year)


def _check_writes(user, directorate: Directorate, year: FinancialYear) -> None:
    require(
        user,
        Perm.EDIT_NARRATIVE,
        directorate,
        message=f"Only a director or deputy of {directorate.name} can edit its narrative",
    )
    check_year_open(year)


def latest_version(section: NarrativeSection) -> int | None:
    """The id of the section's latest history row: what a form was opened on."""
    return (
        section.history.order_by("-history_date", "-history_id")
        .values_list("history_id", flat=True)
        .first()
    )


@transaction.atomic
def narrative_save(
    *, section: NarrativeSection, content: Content, by, based_on: int | None = None
) -> NarrativeSection:
    """Save the user's draft of the section; the report keeps printing the published copy until
    an admin publishes the year's narrative. ``based_on`` is the version the form was opened
    on: if someone has saved since, nothing is written (StaleDraft)."""
    section = (
        NarrativeSection.objects.select_for_update(of=("self",))
        .select_related("year", "directorate", "draft_saved_by")
        .get(pk=section.pk)
    )
    check_writable(by, section)
    if based_on is not None and latest_version(section) != based_on:
        raise StaleDraft(section)
    before = section.current_content()
    section.draft = content.as_json()
    section.draft_saved_at, section.draft_saved_by = timezone.now(), by
    section._change_reason = narrative.change_reason(before, content)
    section._history_user = by
    section.save(update_fields=["draft", "draft_saved_at", "draft_saved_by"])
    return section


def _publish(section: NarrativeSection, by, now) -> None:
    content = Content.from_json(section.draft)
    found = narrative.changes(section.published_content(), content)
    section.purpose = content.purpose
    section.highlights_intro = content.highlights_intro
    section.facts_intro = content.facts_intro
    section.highlights.all().delete()
    section.facts.all().delete()
    section.case_studies.all().delete()
    Highlight.objects.bulk_create(
        Highlight(section=section, group=h.group, text=h.text, items=list(h.items), display_order=i)
        for i, h in enumerate(content.highlights, start=1)
    )
    Fact.objects.bulk_create(
        Fact(section=section, text=text, display_order=i)
        for i, text in enumerate(content.facts, start=1)
    )
    CaseStudy.objects.bulk_create(
        CaseStudy(section=section, title=c.title, subtitle=c.subtitle, body=c.body, display_order=i)
        for i, c in enumerate(content.case_studies, start=1)
    )
    section.draft = None
    section.published_at, section.published_by = now, by
    section._change_reason = narrative.reason("Published", found)
    section._history_user = by
    section.save()


@transaction.atomic
def narrative_publish(*, year: FinancialYear, by) -> list[NarrativeSection]:
    """Publish every draft of the year's narrative: each becomes the section the report prints.
    The sections published, in the report's order (none when no draft waits)."""
    require(by, Perm.PUBLISH_NARRATIVE)
    check_year_open(year)
    sections = list(
        NarrativeSection.objects.select_for_update()
        .filter(year=year, draft__isnull=False)
        .order_by("display_order")
    )
    now = timezone.now()
    for section in sections:
        _publish(section, by, now)
    return sections


@transaction.atomic
def narrative_start(*, year: FinancialYear, directorate: Directorate, by) -> list[NarrativeSection]:
    """Start a directorate's sections for a year that has none from its latest earlier year's:
    each a new section of the same title with nothing published yet and the earlier year's
    published content as its draft to rework; one empty section named after the directorate
    when no earlier year has any. The sections made (none when the year already has some)."""
    _check_writes(by, directorate, year)
    if NarrativeSection.objects.filter(year=year, directorate=directorate).exists():
        return []
    earlier = list(
        NarrativeSection.objects.filter(
            directorate=directorate, year__start_date__lt=year.start_date
        )
        .select_related("year")
        .prefetch_related("highlights", "facts", "case_studies")
        .order_by("-year__start_date", "display_order")
    )
    latest = [s for s in earlier if s.year_id == earlier[0].year_id] if earlier else []
    sources = [(s.title, s.display_order, s.published_content(), s.year) for s in latest] or [
        (directorate.name, directorate.display_order, Content(), None)
    ]
    taken = set(NarrativeSection.objects.filter(year=year).values_list("title", flat=True))
    made, now = [], timezone.now()
    for title, order, content, source_year in sources:
        if title in taken:
            continue
        section = NarrativeSection(
            year=year,
            directorate=directorate,
            title=title,
            display_order=order,
            draft=content.as_json(),
            draft_saved_at=now,
            draft_saved_by=by,
        )
        section._change_reason = (
            f"Started from {source_year.display_name}'s section" if source_year else "Started"
        )
        section._history_user = by
        section.save()
        made.append(section)
    return made
