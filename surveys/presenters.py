"""What the survey pages show, in words and numbers; nothing here queries.

A survey's published figures are its result: where ratings held in the portal (the demo's
illustrative ones, or an import's) give a different mean, lowest or highest, the published
figure is shown and the computed one is named beside it. Per-respondent data that stands in
for unpublished responses is called illustrative on the page and in the downloads.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from surveys import rules
from surveys.forms import ReplyForm, field_name
from surveys.models import Survey, SurveyItem
from surveys.selectors import CommentRow, ItemResult, SurveyResults

ILLUSTRATIVE = "illustrative"
PUBLISHED = "published"
REPLIES = "replies"
NO_THEME = "Not yet given a theme"
NONE_TEXT = "—"

ILLUSTRATIVE_NOTE = (
    "The ratings of each department on this page are illustrative: the published report gives "
    "them only as a chart, so the portal holds demonstration ratings in their place. The "
    "survey's published figures (the numbers sent and received, the overall mean, the lowest "
    "and highest rating) are shown as published."
)
AVERAGING_TEXT = {
    Survey.Averaging.RATINGS: "the mean of all ratings",
    Survey.Averaging.RESPONDENTS: "the mean of each respondent's mean rating",
}
RATINGS_HEADER = ["Directorate", "Department", "Mean rating", "Lowest", "Highest", "Ratings"]
METRICS_HEADER = ["Measure", "Group", "Previous %", "Current %", "Change (points)"]


@dataclass(frozen=True)
class Tag:
    text: str
    colour: str  # an NHS.UK tag colour


@dataclass(frozen=True)
class Fact:
    key: str
    value: str
    id: str


@dataclass(frozen=True)
class RatingRow:
    group: str
    name: str
    mean: Decimal | None
    lowest: int | None
    highest: int | None
    count: int

    @property
    def mean_text(self) -> str:
        return NONE_TEXT if self.mean is None else f"{self.mean:.2f}"

    @property
    def lowest_text(self) -> str:
        return NONE_TEXT if self.lowest is None else str(self.lowest)

    @property
    def highest_text(self) -> str:
        return NONE_TEXT if self.highest is None else str(self.highest)


@dataclass(frozen=True)
class RatingGroup:
    name: str
    rows: list[RatingRow]


@dataclass(frozen=True)
class MetricRow:
    measure: str
    group: str
    previous: Decimal | None
    current: Decimal
    change: Decimal | None

    @property
    def previous_text(self) -> str:
        return NONE_TEXT if self.previous is None else f"{_number(self.previous)}%"

    @property
    def current_text(self) -> str:
        return f"{_number(self.current)}%"

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "Not asked before"
        word = "up" if self.change > 0 else "down" if self.change < 0 else "no change"
        points = _number(abs(self.change))
        return "No change" if word == "no change" else f"{word.capitalize()} {points} points"


@dataclass(frozen=True)
class ThemeGroup:
    theme: str
    comments: list[str]


@dataclass(frozen=True)
class Outcome:
    """The overall mean, lowest and highest as the page states them."""

    mean: Decimal | None
    lowest: int | None
    highest: int | None
    basis: str  # PUBLISHED, ILLUSTRATIVE or REPLIES
    how: str  # how the mean is averaged, in words
    computed_note: str  # what the held ratings give, where it differs from the published


@dataclass
class ResultsPage:
    survey: Survey
    illustrative: bool
    facts: list[Fact]
    outcome: Outcome
    groups: list[RatingGroup]
    findings: list[CommentRow]
    themes: list[ThemeGroup]
    metrics: list[MetricRow]
    previous_label: str
    current_label: str
    rows: list[RatingRow] = field(default_factory=list)
    ratings_basis: str = ""

    @property
    def basis(self) -> str:
        return ILLUSTRATIVE if self.illustrative else REPLIES

    @property
    def illustrative_note(self) -> str:
        return ILLUSTRATIVE_NOTE if self.illustrative else ""


def _number(value: Decimal) -> str:
    """49.00 -> 49, 49.50 -> 49.5."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else NONE_TEXT


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


# A survey's status and counts, for the lists and the results page


def counts(survey: Survey) -> tuple[int | None, int | None, bool]:
    """(sent, received, counted by the portal): the portal's own counts once it has sent
    invitations, else the published ones (None where not published)."""
    if survey.n_invited:
        return survey.n_invited, survey.n_answered, True
    return survey.number_sent, survey.number_received, False


def replies_text(survey: Survey) -> str:
    sent, received, _ = counts(survey)
    if sent is None:
        if received is not None:
            return f"{received} received"
        return "Not recorded" if survey.year.is_locked else "Not sent yet"
    rate = rules.percent(received or 0, sent)
    return f"{received or 0} of {sent}" + (f" ({rate}%)" if rate is not None else "")


