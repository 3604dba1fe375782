"""Import a running-cost schedule in its published layout: plan what would change, then apply it."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from common.cells import CellError, is_nil_money, parse_money, parse_percent
from common.importing import (
    FORMULA_STARTS,
    Consequence,
    ImportPlan,
    ImportRefused,
    ItemChange,
    Kind,
    Problem,
    close_names,
    either,
    looks_like_formula,
)
from common.uploads import UploadedTable
from directorates.models import Directorate, FinancialYear
from finance import rules
from finance.models import CostLine, RunningCostSchedule
from finance.presenters import gbp as _gbp
from finance.presenters import per_head_text as _per_head
from finance.presenters import percent_text as _percent
from finance.presenters import signed_gbp as _signed

LAYOUT = "Running-cost schedule"
COLUMNS = ("level", "line", "amount_gbp", "printed_per_capita", "printed_percent", "note")
PER_HEAD, PERCENT, DIFFERENCE = "£ per head", "% of total", "Difference from its lines"
NIL_TEXT = "- (no running cost)"
_CLOSE_MATCHES = 3
_NAME_LENGTH = CostLine._meta.get_field("name").max_length
_NOTE_LENGTH = CostLine._meta.get_field("note").max_length
_LARGEST = Decimal(10) ** (
    CostLine._meta.get_field("amount_gbp").max_digits
    - CostLine._meta.get_field("amount_gbp").decimal_places
)


def recognises(header: list[str]) -> bool:
    cells = [cell.strip().casefold() for cell in header]
    while cells and not cells[-1]:
        cells.pop()
    return cells == list(COLUMNS)


@dataclass(frozen=True)
class LineWrite:
    """One line of the schedule as the import leaves it, in the file's order."""

    order: int
    level: int
    parent_order: int | None
    line_id: int | None  # an existing line, or None for a new one
    name: str
    amount: Decimal
    published_text: str
    programme_funded: bool
    note: str
    directorate_id: int | None
    changed: bool  # an existing line whose amount, note or place in the order changes


@dataclass(frozen=True)
class SchedulePayload:
    year_id: int
    schedule_id: int | None
    seen_total: Decimal | None
    seen_lines: dict[int, tuple]  # every existing line's state at plan time, see _state()
    published_total: Decimal
    total_changed: bool
    lines: tuple[LineWrite, ...]

    @property
    def writes(self) -> bool:
        return (
            self.schedule_id is None
            or self.total_changed
            or any(line.line_id is None or line.changed for line in self.lines)
        )


@dataclass
class _Row:
    """A line as the file gives it, and the existing line it matches."""

    row: int
    level: int
    name: str
    parent: "_Row | None"
    amount: Decimal | None = None
    text: str = ""
    note: str = ""
    per_head: Decimal | None = None
    percent: Decimal | None = None
    line: CostLine | None = None
    resolved: bool = True  # False when its place in the tree could not be worked out
    children: list["_Row"] = field(default_factory=list)

    @property
    def path(self) -> str:
        return f"{self.parent.path} › {self.name}" if self.parent else self.name

    @property
    def nil(self) -> bool:
        return is_nil_money(self.text)


def plan(table: UploadedTable, *, year: FinancialYear) -> ImportPlan:
    """What importing the table into the year's schedule would change; writes nothing."""
    result = ImportPlan(layout=LAYOUT, year=year.label)
    if not recognises(table.header):
        result.problems.append(
            Problem(f"the header is not {', '.join(COLUMNS)}, the running-cost layout", row=1)
        )
        return result
    schedule = RunningCostSchedule.objects.filter(year=year).first()
    existing = (
        list(CostLine.objects.filter(schedule=schedule).order_by("display_order"))
        if schedule
        else []
    )
    rows, total, complete = _read(table, result.problems)
    _match(rows, existing, year, result.problems, complete=complete)
    published_total = _total(rows, total, result.problems)
    if published_total is None or any(row.amount is None for row in rows):
        return result  # amounts already refused: nothing sensible to compare
    _check_printed(rows, total, published_total, year, result.problems)
    before_total = schedule.published_total_gbp if schedule else None
    _changes(rows, published_total, total, before_total, year, result)
    _consequences(rows, existing, published_total, before_total, year, result)
    if result.ok:
        result.payload = _payload(rows, existing, published_total, schedule, year)
    return result


