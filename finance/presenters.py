"""What the finance pages and their downloads show, as text; the arithmetic is finance.rules'.

Money is shown with thousands separators (£966,850), £ per head to the penny (£1.29), shares
to two places (5.16%). A line with no running cost (100% programme funded) is shown as the
schedule printed it: '-' with '£-' a head, or '-0' with '-£0.00'. Nothing here queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from django.urls import reverse
from django.utils.text import slugify

from common.navigation import Crumb, trail
from finance import rules
from finance.selectors import (
    NET_OPERATING_COSTS,
    RESOURCE_LIMIT,
    SURPLUS,
    FinanceSummary,
    Line,
    RunningCosts,
    Schedule,
    SummaryLine,
)

PATH_SEPARATOR = " › "
PROGRAMME_FUNDED = "100% programme funded"
NEGATIVE_ZERO = "-0"  # how the schedule prints a team of no running cost, '-£0.00' a head
NO_CHANGE = "No change"
NEW_LINE = "New"


# ---------------------------------------------------------------- numbers as text


def gbp(amount: Decimal) -> str:
    """£ with thousands separators, pence only where there are any: £966,850, £1,059.50."""
    text = f"£{amount:,.2f}"
    return text.removesuffix(".00")


def signed_gbp(amount: Decimal) -> str:
    return f"-{gbp(-amount)}" if amount < 0 else gbp(amount)


def difference_gbp(amount: Decimal) -> str:
    """A difference with its sign either way: +£1, -£1."""
    return f"+{gbp(amount)}" if amount > 0 else signed_gbp(amount)


def per_head_text(amount: Decimal | None, population: int) -> str:
    return "" if amount is None else f"£{rules.per_head(amount, population)}"


def percent_text(amount: Decimal | None, total: Decimal | None) -> str:
    return "" if amount is None or not total else f"{rules.share_percent(amount, total)}%"


def change_gbp(change: Decimal) -> str:
    """A change on last year: +£1,200, -£350, or no change."""
    return difference_gbp(change) if change else NO_CHANGE


def thousands(value: Decimal) -> str:
    """A figure in £'000 as the finance summary prints it: 947,097."""
    return f"{value:,.0f}"


def change_thousands(change: Decimal) -> str:
    if not change:
        return NO_CHANGE
    return f"+{thousands(change)}" if change > 0 else thousands(change)


def per_head_change(change: Decimal) -> str:
    if not change:
        return NO_CHANGE
    return f"+£{change}" if change > 0 else f"-£{-change}"


# ---------------------------------------------------------------- what a page is made of


@dataclass(frozen=True)
class Tag:
    """An NHS.UK tag: its words and colour."""

    text: str
    colour: str


@dataclass(frozen=True)
class Link:
    text: str
    href: str
    download: bool = False


@dataclass(frozen=True)
class Fact:
    """A row of a summary list."""

    key: str
    value: str


@dataclass(frozen=True)
class Column:
    text: str
    numeric: bool = True


@dataclass(frozen=True)
class Row:
    """A cost line as a table row."""

    name: str
    level: int
    path: str
    amount: str
    per_head: str
    percent: str
    change: str  # "" when there is no earlier schedule to compare with
    tags: tuple[Tag, ...] = ()
    notes: tuple[str, ...] = ()  # what a tag means, in words
    has_lines: bool = False
    href: str | None = None  # where its own lines are shown

    @property
    def figures(self) -> list[str]:
        """The cells after its name: the change only where there is an earlier schedule."""
        return [self.amount, self.per_head, self.percent, *([self.change] if self.change else [])]


@dataclass(frozen=True)
class Group:
    """A top-level line with lines under it (a directorate): a table of its own, collapsible."""

    id: str
    summary: str
    caption: str
    rows: list[Row]
    total: Row


@dataclass(frozen=True)
class RunningCostsPage:
    title: str
    caption: str
    breadcrumbs: list[Crumb]
    lede: str
    facts: list[Fact]
    links: list[Link]
    differences_heading: str
    differences: list[str]
    chart_heading: str
    table_heading: str
    table_caption: str
    columns: list[Column]
    rows: list[Row]
    total: Row
    groups_heading: str
    groups: list[Group]
    gone_heading: str
    gone: list[str]


def _breadcrumbs(*above: Crumb) -> list[Crumb]:
    return trail(*above)