def status_tag(survey: Survey, today: date) -> Tag:
    """Whether the survey is taking replies, in a tag."""
    if survey.n_invited and rules.takes_replies(
        due=survey.responses_due, locked=survey.year.is_locked, today=today
    ):
        return Tag(f"Taking replies until {survey.responses_due:%-d %B %Y}", "green")
    if survey.n_invited or survey.number_sent is not None or survey.year.is_locked:
        return Tag("Closed", "grey")
    return Tag("Not sent", "white")


@dataclass(frozen=True)
class ListRow:
    survey: Survey
    year_label: str
    audience: str
    sent: str
    due: str
    replies: str
    status: Tag


def list_rows(surveys: list[Survey], today: date) -> list[ListRow]:
    return [
        ListRow(
            survey,
            survey.year.display_name,
            survey.audience or NONE_TEXT,
            _day(survey.sent_on),
            _day(survey.responses_due),
            replies_text(survey),
            status_tag(survey, today),
        )
        for survey in surveys
    ]


# The results page


def _outcome(results: SurveyResults) -> Outcome:
    survey, items = results.survey, results.items
    rated = [i for i in items if i.count]
    computed = rules.overall(
        survey.averaging, [(i.total, i.count) for i in rated], results.respondents
    )
    low = min((i.lowest for i in rated), default=None)
    high = max((i.highest for i in rated), default=None)
    how = AVERAGING_TEXT[survey.averaging]
    published = (
        survey.published_overall_mean,
        survey.published_lowest_rating,
        survey.published_highest_rating,
    )
    held = ILLUSTRATIVE if survey.responses_are_illustrative else REPLIES
    if all(value is None for value in published):
        return Outcome(computed, low, high, held, how, "")
    differs = []
    for name, mine, theirs in zip(
        ("overall mean", "lowest rating", "highest rating"),
        (computed, low, high),
        published,
        strict=True,
    ):
        if mine is not None and theirs is not None and mine != theirs:
            differs.append(f"{name} {mine}")
    source = "illustrative ratings" if held == ILLUSTRATIVE else "ratings held"
    note = (
        f"The {source} on this page give a different {', '.join(differs)}; the published "
        "figures are the survey's result."
        if differs
        else ""
    )
    return Outcome(
        published[0] if published[0] is not None else computed,
        published[1] if published[1] is not None else low,
        published[2] if published[2] is not None else high,
        PUBLISHED,
        how,
        note,
    )


def _facts(survey: Survey, outcome: Outcome) -> list[Fact]:
    facts = []
    if survey.audience:
        facts.append(Fact("Sent to", survey.audience, "fact-audience"))
    if survey.question:
        facts.append(Fact("Question", survey.question, "fact-question"))
    if survey.sent_on or survey.responses_due:
        facts.append(Fact("Sent", _day(survey.sent_on), "fact-sent-on"))
        facts.append(Fact("Replies due by", _day(survey.responses_due), "fact-due"))
    sent, received, counted = counts(survey)
    as_published = "" if counted else " (as published)"
    if sent is not None:
        facts.append(Fact("Number sent", f"{sent}{as_published}", "fact-sent"))
    if received is not None:
        facts.append(Fact("Number received", f"{received}{as_published}", "fact-received"))
    if sent:
        rate = rules.percent(received or 0, sent)
        facts.append(
            Fact("Response rate", f"{rate}% ({received or 0} of {sent})", "fact-response-rate")
        )
    published = " (as published)" if outcome.basis == PUBLISHED else ""
    scale = f"out of {survey.scale_max}"
    if outcome.mean is not None:
        facts.append(
            Fact(
                "Overall mean",
                f"{outcome.mean:.2f} {scale}{published}: {outcome.how}",
                "fact-overall",
            )
        )
    if outcome.lowest is not None:
        facts.append(Fact("Lowest rating", f"{outcome.lowest}{published}", "fact-lowest"))
    if outcome.highest is not None:
        facts.append(Fact("Highest rating", f"{outcome.highest}{published}", "fact-highest"))
    return facts


def _rating_rows(items: list[ItemResult]) -> list[RatingRow]:
    return [
        RatingRow(i.group, i.name, rules.mean_of(i.total, i.count), i.lowest, i.highest, i.count)
        for i in items
    ]


def _groups(rows: list[RatingRow]) -> list[RatingGroup]:
    groups: list[RatingGroup] = []
    for row in rows:
        if not groups or groups[-1].name != row.group:
            groups.append(RatingGroup(row.group, []))
        groups[-1].rows.append(row)
    return groups


def _themes(comments: list[CommentRow]) -> list[ThemeGroup]:
    """Respondents' comments by theme: the most-mentioned first, those with none last."""
    by_theme: dict[str, list[str]] = defaultdict(list)
    for comment in comments:
        if not comment.published:
            by_theme[comment.theme.strip()].append(comment.text)
    themed = sorted(
        ((theme, texts) for theme, texts in by_theme.items() if theme),
        key=lambda pair: (-len(pair[1]), pair[0].casefold()),
    )
    groups = [ThemeGroup(theme, texts) for theme, texts in themed]
    if by_theme.get(""):
        groups.append(ThemeGroup(NO_THEME, by_theme[""]))
    return groups


