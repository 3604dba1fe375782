"""The narrative pages in words: each section's state, the editor's fields (labels, hints,
values and errors from the form), its preview as the report draws it, and its history.
Nothing here queries."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from common.navigation import Crumb, trail
from directorates import access
from directorates.access import Perm
from directorates.models import FinancialYear, NarrativeSection
from kpis.presenters import Tag
from reports.narrative.forms import NarrativeForm
from reports.presenters import Section, section_view

PUBLISHED = Tag("Published", "green")
DRAFT_WAITING = Tag("Draft waiting to be published", "orange")
WHAT_PUBLISHED_MEANS = (
    "The annual report prints each directorate's published narrative. Changes saved here are a "
    "draft: the report shows them once an admin publishes the year's narrative."
)


def _when(stamp) -> str:
    return timezone.localtime(stamp).strftime("%-d %B %Y at %H:%M")


def _who(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else "—"


def may_edit(user, section: NarrativeSection, year: FinancialYear) -> bool:
    return not year.is_locked and access.may(user, Perm.EDIT_NARRATIVE, section.directorate)


def edit_href(year: FinancialYear, section: NarrativeSection) -> str:
    return reverse("narrative_edit", kwargs={"year": year.label, "section": slugify(section.title)})


def edit_hrefs(user, year: FinancialYear, sections: list[NarrativeSection]) -> dict[str, str]:
    """Each section's editor by its id in the report, for the sections the user may edit."""
    return {slugify(s.title): edit_href(year, s) for s in sections if may_edit(user, s, year)}


@dataclass(frozen=True)
class ToWrite:
    text: str
    href: str
    tag: Tag | None  # the draft waiting, if there is one


def to_write(years: list[FinancialYear], sections: list[NarrativeSection]) -> list[ToWrite]:
    """The home page's links to the user's own sections of each open year's narrative, or to
    the year's narrative to start them where it has none of theirs yet."""
    found = []
    for year in years:
        own = [s for s in sections if s.year_id == year.pk]
        found += [
            ToWrite(
                f"{s.title}, {year.display_name}",
                edit_href(year, s),
                DRAFT_WAITING if s.has_draft else None,
            )
            for s in own
        ]
        if not own:
            found.append(
                ToWrite(
                    f"Start your directorate's {year.display_name} narrative",
                    reverse("narrative_year", kwargs={"year": year.label}),
                    None,
                )
            )
    return found


def state(section: NarrativeSection) -> tuple[Tag, str]:
    """The section's tag and what it means: a draft waiting, or published (and when)."""
    if section.has_draft:
        return DRAFT_WAITING, (
            f"Saved by {_who(section.draft_saved_by)} on {_when(section.draft_saved_at)}; "
            "the report shows the published narrative until an admin publishes it."
        )
    if section.published_at:
        return PUBLISHED, (
            f"Published by {_who(section.published_by)} on {_when(section.published_at)}."
        )
    return PUBLISHED, "As published with the year's record."


# ---------------------------------------------------------------- the year's narrative


@dataclass(frozen=True)
class SectionLine:
    title: str
    directorate: str
    tag: Tag
    meaning: str
    href: str  # its editor, for those who may edit it; else ""
    report_href: str


@dataclass
class YearPage:
    title: str
    year: str
    breadcrumbs: list[Crumb]
    explanation: str
    locked: str
    sections: list[SectionLine]
    waiting: int
    may_publish: bool
    publish_href: str
    report_href: str
    to_start: list[tuple[str, str]] = field(default_factory=list)  # button's words, address

    @property
    def publish_text(self) -> str:
        drafts = f"{self.waiting} section{'' if self.waiting == 1 else 's'}"
        return f"{drafts} with a draft waiting. Publishing puts each draft into the report."

    @property
    def publish_button(self) -> str:
        return f"Publish the {self.year} narrative"


def _report_href(year: FinancialYear) -> str:
    has_report = getattr(year, "annual_report", None) is not None
    return reverse("annual_report", kwargs={"year": year.label}) if has_report else ""


def _to_start(user, year, sections, directorates) -> list[tuple[str, str]]:
    """The directorates the user may write for the year that have no section yet."""
    if year.is_locked:
        return []
    written = {s.directorate_id for s in sections}
    return [
        (
            f"Start the {d.name} narrative",
            reverse("narrative_start", kwargs={"year": year.label, "directorate": d.slug}),
        )
        for d in directorates
        if d.pk not in written and access.may(user, Perm.EDIT_NARRATIVE, d)
    ]


def year_page(
    user, year: FinancialYear, sections: list[NarrativeSection], directorates=()
) -> YearPage:
    report = _report_href(year)
    crumbs = [Crumb(f"Annual report {year.display_name}", report)] if report else []
    waiting = sum(1 for s in sections if s.has_draft)
    return YearPage(
        title=f"Directorates' narrative {year.display_name}",
        year=year.display_name,
        breadcrumbs=trail(*crumbs),
        explanation=WHAT_PUBLISHED_MEANS,
        locked=f"{year.display_name} is locked: its narrative can no longer change."
        if year.is_locked
        else "",
        sections=[
            SectionLine(
                title=s.title,
                directorate=s.directorate.name,
                tag=state(s)[0],
                meaning=state(s)[1],
                href=edit_href(year, s) if may_edit(user, s, year) else "",
                report_href=f"{report}#{slugify(s.title)}" if report else "",
            )
            for s in sections
        ],
        waiting=waiting,
        may_publish=bool(waiting)
        and not year.is_locked
        and access.may(user, Perm.PUBLISH_NARRATIVE),
        publish_href=reverse("narrative_publish", kwargs={"year": year.label}),
        report_href=report,
        to_start=_to_start(user, year, sections, directorates),
    )