@dataclass(frozen=True)
class RefusedPage:
    """A finance page asked for in a way it cannot answer: what is wrong, nothing else."""

    title: str
    page_heading: str
    heading: str
    description: str
    problems: list[str]
    breadcrumbs: list[Crumb]


def refused_page(title: str, problems: list[str]) -> RefusedPage:
    return RefusedPage(
        title=f"Error: {title}",
        page_heading=title,
        heading="There is a problem with this address",
        description="Nothing is shown until the address is corrected.",
        problems=problems,
        breadcrumbs=_breadcrumbs(),
    )


# ---------------------------------------------------------------- running costs


def _path(line: Line) -> str:
    return PATH_SEPARATOR.join(line.path)


def _difference(line: Line) -> Decimal | None:
    """A published subtotal's difference from the sum of its lines; None for a line without."""
    if not line.children:
        return None
    return rules.subtotal_difference(line.amount, [child.amount for child in line.children])


def _total_difference(schedule: Schedule) -> Decimal:
    top = [line.amount for line in schedule.top]
    return rules.subtotal_difference(schedule.published_total, top)


def _flag(published: Decimal, difference: Decimal) -> tuple[Tag, str]:
    adds_up = published - difference
    return (
        Tag(f"Differs by {difference_gbp(difference)}", "orange"),
        f"Published {gbp(published)}; its lines add up to {gbp(adds_up)}",
    )


def _amount(line: Line) -> str:
    return line.published_text if line.programme_funded else gbp(line.amount)


def _per_head(line: Line, population: int | None) -> str:
    if line.programme_funded:
        return "-£0.00" if line.published_text.strip() == NEGATIVE_ZERO else "£-"
    return per_head_text(line.amount, population) if population else ""


def _change(line: Line, before: dict[tuple[str, ...], Line] | None) -> str:
    if before is None:
        return ""
    earlier = before.get(line.path)
    if earlier is None:
        return NEW_LINE
    return change_gbp(rules.change(line.amount, earlier.amount))


def _row(line: Line, schedule: Schedule, before, *, href: str | None = None) -> Row:
    tags, notes = [], []
    if line.programme_funded:
        tags.append(Tag(PROGRAMME_FUNDED, "grey"))
    difference = _difference(line)
    if difference:
        tag, note = _flag(line.amount, difference)
        tags.append(tag)
        notes.append(note)
    return Row(
        name=line.name,
        level=line.level,
        path=_path(line),
        amount=_amount(line),
        per_head=_per_head(line, schedule.year.registered_population),
        percent=percent_text(line.amount, schedule.published_total),
        change=_change(line, before),
        tags=tuple(tags),
        notes=tuple(notes),
        has_lines=bool(line.children),
        href=href,
    )


def _total_row(schedule: Schedule, previous: Schedule | None) -> Row:
    total = schedule.published_total
    population = schedule.year.registered_population
    difference = _total_difference(schedule)
    tags, notes = (), ()
    if difference:
        tag, note = _flag(total, difference)
        tags, notes = (tag,), (note,)
    return Row(
        name="Total",
        level=0,
        path="Total",
        amount=gbp(total),
        per_head=per_head_text(total, population) if population else "",
        percent=percent_text(total, total),
        change=change_gbp(rules.change(total, previous.published_total)) if previous else "",
        tags=tags,
        notes=notes,
    )


def _group_id(line: Line) -> str:
    return f"costs-{slugify(line.name) or line.id}"


def _group(line: Line, schedule: Schedule, before) -> Group:
    below = [_row(child, schedule, before) for child in _descendants(line)]
    total = _row(line, schedule, before)
    flags = sum(1 for child in [line, *_descendants(line)] if _difference(child))
    parts = [
        total.amount,
        f"{total.per_head} a head" if total.per_head else "",
        f"{total.percent} of the total",
        f"{flags} {'subtotal differs' if flags == 1 else 'subtotals differ'} from its lines"
        if flags
        else "",
    ]
    return Group(
        id=_group_id(line),
        summary=f"{line.name}: " + ", ".join(part for part in parts if part),
        caption=f"{line.name}: its lines, {schedule.year.display_name}",
        rows=below,
        total=replace(total, name=f"{line.name}, published subtotal"),
    )


def _descendants(line: Line) -> list[Line]:
    found = []
    for child in line.children:
        found.append(child)
        found.extend(_descendants(child))
    return found


