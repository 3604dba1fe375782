"""The import runner for every layout: recognise a file by its header, preview what it would
change, and apply it in one transaction with a record of who imported what, from which file.

Each app's importer follows common.importing's protocol; this module knows none of them
beyond the list below. The admin pages and ``manage.py import_returns`` both come through here.
"""

import hashlib
import json
from dataclasses import asdict
from types import ModuleType

from django.db import transaction

from ccgportal.models import ImportRecord, PendingImport
from common import audit
from common.importing import ImportPlan, ImportRefused, Kind, Problem
from common.uploads import UploadedTable, UploadError, read_upload
from directorates.models import FinancialYear
from finance import imports as running_costs
from kpis.imports import long as kpi_long
from kpis.imports import wide as kpi_wide
from surveys import imports as survey_responses

# Tried in order; the first whose recognises(header) is true reads the file. The layouts'
# headers are disjoint, so the order only decides which layouts a refusal lists first.
IMPORTERS: list[ModuleType] = [kpi_wide, kpi_long, running_costs, survey_responses]
REASON_LENGTH = 100  # django-simple-history's change reason column


def recognise(header: list[str]) -> ModuleType:
    """The importer whose layout the header row is; ImportRefused naming the layouts if none."""
    for importer in IMPORTERS:
        if importer.recognises(header):
            return importer
    found = ", ".join(cell for cell in header[:12] if cell) or "nothing"
    expected = "; ".join(_expected(importer) for importer in IMPORTERS)
    raise ImportRefused(
        [
            Problem(
                f"the header row matches no layout the portal imports (it reads: {found}). "
                f"Expected one of: {expected}",
                row=1,
            )
        ]
    )


def _expected(importer) -> str:
    columns = getattr(importer, "COLUMNS", None)  # optional: an importer may not list them
    return f"{importer.LAYOUT}: {', '.join(columns)}" if columns else importer.LAYOUT


def preview(
    name: str, data: bytes, *, year: FinancialYear | str
) -> tuple[ImportPlan, UploadedTable | None]:
    """What importing the file into the year would change, and the table read from it; writes
    nothing. A file refused on reading gives a plan holding the one problem, and no table."""
    _, plan, table = prepare(name, data, year=year)
    return plan, table


def prepare(name: str, data: bytes, *, year: FinancialYear | str):
    """The file read as an upload, its layout recognised and planned into the year: (importer,
    plan, table); writes nothing. A file refused on reading gives a plan holding the one
    problem, with no importer (and no table unless it was read). The preview, the confirmed
    import and the demo's published record (demo/published.py) all start here.
    """
    label = year if isinstance(year, str) else year.label
    if isinstance(year, str):
        year = FinancialYear.objects.filter(label=year).first()
        if year is None:
            known = ", ".join(FinancialYear.objects.values_list("label", flat=True))
            message = (
                f"there is no year {label}; the years are {known}"
                if known
                else f"there is no year {label}, nor any other yet: add one in Django admin "
                "(Financial years), or load the demo data (python manage.py load_demo)"
            )
            return None, _refused(label, message), None
    try:
        table = read_upload(name, data)
    except UploadError as refusal:
        return None, _refused(label, str(refusal)), None
    try:
        importer = recognise(table.header)
    except ImportRefused as refused:
        return None, ImportPlan(layout="", year=label, problems=refused.problems), table
    if not table.rows:
        return importer, _refused(label, f"{name} has a header row but nothing below it"), table
    return importer, importer.plan(table, year=year), table


def _refused(label: str, message: str) -> ImportPlan:
    return ImportPlan(layout="", year=label, problems=[Problem(message)])


def digest(plan: ImportPlan, table: UploadedTable | None) -> str:
    """A fingerprint of what the preview showed: the file and every change and consequence.
    Confirming checks it, so an import does only what the admin saw."""
    seen = [
        table.sha256 if table else "",
        plan.layout,
        plan.year,
        [asdict(change) for change in plan.changes],
        [asdict(consequence) for consequence in plan.consequences],
        [str(problem) for problem in plan.problems],
    ]
    return hashlib.sha256(json.dumps(seen, default=str).encode()).hexdigest()