def apply(plan: ImportPlan, *, by, reason: str) -> None:
    """Write the plan's lines with history; refused if the schedule changed since the plan."""
    payload: SchedulePayload = plan.payload
    year = FinancialYear.objects.select_for_update().get(pk=payload.year_id)
    schedule = RunningCostSchedule.objects.select_for_update().filter(year=year).first()
    lines = {line.id: line for line in CostLine.objects.filter(schedule=schedule)}
    now = {line_id: _state(line) for line_id, line in lines.items()}
    if (
        (schedule.id if schedule else None) != payload.schedule_id
        or (schedule.published_total_gbp if schedule else None) != payload.seen_total
        or now != payload.seen_lines
    ):
        raise ImportRefused(
            [
                Problem(
                    f"the {year.label} running-cost schedule changed after this preview; "
                    "nothing was written: preview the file again"
                )
            ]
        )
    if not payload.writes:
        return
    if year.is_locked:
        raise ImportRefused(
            [Problem(f"{year.label} was locked after this preview; nothing was written")]
        )
    reason = reason[:100]  # the history's change-reason column holds 100 characters
    if schedule is None:
        schedule = RunningCostSchedule.objects.create(
            year=year, published_total_gbp=payload.published_total
        )
    elif payload.total_changed:
        schedule.published_total_gbp = payload.published_total
        schedule.save(update_fields=["published_total_gbp"])
    _update_lines(payload, lines, by=by, reason=reason)
    _create_lines(payload, schedule, lines, by=by, reason=reason)


# Reading the file


def _read(table: UploadedTable, problems: list[Problem]) -> tuple[list[_Row], _Row | None, bool]:
    """The lines as a tree (levels 1-3) and the total row (level 0), in file order, and
    whether every row could be read as a line (no unreadable level)."""
    rows: list[_Row] = []
    complete = True
    total: _Row | None = None
    parents: list[_Row] = []
    width = len(COLUMNS)
    for number, cells in table.rows:
        item = dict(zip(COLUMNS, cells, strict=False))
        if any(cells[width:]):
            problems.append(Problem("a value is under no heading", row=number))
        level_text = item["level"]
        if level_text not in {"0", "1", "2", "3"}:
            problems.append(Problem(f"'{level_text}' is not a level 0, 1, 2 or 3", number, "level"))
            complete = False
            continue
        level = int(level_text)
        if level == 0:
            if total is not None:
                problems.append(
                    Problem(f"a second total row (the first is row {total.row})", number, "level")
                )
                continue
            total = _Row(number, 0, item["line"] or "Total", None)
            _read_cells(total, item, problems)
            continue
        row = _Row(number, level, item["line"], parents[level - 2] if level > 1 else None)
        if level > len(parents) + 1:
            problems.append(
                Problem(f"a level {level} line needs a level {level - 1} line above it", number)
            )
            row.parent, row.resolved = parents[-1] if parents else None, False
        if not row.name:
            problems.append(Problem("every line needs a name", number, "line"))
            row.resolved = False
        elif len(row.name) > _NAME_LENGTH:
            problems.append(
                Problem(f"a line's name is at most {_NAME_LENGTH} characters", number, "line")
            )
            row.resolved = False
        elif row.name.startswith(FORMULA_STARTS):
            problems.append(
                Problem(
                    f"'{row.name}' looks like a spreadsheet formula and is refused", number, "line"
                )
            )
            row.resolved = False
        _read_cells(row, item, problems)
        if row.parent:
            row.parent.children.append(row)
        del parents[level - 1 :]
        parents.append(row)
        rows.append(row)
    return rows, total, complete


def _read_cells(row: _Row, item: dict[str, str], problems: list[Problem]) -> None:
    row.text, row.note = item["amount_gbp"], item["note"]
    row.amount = _number(parse_money, row.text, row.row, "amount_gbp", problems)
    if row.amount is not None and _too_precise_or_large(row.amount):
        problems.append(
            Problem(
                f"'{row.text}' is not an amount the schedule holds: pounds and pence, "
                "at most two decimal places, under £100 trillion",
                row.row,
                "amount_gbp",
            )
        )
        row.amount = None
    if len(row.note) > _NOTE_LENGTH:
        problems.append(
            Problem(f"the note is longer than {_NOTE_LENGTH} characters", row.row, "note")
        )
    if item["printed_per_capita"]:
        row.per_head = _number(
            parse_money, item["printed_per_capita"], row.row, "printed_per_capita", problems
        )
    if item["printed_percent"]:
        row.percent = _number(
            parse_percent, item["printed_percent"], row.row, "printed_percent", problems
        )


