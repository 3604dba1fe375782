"""Load the organisation, its years, directorates, teams, localities and narrative from fixtures."""

from datetime import date
from decimal import Decimal
from pathlib import Path

from common.cells import parse_integer, parse_money
from common.loading import LoadError, parse, read_csv, read_json, upsert
from directorates.models import (
    CaseStudy,
    Cluster,
    Directorate,
    Fact,
    FinancialYear,
    Highlight,
    Leader,
    Locality,
    NarrativeSection,
    Organisation,
    Team,
)


def year_dates(label: str) -> tuple[date, date]:
    """'2013-14' or '2013/14' -> 1 April 2013 and 31 March 2014."""
    start = int(label[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def year_label(text: str) -> str:
    return text.replace("/", "-")


def load_structure(
    path: Path,
) -> tuple[Organisation, dict[str, Directorate], dict[str, Directorate]]:
    """The organisation, directorates by slug, and by the section heading the schedule prints."""
    data = read_json(path)
    where = (path, None)
    org = upsert(
        Organisation,
        {"name": data["organisation"]["name"]},
        {"short_name": data["organisation"]["short_name"]},
        where=where,
    )
    directorates, sections = {}, {}
    for order, item in enumerate(data["directorates"], start=1):
        directorates[item["slug"]] = upsert(
            Directorate,
            {"slug": item["slug"]},
            {"organisation": org, "name": item["name"], "display_order": order},
            where=where,
        )
        sections[item["schedule_section"]] = directorates[item["slug"]]
    for order, item in enumerate(data["teams"], start=1):
        directorate = directorates.get(item["directorate"])
        if directorate is None:
            raise LoadError(
                path, f"team '{item['name']}' names an unknown directorate '{item['directorate']}'"
            )
        parent = _team(directorate, None, item["name"], order, where)
        for child_order, child in enumerate(item.get("teams", []), start=1):
            _team(directorate, parent, child, child_order, where)
    for order, name in enumerate(data["clusters"], start=1):
        cluster = upsert(
            Cluster, {"organisation": org, "name": name}, {"display_order": order}, where=where
        )
        for locality in data["localities"].get(name, []):
            upsert(Locality, {"name": locality}, {"cluster": cluster}, where=where)
    return org, directorates, sections


def _team(directorate, parent, name, order, where) -> Team:
    team = Team.objects.filter(directorate=directorate, parent=parent, name=name).first()
    if team is None:
        team = Team(directorate=directorate, parent=parent, name=name, display_order=order)
        team.full_clean(exclude=["slug"])
        team.save()
    elif team.display_order != order:
        team.display_order = order
        team.save(update_fields=["display_order"])
    return team


def load_organisation_year(path: Path, org: Organisation) -> FinancialYear:
    """The year, its population and running-cost allowance from organisation_YYYY-YY.csv.

    A new year is created open, so that its figures can be imported before it is locked; a
    year already there keeps its status.
    """
    fields = {}
    for row, item in read_csv(path, ["field", "value"]):
        fields[item["field"]] = (row, item["value"])
    for required in ("organisation", "financial_year", "registered_population", "member_practices"):
        if required not in fields:
            raise LoadError(path, f"no '{required}' row")
    if fields["organisation"][1] != org.name:
        raise LoadError(
            path,
            f"is for '{fields['organisation'][1]}', not {org.name}",
            row=fields["organisation"][0],
        )
    label = year_label(fields["financial_year"][1])
    start, end = year_dates(label)
    row, text = fields["registered_population"]
    population = parse(path, row, "value", parse_integer, text)
    row, text = fields["member_practices"]
    org_practices = parse(path, row, "value", parse_integer, text)
    if org.member_practices != org_practices:
        org.member_practices = org_practices
        org.save(update_fields=["member_practices"])
    allowance = None
    if "running_cost_allowance_per_head_gbp" in fields:
        row, text = fields["running_cost_allowance_per_head_gbp"]
        allowance = parse(path, row, "value", parse_money, text)
    return upsert(
        FinancialYear,
        {"label": label},
        {
            "organisation": org,
            "start_date": start,
            "end_date": end,
            "registered_population": population,
            "running_cost_allowance_per_head": Decimal(allowance)
            if allowance is not None
            else None,
        },
        where=(path, None),
    )


def ensure_year(org: Organisation, label: str, *, status: str) -> FinancialYear:
    """A year with no published figures yet (population unknown until it is published)."""
    start, end = year_dates(label)
    year, _ = FinancialYear.objects.get_or_create(
        label=label,
        defaults={"organisation": org, "start_date": start, "end_date": end, "status": status},
    )
    return year


def load_narrative(path: Path, year: FinancialYear, directorates: dict[str, Directorate]) -> None:
    data = read_json(path)
    where = (path, None)
    if data.get("year") != year.label:
        raise LoadError(path, f"is for {data.get('year')}, not {year.label}")
    for order, item in enumerate(data["leaders"], start=1):
        directorate = (
            _directorate(path, directorates, item["directorate"]) if item["directorate"] else None
        )
        upsert(
            Leader,
            {"year": year, "name": item["name"], "title": item["title"]},
            {
                "directorate": directorate,
                "role": item["role"],
                "portfolio": item.get("portfolio") or "",
                "display_order": order,
            },
            where=where,
        )
    for order, item in enumerate(data["sections"], start=1):
        section = upsert(
            NarrativeSection,
            {"year": year, "title": item["title"]},
            {
                "directorate": _directorate(path, directorates, item["directorate"]),
                "purpose": "\n\n".join(item.get("purpose", [])),
                "highlights_intro": item.get("highlights_intro", ""),
                "facts_intro": item.get("facts_intro", ""),
                "display_order": order,
            },
            where=where,
        )
        _replace_children(
            section,
            Highlight,
            [
                {"group": h.get("group") or "", "text": h["text"], "items": h.get("items", [])}
                for h in item.get("highlights", [])
            ],
            where,
        )
        _replace_children(section, Fact, [{"text": text} for text in item.get("facts", [])], where)
        _replace_children(
            section,
            CaseStudy,
            [
                {
                    "title": c["title"],
                    "subtitle": c.get("subtitle", ""),
                    "body": "\n\n".join(c["body"]),
                }
                for c in item.get("case_studies", [])
            ],
            where,
        )


def _directorate(path, directorates, slug):
    if slug not in directorates:
        raise LoadError(path, f"unknown directorate '{slug}'")
    return directorates[slug]


def _replace_children(section, model, rows: list[dict], where) -> None:
    """Keep a section's ordered children equal to the fixture: update in place, drop extras."""
    for order, values in enumerate(rows, start=1):
        upsert(model, {"section": section, "display_order": order}, values, where=where)
    model.objects.filter(section=section, display_order__gt=len(rows)).delete()
