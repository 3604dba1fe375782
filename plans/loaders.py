"""Load a plan's themes, lettered outcomes and progress entries from its transcription."""

from pathlib import Path

from django.utils import timezone

from common.loading import LoadError, read_json, upsert
from directorates.models import FinancialYear, Organisation
from plans.models import Outcome, Plan, ProgressEntry, Theme


def load_plan(path: Path, org: Organisation, year: FinancialYear) -> Plan:
    data = read_json(path)
    where = (path, None)
    if data.get("year") != year.label:
        raise LoadError(path, f"is for {data.get('year')}, not {year.label}")
    if not data.get("slug"):
        raise LoadError(path, "has no slug (the plan's name in its report's address)")
    plan = upsert(
        Plan,
        {"year": year, "title": data["title"]},
        {"organisation": org, "slug": data["slug"]},
        where=where,
    )
    if data.get("published") and not plan.is_published:
        # The transcription of a published document: published as loaded, by nobody here.
        plan.published_at = timezone.now()
        plan.save(update_fields=["published_at"])
    for item in data["themes"]:
        theme = upsert(
            Theme, {"plan": plan, "number": item["number"]}, {"title": item["title"]}, where=where
        )
        for outcome in item["outcomes"]:
            upsert(
                Outcome,
                {"theme": theme, "letter": outcome["letter"]},
                {"text": outcome["text"]},
                where=where,
            )
        order = 0
        for entry in item["progress"]:
            order = _entry(path, theme, None, entry, order, where)
    return plan


def _entry(path, theme, parent, entry, order, where) -> int:
    """Save an entry and its sub-entries in reading order; returns the last order used."""
    key_phrase = entry.get("key_phrase") or ""
    if key_phrase not in entry["text"]:
        raise LoadError(
            path, f"theme {theme.number}: key phrase '{key_phrase}' is not in its entry"
        )
    order += 1
    focus = entry.get("focus") or parent.focus
    saved = upsert(
        ProgressEntry,
        {"theme": theme, "display_order": order},
        {"parent": parent, "focus": focus, "text": entry["text"], "key_phrase": key_phrase},
        where=where,
    )
    for child in entry.get("children", []):
        order = _entry(path, theme, saved, child, order, where)
    return order
