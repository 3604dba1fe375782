"""Import a survey's responses, one row per respondent and one column per rated item."""

from dataclasses import dataclass
from decimal import Decimal

from common.cells import CellError, parse_integer
from common.importing import (
    FORMULA_STARTS,
    Consequence,
    ImportPlan,
    ImportRefused,
    ItemChange,
    Kind,
    Problem,
    close_names,
    either,
    looks_like_formula,
)
from common.uploads import UploadedTable
from directorates.models import FinancialYear
from surveys import rules
from surveys.models import Comment, Rating, Response, Survey, SurveyItem

LAYOUT = "Survey responses"
RESPONDENT = "respondent"
COMMENT_HEADINGS = frozenset({"comment", "comments"})
ITEM_MEAN, OVERALL_MEAN = "Mean rating", "Overall mean rating"
NO_RATING = "no rating"
_RESPONDENT_LENGTH = Response._meta.get_field("respondent").max_length


def recognises(header: list[str]) -> bool:
    """A first column 'respondent' and at least one more; which items they are, plan() checks."""
    cells = [cell.strip().casefold() for cell in header]
    while cells and not cells[-1]:
        cells.pop()
    return len(cells) >= 2 and cells[0] == RESPONDENT


@dataclass(frozen=True)
class ResponseWrite:
    """One respondent's row as the import leaves it."""

    respondent: str
    response_id: int | None  # None: a new response
    scores: dict[int, int | None]  # item id -> score; None: no rating
    comment: str | None  # None when the file has no comment column
    changed: bool


@dataclass(frozen=True)
class Seen:
    """The survey's responses as the plan saw them; apply() refuses if they differ."""

    items: tuple[int, ...]  # the survey's item ids
    respondents: dict[int, str]  # response id -> respondent
    ratings: dict[tuple[int, int], tuple[int, int]]  # (response, item) -> (rating id, score)
    comments: dict[int, tuple[str, ...]]  # response id -> its comments' text


@dataclass(frozen=True)
class ResponsesPayload:
    year_id: int
    survey_id: int
    seen: Seen
    rows: tuple[ResponseWrite, ...]

    @property
    def writes(self) -> bool:
        return any(row.response_id is None or row.changed for row in self.rows)


def plan(table: UploadedTable, *, year: FinancialYear) -> ImportPlan:
    """What importing the responses into the year's matching survey would change; writes nothing."""
    result = ImportPlan(layout=LAYOUT, year=year.label)
    if not recognises(table.header):
        result.problems.append(
            Problem("the first column must be 'respondent', then one per rated item", row=1)
        )
        return result
    surveys = list(Survey.objects.filter(year=year).prefetch_related("items"))
    header = table.header
    comment_at = [i for i, cell in enumerate(header) if cell.casefold() in COMMENT_HEADINGS]
    item_at = [i for i in range(1, len(header)) if i not in comment_at]
    survey = _which_survey(surveys, [header[i] for i in item_at], year, result.problems)
    if survey is None:
        return result
    items = list(survey.items.all())
    columns = _item_columns(header, item_at, items, survey, result.problems)
    if len(comment_at) > 1:
        result.problems.append(Problem("the file has more than one comment column", row=1))
    responses = list(Response.objects.filter(survey=survey))
    seen = _seen(survey, responses)
    rows = _read(table, columns, comment_at[0] if comment_at else None, survey, result.problems)
    _match(rows, responses, survey, header[0], result.problems)
    if result.problems:
        return result
    writes = _changes(rows, columns, header[0], seen, year, result)
    _consequences(items, writes, seen, survey, result)
    if result.ok:
        result.payload = ResponsesPayload(year.id, survey.id, seen, tuple(writes))
    return result


