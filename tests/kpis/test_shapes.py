"""What kpis/shapes.py refuses in a figure entered for a KPI's shape, and the limits the return
form hands its script from the same table."""

import pytest

from kpis.rules import FigureValues, Measure
from kpis.shapes import AT_MOST, MORE_THAN_ZERO, entry_problems


@pytest.mark.parametrize(
    ("numerator", "denominator", "problems"),
    [
        (57, 57, {}),
        (58, 57, {"numerator": "The numerator (58) cannot be more than the denominator (57)"}),
        (0, 0, {"denominator": "The denominator must be more than 0"}),
        (3, 0, {"denominator": "The denominator must be more than 0"}),
        (None, 5, {"numerator": "Enter the numerator"}),
    ],
)
def test_a_part_is_at_most_its_whole_and_a_whole_more_than_0(numerator, denominator, problems):
    figure = FigureValues(numerator=numerator, denominator=denominator)
    assert entry_problems(Measure.RATIO, figure, complete=False) == problems


def test_the_limits_name_parts_of_the_ratio_shape():
    assert AT_MOST == {"numerator": "denominator"} and MORE_THAN_ZERO == ("denominator",)
