"""Reads for the survey pages: a survey's results, a year's surveys, a reply link's survey.

Each runs a fixed number of queries however many items, responses and ratings a survey has:
counts come as subqueries on the survey's row, each item's ratings as one aggregate query.
"""

from dataclasses import dataclass

from django.db.models import Count, IntegerField, Max, Min, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from surveys import tokens
from surveys.models import (
    Comment,
    Invitee,
    Metric,
    Rating,
    Response,
    Survey,
    SurveyEmail,
    SurveyItem,
)


@dataclass(frozen=True)
class ItemResult:
    """One rated item's ratings, as plain values."""

    name: str
    group: str  # the directorate it is shown under, "" if none
    count: int
    total: int
    lowest: int | None
    highest: int | None


@dataclass(frozen=True)
class CommentRow:
    text: str
    items: list[str]
    theme: str
    published: bool  # one of the survey's published findings, not a respondent's comment


@dataclass(frozen=True)
class SurveyResults:
    survey: Survey  # with invited, answered and responses counted (see with_counts)
    items: list[ItemResult]  # by directorate, then as the survey orders them
    respondents: list[tuple[int, int]]  # each response's (total, count) of ratings
    comments: list[CommentRow]
    metrics: list[Metric]


def _count(queryset, field: str):
    rows = (
        queryset.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_counts(surveys):
    """Surveys with invitees, those invited through the portal, those who answered and the
    responses held, each counted in a subquery of the survey's own row."""
    return surveys.select_related("year").annotate(
        n_invitees=_count(Invitee.objects, "survey"),
        n_invited=_count(
            SurveyEmail.objects.filter(kind=SurveyEmail.Kind.INVITATION), "invitee__survey"
        ),
        n_answered=_count(Invitee.objects.filter(answered=True), "survey"),
        n_responses=_count(Response.objects, "survey"),
    )


def survey_results(year: str, slug: str) -> SurveyResults | None:
    """Everything a survey's results page shows, in five queries; None for no such survey."""
    survey = with_counts(Survey.objects.filter(year__label=year, slug=slug)).first()
    if survey is None:
        return None
    items = (
        SurveyItem.objects.filter(survey=survey)
        .order_by()
        .select_related("directorate", "team__directorate")
        .annotate(
            n=Count("ratings"),
            total=Coalesce(Sum("ratings__score"), 0),
            low=Min("ratings__score"),
            high=Max("ratings__score"),
        )
    )
    results = [
        ItemResult(
            name=item.name,
            group=item.group.name if item.group else "",
            count=item.n,
            total=item.total,
            lowest=item.low,
            highest=item.high,
        )
        for item in in_shown_order(items)
    ]
    respondents = list(
        Rating.objects.filter(response__survey=survey)
        .order_by()
        .values("response")
        .annotate(total=Sum("score"), n=Count("pk"))
        .values_list("total", "n")
    )
    comments = [
        CommentRow(c.text, list(c.items or []), c.theme, c.response_id is None)
        for c in Comment.objects.filter(survey=survey).order_by("display_order", "pk")
    ]
    metrics = list(Metric.objects.filter(survey=survey).order_by("display_order", "pk"))
    return SurveyResults(survey, results, respondents, comments, metrics)


def year_surveys(year) -> list[Survey]:
    """A year's surveys with their counts, in one query."""
    return list(with_counts(Survey.objects.filter(year=year)).order_by("kind", "title"))


def all_surveys() -> list[Survey]:
    """Every year's surveys with their counts, latest year first, in one query."""
    return list(with_counts(Survey.objects.all()).order_by("-year__start_date", "kind", "title"))


def link_for(token: str) -> SurveyEmail | None:
    """The email whose link carries this token, with its invitee, survey and year; None for a
    token that is malformed, truncated, forged or unknown alike (one query, or none)."""
    digest = tokens.lookup_hash(token)
    if digest is None:
        return None
    link = (
        SurveyEmail.objects.select_related("invitee__survey__year")
        .filter(token_hash=digest)
        .first()
    )
    if link is None or not tokens.verify(token, link.token_hash):
        return None
    return link


def reply_items(survey: Survey) -> list[SurveyItem]:
    """The items a reply rates, with their directorates, in the order the results show them."""
    items = (
        SurveyItem.objects.filter(survey=survey)
        .order_by()
        .select_related("directorate", "team__directorate")
    )
    return in_shown_order(items)


def in_shown_order(items) -> list[SurveyItem]:
    """Grouped by directorate, the groups and the items in each in the survey's own order (as
    the published report lists them), items with no directorate last."""
    items = sorted(items, key=lambda item: (item.display_order, item.name))
    first: dict[int | None, int] = {}
    for position, item in enumerate(items):
        first.setdefault(item.group.pk if item.group else None, position)

    def key(item):
        group = item.group.pk if item.group else None
        return (group is None, first[group])

    return sorted(items, key=key)  # stable: each group keeps its items' order
