"""Importing survey responses: the preview (changes, mean ratings, problems) and apply."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from common.importing import Consequence, ImportRefused, ItemChange, Kind
from directorates.models import FinancialYear
from surveys import imports
from surveys.models import Comment, Rating, Response, Survey, SurveyItem
from tests.csv_text import as_csv, rows_of
from tests.published import PORTAL
from tests.support import snapshot, upload

SOURCE = PORTAL / "customer_survey_ratings_2013-14_illustrative.csv"
TEXT = SOURCE.read_text(encoding="utf-8")
TITLE = "Customer satisfaction survey 2013/14"
REASON = "Imported from ratings.csv (sha256 1a2b3c)"
# Everything a plan, or a refused apply, must leave as it was (tests/support.py snapshot).
REPLIES = (Response, Rating, Comment)


def edited(text: str, who: str, **cells: str) -> str:
    """The file with some of one respondent's cells replaced, by column heading."""
    rows = rows_of(text)
    header = rows[0]
    for cells_of_row in rows[1:]:
        if cells_of_row[0] == who:
            for heading, value in cells.items():
                cells_of_row[header.index(heading)] = value
    return as_csv(rows)


def source_ratings() -> dict[str, dict[str, int]]:
    rows = list(csv.DictReader(io.StringIO(TEXT)))
    return {row.pop("respondent"): {k: int(v) for k, v in row.items()} for row in rows}


def stored_ratings(survey) -> dict[str, dict[str, int]]:
    stored: dict[str, dict[str, int]] = {}
    for respondent, item, score in Rating.objects.filter(response__survey=survey).values_list(
        "response__respondent", "item__name", "score"
    ):
        stored.setdefault(respondent, {})[item] = score
    return stored


