"""The display vocabulary in kpis/presenters.py: words and numbers the templates draw."""

from kpis import spc
from kpis.presenters import spc_key
from kpis.rules import RAG_LEGEND


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