def _facts(costs: RunningCosts) -> list[Fact]:
    schedule, previous = costs.schedule, costs.previous
    year = schedule.year
    population = year.registered_population
    total = schedule.published_total
    total_text = gbp(total)
    facts = []
    if population:
        facts.append(Fact("Registered population", f"{population:,}"))
        total_text += f": {per_head_text(total, population)} a head"
    facts.append(Fact("Total running costs", total_text))
    allowance = year.running_cost_allowance_per_head
    if allowance is not None:
        value = f"£{allowance} a head"
        if population:
            value += "; the total is " + _against(
                allowance, rules.per_head(total, population), "the allowance"
            )
        facts.append(Fact("Running-cost allowance", value))
    if costs.outturn_running_000 is not None:
        outturn = rules.from_thousands(costs.outturn_running_000)
        value = f"{gbp(outturn)} (running costs of the net operating costs)"
        if population:
            per_head = rules.per_head(outturn, population)
            value += f": £{per_head} a head"
            if allowance is not None:
                value += ", " + _against(allowance, per_head, "the allowance")
        facts.append(Fact("Outturn", value))
    if previous is not None:
        change = change_gbp(rules.change(total, previous.published_total))
        value = f"{change} on {gbp(previous.published_total)}"
        before_population = previous.year.registered_population
        if population and before_population:
            value += " (" + per_head_change(
                rules.change(
                    rules.per_head(total, population),
                    rules.per_head(previous.published_total, before_population),
                )
            )
            value += " a head)"
        facts.append(Fact(f"Change on {previous.year.display_name}", value))
    return facts


def _against(allowance: Decimal, per_head: Decimal, what: str) -> str:
    under = rules.under_allowance(allowance, per_head)
    if not under:
        return f"exactly {what}"
    return f"£{abs(under)} a head {'under' if under > 0 else 'over'} {what}"


def running_costs_page(costs: RunningCosts) -> RunningCostsPage:
    schedule, previous = costs.schedule, costs.previous
    year = schedule.year
    before = {line.path: line for line in previous.lines} if previous else None
    groups = [_group(line, schedule, before) for line in schedule.top if line.children]
    rows = [
        _row(line, schedule, before, href=f"#{_group_id(line)}" if line.children else None)
        for line in schedule.top
    ]
    columns = [
        Column("Line", numeric=False),
        Column("£"),
        Column("£ per head"),
        Column("% of total"),
    ]
    if previous:
        columns.append(Column(f"Change on {previous.year.display_name}"))
    differences = [
        f"{_path(line)}: published {gbp(line.amount)}, its lines add up to "
        f"{gbp(line.amount - difference)} ({difference_gbp(difference)})"
        for line in schedule.lines
        if (difference := _difference(line))
    ]
    if difference := _total_difference(schedule):
        differences.append(
            f"Total: published {gbp(schedule.published_total)}, its lines add up to "
            f"{gbp(schedule.published_total - difference)} ({difference_gbp(difference)})"
        )
    present = {line.path for line in schedule.lines}
    gone = [
        f"{_path(line)}: {_amount(line)} in {previous.year.display_name}"
        for line in (previous.lines if previous else [])
        if line.path not in present
    ]
    links = []
    above = []
    if costs.has_summary:
        href = reverse("finance_summary", kwargs={"year": year.label})
        links.append(Link(f"Finance summary {year.display_name}", href))
        above.append(Crumb(f"Finance summary {year.display_name}", href))  # its totals' source
    links += [
        Link("Download the schedule as CSV", "?format=csv", download=True),
        Link("Download the schedule as Excel", "?format=xlsx", download=True),
    ]
    count = len(differences)
    return RunningCostsPage(
        title=f"Running costs {year.display_name}",
        caption="Finance",
        breadcrumbs=_breadcrumbs(*above),
        lede=" ".join(part for part in (schedule.title, schedule.population_note) if part),
        facts=_facts(costs),
        links=links,
        differences_heading=(
            "1 published subtotal differs from the sum of its lines"
            if count == 1
            else f"{count} published subtotals differ from the sum of their lines"
        ),
        differences=differences,
        chart_heading="Where the money goes",
        table_heading="Top-level lines",
        table_caption=f"Running costs {year.display_name}: the top-level lines and the total",
        columns=columns,
        rows=rows,
        total=_total_row(schedule, previous),
        groups_heading="Each directorate's lines",
        groups=groups,
        gone_heading=(
            f"In the {previous.year.display_name} schedule but not in this one" if previous else ""
        ),
        gone=gone,
    )


