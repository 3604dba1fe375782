"""Reading published tables row by row, with errors that name file, row and column.

Each app's loaders.py turns master data (the organisation, KPI definitions, surveys, plans)
into models with these helpers; the published figures go in through the importers instead.
demo.published runs both in one transaction, so a malformed cell, a refused row or an import
plan with problems (``LoadError.from_problems``) leaves nothing written.
"""

import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from django.db import IntegrityError, models

from common.cells import CellError
from common.importing import Problem

T = TypeVar("T")


class LoadError(Exception):
    """A fixture the portal cannot load; str() names the file, row and column."""

    def __init__(
        self, path: Path | str, message: str, *, row: int | None = None, column: str | None = None
    ):
        self.path, self.row, self.column, self.message = Path(path), row, column, message
        where = [self.path.name]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}")

    @classmethod
    def from_problems(cls, path: Path | str, problems: list[Problem]) -> "LoadError":
        """An import plan's problems with a fixture: where the first is and what it says,
        followed by every other one."""
        first, *rest = problems
        message = first.message
        if rest:
            message += f" (and {len(rest)} more: {'; '.join(str(p) for p in rest)})"
        return cls(path, message, row=first.row, column=first.column)


def read_csv(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows as dicts with their line number in the file (the header is row 1)."""
    if not path.is_file():
        raise LoadError(path, "file not found")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [name for name in required if name not in (reader.fieldnames or [])]
        if missing:
            raise LoadError(path, f"missing column(s): {', '.join(missing)}", row=1)
        for row in reader:
            if any((value or "").strip() for value in row.values()):
                yield reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}


def read_json(path: Path) -> Any:
    if not path.is_file():
        raise LoadError(path, "file not found")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise LoadError(path, f"not valid JSON: {exc.msg}", row=exc.lineno) from exc


def parse(path: Path, row: int, column: str, parser: Callable[[str], T], text: str) -> T:
    """Run a cell parser, turning its complaint into one that says where the cell is."""
    try:
        return parser(text)
    except CellError as exc:
        raise LoadError(path, str(exc), row=row, column=column) from exc


def upsert(
    model: type[models.Model], lookup: dict, values: dict, *, where: tuple[Path, int | None]
) -> models.Model:
    """Create the row, or update it only if something differs, so a second load writes nothing.

    The change history (for models that keep one) gives the file as the reason. A row the
    database refuses (a broken constraint) becomes a LoadError naming the file and row.
    """
    path, row = where
    try:
        obj = model.objects.filter(**lookup).first()
        if obj is None:
            obj = model(**lookup, **values)
            changed = None
        else:
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            if not changed:
                return obj
            for name in changed:
                setattr(obj, name, values[name])
        obj._change_reason = f"Loaded from {path.name}"
        obj.save(update_fields=changed)
        return obj
    except IntegrityError as exc:
        reason = str(exc).strip().splitlines()[0]
        raise LoadError(
            path, f"the database refused this {model._meta.verbose_name}: {reason}", row=row
        ) from exc