def _number(parser, text: str, row: int, column: str, problems: list[Problem]) -> Decimal | None:
    """A number column's value, or None with the reason added to problems."""
    if looks_like_formula(text) and not is_nil_money(text):  # '-' alone is the schedules' nil
        problems.append(
            Problem(
                f"'{text}' looks like a spreadsheet formula and is refused; type the value itself",
                row,
                column,
            )
        )
        return None
    try:
        value = parser(text)
    except CellError as exc:
        problems.append(Problem(str(exc), row, column))
        return None
    if value < 0:
        problems.append(
            Problem(
                f"'{text}': a running cost cannot be negative; write - for a line with no "
                "running cost",
                row,
                column,
            )
        )
        return None
    return value


# Matching lines to the schedule


def _match(
    rows: list[_Row],
    existing: list[CostLine],
    year: FinancialYear,
    problems: list[Problem],
    *,
    complete: bool,
) -> None:
    """Find each row's existing line by its exact name under its parent; report the rest."""
    by_place = {(line.parent_id, line.name): line for line in existing}
    first_at: dict[tuple, _Row] = {}
    for row in rows:  # parents come before their lines, so a parent is always matched first
        if row.parent and not row.parent.resolved:
            row.resolved = False
        if not row.resolved or (row.parent and row.parent.line is None):
            continue  # an unplaced line, or one under a new line: nothing to match
        place = (row.parent.line.id if row.parent else None, row.name)
        if place in first_at:
            problems.append(
                Problem(
                    f"'{row.path}' is in the file twice (first at row {first_at[place].row})",
                    row.row,
                    "line",
                )
            )
            row.resolved = False
            continue
        first_at[place] = row
        row.line = by_place.get(place)
    claimed = {row.line.id for row in rows if row.line}
    suggested: set[tuple[int | None, str]] = set()
    for row in rows:
        if row.parent and not row.parent.resolved:
            row.resolved = False  # under a near miss found just above
        if row.line or not row.resolved or (row.parent and row.parent.line is None):
            continue
        # Only lines no other row claimed are suggested, so a genuinely new line beside
        # similar names ('… - contracting', '… - development') is not taken for a typo.
        parent_id = row.parent.line.id if row.parent else None
        unclaimed = [
            line.name for line in existing if line.parent_id == parent_id and line.id not in claimed
        ]
        close = close_names(row.name, unclaimed, n=_CLOSE_MATCHES)
        if close:
            where = f"under '{row.parent.path}'" if row.parent else "at the top level"
            problems.append(
                Problem(
                    f"no line '{row.name}' {where} in the {year.label} schedule; did you mean "
                    f"{either(close)}? Names must match exactly",
                    row.row,
                    "line",
                )
            )
            row.resolved = False
            suggested.update((parent_id, name) for name in close)
    if complete:  # else a line the file holds may be on the row that could not be read
        _check_missing(existing, claimed, suggested, year, problems)
    _check_order(rows, problems)


def _check_missing(
    existing: list[CostLine],
    claimed: set[int],
    suggested: set[tuple[int | None, str]],
    year: FinancialYear,
    problems: list[Problem],
) -> None:
    """Existing lines the file leaves out, other than those already offered as near misses."""
    by_id = {line.id: line for line in existing}
    for line in existing:
        # A missing line's own lines are missing with it: name only the line itself.
        if (
            line.id not in claimed
            and (line.parent_id, line.name) not in suggested
            and (line.parent_id is None or line.parent_id in claimed)
        ):
            path = _path(line, by_id)
            problems.append(
                Problem(
                    f"'{path}' is in the {year.label} schedule but not in the file; an import "
                    "does not remove lines (remove it in the admin first if it should go)"
                )
            )


def _check_order(rows: list[_Row], problems: list[Problem]) -> None:
    """Existing lines keep their order: new lines go between them, as the file places them."""
    previous: _Row | None = None
    for row in rows:
        if row.line is None:
            continue
        if previous and row.line.display_order < previous.line.display_order:
            problems.append(
                Problem(
                    f"'{row.path}' comes after '{previous.path}' here but before it in the "
                    "schedule; an import keeps the schedule's order (reorder lines in the admin)",
                    row.row,
                    "line",
                )
            )
        previous = row


def _path(line: CostLine, by_id: dict[int, CostLine]) -> str:
    names = [line.name]
    while line.parent_id:
        line = by_id[line.parent_id]
        names.append(line.name)
    return " › ".join(reversed(names))


# Totals, printed figures, changes and consequences


def _total(rows: list[_Row], total: _Row | None, problems: list[Problem]) -> Decimal | None:
    """The published total: the total row's amount, else the sum of the top-level lines."""
    if total is not None:
        amount = total.amount
    elif any(row.amount is None for row in rows if row.level == 1):
        return None
    else:
        amount = sum((row.amount for row in rows if row.level == 1), Decimal(0))
    if amount is not None and amount <= 0:
        problems.append(
            Problem("the schedule's total must be more than £0", total.row if total else None)
        )
        return None
    return amount