def apply(plan: ImportPlan, *, by, reason: str) -> None:
    """Write every respondent's ratings and comment in one go; refused if they changed since.

    Responses, ratings and comments keep no change history, so `by` and `reason` are not
    recorded on them.
    """
    payload: ResponsesPayload = plan.payload
    year = FinancialYear.objects.select_for_update().get(pk=payload.year_id)
    survey = Survey.objects.select_for_update().filter(pk=payload.survey_id, year=year).first()
    if survey is None or _seen(survey, list(survey.responses.all())) != payload.seen:
        title = survey.title if survey else "the survey"
        raise ImportRefused(
            [
                Problem(
                    f"the responses to '{title}' changed after this preview; nothing was "
                    "written: preview the file again"
                )
            ]
        )
    if not payload.writes:
        return
    if year.is_locked:
        raise ImportRefused(
            [Problem(f"{year.label} was locked after this preview; nothing was written")]
        )
    new = Response.objects.bulk_create(
        [
            Response(survey=survey, respondent=row.respondent)
            for row in payload.rows
            if row.response_id is None
        ]
    )
    ids = iter(response.pk for response in new)
    rows = [
        (row, row.response_id or next(ids))
        for row in payload.rows
        if row.response_id is None or row.changed
    ]
    _write_ratings(rows, payload.seen)
    _write_comments(rows, payload.seen, survey)


# Which survey, which columns


def _which_survey(
    surveys: list[Survey], names: list[str], year: FinancialYear, problems: list[Problem]
) -> Survey | None:
    """The year's survey whose items the columns name; the most matches wins."""
    wanted = {name.casefold() for name in names}
    scored = sorted(
        ((len(wanted & {item.name.casefold() for item in s.items.all()}), s) for s in surveys),
        key=lambda pair: -pair[0],
    )
    if not scored or scored[0][0] == 0:
        held = "; ".join(f"'{s.title}'" for s in surveys) or "none"
        problems.append(
            Problem(
                f"no survey of {year.label} rates the items these columns name "
                f"(its surveys: {held})",
                row=1,
            )
        )
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        problems.append(
            Problem(
                f"the columns fit '{scored[0][1].title}' and '{scored[1][1].title}' equally; "
                "name every item of one survey",
                row=1,
            )
        )
        return None
    return scored[0][1]


def _item_columns(
    header: list[str],
    item_at: list[int],
    items: list[SurveyItem],
    survey: Survey,
    problems: list[Problem],
) -> list[tuple[int, str, SurveyItem]]:
    """(position, heading as written, item) for each item column; every item needs one."""
    by_name = {item.name.casefold(): item for item in items}
    columns: list[tuple[int, str, SurveyItem]] = []
    found: dict[int, str] = {}
    suggested: set[str] = set()
    named = {header[i].casefold() for i in item_at}
    unclaimed = [item.name for item in items if item.name.casefold() not in named]
    for i in item_at:
        heading = header[i]
        item = by_name.get(heading.casefold())
        if not heading:
            problems.append(Problem("a column has no heading", row=1))
        elif item is None:
            close = close_names(heading, unclaimed)
            suggested.update(close)
            if close:
                hint = f"did you mean {either(close)}?"
            else:
                hint = f"its items are {', '.join(repr(it.name) for it in items)}"
            problems.append(
                Problem(f"'{survey.title}' rates no item '{heading}'; {hint}", 1, heading)
            )
        elif item.id in found:
            problems.append(
                Problem(f"'{item.name}' has two columns ('{found[item.id]}' too)", 1, heading)
            )
        else:
            found[item.id] = heading
            columns.append((i, heading, item))
    for item in items:
        if item.id not in found and item.name not in suggested:
            problems.append(Problem(f"the file has no column for '{item.name}'", row=1))
    return columns


# Reading and matching rows


@dataclass
class _Row:
    row: int
    respondent: str
    scores: dict[int, int | None]  # item id -> score, None for a blank cell
    comment: str | None
    comment_heading: str | None
    response: Response | None = None


def _read(
    table: UploadedTable,
    columns: list[tuple[int, str, SurveyItem]],
    comment_at: int | None,
    survey: Survey,
    problems: list[Problem],
) -> list[_Row]:
    rows: list[_Row] = []
    first_at: dict[str, int] = {}
    for number, cells in table.rows:
        respondent = cells[0]
        if not respondent:
            problems.append(Problem("every row needs a respondent", number, table.header[0]))
        elif respondent.startswith(FORMULA_STARTS):
            problems.append(
                Problem(
                    f"'{respondent}' looks like a spreadsheet formula and is refused",
                    number,
                    table.header[0],
                )
            )
        elif respondent in first_at:
            problems.append(
                Problem(
                    f"'{respondent}' has two rows (first at row {first_at[respondent]})",
                    number,
                    table.header[0],
                )
            )
        elif len(respondent) > _RESPONDENT_LENGTH:
            problems.append(
                Problem(
                    f"a respondent's name is at most {_RESPONDENT_LENGTH} characters",
                    number,
                    table.header[0],
                )
            )
        else:
            first_at[respondent] = number
        scores = {
            item.id: _rating(cells[i], survey, number, heading, problems)
            for i, heading, item in columns
        }
        comment = cells[comment_at] if comment_at is not None else None
        heading = table.header[comment_at] if comment_at is not None else None
        rows.append(_Row(number, respondent, scores, comment, heading))
    return rows


