"""The annual report's texts: the placeholders they may carry and how a text reads as blocks.

Plain values in, plain values out. A text is paragraphs separated by blank lines; a line
starting '- ' is a bullet, '  - ' a bullet under the one before it. A figure the data gives
is never typed: the text names it as a placeholder, ``{revenue_surplus_000}``, filled in from
the data when the report is drawn (``reports.presenters``).
"""

import string
from dataclasses import dataclass, field

# Every placeholder a report text may carry, and what it stands for.
PLACEHOLDERS = {
    "year": "the financial year, 2013/14",
    "localities": "the number of localities in the structure",
    "member_practices": "the organisation's member practices",
    "projects_on_target": "the delivery plan KPI's quarter 4 figure",
    "projects_total": "the delivery plan KPI's target",
    "revenue_surplus_000": "the finance summary's revenue surplus, £'000 (RRL less net costs)",
    "running_cost_underspend": "the running costs' Revenue Resource Limit less their outturn, £",
    "allowance_per_head": "the year's running-cost allowance a head, £",
    "outturn_per_head": "the running-cost outturn a head, £",
    "survey_mean": "the customer survey's published overall rating",
    "survey_lowest": "the customer survey's published lowest rating",
    "survey_highest": "the customer survey's published highest rating",
}


def placeholders_in(text: str) -> list[str]:
    """The placeholder names a text uses, in order; a ValueError for a malformed brace."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]


def unknown_placeholders(text: str) -> list[str]:
    try:
        names = placeholders_in(text)
    except ValueError:
        return ["a '{' or '}' without its pair (write '{{' or '}}' for a brace)"]
    return [name for name in names if name not in PLACEHOLDERS]


class _Missing(dict):
    def __missing__(self, key):
        return "—"


def fill(text: str, values: dict[str, str]) -> str:
    """The text with each placeholder replaced by its value ('—' where the data has none)."""
    return text.format_map(_Missing(values))


@dataclass
class Bullet:
    text: str
    items: list[str] = field(default_factory=list)


@dataclass
class Block:
    """A paragraph (``text``) or a list (``bullets``)."""

    text: str = ""
    bullets: list[Bullet] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """A text as paragraphs and bullet lists (module docstring). Lines of one paragraph that
    are not bullets join into one paragraph."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        current: Block | None = None
        for line in chunk.split("\n"):
            if not line.strip():
                continue
            if line.startswith("  - ") and current is not None and current.bullets:
                current.bullets[-1].items.append(line[4:].strip())
            elif line.startswith("- "):
                if current is None or not current.bullets:
                    current = Block()
                    found.append(current)
                current.bullets.append(Bullet(line[2:].strip()))
            elif current is not None and current.text:
                current.text += " " + line.strip()
            else:
                current = Block(text=line.strip())
                found.append(current)
    return found