# ---------------------------------------------------------------- the editor


@dataclass(frozen=True)
class Field:
    """One box of the editor as the NHS.UK input, textarea or character count draws it."""

    kind: str  # "input" or "textarea"
    name: str
    id: str
    label: str
    hint: str
    value: str
    error: str
    maxlength: int | None = None  # a textarea with a limit counts its characters
    rows: int = 5
    label_size: str = ""  # "m" for the section's own boxes, which head their parts


@dataclass(frozen=True)
class Group:
    """A fieldset of boxes: one highlight, fact or case study."""

    legend: str
    fields: list[Field]


@dataclass(frozen=True)
class Part:
    """One of the formsets: its heading, hint, management form and its fieldsets."""

    id: str
    heading: str
    hint: str
    management: list[tuple[str, str]]  # the hidden inputs' names and values
    groups: list[Group]


@dataclass(frozen=True)
class Change:
    when: str
    who: str
    what: str


@dataclass
class EditorPage:
    title: str
    caption: str
    breadcrumbs: list[Crumb]
    tag: Tag
    meaning: str
    explanation: str
    summary: list[dict[str, str]]
    version: str
    fields: list[Field]
    parts: list[Part]
    preview: Section | None
    history: list[Change] = field(default_factory=list)
    report_href: str = ""


TEXTAREA_ROWS = {"purpose": 10, "body": 10, "text": 3, "items": 4}
UNCOUNTED = {"items"}  # sub-bullets: each line has its own limit, checked on save


def _field(bound, *, label_size: str = "") -> Field:
    form_field = bound.field
    widget = "textarea" if form_field.widget.__class__.__name__ == "Textarea" else "input"
    value = bound.value()
    if isinstance(value, list):
        value = "\n".join(value)
    return Field(
        kind=widget,
        name=bound.html_name,
        id=bound.auto_id,
        label=str(form_field.label),
        hint=str(form_field.help_text or ""),
        value=value or "",
        error=" ".join(bound.errors),
        maxlength=form_field.max_length
        if widget == "textarea" and bound.name not in UNCOUNTED
        else None,
        rows=TEXTAREA_ROWS.get(bound.name, 5),
        label_size=label_size,
    )


HINTS = {
    "highlight": "Each highlight is a bullet in the report. Clear a highlight's boxes to remove "
    "it; save to get another blank one.",
    "fact": "Each fact is a bullet under 'Did you know'. Clear a fact to remove it.",
    "case": "Clear a case study's boxes to remove it.",
}
HEADINGS = {"highlight": "Key highlights", "fact": "Did you know", "case": "Case studies"}


def _part(formset) -> Part:
    management = formset.management_form
    return Part(
        id=formset.prefix,
        heading=HEADINGS[formset.prefix],
        hint=HINTS[formset.prefix],
        management=[
            (management[name].html_name, management[name].value()) for name in management.fields
        ],
        groups=[
            Group(
                f"{formset.noun} {number}"
                if number <= formset.initial_form_count()
                else f"New {formset.noun.lower()}",
                [_field(form[name]) for name in form.fields],
            )
            for number, form in enumerate(formset.forms, start=1)
        ],
    )


def history_rows(records) -> list[Change]:
    rows = []
    for record in records:
        reason = record.history_change_reason or {"+": "Created", "~": "Changed"}.get(
            record.history_type, "Deleted"
        )
        rows.append(
            Change(
                _when(record.history_date),
                _who(record.history_user) if record.history_user else "loaded from file",
                reason,
            )
        )
    return rows


def editor_page(
    section: NarrativeSection,
    form: NarrativeForm,
    *,
    history: list,
    preview: Section | None = None,
    summary: list[dict[str, str]] | None = None,
) -> EditorPage:
    year = section.year
    report = _report_href(year)
    crumbs = [Crumb(f"Annual report {year.display_name}", report)] if report else []
    crumbs.append(
        Crumb(
            f"Narrative {year.display_name}",
            reverse("narrative_year", kwargs={"year": year.label}),
        )
    )
    tag, meaning = state(section)
    return EditorPage(
        title=section.title,
        caption=f"{section.directorate.name} · {year.display_name} narrative",
        breadcrumbs=trail(*crumbs),
        tag=tag,
        meaning=meaning,
        explanation=WHAT_PUBLISHED_MEANS,
        summary=form.error_summary() if summary is None else summary,
        version=str(history[0].history_id) if history else "",  # what the form opens on
        fields=[_field(form.section[name], label_size="m") for name in form.section.fields],
        parts=[_part(formset) for formset in form.formsets],
        preview=preview,
        history=history_rows(history),
        report_href=f"{report}#{slugify(section.title)}" if report else "",
    )


def preview_of(section: NarrativeSection, form: NarrativeForm) -> Section:
    """The valid form's content as the report would print the section."""
    return section_view(section.title, form.content(), [])