def running_cost_rows(costs: RunningCosts) -> list[list]:
    """The schedule as a download: a row a line in the published order, then the total."""
    schedule, previous = costs.schedule, costs.previous
    population = schedule.year.registered_population
    total = schedule.published_total
    before = {line.path: line for line in previous.lines} if previous else None
    header = [
        "level",
        "path",
        "line",
        "amount_gbp",
        "per_head_gbp",
        "percent_of_total",
        "programme_funded",
        "lines_add_up_to_gbp",
        "subtotal_difference_gbp",
        "note",
    ]
    if previous:
        header += ["previous_year", "previous_amount_gbp", "change_gbp"]
    rows = [header]

    def compared(path, amount) -> list:
        if not previous:
            return []
        earlier = before.get(path)
        if earlier is None:
            return [previous.year.label, None, None]
        return [previous.year.label, earlier.amount, rules.change(amount, earlier.amount)]

    for line in schedule.lines:
        difference = _difference(line)
        rows.append(
            [
                line.level,
                _path(line),
                line.name,
                line.amount,
                rules.per_head(line.amount, population) if population else None,
                rules.share_percent(line.amount, total),
                "yes" if line.programme_funded else "no",
                None if difference is None else line.amount - difference,
                difference,
                line.note,
                *compared(line.path, line.amount),
            ]
        )
    difference = _total_difference(schedule)
    total_compared = []
    if previous:
        total_compared = [
            previous.year.label,
            previous.published_total,
            rules.change(total, previous.published_total),
        ]
    rows.append(
        [
            0,
            "Total",
            "Total",
            total,
            rules.per_head(total, population) if population else None,
            rules.share_percent(total, total),
            "no",
            total - difference,
            difference,
            "",
            *total_compared,
        ]
    )
    return rows


# ---------------------------------------------------------------- finance summary


@dataclass(frozen=True)
class Figures:
    """A finance summary row worked out: programme and running costs, their total, £'000."""

    programme: Decimal | None
    running: Decimal | None

    @property
    def total(self) -> Decimal | None:
        if self.programme is None or self.running is None:
            return None
        return rules.total(self.programme, self.running)

    def values(self) -> list[Decimal | None]:
        return [self.programme, self.running, self.total]


@dataclass(frozen=True)
class Cell:
    text: str
    published: str = ""  # the published figure, where it differs from the one worked out
    tag: Tag | None = None


@dataclass(frozen=True)
class SummaryRow:
    label: str
    cells: list[Cell]
    note: str = ""


@dataclass(frozen=True)
class FinanceSummaryPage:
    title: str
    caption: str
    breadcrumbs: list[Crumb]
    lede: str
    facts: list[Fact]
    links: list[Link]
    table_caption: str
    columns: list[Column]
    rows: list[SummaryRow]
    change_caption: str
    change_rows: list[SummaryRow]


SURPLUS_NOTE = "Revenue Resource Limit less net operating costs"
SUMMARY_COLUMNS = ["Programme", "Running costs", "Total"]


def _worked_out(lines: dict[str, SummaryLine]) -> dict[str, Figures]:
    """Each measure's figures: totals added up, the surplus taken from the other two."""
    figures = {
        measure: Figures(line.programme, line.running)
        for measure, line in lines.items()
        if measure != SURPLUS
    }
    costs, limit = figures.get(NET_OPERATING_COSTS), figures.get(RESOURCE_LIMIT)
    if costs and limit:
        figures[SURPLUS] = Figures(
            rules.surplus(limit.programme, costs.programme),
            rules.surplus(limit.running, costs.running),
        )
    elif SURPLUS in lines:
        figures[SURPLUS] = Figures(lines[SURPLUS].programme, lines[SURPLUS].running)
    return figures


def _published(line: SummaryLine | None) -> list[Decimal | None]:
    if line is None:
        return [None, None, None]
    return [line.programme, line.running, line.published_total]


def _measures(summary: FinanceSummary) -> list[tuple[str, str]]:
    """(measure, label) in the published order, the surplus last even where it is missing."""
    found = [(measure, line.label) for measure, line in summary.lines.items()]
    if SURPLUS not in summary.lines and NET_OPERATING_COSTS in summary.lines:
        found.append((SURPLUS, "Revenue surplus"))
    return found