def _check_printed(
    rows: list[_Row],
    total: _Row | None,
    published_total: Decimal,
    year: FinancialYear,
    problems: list[Problem],
) -> None:
    """Printed £/head and % must be what the portal will show from the amounts.

    The schedule stores amounts only and works these out (finance.rules), so a printed figure
    that disagrees means the file contradicts itself: a mistyped amount or a stale figure.
    A blank printed cell is not checked; £/head is checked only once the year's registered
    population is set.
    """
    population = year.registered_population
    for row in [*rows, *([total] if total else [])]:
        if row.per_head is not None and population:
            computed = rules.per_head(row.amount, population, places=_places(row.per_head))
            if computed != row.per_head:
                problems.append(
                    Problem(
                        f"£{row.per_head} is printed but {_gbp(row.amount)} for "
                        f"{population:,} people is £{computed} a head",
                        row.row,
                        "printed_per_capita",
                    )
                )
        if row.percent is not None:
            computed = rules.share_percent(row.amount, published_total, places=_places(row.percent))
            if computed != row.percent:
                problems.append(
                    Problem(
                        f"{row.percent}% is printed but {_gbp(row.amount)} of "
                        f"{_gbp(published_total)} is {computed}%",
                        row.row,
                        "printed_percent",
                    )
                )


def _too_precise_or_large(amount: Decimal) -> bool:
    return amount >= _LARGEST or amount != amount.quantize(Decimal("0.01"))


def _places(printed: Decimal) -> int:
    return min(max(-printed.as_tuple().exponent, 0), 4)


def _changes(
    rows: list[_Row],
    published_total: Decimal,
    total: _Row | None,
    before_total: Decimal | None,
    year: FinancialYear,
    result: ImportPlan,
) -> None:
    """Each line new, changed or unchanged (its amount, and its note if that changes)."""
    locked = f"{year.label} is locked: its running costs were approved and can no longer change"
    for row in rows:
        if not row.resolved:
            continue  # already a problem; where it belongs is unknown
        after = _display(row.amount, row.nil)
        if row.line is None:
            result.changes.append(ItemChange(Kind.NEW, row.path, "", after, row.row))
            if year.is_locked:
                result.problems.append(Problem(locked, row.row, "line"))
            continue
        before = _display(row.line.amount_gbp, row.line.programme_funded)
        kind = Kind.UNCHANGED if before == after else Kind.CHANGED
        result.changes.append(ItemChange(kind, row.path, before, after, row.row))
        if kind == Kind.CHANGED and year.is_locked:
            result.problems.append(Problem(locked, row.row, "amount_gbp"))
        if row.note != row.line.note:
            result.changes.append(
                ItemChange(Kind.CHANGED, f"Note on {row.path}", row.line.note, row.note, row.row)
            )
            if year.is_locked:
                result.problems.append(Problem(locked, row.row, "note"))
    row_number = total.row if total else None
    if before_total is None:
        kind = Kind.NEW
    else:
        kind = Kind.UNCHANGED if before_total == published_total else Kind.CHANGED
    before = "" if before_total is None else _gbp(before_total)
    what = f"Published total of the {year.label} running costs"
    result.changes.append(ItemChange(kind, what, before, _gbp(published_total), row_number))
    if kind != Kind.UNCHANGED and year.is_locked:
        result.problems.append(Problem(locked, row_number, "amount_gbp" if total else None))


def _consequences(
    rows: list[_Row],
    existing: list[CostLine],
    published_total: Decimal,
    before_total: Decimal | None,
    year: FinancialYear,
    result: ImportPlan,
) -> None:
    """Each line's £ per head and % of total, and each printed subtotal's difference from its
    lines, that would change. £ per head needs the year's registered population."""
    population = year.registered_population
    placed = [row for row in rows if row.resolved]
    for row in placed:
        old = row.line.amount_gbp if row.line else None
        measures = [(PERCENT, _percent(old, before_total), _percent(row.amount, published_total))]
        if population:
            per_head = (PER_HEAD, _per_head(old, population), _per_head(row.amount, population))
            measures.insert(0, per_head)
        for measure, before, after in measures:
            if before != after:
                result.consequences.append(Consequence(row.path, measure, before, after))
    # Printed subtotals are kept as published; how far each is from its lines is shown.
    children: dict[int | None, list[Decimal]] = {}
    for line in existing:
        children.setdefault(line.parent_id, []).append(line.amount_gbp)
    subtotals = [
        (row.path, row.line.amount_gbp if row.line else None, row.line, row.amount, row.children)
        for row in placed
        if row.children
    ]
    top = [row for row in placed if row.level == 1]
    subtotals.append(("Total", before_total, None, published_total, top))
    for what, old, line, new, lines in subtotals:
        before = ""
        key = line.id if line else None
        if old is not None and key in children:
            before = _signed(rules.subtotal_difference(old, children[key]))
        after = _signed(rules.subtotal_difference(new, [row.amount for row in lines]))
        if before != after and (before or after != "£0"):
            result.consequences.append(Consequence(what, DIFFERENCE, before, after))