def history_reason(name: str, sha256: str, record_id: int) -> str:
    """'Imported from returns.csv (sha256 1a2b3c4d…), import 12', the file's name shortened
    to fit the change-history column."""
    tail = f" (sha256 {sha256[:8]}…), import {record_id}"
    room = REASON_LENGTH - len("Imported from ") - len(tail)
    shown = name if len(name) <= room else name[: room - 1] + "…"
    return f"Imported from {shown}{tail}"


def run(
    name: str,
    data: bytes,
    *,
    year: FinancialYear | str,
    by,
    expected_digest: str | None = None,
):
    """Plan the file afresh and apply it in one transaction: all of it, or nothing.

    Raises ImportRefused (nothing written) for a file with problems, for a plan that differs
    from the one previewed (expected_digest), or when apply finds the data moved on.
    Returns the ImportRecord.
    """
    importer, plan, table = prepare(name, data, year=year)
    if not plan.ok:
        raise ImportRefused(plan.problems)
    if expected_digest is not None and digest(plan, table) != expected_digest:
        raise ImportRefused(
            [
                Problem(
                    "the portal's data changed after this file was previewed, so importing it "
                    "now would not do what the preview showed; nothing was written. Preview it "
                    "again."
                )
            ]
        )
    with transaction.atomic():
        record = ImportRecord.objects.create(
            imported_by=by,
            file_name=name[:255],
            sha256=table.sha256,
            size=len(data),
            layout=plan.layout,
            year=FinancialYear.objects.get(label=plan.year),
            new_count=plan.count(Kind.NEW),
            changed_count=plan.count(Kind.CHANGED),
            unchanged_count=plan.count(Kind.UNCHANGED),
            changes=[asdict(c) for c in plan.changes if c.kind != Kind.UNCHANGED],
            consequences=[asdict(c) for c in plan.consequences],
        )
        importer.apply(plan, by=by, reason=history_reason(name, table.sha256, record.pk))
        audit.record(
            "import_applied",
            user_id=getattr(by, "pk", None),
            import_record_id=record.pk,
            layout=plan.layout,
            year=plan.year,
            new=record.new_count,
            changed=record.changed_count,
            unchanged=record.unchanged_count,
        )
    return record


def pending_create(*, by, name: str, data: bytes, year: FinancialYear) -> PendingImport:
    """Keep an uploaded file on the server until its admin confirms it; drop expired ones."""
    PendingImport.objects.expired().delete()
    return PendingImport.objects.create(
        file_name=name[:255],
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        year=year,
        uploaded_by=by,
    )


def pending_confirm(*, by, pending: PendingImport, expected_digest: str):
    """Import a pending upload as previewed; it is used up once imported."""
    with transaction.atomic():
        record = run(
            pending.file_name,
            bytes(pending.data),
            year=pending.year,
            by=by,
            expected_digest=expected_digest,
        )
        pending.delete()
    return record


def preview_lines(plan: ImportPlan, *, unchanged: bool = False) -> list[str]:
    """The preview as plain text, for the command line: counts, changes, consequences,
    problems. Unchanged items are counted, and listed only if asked."""
    lines = [
        f"Layout: {plan.layout or 'not recognised'}",
        f"Year: {plan.year}",
        f"New: {plan.count(Kind.NEW)}, changed: {plan.count(Kind.CHANGED)}, "
        f"unchanged: {plan.count(Kind.UNCHANGED)}",
    ]
    for kind in (Kind.CHANGED, Kind.NEW) + ((Kind.UNCHANGED,) if unchanged else ()):
        items = [c for c in plan.changes if c.kind == kind]
        if items:
            lines.append(f"{kind.value.capitalize()}:")
            for c in items:
                row = f"row {c.row}: " if c.row is not None else ""
                was = f"{c.before} -> " if c.before and kind == Kind.CHANGED else ""
                lines.append(f"  {row}{c.what}: {was}{c.after}")
    if plan.consequences:
        lines.append("Consequences:")
        lines += [f"  {c.what}, {c.measure}: {c.before} -> {c.after}" for c in plan.consequences]
    if plan.problems:
        lines.append(f"Problems ({len(plan.problems)}):")
        lines += [f"  {problem}" for problem in plan.problems]
    return lines
