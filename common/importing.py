"""What every importer hands back: a plan of what an import would change, worked out without
writing anything, which the admin previews and then confirms.

An importer (kpis/imports/wide.py and long.py, finance/imports.py, surveys/imports.py) offers
three things, and ccgportal/imports.py (the runner) picks the one whose layout a file has:

- ``recognises(header) -> bool``: whether a file's header row is its layout;
- ``plan(table, *, year) -> ImportPlan``: reads every row of an UploadedTable, compares it with
  the database and lists new, changed and unchanged items, their consequences and every problem;
  it never writes;
- ``apply(plan, *, by, reason) -> None``: writes the plan's changes. The caller runs it inside one
  transaction and only for a plan without problems; ``reason`` is the change-history reason
  (which file, its hash, which import), recorded on every row it writes. If the database no
  longer matches the plan (a quarter was locked meanwhile), apply raises ImportRefused and the
  transaction rolls back, so nothing is written.
"""

import difflib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# What a spreadsheet runs as a formula when the text is opened again. Importers refuse it in
# number cells and names; commentary keeps it as text, and every export neutralises it.
FORMULA_STARTS = ("=", "+", "-", "@")
_NEGATIVE_NUMBER = re.compile(r"-\s*£?\s*\d")


class Kind(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Problem:
    """Something in the file that stops the import; str() is the message an admin reads."""

    message: str
    row: int | None = None  # the row number in the file, the header being row 1
    column: str | None = None  # the column's header as written in the file

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class ItemChange:
    """One value the import would write (or finds already there), as the admin reads it."""

    kind: Kind
    what: str  # e.g. "Data quality reports, 2014-15 Q2" or "Target of Data quality reports"
    before: str  # as displayed; "" when new
    after: str
    row: int | None = None


@dataclass(frozen=True)
class Consequence:
    """A rating the import would change: a quarter's RAG, a KPI's SPC variation or assurance."""

    what: str  # the KPI (or cost line, survey item)
    measure: str  # e.g. "RAG 2014-15 Q2", "SPC variation", "SPC assurance"
    before: str
    after: str


@dataclass
class ImportPlan:
    layout: str  # the layout recognised, as the admin reads it: "KPI figures (wide)"
    year: str  # the financial year's label, "2014-15"
    changes: list[ItemChange] = field(default_factory=list)
    consequences: list[Consequence] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    payload: Any = None  # the importer's own description of the writes, for its apply()

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, kind: Kind) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


class ImportRefused(Exception):
    """apply() found the database no longer matches the plan; nothing was written."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def looks_like_formula(text: str) -> bool:
    """A number cell that would run as a formula. A negative number ('-5', '-£3') is not one:
    the cell's own parser says why it is refused."""
    return text.startswith(FORMULA_STARTS) and not _NEGATIVE_NUMBER.match(text)


def close_names(name: str, candidates: list[str], *, n: int = 3) -> list[str]:
    """Up to ``n`` candidates that look like a near miss of ``name``, for 'did you mean'.
    Compared as written first, then without regard to case (a long name typed in another
    case scores low as written)."""
    name = name.strip()
    close = difflib.get_close_matches(name, candidates, n=n, cutoff=0.6)
    if not close:
        folded = {candidate.casefold(): candidate for candidate in candidates}
        matches = difflib.get_close_matches(name.casefold(), list(folded), n=n, cutoff=0.6)
        close = [folded[match] for match in matches]
    return close


def either(names: list[str]) -> str:
    """'a', or 'a', 'b' or 'c'."""
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