def _rating(
    text: str, survey: Survey, row: int, column: str, problems: list[Problem]
) -> int | None:
    """A whole number on the survey's scale; a blank cell is no rating of that item."""
    if not text:
        return None
    scale = f"{survey.scale_min} to {survey.scale_max}"
    if looks_like_formula(text):
        message = f"'{text}' looks like a spreadsheet formula and is refused; type the rating"
    elif text.startswith("-"):  # a negative number
        message = f"'{text}' is not a rating from {scale}"
    else:
        try:
            score = parse_integer(text)
        except CellError as exc:
            if "not a whole number" in str(exc):
                message = f"'{text}' is not a whole number; a rating is a whole number {scale}"
            else:
                message = (
                    f"'{text}' is not a rating: write a whole number from {scale}, "
                    "or leave the cell blank for no rating"
                )
        else:
            if survey.scale_min <= score <= survey.scale_max:
                return score
            message = f"'{text}' is not a rating from {scale}"
    problems.append(Problem(message, row, column))
    return None


def _match(
    rows: list[_Row],
    responses: list[Response],
    survey: Survey,
    heading: str,
    problems: list[Problem],
) -> None:
    """Each row's existing response by its respondent, exactly; near misses and gaps refused."""
    by_name = {response.respondent: response for response in responses}
    for row in rows:
        row.response = by_name.get(row.respondent)
    claimed = {row.respondent for row in rows}
    unclaimed = [r.respondent for r in responses if r.respondent not in claimed]
    suggested: set[str] = set()
    for row in rows:
        if row.response or not row.respondent:
            continue
        # Only respondents no other row names are suggested, so 'Respondent 16' after
        # 'Respondent 15' is simply new.
        close = close_names(row.respondent, unclaimed)
        if close:
            suggested.update(close)
            problems.append(
                Problem(
                    f"'{survey.title}' has no response from '{row.respondent}'; did you mean "
                    f"{either(close)}? Respondents must match exactly",
                    row.row,
                    heading,
                )
            )
    for name in unclaimed:
        if name not in suggested:
            problems.append(
                Problem(
                    f"'{name}' has a response to '{survey.title}' but is not in the file; an "
                    "import does not remove responses (remove it in the admin first if it "
                    "should go)"
                )
            )


def _seen(survey: Survey, responses: list[Response]) -> Seen:
    ratings = Rating.objects.filter(response__survey=survey).values_list(
        "id", "response_id", "item_id", "score"
    )
    comments: dict[int, tuple[str, ...]] = {}
    for response_id, text in (
        Comment.objects.filter(survey=survey, response__isnull=False)
        .order_by("display_order", "id")
        .values_list("response_id", "text")
    ):
        comments[response_id] = (*comments.get(response_id, ()), text)
    return Seen(
        items=tuple(sorted(item.id for item in survey.items.all())),
        respondents={response.id: response.respondent for response in responses},
        ratings={(r, item): (pk, score) for pk, r, item, score in ratings},
        comments=comments,
    )


# Changes and consequences


