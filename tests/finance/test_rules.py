"""Running-cost arithmetic at the precision a figure is printed with."""

from decimal import Decimal

from finance import rules


def test_per_head_and_share_default_to_two_places():
    assert rules.per_head(Decimal("966850"), 749_179) == Decimal("1.29")
    assert rules.share_percent(Decimal("966850"), Decimal("18730000")) == Decimal("5.16")


def test_fewer_places_round_once_from_the_exact_quotient():
    # 2.495% would be 2.50 to two places and then 3 to none; once, from 2.495, it is 2.
    assert rules.share_percent(Decimal("2495"), Decimal("100000")) == Decimal("2.50")
    assert rules.share_percent(Decimal("2495"), Decimal("100000"), places=0) == Decimal("2")
    assert rules.per_head(Decimal("1250"), 1000, places=1) == Decimal("1.3")
