"""Load the published customer and IM&T surveys: what each asked, of whom, and its results.

A survey's per-respondent ratings are not loaded here: they go in through the survey-response
importer (surveys/imports.py), as an admin's upload of the same layout does, once the survey
and its rated items exist. No importer reads the IM&T survey's layout (published percentages,
not responses), so it is loaded here.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from common.cells import parse_integer
from common.loading import LoadError, parse, read_csv, read_json, upsert
from directorates.models import Directorate, FinancialYear
from surveys.models import Comment, Invitee, Metric, Survey, SurveyItem

SURVEY_FIELDS = [
    "title",
    "audience",
    "sent_on",
    "responses_due",
    "number_sent",
    "number_received",
    "scale",
    "overall_mean_published",
    "lowest_rating_published",
    "highest_rating_published",
    "rated_departments",
]


def _fields(path: Path) -> dict[str, tuple[int, str]]:
    fields = {
        item["field"]: (row, item["value"]) for row, item in read_csv(path, ["field", "value"])
    }
    missing = [name for name in SURVEY_FIELDS if name not in fields]
    if missing:
        raise LoadError(path, f"missing field(s): {', '.join(missing)}")
    return fields


def _date(path, fields, name) -> date:
    row, text = fields[name]
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise LoadError(
            path, f"'{text}' is not a date (YYYY-MM-DD)", row=row, column="value"
        ) from exc


def _int(path, fields, name) -> int:
    row, text = fields[name]
    return parse(path, row, "value", parse_integer, text)


def rated_departments(text: str) -> list[tuple[str, str]]:
    """'Directorate: item; item | Directorate: item' -> [(directorate, item), …] in order."""
    pairs = []
    for group in text.split("|"):
        directorate, _, items = group.partition(":")
        pairs.extend(
            (directorate.strip(), item.strip()) for item in items.split(";") if item.strip()
        )
    return pairs


def load_customer_survey(
    path: Path,
    findings_path: Path,
    year: FinancialYear,
    directorates: list[Directorate],
    *,
    illustrative: bool,
) -> Survey:
    """The survey, its rated items and the improvement areas it found; illustrative says
    that the responses to be imported for it stand in for unpublished ones."""
    fields = _fields(path)
    where = (path, None)
    survey = upsert(
        Survey,
        {"year": year, "kind": Survey.Kind.CUSTOMER, "title": fields["title"][1]},
        {
            "audience": fields["audience"][1],
            "question": fields["scale"][1],
            "sent_on": _date(path, fields, "sent_on"),
            "responses_due": _date(path, fields, "responses_due"),
            "number_sent": _int(path, fields, "number_sent"),
            "number_received": _int(path, fields, "number_received"),
            "published_overall_mean": Decimal(fields["overall_mean_published"][1]),
            "published_lowest_rating": _int(path, fields, "lowest_rating_published"),
            "published_highest_rating": _int(path, fields, "highest_rating_published"),
            "responses_are_illustrative": illustrative,
        },
        where=where,
    )
    by_name = {d.name.lower(): d for d in directorates}
    for order, (directorate, name) in enumerate(
        rated_departments(fields["rated_departments"][1]), start=1
    ):
        upsert(
            SurveyItem,
            {"survey": survey, "name": name},
            {"directorate": by_name.get(directorate.lower()), "display_order": order},
            where=where,
        )
    findings = read_json(findings_path)
    for order, area in enumerate(findings["improvement_areas"], start=1):
        upsert(
            Comment,
            {"survey": survey, "response": None, "display_order": order},
            {"kind": Comment.Kind.IMPROVEMENT, "text": area["text"], "items": area["items"]},
            where=(findings_path, None),
        )
    return survey


def add_illustrative_invitees(survey: Survey) -> None:
    """Stand-ins for the unpublished invitees, one per survey sent, as many of them marked as
    having answered as the survey has responses. Nothing links a response to one of them."""
    role = f"{survey.audience} (illustrative)"
    answered = survey.responses.count()
    for number in range(1, (survey.number_sent or 0) + 1):
        upsert(
            Invitee,
            {"survey": survey, "name": f"Invitee {number}"},
            {"role": role, "answered": number <= answered},
            where=(Path("illustrative invitees"), None),
        )


def load_imt_survey(path: Path, year: FinancialYear) -> Survey:
    survey = upsert(
        Survey,
        {"year": year, "kind": Survey.Kind.IMT, "title": "IM&T survey"},
        {"audience": "GP practices and CCG staff"},
        where=(path, None),
    )
    for order, (row, item) in enumerate(
        read_csv(path, ["measure", "group", "previous_percent", "current_percent"]), start=1
    ):
        values = {}
        for column in ("previous_percent", "current_percent"):
            text = item[column]
            if text and not text.replace(".", "", 1).isdigit():
                raise LoadError(path, f"'{text}' is not a percentage", row=row, column=column)
            values[column] = Decimal(text) if text else None
        if values["current_percent"] is None:
            raise LoadError(
                path, "a current percentage is needed", row=row, column="current_percent"
            )
        upsert(
            Metric,
            {"survey": survey, "measure": item["measure"], "group": item["group"]},
            {**values, "display_order": order},
            where=(path, row),
        )
    return survey
