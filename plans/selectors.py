"""Reads of plans for their pages: one plan with its themes, outcomes and progress, and the
list of plans. A fixed number of queries however many themes or entries a plan has."""

from django.db.models import Prefetch

from plans.models import Plan, ProgressEntry, Theme


def plan_with_progress(slug: str, label: str) -> Plan | None:
    """The plan of that slug for the year labelled so, its themes in number order, each with
    its outcomes and its progress entries in reading order prefetched (four queries); None when
    there is none."""
    themes = Theme.objects.order_by("number").prefetch_related(
        "outcomes",
        Prefetch("progress", queryset=ProgressEntry.objects.order_by("display_order", "pk")),
    )
    return (
        Plan.objects.filter(slug=slug, year__label=label)
        .select_related("year", "organisation")
        .prefetch_related(Prefetch("themes", queryset=themes))
        .first()
    )


def plans(*, published_only: bool = False) -> list[Plan]:
    """Every plan (or only the published ones), the latest year's first (one query)."""
    found = Plan.objects.published() if published_only else Plan.objects.all()
    return list(found.select_related("year").order_by("-year__start_date", "title"))