def mean(scores) -> str:
    """Worked out here independently of surveys.rules: half-up to two places."""
    scores = list(scores)
    return str((Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def messages(plan) -> list[str]:
    return [str(problem) for problem in plan.problems]


@pytest.fixture
def admin(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def locked_year(demo):
    return FinancialYear.objects.get(label="2013-14")


@pytest.fixture
def open_survey(demo):
    """2014-15's customer survey, with 2013-14's items and no responses yet."""
    last = Survey.objects.get(year__label="2013-14", kind=Survey.Kind.CUSTOMER)
    survey = Survey.objects.create(
        year=FinancialYear.objects.get(label="2014-15"),
        kind=Survey.Kind.CUSTOMER,
        title="Customer satisfaction survey 2014/15",
    )
    SurveyItem.objects.bulk_create(
        SurveyItem(survey=survey, name=item.name, display_order=item.display_order)
        for item in last.items.all()
    )
    return survey


@pytest.fixture
def answered(open_survey, admin):
    """The open survey with the illustrative responses imported into it."""
    plan = imports.plan(upload(TEXT), year=open_survey.year)
    with transaction.atomic():
        imports.apply(plan, by=admin, reason="first import")
    return open_survey


# Recognising the layout


def test_recognises_a_respondent_column_then_items():
    assert imports.recognises(rows_of(TEXT)[0])
    assert imports.recognises([" RESPONDENT ", "Anything", ""])


@pytest.mark.parametrize(
    "header",
    [
        ["respondent"],
        ["name", "Business intelligence"],
        ["level", "line", "amount_gbp", "printed_per_capita", "printed_percent", "note"],
        [],
    ],
)
def test_other_headers_are_not_recognised(header):
    assert not imports.recognises(header)


def test_columns_no_survey_of_the_year_rates_are_a_problem(locked_year):
    plan = imports.plan(upload("respondent,Catering,Parking\nA,5,6\n"), year=locked_year)
    assert messages(plan) == [
        "row 1: no survey of 2013-14 rates the items these columns name "
        f"(its surveys: '{TITLE}'; 'IM&T survey')"
    ]


# The illustrative file back into 2013-14


@pytest.mark.parametrize(
    ("encoding", "shape"),
    [
        ("utf-8", lambda text: text),
        ("utf-8-sig", lambda text: text.replace("\n", "\r\n")),
        ("cp1252", lambda text: text),
        ("utf-8", lambda text: as_csv([[f" {c}  " for c in cells] for cells in rows_of(text)])),
    ],
    ids=["utf-8", "bom-crlf", "cp1252", "padded"],
)
def test_illustrative_file_into_2013_14_changes_nothing(locked_year, admin, encoding, shape):
    before = snapshot(*REPLIES)
    plan = imports.plan(upload(shape(TEXT), encoding=encoding), year=locked_year)
    assert plan.ok, messages(plan)
    assert (plan.layout, plan.year) == ("Survey responses", "2013-14")
    assert plan.count(Kind.UNCHANGED) == len(plan.changes) == 15
    assert plan.consequences == []
    first = plan.changes[0]
    assert (first.what, first.row) == ("Respondent 1", 2)
    assert first.before == first.after
    assert first.after.startswith("Business intelligence 7; Procurement 8; ")
    assert snapshot(*REPLIES) == before
    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)  # nothing to write, even though locked
    assert snapshot(*REPLIES) == before


def test_illustrative_workbook_into_2013_14_changes_nothing(locked_year):
    book = openpyxl.Workbook()
    for number, cells in enumerate(rows_of(TEXT)):
        book.active.append(cells if number == 0 else [cells[0], *map(int, cells[1:])])
    out = io.BytesIO()
    book.save(out)
    plan = imports.plan(upload(out.getvalue(), "ratings.xlsx"), year=locked_year)
    assert plan.ok, messages(plan)
    assert plan.count(Kind.UNCHANGED) == 15


def test_a_plan_runs_a_fixed_handful_of_queries(locked_year, django_assert_max_num_queries):
    table = upload(TEXT)
    with django_assert_max_num_queries(5):
        imports.plan(table, year=locked_year)


# Into a survey with no responses yet


def test_into_an_empty_survey_every_respondent_is_new(open_survey, admin):
    source = source_ratings()
    plan = imports.plan(upload(TEXT), year=open_survey.year)
    assert plan.ok, messages(plan)
    assert plan.count(Kind.NEW) == len(plan.changes) == 15
    assert plan.changes[0] == ItemChange(
        Kind.NEW,
        "Respondent 1",
        "",
        "; ".join(f"{item} {score}" for item, score in source["Respondent 1"].items()),
        row=2,
    )
    items = list(source["Respondent 1"])
    expected = [
        Consequence(item, "Mean rating", "", mean(r[item] for r in source.values()))
        for item in items
    ]
    overall = mean(score for r in source.values() for score in r.values())
    assert overall == "7.57"  # the published overall mean
    expected.append(Consequence(open_survey.title, "Overall mean rating", "", overall))
    assert plan.consequences == expected
    assert Response.objects.filter(survey=open_survey).count() == 0

    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)

    assert stored_ratings(open_survey) == source
    assert list(
        Response.objects.filter(survey=open_survey).values_list("respondent", flat=True)
    ) == list(source)


# Changed ratings


def test_changed_ratings_are_shown_then_written(answered, admin):
    source = source_ratings()
    text = edited(TEXT, "Respondent 3", **{"Business intelligence": "", "Procurement": "1"})
    before = snapshot(*REPLIES)
    plan = imports.plan(upload(text), year=answered.year)
    assert plan.ok, messages(plan)
    assert snapshot(*REPLIES) == before
    changed = [c for c in plan.changes if c.kind == Kind.CHANGED]
    assert changed == [
        ItemChange(
            Kind.CHANGED,
            "Respondent 3",
            "Business intelligence 9; Procurement 8",
            "Business intelligence no rating; Procurement 1",
            row=4,
        )
    ]
    assert plan.count(Kind.UNCHANGED) == 14
    after = {name: dict(scores) for name, scores in source.items()}
    del after["Respondent 3"]["Business intelligence"]
    after["Respondent 3"]["Procurement"] = 1

    def means(ratings, item):
        return mean(r[item] for r in ratings.values() if item in r)

    expected = [
        Consequence(item, "Mean rating", means(source, item), means(after, item))
        for item in ("Business intelligence", "Procurement")
    ]
    overall = [mean(s for r in ratings.values() for s in r.values()) for ratings in (source, after)]
    assert overall == ["7.57", "7.52"]
    expected.append(Consequence(answered.title, "Overall mean rating", *overall))
    assert plan.consequences == expected

    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)

    assert stored_ratings(answered) == after
    again = imports.plan(upload(text), year=answered.year)
    assert again.count(Kind.UNCHANGED) == 15


def test_a_comment_column_adds_and_changes_comments(answered, admin):
    rows = rows_of(TEXT)
    rows[0].append("Comment")
    for cells in rows[1:]:
        cells.append("")
    rows[1][-1] = "Quicker replies, please"
    plan = imports.plan(upload(as_csv(rows)), year=answered.year)
    assert plan.ok, messages(plan)
    assert [c for c in plan.changes if c.kind != Kind.UNCHANGED] == [
        ItemChange(Kind.NEW, "Comment of Respondent 1", "", "Quicker replies, please", row=2)
    ]
    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    comment = Comment.objects.get(response__survey=answered)
    assert (comment.response.respondent, comment.text) == (
        "Respondent 1",
        "Quicker replies, please",
    )

    rows[1][-1] = ""
    plan = imports.plan(upload(as_csv(rows)), year=answered.year)
    assert [c for c in plan.changes if c.kind != Kind.UNCHANGED] == [
        ItemChange(Kind.CHANGED, "Comment of Respondent 1", "Quicker replies, please", "", row=2)
    ]
    with transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    assert not Comment.objects.filter(response__survey=answered).exists()


