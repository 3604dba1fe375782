"""Pure rules for a plan's progress: entries nested under their parents, and the key phrase
an entry emphasises. Plain values in, plain values out; nothing here touches the database."""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Node(Generic[T]):
    item: T
    children: list["Node[T]"] = field(default_factory=list)


def nest(
    items: Iterable[T],
    key: Callable[[T], Hashable],
    parent: Callable[[T], Hashable | None],
) -> list[Node[T]]:
    """The items as a forest in their given order, each under its parent. An item whose parent
    is not among them stands at the top, as does one caught in a loop of parents (the first of
    the loop met in order), so no item is ever lost or shown twice."""
    items = list(items)
    keys = {key(item) for item in items}
    children: dict[Hashable, list[T]] = {}
    roots = []
    for item in items:
        above = parent(item)
        if above is None or above not in keys or above == key(item):
            roots.append(item)
        else:
            children.setdefault(above, []).append(item)
    placed: set[Hashable] = set()

    def grow(item) -> Node[T]:
        placed.add(key(item))
        return Node(item, [grow(c) for c in children.get(key(item), []) if key(c) not in placed])

    forest = [grow(item) for item in roots]
    for item in items:  # left over only when parents loop
        if key(item) not in placed:
            forest.append(grow(item))
    return forest


def emphasis(text: str, phrase: str) -> tuple[str, str, str]:
    """The text as (before, key phrase, after), the phrase's first occurrence; a phrase that is
    empty or not in the text emphasises nothing: (text, "", "")."""
    if not phrase or phrase not in text:
        return text, "", ""
    before, found, after = text.partition(phrase)
    return before, found, after
