"""Set up the KPIs of a published schedule (section, function, kpi, frequency, q1-q4, target)
with their definitions: who owns each, its shape and its target. Figures are imported."""

from decimal import Decimal
from pathlib import Path

from common.cells import parse_target
from common.loading import LoadError, parse, read_csv, upsert
from directorates.models import Directorate, FinancialYear, Team
from kpis import rules
from kpis.models import Kpi, KpiYear
from kpis.shapes import ShapeError, part_labels, target_value

SCHEDULE_COLUMNS = ["section", "function", "kpi", "frequency", "q1", "q2", "q3", "q4", "target"]
DEFINITION_COLUMNS = [
    "kpi",
    "slug",
    "measure",
    "rollup",
    "target_kind",
    "target_value",
    "direction",
    "unit",
    "secondary_label",
    "parts",
]


def read_definitions(path: Path) -> dict[str, tuple[int, dict]]:
    definitions = {}
    for row, item in read_csv(path, DEFINITION_COLUMNS):
        for column, enum in (
            ("measure", rules.Measure),
            ("rollup", rules.Rollup),
            ("target_kind", rules.TargetKind),
            ("direction", rules.Direction),
        ):
            if item[column] not in {m.value for m in enum}:
                raise LoadError(
                    path,
                    f"'{item[column]}' is not one of {', '.join(m.value for m in enum)}",
                    row=row,
                    column=column,
                )
        if (
            rules.Rollup(item["rollup"])
            not in rules.ALLOWED_ROLLUPS[rules.Measure(item["measure"])]
        ):
            raise LoadError(
                path,
                f"a {item['measure']} KPI cannot roll up by {item['rollup']}",
                row=row,
                column="rollup",
            )
        try:
            parts = part_labels(rules.Measure(item["measure"]), item["parts"])
        except ShapeError as exc:
            raise LoadError(path, str(exc), row=row, column="parts") from exc
        item["numerator_label"], item["denominator_label"] = parts
        definitions[item["kpi"]] = (row, item)
    return definitions


def load_kpi_definitions(
    path: Path,
    definitions_path: Path,
    year: FinancialYear,
    by_section: dict[str, Directorate],
) -> int:
    """Set up every KPI of a published schedule for the year; returns the KPI count.

    The schedule's own columns say who owns each KPI (its section heading, mapped by
    by_section to a directorate, and its function, a top-level team), in what order it is
    printed, how often it is reported and its target; the definitions file gives its measure
    shape, roll-up, target kind and direction. Its Q1-Q4 figures are not read here: they go
    in through the KPI importer (kpis/imports/wide.py), as an admin's upload of the same
    layout does, once the KPIs exist.
    """
    definitions = read_definitions(definitions_path)
    teams = {(t.directorate_id, t.name): t for t in Team.objects.filter(parent__isnull=True)}
    seen = 0
    for order, (row, item) in enumerate(read_csv(path, SCHEDULE_COLUMNS), start=1):
        directorate = by_section.get(item["section"])
        if directorate is None:
            raise LoadError(path, f"unknown section '{item['section']}'", row=row, column="section")
        team = teams.get((directorate.id, item["function"]))
        if team is None:
            raise LoadError(
                path,
                f"no team '{item['function']}' in {directorate.name}",
                row=row,
                column="function",
            )
        if item["kpi"] not in definitions:
            raise LoadError(
                path,
                f"no definition for this KPI in {definitions_path.name}",
                row=row,
                column="kpi",
            )
        _, definition = definitions[item["kpi"]]
        measure = rules.Measure(definition["measure"])
        kind = rules.TargetKind(definition["target_kind"])
        frequency = item["frequency"].lower()
        if frequency not in {f.value for f in rules.Frequency}:
            raise LoadError(
                path,
                f"'{item['frequency']}' is not monthly, quarterly or annually",
                row=row,
                column="frequency",
            )
        target_cell = parse(path, row, "target", parse_target, item["target"])
        override = Decimal(definition["target_value"]) if definition["target_value"] else None
        try:
            value = target_value(kind, target_cell, override)
        except ShapeError as exc:
            raise LoadError(path, str(exc), row=row, column="target") from exc
        where = (path, row)
        kpi = upsert(Kpi, {"slug": definition["slug"]}, {"name": item["kpi"]}, where=where)
        upsert(
            KpiYear,
            {"kpi": kpi, "year": year},
            {
                "team": team,
                "is_reported": True,
                "display_order": order,
                "schedule_heading": item["section"],
                "frequency": frequency,
                "measure": measure.value,
                "unit": definition["unit"],
                "secondary_label": definition["secondary_label"],
                "numerator_label": definition["numerator_label"],
                "denominator_label": definition["denominator_label"],
                "rollup": definition["rollup"],
                "target_kind": kind.value,
                "target_value": value,
                "target_text": item["target"],
                "direction": definition["direction"],
            },
            where=where,
        )
        seen += 1
    return seen


def copy_kpis_to_year(source: FinancialYear, target: FinancialYear) -> int:
    """Set up next year's KPIs like this year's (owners, shapes, targets), with no figures."""
    copied = 0
    for kpi_year in KpiYear.objects.filter(year=source).select_related("kpi"):
        fields = {
            f.name: getattr(kpi_year, f.name)
            for f in KpiYear._meta.concrete_fields
            if f.name not in {"id", "kpi", "year"}
        }
        upsert(
            KpiYear,
            {"kpi": kpi_year.kpi, "year": target},
            fields,
            where=(Path(f"copy of {source.label}"), None),
        )
        copied += 1
    return copied