def test_a_changed_rating_in_locked_2013_14_is_refused(locked_year):
    before = snapshot(*REPLIES)
    plan = imports.plan(upload(edited(TEXT, "Respondent 3", Procurement="10")), year=locked_year)
    assert messages(plan) == [
        "row 4, column 'Procurement': 2013-14 is locked: its survey responses were approved and "
        "can no longer change"
    ]
    assert plan.payload is None
    assert snapshot(*REPLIES) == before


# Problems in the file


def test_near_miss_items_and_respondents_are_refused_with_the_closest_names(locked_year):
    text = TEXT.replace(",Procurement,", ",Procurment,", 1)
    before = snapshot(*REPLIES)
    plan = imports.plan(upload(text), year=locked_year)
    assert messages(plan) == [
        f"row 1, column 'Procurment': '{TITLE}' rates no item 'Procurment'; did you mean "
        "'Procurement'?"
    ]
    plan = imports.plan(
        upload(edited(TEXT, "Respondent 3", respondent="Respondnt 3")), year=locked_year
    )
    assert messages(plan) == [
        f"row 4, column 'respondent': '{TITLE}' has no response from 'Respondnt 3'; did you "
        "mean 'Respondent 3'? Respondents must match exactly"
    ]
    assert snapshot(*REPLIES) == before


def test_a_respondent_or_item_left_out_is_a_problem(locked_year):
    rows = rows_of(TEXT)
    del rows[4]
    plan = imports.plan(upload(as_csv(rows)), year=locked_year)
    assert messages(plan) == [
        f"'Respondent 4' has a response to '{TITLE}' but is not in the file; an import does not "
        "remove responses (remove it in the admin first if it should go)"
    ]
    rows = [cells[:-1] for cells in rows_of(TEXT)]
    plan = imports.plan(upload(as_csv(rows)), year=locked_year)
    assert messages(plan) == ["row 1: the file has no column for 'Corporate office'"]


@pytest.mark.parametrize("cell", ["=9", "+9", "@SUM(B2)", "-B2"])
def test_formula_cells_are_refused_with_row_and_column(locked_year, cell):
    before = snapshot(*REPLIES)
    plan = imports.plan(upload(edited(TEXT, "Respondent 2", Procurement=cell)), year=locked_year)
    assert messages(plan) == [
        f"row 3, column 'Procurement': '{cell}' looks like a spreadsheet formula and is "
        "refused; type the rating"
    ]
    assert snapshot(*REPLIES) == before


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("11", "'11' is not a rating from 1 to 10"),
        ("0", "'0' is not a rating from 1 to 10"),
        ("-3", "'-3' is not a rating from 1 to 10"),
        ("7.5", "'7.5' is not a whole number; a rating is a whole number 1 to 10"),
        ("seven", "'seven' is not a rating: write a whole number from 1 to 10, or leave the"),
    ],
)
def test_bad_ratings_are_problems_naming_row_and_column(locked_year, cell, message):
    before = snapshot(*REPLIES)
    text = edited(TEXT, "Respondent 2", **{"Quality and patient safety": cell})
    plan = imports.plan(upload(text), year=locked_year)
    assert len(plan.problems) == 1, messages(plan)
    problem = plan.problems[0]
    assert (problem.row, problem.column) == (3, "Quality and patient safety")
    assert problem.message.startswith(message)
    assert snapshot(*REPLIES) == before


def test_a_header_it_does_not_recognise_is_a_problem(locked_year):
    plan = imports.plan(upload("name,Procurement\nA,5\n"), year=locked_year)
    assert messages(plan) == [
        "row 1: the first column must be 'respondent', then one per rated item"
    ]


# Refused when applying


def test_apply_is_refused_if_a_rating_changed_after_the_preview(answered, admin):
    plan = imports.plan(upload(edited(TEXT, "Respondent 3", Procurement="10")), year=answered.year)
    assert plan.ok
    rating = Rating.objects.get(
        response__survey=answered,
        response__respondent="Respondent 5",
        item__name="Engagement and strategic development",
    )
    rating.score = 1 if rating.score != 1 else 2
    rating.save()
    before = snapshot(*REPLIES)
    with pytest.raises(ImportRefused) as refused, transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    assert str(refused.value) == (
        f"the responses to '{answered.title}' changed after this preview; nothing was written: "
        "preview the file again"
    )
    assert snapshot(*REPLIES) == before


def test_apply_is_refused_if_the_year_was_locked_after_the_preview(open_survey, admin):
    plan = imports.plan(upload(TEXT), year=open_survey.year)
    assert plan.ok
    FinancialYear.objects.filter(pk=open_survey.year_id).update(status=FinancialYear.Status.LOCKED)
    before = snapshot(*REPLIES)
    with pytest.raises(ImportRefused) as refused, transaction.atomic():
        imports.apply(plan, by=admin, reason=REASON)
    assert [str(p) for p in refused.value.problems] == [
        "2014-15 was locked after this preview; nothing was written"
    ]
    assert snapshot(*REPLIES) == before