def _cell(value: Decimal | None, published: Decimal | None) -> Cell:
    if value is None:
        return Cell(thousands(published) if published is not None else "")
    if published is None or published == value:
        return Cell(thousands(value))
    return Cell(
        thousands(value),
        published=f"published {thousands(published)}",
        tag=Tag(f"Differs by {change_thousands(published - value)}", "orange"),
    )


def finance_summary_page(summary: FinanceSummary) -> FinanceSummaryPage:
    year = summary.year
    figures = _worked_out(summary.lines)
    before = _worked_out(summary.previous) if summary.previous else {}
    rows, change_rows = [], []
    for measure, label in _measures(summary):
        worked = figures.get(measure, Figures(None, None))
        published = _published(summary.lines.get(measure))
        rows.append(
            SummaryRow(
                label,
                [_cell(v, p) for v, p in zip(worked.values(), published, strict=True)],
                note=SURPLUS_NOTE if measure == SURPLUS else "",
            )
        )
        if measure in before:
            change_rows.append(
                SummaryRow(
                    label,
                    [
                        Cell(change_thousands(rules.change(now, then)))
                        if now is not None and then is not None
                        else Cell("")
                        for now, then in zip(worked.values(), before[measure].values(), strict=True)
                    ],
                )
            )
    facts = []
    surplus = figures.get(SURPLUS)
    costs, limit = figures.get(NET_OPERATING_COSTS), figures.get(RESOURCE_LIMIT)
    if surplus and surplus.total is not None and costs and limit:
        facts.append(
            Fact(
                "Revenue surplus, £'000",
                f"{thousands(surplus.total)}: {thousands(limit.total)} Revenue Resource "
                f"Limit less {thousands(costs.total)} net operating costs",
            )
        )
    population = year.registered_population
    if costs and costs.running is not None and population:
        outturn = rules.from_thousands(costs.running)
        per_head = rules.per_head(outturn, population)
        value = f"£{per_head} a head: {gbp(outturn)} for {population:,} people"
        allowance = year.running_cost_allowance_per_head
        if allowance is not None:
            value += f", {_against(allowance, per_head, f'the £{allowance} allowance')}"
        facts.append(Fact("Running costs outturn", value))
    links = []
    if summary.has_schedule:
        links.append(
            Link(
                f"Running costs {year.display_name}: every line",
                reverse("running_costs", kwargs={"year": year.label}),
            )
        )
    links += [
        Link("Download the summary as CSV", "?format=csv", download=True),
        Link("Download the summary as Excel", "?format=xlsx", download=True),
    ]
    previous = summary.previous_year
    return FinanceSummaryPage(
        title=f"Finance summary {year.display_name}",
        caption="Finance",
        breadcrumbs=_breadcrumbs(),
        lede=(
            "Net operating costs, the Revenue Resource Limit and the surplus, for programme and "
            "running costs, in £'000. Totals and the surplus are worked out from the other "
            "figures; a published figure that differs is shown beside it."
        ),
        facts=facts,
        links=links,
        table_caption=f"Finance summary {year.display_name}, £'000",
        columns=[Column("Measure", numeric=False), *(Column(c) for c in SUMMARY_COLUMNS)],
        rows=rows,
        change_caption=(
            f"Change on {previous.display_name}, £'000" if previous and change_rows else ""
        ),
        change_rows=change_rows,
    )


def finance_summary_rows(summary: FinanceSummary) -> list[list]:
    """The summary as a download: worked-out and published figures, and the change."""
    figures = _worked_out(summary.lines)
    before = _worked_out(summary.previous) if summary.previous else {}
    header = [
        "measure",
        "programme_gbp_000",
        "running_costs_gbp_000",
        "total_gbp_000",
        "published_programme_gbp_000",
        "published_running_costs_gbp_000",
        "published_total_gbp_000",
    ]
    previous = summary.previous_year
    if previous:
        header += [
            "previous_year",
            "change_programme_gbp_000",
            "change_running_costs_gbp_000",
            "change_total_gbp_000",
        ]
    rows: list[list] = [header]
    for measure, label in _measures(summary):
        worked = figures.get(measure, Figures(None, None))
        row = [label, *worked.values(), *_published(summary.lines.get(measure))]
        if previous:
            then = before.get(measure, Figures(None, None))
            row += [previous.label, *_changes(worked.values(), then.values())]
        rows.append(row)
    return rows


def _changes(now: Iterable, then: Iterable) -> list[Decimal | None]:
    return [
        rules.change(a, b) if a is not None and b is not None else None
        for a, b in zip(now, then, strict=True)
    ]
