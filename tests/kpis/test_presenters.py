"""The display vocabulary in kpis/presenters.py: words and numbers the templates draw."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from kpis import spc
from kpis.presenters import (
    NOT_ASSESSED,
    NOT_RATED,
    RAG_TEXT,
    Badge,
    assessment_text,
    input_text,
    rag_badge,
    rag_words,
    returns_legend,
    self_assessed_badge,
    spc_key,
)
from kpis.returns.forms import RAG_CHOICES
from kpis.rules import (
    RAG_LEGEND,
    Direction,
    FigureValues,
    Measure,
    Rag,
    Rollup,
    TargetKind,
    TargetSpec,
    assess,
)

ROOT = Path(__file__).resolve().parents[2]


def _text(key) -> str:
    rows = [*key.ratings, *key.icons]
    return " ".join([key.limits, key.baselines, *(f"{r.term} {r.meaning}" for r in rows)])


def test_the_spc_key_states_the_numbers_kpis_spc_uses():
    key = spc_key()
    assert f"the mean ± {spc.LIMIT_FACTOR:g} times" in key.limits
    assert key.limits.count("2.66") == 1  # the constant's value today, as NHSRplotthedots
    special = next(row for row in key.icons if row.term.startswith("Special cause"))
    assert f"{spc.PATTERN_POINTS} in a row on one side of the mean" in special.meaning
    assert f"{spc.PATTERN_POINTS} rising or falling in a row" in special.meaning
    assert f"{spc.NEAR_POINTS} of {spc.NEAR_WINDOW} near a limit" in special.meaning
    assert key.baselines.startswith(
        f"Limits need at least {spc.MIN_POINTS} figures since the last baseline and are "
        f"provisional until there are {spc.STABLE_POINTS}."
    )


def test_changing_a_constant_in_kpis_spc_changes_the_key(monkeypatch):
    monkeypatch.setattr(spc, "LIMIT_FACTOR", 3.1)
    monkeypatch.setattr(spc, "PATTERN_POINTS", 8)
    monkeypatch.setattr(spc, "NEAR_POINTS", 3)
    monkeypatch.setattr(spc, "NEAR_WINDOW", 4)
    monkeypatch.setattr(spc, "MIN_POINTS", 5)
    monkeypatch.setattr(spc, "STABLE_POINTS", 20)
    text = _text(spc_key())
    assert "the mean ± 3.1 times" in text
    assert "8 in a row on one side" in text and "8 rising or falling" in text
    assert "3 of 4 near a limit" in text
    assert "at least 5 figures" in text and "until there are 20" in text
    for old in ("2.66", " 7 ", "2 of 3", " 6 ", "13"):
        assert old not in text


def test_the_keys_ratings_are_the_published_legend_then_not_collected():
    key = spc_key()
    assert [(r.rating, r.meaning) for r in key.ratings[:-1]] == [
        (rating.value, meaning) for rating, meaning in RAG_LEGEND.items()
    ]
    assert (key.ratings[-1].rating, key.ratings[-1].term) == ("", "Not collected")


def test_a_rag_badge_has_its_rating_as_modifier_and_its_word():
    assert rag_badge(Rag.RED) == Badge("red", "Red")
    assert rag_badge("amber") == Badge("amber", "Amber")
    assert rag_badge("") == rag_badge(None) == Badge("none", NOT_RATED)
    assert rag_badge("", "Not collected") == Badge("none", "Not collected")
    assert self_assessed_badge("") == Badge("none", "Not assessed")
    assert self_assessed_badge("green") == Badge("green", "Green")


def test_the_words_the_return_forms_script_writes_are_the_badges():
    assert rag_words() == {"green": "Green", "amber": "Amber", "red": "Red", "": "Not rated"}
    assert {rating: rag_badge(rating).text for rating in rag_words()} == rag_words()
    script = (ROOT / "static" / "js" / "return-form.js").read_text()
    assert 'getElementById("rag-words")' in script
    assert not any(f'"{word}"' in script for word in rag_words().values())


def test_the_return_forms_self_assessment_choices_use_the_same_words():
    choices = list(RAG_CHOICES)
    assert choices == [("", NOT_ASSESSED), *((r.value, RAG_TEXT[r]) for r in RAG_TEXT)]


def test_the_returns_legend_is_the_published_one_then_no_rating():
    legend = returns_legend()
    assert [(r.rating, r.meaning) for r in legend[:-1]] == [
        (rating.value, meaning) for rating, meaning in RAG_LEGEND.items()
    ]
    assert (legend[-1].rating, legend[-1].term) == ("", None)
    assert rag_badge(legend[-1].rating, legend[-1].term).text == NOT_RATED


# ---------------------------------------------------------------- what a RAG was set against


def _spec(kind, value, measure=Measure.COUNT, rollup=Rollup.SUM, direction=Direction.HIGHER):
    return TargetSpec(kind, value, direction, measure, rollup)


@pytest.mark.parametrize(
    ("spec", "quarter", "figures", "last_year", "text"),
    [
        # BI meetings, 386 pa: 97 in Q1 against 386 / 4; 97 + 124 by Q2 against 386 × 2 / 4
        (_spec(TargetKind.ANNUAL, D(386)), 1, {1: 97}, None, "97 against 96.5, year to date"),
        (
            _spec(TargetKind.ANNUAL, D(386)),
            2,
            {1: 97, 2: 124},
            None,
            "221 against 193, year to date",
        ),
        (_spec(TargetKind.PER_PERIOD, D(6)), 1, {1: 5}, None, "5 against 6, this quarter"),
        (
            _spec(TargetKind.ANNUAL, D(6), rollup=Rollup.MEAN),
            2,
            {1: 5, 2: 6},
            None,
            "5.5 against 6, average for the year to date",
        ),
        (
            _spec(TargetKind.ANNUAL, D(31), rollup=Rollup.LATEST),
            1,
            {1: 24},
            None,
            "24 against 31, target for the year",
        ),
        (
            _spec(TargetKind.INCREASE, None),
            1,
            {1: 40},
            34,
            "40 against 34, same quarter last year",
        ),
        (_spec(TargetKind.NONE, None), 1, {1: 17}, None, "No target"),
        (_spec(TargetKind.PER_PERIOD, D(6)), 1, {}, None, "No figure"),
    ],
)
def test_a_computed_rag_says_what_it_was_set_against(spec, quarter, figures, last_year, text):
    values = {q: FigureValues(count=n) for q, n in figures.items()}
    previous = FigureValues(count=last_year) if last_year is not None else None
    assessment = assess(spec, quarter, values, previous)
    assert assessment_text(spec, assessment) == text


def test_a_rate_is_set_against_its_target_in_percent():
    spec = _spec(TargetKind.PERCENT, D(100), measure=Measure.RATIO)
    assessment = assess(spec, 1, {1: FigureValues(numerator=63, denominator=67)})
    assert assessment_text(spec, assessment) == "94.03% against 100%, this quarter"
    assert assessment.reason == "94.03% against 100%"  # the rule's own words are unchanged
    not_collected = assess(spec, 1, {1: FigureValues(not_collected=True)})
    assert assessment_text(spec, not_collected) == "Information not collected"


@pytest.mark.parametrize(
    ("name", "value", "text"),
    [
        ("count", 1009, "1,009"),
        ("count", 0, "0"),
        ("numerator", 63, "63"),
        ("amount_gbp", D("950000.00"), "950,000"),
        ("amount_gbp", D("1059768.50"), "1,059,768.50"),
        ("percent", D("95.0000"), "95"),
        ("percent", D("96.5000"), "96.5"),
        ("percent", D("100.0000"), "100"),
        ("value", D("273.2600"), "273.26"),
        ("value", D("1234.5000"), "1,234.5"),
        ("value", None, ""),
    ],
)
def test_a_figure_goes_back_into_its_input_as_a_person_types_it(name, value, text):
    assert input_text(name, value) == text