def _metric_rows(results: SurveyResults) -> list[MetricRow]:
    return [
        MetricRow(
            m.measure,
            m.group,
            m.previous_percent,
            m.current_percent,
            rules.change_in_points(m.previous_percent, m.current_percent),
        )
        for m in results.metrics
    ]


def results_page(results: SurveyResults) -> ResultsPage:
    survey = results.survey
    outcome = _outcome(results)
    rows = _rating_rows(results.items)
    return ResultsPage(
        survey=survey,
        illustrative=survey.responses_are_illustrative and bool(rows),
        facts=_facts(survey, outcome),
        outcome=outcome,
        groups=_groups(rows),
        findings=[c for c in results.comments if c.published],
        themes=_themes(results.comments),
        metrics=_metric_rows(results),
        previous_label="Previous year",
        current_label=survey.year.display_name,
        rows=rows,
        ratings_basis=_ratings_basis(survey, len(results.respondents)),
    )


def _ratings_basis(survey: Survey, respondents: int) -> str:
    who = _plural(respondents, "respondent", "respondents")
    if survey.responses_are_illustrative:
        return (
            f"Illustrative: demonstration ratings from {who} stand in for the unpublished "
            "ones. The overall figures above are the published ones."
        )
    return (
        f"From the ratings of {who}. A department someone did not use has no rating from "
        "them, so departments can have different numbers of ratings."
    )


def ratings_summary(page: ResultsPage) -> str:
    """The ratings table in one paragraph, for the chart's caption."""
    rated = [r for r in page.rows if r.mean is not None]
    survey = page.survey
    what = "illustrative ratings" if page.illustrative else "the ratings received"
    if not rated:
        return f"No department of the {survey.title} has been rated yet."
    parts = [
        f"{group.name or 'Other departments'}: "
        + ", ".join(f"{r.name} {r.mean_text}" for r in group.rows if r.mean is not None)
        for group in page.groups
        if any(r.mean is not None for r in group.rows)
    ]
    best, worst = max(r.mean for r in rated), min(r.mean for r in rated)
    top = [r.name for r in rated if r.mean == best]
    bottom = [r.name for r in rated if r.mean == worst]
    text = (
        f"Mean rating of each of {_plural(len(rated), 'department', 'departments')}, "
        f"{survey.scale_min} (poor) to {survey.scale_max} (excellent), from {what}, by "
        f"directorate. " + "; ".join(parts) + f". Highest: {_names(top)} ({best:.2f}); "
        f"lowest: {_names(bottom)} ({worst:.2f})."
    )
    if page.outcome.mean is not None:
        basis = " as published" if page.outcome.basis == PUBLISHED else ""
        text += f" Overall mean{basis}: {page.outcome.mean:.2f}."
    return text


def metrics_summary(page: ResultsPage) -> str:
    parts = []
    for row in page.metrics:
        if row.previous is None:
            parts.append(f"{row.measure}, {row.group}: {row.current_text} (not asked before)")
        else:
            parts.append(
                f"{row.measure}, {row.group}: {row.previous_text} to {row.current_text} "
                f"({row.change_text.lower()})"
            )
    return (
        f"Per cent satisfied in the {page.survey.title}, the previous survey against this one. "
        + "; ".join(parts)
        + "."
    )


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# Downloads


def export_rows(page: ResultsPage) -> list[list]:
    """The results table as a download: the departments' ratings, with each row's basis and
    the overall figures, or, for a survey of published percentages, its metrics."""
    if not page.rows and page.metrics:
        return [METRICS_HEADER] + [
            [m.measure, m.group, m.previous, m.current, m.change] for m in page.metrics
        ]
    rows: list[list] = [[*RATINGS_HEADER, "Basis"]]
    rows += [[r.group, r.name, r.mean, r.lowest, r.highest, r.count, page.basis] for r in page.rows]
    outcome = page.outcome
    if outcome.mean is not None:
        counted = "" if outcome.basis == PUBLISHED else sum(r.count for r in page.rows)
        rows.append(
            [
                "All departments",
                f"Overall ({outcome.how})",
                outcome.mean,
                outcome.lowest,
                outcome.highest,
                counted,
                outcome.basis,
            ]
        )
    return rows


# The reply form


@dataclass(frozen=True)
class ReplyItem:
    name: str  # the form field's
    label: str
    value: str  # what was chosen, to show again beside an error
    error: str | None


def reply_groups(form: ReplyForm, items: list[SurveyItem]) -> list[tuple[str, list[ReplyItem]]]:
    """Each directorate's items, as the results page groups them, with what their radios need."""
    groups: list[tuple[str, list[ReplyItem]]] = []
    for item in items:
        name = item.group.name if item.group else "Other departments"
        if not groups or groups[-1][0] != name:
            groups.append((name, []))
        errors = form.errors.get(field_name(item)) if form.is_bound else None
        groups[-1][1].append(
            ReplyItem(
                field_name(item), item.name, form.chosen(item), " ".join(errors or []) or None
            )
        )
    return groups
