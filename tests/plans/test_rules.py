"""A plan's progress entries nested under their parents and their key phrases: pure rules."""

from dataclasses import dataclass

from plans.rules import emphasis, nest


@dataclass(frozen=True)
class E:
    pk: int
    parent: int | None = None


def shape(forest):
    return [(node.item.pk, shape(node.children)) for node in forest]


def nested(*items):
    return shape(nest(items, key=lambda e: e.pk, parent=lambda e: e.parent))


def test_entries_nest_under_their_parents_in_the_order_given():
    assert nested(E(1), E(2, 1), E(3, 1), E(4), E(5, 4), E(6, 5)) == [
        (1, [(2, []), (3, [])]),
        (4, [(5, [(6, [])])]),
    ]


def test_an_entry_whose_parent_is_elsewhere_stands_at_the_top():
    assert nested(E(1), E(2, 99)) == [(1, []), (2, [])]


def test_entries_whose_parents_loop_are_each_shown_once():
    assert nested(E(1, 2), E(2, 1), E(3, 3)) == [(3, []), (1, [(2, [])])]


def test_the_key_phrase_is_split_out_where_it_first_appears():
    assert emphasis(
        "The Workforce Reference Group and the Workforce Reference Group",
        "Workforce Reference Group",
    ) == (
        "The ",
        "Workforce Reference Group",
        " and the Workforce Reference Group",
    )


def test_an_empty_or_absent_key_phrase_emphasises_nothing():
    assert emphasis("Task and finish groups", "") == ("Task and finish groups", "", "")
    assert emphasis("Task and finish groups", "teams") == ("Task and finish groups", "", "")