def _payload(
    rows: list[_Row],
    existing: list[CostLine],
    published_total: Decimal,
    schedule: RunningCostSchedule | None,
    year: FinancialYear,
) -> SchedulePayload:
    directorates = {d.name.upper(): d.id for d in Directorate.objects.all()}
    order = {id(row): number for number, row in enumerate(rows, start=1)}
    writes = []
    for row in rows:
        line, number = row.line, order[id(row)]
        if line is not None:
            nil_changed = line.programme_funded != row.nil
            changed = (
                line.amount_gbp != row.amount
                or nil_changed
                or line.note != row.note
                or line.display_order != number
            )
            # The amount as printed follows the amount: '966850' for '966,850' changes nothing.
            text = row.text if line.amount_gbp != row.amount or nil_changed else line.published_text
            directorate_id = line.directorate_id
        else:
            changed, text = False, row.text
            directorate_id = directorates.get(row.name.upper()) if row.level == 1 else None
        writes.append(
            LineWrite(
                order=number,
                level=row.level,
                parent_order=order[id(row.parent)] if row.parent else None,
                line_id=line.id if line else None,
                name=row.name,
                amount=row.amount,
                published_text=text,
                programme_funded=row.nil,
                note=row.note,
                directorate_id=directorate_id,
                changed=changed,
            )
        )
    seen_total = schedule.published_total_gbp if schedule else None
    return SchedulePayload(
        year_id=year.id,
        schedule_id=schedule.id if schedule else None,
        seen_total=seen_total,
        seen_lines={line.id: _state(line) for line in existing},
        published_total=published_total,
        total_changed=seen_total is not None and seen_total != published_total,
        lines=tuple(writes),
    )


def _state(line: CostLine) -> tuple:
    """What apply() checks is still as the plan saw it."""
    return (
        line.parent_id,
        line.name,
        line.amount_gbp,
        line.programme_funded,
        line.published_text,
        line.note,
        line.display_order,
    )


# Writing


def _update_lines(payload: SchedulePayload, lines: dict[int, CostLine], *, by, reason) -> None:
    changed = [write for write in payload.lines if write.line_id and write.changed]
    moving = [w.line_id for w in changed if lines[w.line_id].display_order != w.order]
    if moving:
        # (schedule, display_order) is unique and checked row by row: park the moving lines
        # past the end first so that shifting one down never collides with the next.
        offset = max(len(payload.lines), *(line.display_order for line in lines.values()))
        CostLine.objects.filter(pk__in=moving).update(display_order=F("display_order") + offset)
    objs = []
    for write in changed:
        line = lines[write.line_id]
        line.amount_gbp, line.published_text = write.amount, write.published_text
        line.programme_funded, line.note = write.programme_funded, write.note
        line.display_order = write.order
        objs.append(line)
    if objs:
        bulk_update_with_history(
            objs,
            CostLine,
            ["amount_gbp", "published_text", "programme_funded", "note", "display_order"],
            default_user=by,
            default_change_reason=reason,
        )


def _create_lines(
    payload: SchedulePayload,
    schedule: RunningCostSchedule,
    lines: dict[int, CostLine],
    *,
    by,
    reason,
) -> None:
    """New lines level by level, so each one's parent already has its id."""
    by_order = {w.order: lines[w.line_id] for w in payload.lines if w.line_id}
    for level in (1, 2, 3):
        new = [w for w in payload.lines if w.line_id is None and w.level == level]
        objs = [
            CostLine(
                schedule=schedule,
                parent=by_order[w.parent_order] if w.parent_order else None,
                directorate_id=w.directorate_id,
                name=w.name,
                amount_gbp=w.amount,
                published_text=w.published_text,
                programme_funded=w.programme_funded,
                note=w.note,
                display_order=w.order,
            )
            for w in new
        ]
        if objs:
            created = bulk_create_with_history(
                objs, CostLine, default_user=by, default_change_reason=reason
            )
            by_order.update({obj.display_order: obj for obj in created})


# Display


def _display(amount: Decimal, nil: bool) -> str:
    return NIL_TEXT if nil else _gbp(amount)
