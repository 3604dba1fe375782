"""The OD framework plan as published (the seed's HTML table, fixtures/published/
od_plan_2015-16.txt) and as the portal draws it (the plan page's or its PDF's HTML), each read
into the same shape, so tests compare the two rather than strings typed into them: every
theme's title, lettered outcomes and internal and external progress, each entry with its bold
key phrase and the entries nested under it."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from tests.published import PUBLISHED

SEED = PUBLISHED / "od_plan_2015-16.txt"
FOCUSES = ("Internal focus", "External focus")


def _words(text: str) -> str:
    return " ".join(text.split())


@dataclass
class Item:
    text: str = ""
    bold: str = ""
    children: list["Item"] = field(default_factory=list)

    def tidy(self) -> "Item":
        text = _words(self.text)
        for bullet in ("•", "○"):
            text = text.removeprefix(bullet).strip()
        return Item(text, _words(self.bold), [child.tidy() for child in self.children])

    def every(self):
        yield self
        for child in self.children:
            yield from child.every()


@dataclass
class ThemeText:
    number: int
    title: str
    outcomes: list[tuple[str, str]] = field(default_factory=list)
    progress: dict[str, list[Item]] = field(default_factory=lambda: {f: [] for f in FOCUSES})

    def items(self):
        for focus in FOCUSES:
            for item in self.progress[focus]:
                yield from item.every()


THEME = re.compile(r"^(\d+)\. (.+)$")


def outcomes(text: str) -> list[tuple[str, str]]:
    """'a) first b) second' as [('a', 'first'), ('b', 'second')]."""
    parts = re.split(r"(?:^|\s)([a-z])\)\s+", _words(text))
    return list(zip(parts[1::2], (p.strip() for p in parts[2::2]), strict=True))


class _Reader(HTMLParser):
    """List items in order with their bold words and nesting, under the theme and focus the
    text before them names. What marks a theme, its outcomes and a focus differs between the
    seed and the page: ``_block`` says, from a block's tag and text."""

    BOLD = {"b", "strong"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.themes: list[ThemeText] = []
        self.focus: str | None = None
        self.open: list[Item] = []  # the list items being read, innermost last
        self.block: list[str] | None = None  # the text of a heading or paragraph outside lists
        self.block_tag = ""
        self.bold = 0
        self.in_outcomes = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in self.BOLD:
            self.bold += 1
        if tag == "ol" and "app-plan__outcomes" in classes:
            self.in_outcomes = True
        elif tag == "li":
            self.open.append(Item())
        elif tag in ("p", "h2", "h3", "h4") and not self.open:
            self.block, self.block_tag = [], tag

    def handle_endtag(self, tag):
        if tag in self.BOLD:
            self.bold -= 1
        elif tag == "ol" and self.in_outcomes:
            self.in_outcomes = False
        elif tag == "li" and self.open:
            item = self.open.pop().tidy()
            if self.open:
                self.open[-1].children.append(item)
            elif self.themes and self.in_outcomes:
                self.themes[-1].outcomes += outcomes(item.text)
            elif self.themes and self.focus:
                self.themes[-1].progress[self.focus].append(item)
        elif tag == self.block_tag and self.block is not None:
            self._block(tag, _words("".join(self.block)))
            self.block = None

    def handle_data(self, data):
        if self.open:
            self.open[-1].text += data
            if self.bold:
                self.open[-1].bold += data
        elif self.block is not None:
            self.block.append(data)

    def _block(self, tag, text):
        theme = THEME.match(text)
        if theme and tag in ("p", "h2"):
            self.themes.append(ThemeText(int(theme[1]), theme[2]))
            self.focus = None
        elif text.startswith("Outcomes:") and self.themes:
            self.themes[-1].outcomes += outcomes(text.removeprefix("Outcomes:"))
        elif text.lower() in (f.lower() for f in FOCUSES):
            self.focus = next(f for f in FOCUSES if f.lower() == text.lower())


def read(html: str) -> list[ThemeText]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.themes


def seed_themes() -> list[ThemeText]:
    """The published table, row by row: a row with an empty theme cell and no focus heading
    goes on with the theme and focus before it, as the plan prints it across a page break."""
    cells = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("THEME\t"):
            cells += line.split("\t")
    return read(" ".join(cells))


def portal_themes(html: str) -> list[ThemeText]:
    """The themes as the portal's page or PDF draws them: its article only (not the header's
    or footer's lists)."""
    start, end = html.index("<article"), html.index("</article>")
    return read(html[start:end])
