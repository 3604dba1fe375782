"""The pieces every importer shares: what counts as a formula, near-miss names, problems."""

import pytest

from common.importing import Problem, close_names, either, looks_like_formula


@pytest.mark.parametrize("text", ["=SUM(A1:A3)", "+1+1", "@cmd", "-cmd|' /C calc'!A0", "-"])
def test_formulas_are_recognised(text):
    assert looks_like_formula(text)


@pytest.mark.parametrize("text", ["-5", "- 5", "-£3", "12", "£1,000", "*", "5%", "a=b"])
def test_numbers_and_plain_text_are_not_formulas(text):
    assert not looks_like_formula(text)


def test_close_names_as_written_then_in_any_case():
    names = ["Number of whole time equivalents", "Number of complaints", "Staff turnover"]
    assert close_names("Number of whole-time equivalents", names)[0] == names[0]  # closest first
    assert close_names("NUMBER OF WHOLE TIME EQUIVALENTS", names)[0] == names[0]
    assert close_names("Something else entirely", names) == []


def test_either_lists_names_as_a_sentence():
    assert either(["a"]) == "'a'"
    assert either(["a", "b", "c"]) == "'a', 'b' or 'c'"


def test_a_problem_says_where_it_is():
    assert str(Problem("not a number", row=4, column="q2")) == "row 4, column 'q2': not a number"
    assert str(Problem("empty file")) == "empty file"
