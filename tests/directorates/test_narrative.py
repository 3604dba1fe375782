"""A section's content as plain values: its JSON round trip and what changed, in words."""

from directorates.narrative import (
    REASON_MAX,
    CaseStudyText,
    Content,
    HighlightText,
    change_reason,
    changes,
    reason,
)

BASE = Content(
    purpose="Why we are here.",
    highlights_intro="This year:",
    highlights=(HighlightText("one", "Money", ("a", "b")), HighlightText("two")),
    facts=("fact one", "fact two"),
    case_studies=(CaseStudyText("Title", "Body", "Sub"),),
)


def test_content_survives_its_json():
    assert Content.from_json(BASE.as_json()) == BASE
    assert BASE.as_json()["highlights"][0] == {"text": "one", "group": "Money", "items": ["a", "b"]}


def test_nothing_changed_says_so():
    assert changes(BASE, BASE) == []
    assert change_reason(BASE, BASE) == "Draft saved: nothing changed"


def test_changes_name_each_part_and_place():
    after = Content(
        purpose="Why we are here, now.",
        highlights_intro="This year:",
        highlights=(HighlightText("one", "Money", ("a",)), HighlightText("2"), HighlightText("3")),
        facts=("fact one",),
        case_studies=(
            CaseStudyText("Title", "Body", "Sub"),
            CaseStudyText("New", "B"),
            BASE.case_studies[0],
        ),
    )
    assert changes(BASE, after) == [
        "purpose changed",
        "highlights 1, 2 changed",
        "1 highlight added",
        "1 fact removed",
        "2 case studies added",
    ]
    assert change_reason(BASE, after).startswith("Draft saved: purpose changed; highlights 1, 2")


def test_many_places_are_counted_and_a_reason_fits_its_history_row():
    after = Content(highlights=tuple(HighlightText(str(n)) for n in range(6)))
    before = Content(highlights=tuple(HighlightText(f"old {n}") for n in range(6)))
    assert changes(before, after) == ["6 highlights changed"]
    long = reason("Published", [f"part {n} changed" for n in range(20)])
    assert len(long) == REASON_MAX and long.endswith("…")
    assert reason("Published", []) == "Published"
