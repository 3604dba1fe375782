"""A directorate's narrative for a year as plain values: what a draft holds, how long each
text may be, and what changed between two versions in words. No ORM here.

A section's content is its purpose, the intro lines, its highlights (each with the group it
sits under and its sub-bullets), its "did you know" facts and its case studies, in order. A
draft is stored as this content's ``as_json()``; the published copy is the section's own fields
and rows, read back into the same shape (``directorates.services.published_content``).
"""

from dataclasses import asdict, dataclass

# The longest each text may be, in characters: well above the longest in the published record,
# short enough to fit a page of the report.
LIMITS = {
    "purpose": 6000,
    "highlights_intro": 300,  # the model's own limit
    "facts_intro": 300,
    "group": 150,
    "highlight": 1000,
    "sub_bullet": 500,
    "fact": 600,
    "case_title": 200,
    "case_subtitle": 200,
    "case_body": 8000,
}


@dataclass(frozen=True)
class HighlightText:
    text: str
    group: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class CaseStudyText:
    title: str
    body: str
    subtitle: str = ""


@dataclass(frozen=True)
class Content:
    purpose: str = ""
    highlights_intro: str = ""
    highlights: tuple[HighlightText, ...] = ()
    facts_intro: str = ""
    facts: tuple[str, ...] = ()
    case_studies: tuple[CaseStudyText, ...] = ()

    def as_json(self) -> dict:
        found = asdict(self)
        for highlight in found["highlights"]:
            highlight["items"] = list(highlight["items"])
        found["highlights"] = list(found["highlights"])
        found["facts"] = list(found["facts"])
        found["case_studies"] = list(found["case_studies"])
        return found

    @classmethod
    def from_json(cls, data: dict) -> "Content":
        return cls(
            purpose=data.get("purpose", ""),
            highlights_intro=data.get("highlights_intro", ""),
            highlights=tuple(
                HighlightText(h["text"], h.get("group", ""), tuple(h.get("items", ())))
                for h in data.get("highlights", ())
            ),
            facts_intro=data.get("facts_intro", ""),
            facts=tuple(data.get("facts", ())),
            case_studies=tuple(
                CaseStudyText(c["title"], c["body"], c.get("subtitle", ""))
                for c in data.get("case_studies", ())
            ),
        )


# A history row's reason holds 100 characters (django-simple-history's field): a list's changed
# places are named up to this many, counted beyond.
REASON_MAX = 100
PLACES_NAMED = 4
PLURALS = {"highlight": "highlights", "fact": "facts", "case study": "case studies"}


def _plural(count: int, word: str) -> str:
    return f"{count} {word if count == 1 else PLURALS[word]}"


def _listed(before: tuple, after: tuple, word: str) -> list[str]:
    """A list's changes: which of its places changed, and how many were added or removed."""
    found = []
    changed = [i + 1 for i, (old, new) in enumerate(zip(before, after, strict=False)) if old != new]
    if len(changed) > PLACES_NAMED:
        found.append(f"{_plural(len(changed), word)} changed")
    elif changed:
        places = ", ".join(str(i) for i in changed)
        found.append(f"{word if len(changed) == 1 else PLURALS[word]} {places} changed")
    if len(after) > len(before):
        found.append(f"{_plural(len(after) - len(before), word)} added")
    elif len(before) > len(after):
        found.append(f"{_plural(len(before) - len(after), word)} removed")
    return found


def changes(before: Content, after: Content) -> list[str]:
    """What changed from one version to the next, in words: 'purpose changed', 'highlights
    2, 5 changed', '1 fact added'. Empty when nothing did."""
    found = []
    if before.purpose != after.purpose:
        found.append("purpose changed")
    if before.highlights_intro != after.highlights_intro:
        found.append("highlights' introduction changed")
    found += _listed(before.highlights, after.highlights, "highlight")
    if before.facts_intro != after.facts_intro:
        found.append("facts' introduction changed")
    found += _listed(before.facts, after.facts, "fact")
    found += _listed(before.case_studies, after.case_studies, "case study")
    return found


def reason(lead: str, found: list[str]) -> str:
    """A history row's reason: what was done and what changed, cut to what the row holds."""
    text = f"{lead}: {'; '.join(found)}" if found else lead
    return text if len(text) <= REASON_MAX else text[: REASON_MAX - 1].rstrip("; ,") + "…"


def change_reason(before: Content, after: Content) -> str:
    """The history row's reason for a saved draft: its changes as one sentence."""
    found = changes(before, after)
    return reason("Draft saved", found) if found else "Draft saved: nothing changed"