def _changes(
    rows: list[_Row],
    columns: list[tuple[int, str, SurveyItem]],
    respondent_heading: str,
    seen: Seen,
    year: FinancialYear,
    result: ImportPlan,
) -> list[ResponseWrite]:
    """Each respondent new, changed (the ratings that differ) or unchanged (all of them)."""
    locked = f"{year.label} is locked: its survey responses were approved and can no longer change"
    items = [(heading, item) for _, heading, item in columns]
    writes = []
    for row in rows:
        response_id = row.response.id if row.response else None
        before = {
            item.id: seen.ratings[(response_id, item.id)][1]
            for _, item in items
            if (response_id, item.id) in seen.ratings
        }
        differing = [(h, item) for h, item in items if before.get(item.id) != row.scores[item.id]]
        old_comment = "\n\n".join(seen.comments.get(response_id, ()))
        comment_changed = row.comment is not None and row.comment != old_comment
        if response_id is None:
            result.changes.append(
                ItemChange(Kind.NEW, row.respondent, "", _listing(items, row.scores), row.row)
            )
            where = respondent_heading
        elif differing:
            result.changes.append(
                ItemChange(
                    Kind.CHANGED,
                    row.respondent,
                    _listing(differing, before),
                    _listing(differing, row.scores),
                    row.row,
                )
            )
            where = differing[0][0]
        else:
            listing = _listing(items, before)
            result.changes.append(
                ItemChange(Kind.UNCHANGED, row.respondent, listing, listing, row.row)
            )
            where = row.comment_heading if comment_changed else None
        if comment_changed:
            kind = Kind.NEW if not old_comment else Kind.CHANGED
            what = f"Comment of {row.respondent}"
            result.changes.append(ItemChange(kind, what, old_comment, row.comment, row.row))
        changed = bool(differing) or comment_changed
        if year.is_locked and where:
            result.problems.append(Problem(locked, row.row, where))
        writes.append(ResponseWrite(row.respondent, response_id, row.scores, row.comment, changed))
    return writes


def _listing(items: list[tuple[str, SurveyItem]], scores: dict[int, int | None]) -> str:
    return "; ".join(
        f"{item.name} {scores[item.id] if scores.get(item.id) is not None else NO_RATING}"
        for _, item in items
    )


def _consequences(
    items: list[SurveyItem],
    writes: list[ResponseWrite],
    seen: Seen,
    survey: Survey,
    result: ImportPlan,
) -> None:
    """Each item's mean and the overall mean that would change (surveys.rules)."""
    # The file holds every respondent (a left-out one is refused), so after is the file alone.
    before = [(item_id, score) for (_, item_id), (_, score) in seen.ratings.items()]
    after = [
        (item_id, score)
        for write in writes
        for item_id, score in write.scores.items()
        if score is not None
    ]
    old, new = rules.item_means(before), rules.item_means(after)
    for item in items:
        if old.get(item.id) != new.get(item.id):
            result.consequences.append(
                Consequence(item.name, ITEM_MEAN, _mean(old.get(item.id)), _mean(new.get(item.id)))
            )
    overall = _mean(rules.overall_mean(before)), _mean(rules.overall_mean(after))
    if overall[0] != overall[1]:
        result.consequences.append(Consequence(survey.title, OVERALL_MEAN, *overall))


def _mean(value: Decimal | None) -> str:
    return "" if value is None else str(value)


# Writing


def _write_ratings(rows: list[tuple[ResponseWrite, int]], seen: Seen) -> None:
    create, update, delete = [], [], []
    for row, response_id in rows:
        for item_id, score in row.scores.items():
            old = seen.ratings.get((response_id, item_id))
            if old is None:
                if score is not None:
                    create.append(Rating(response_id=response_id, item_id=item_id, score=score))
            elif score is None:
                delete.append(old[0])
            elif score != old[1]:
                update.append(
                    Rating(pk=old[0], response_id=response_id, item_id=item_id, score=score)
                )
    Rating.objects.filter(pk__in=delete).delete()
    Rating.objects.bulk_update(update, ["score"])
    Rating.objects.bulk_create(create)


def _write_comments(rows: list[tuple[ResponseWrite, int]], seen: Seen, survey: Survey) -> None:
    """A respondent's comment replaces the comments their response had."""
    replace = [
        (row, response_id)
        for row, response_id in rows
        if row.comment is not None
        and row.comment != "\n\n".join(seen.comments.get(response_id, ()))
    ]
    Comment.objects.filter(response_id__in=[response_id for _, response_id in replace]).delete()
    Comment.objects.bulk_create(
        Comment(survey=survey, response_id=response_id, kind=Comment.Kind.GENERAL, text=row.comment)
        for row, response_id in replace
        if row.comment
    )
