"""What the narrative pages read: a year's sections with who saved and published them, and one
section with its rows and its history. A fixed number of queries each."""

from django.utils.text import slugify

from directorates.models import Directorate, FinancialYear, NarrativeSection
from directorates.roles import roles_for

HISTORY_SHOWN = 50


def narrative_year(
    label: str,
) -> tuple[FinancialYear, list[NarrativeSection], list[Directorate]] | None:
    """The year (with its report, if it has one), its sections in the report's order and its
    organisation's directorates; None when there is no such year. Three queries."""
    year = FinancialYear.objects.filter(label=label).select_related("annual_report").first()
    if year is None:
        return None
    sections = list(
        NarrativeSection.objects.filter(year=year).select_related(
            "directorate", "draft_saved_by", "published_by"
        )
    )
    return year, sections, list(Directorate.objects.filter(organisation_id=year.organisation_id))


def directorate(slug: str) -> Directorate | None:
    return Directorate.objects.filter(slug=slug).first()


def section_by_slug(label: str, slug: str) -> NarrativeSection | None:
    """The year's section whose title slugifies to ``slug`` (the report's anchor for it), with
    its year, directorate, who saved its draft and its rows; None when there is none. Five
    queries."""
    titles = NarrativeSection.objects.filter(year__label=label).values_list("pk", "title")
    pk = next((pk for pk, title in titles if slugify(title) == slug), None)
    if pk is None:
        return None
    return (
        NarrativeSection.objects.select_related(
            "year", "year__annual_report", "directorate", "draft_saved_by", "published_by"
        )
        .prefetch_related("highlights", "facts", "case_studies")
        .get(pk=pk)
    )


def section_history(section: NarrativeSection) -> list:
    """The section's latest history rows, newest first, with who made each. One query."""
    return list(
        section.history.select_related("history_user").order_by("-history_date", "-history_id")[
            :HISTORY_SHOWN
        ]
    )


def sections_to_write(user) -> tuple[list[FinancialYear], list[NarrativeSection]]:
    """The open years and their sections of the directorates the user leads as director or
    deputy, for the home page; nothing (and no query) for anyone else. Two queries."""
    led = roles_for(user).led_directorate_ids
    if not led:
        return [], []
    years = list(FinancialYear.objects.open())
    sections = list(
        NarrativeSection.objects.filter(year__in=years, directorate_id__in=led)
        .select_related("year")
        .order_by("year__start_date", "display_order")
    )
    return years, sections
