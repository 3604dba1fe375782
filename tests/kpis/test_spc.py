"""Unit tests of kpis.spc: XmR limits, the four special-cause rules and the two icons.

Pure values, no database. "ptd" is NHSRplotthedots (github.com/nhs-r-community/NHSRplotthedots,
read at commit 050b07d); the tests marked "published" take a series and its expected output from
that package's own tests or vignettes and check that we give the same answer.
"""

from decimal import Decimal

import pytest

from kpis.rules import Direction
from kpis.spc import Assurance, Signal, SpcResult, Variation, xmr

HIGHER, LOWER = Direction.HIGHER, Direction.LOWER
B, R, T, W = Signal.BEYOND_LIMIT, Signal.RUN, Signal.TREND, Signal.TWO_OF_THREE
UP, DOWN = Variation.IMPROVEMENT, Variation.CONCERN


def limits(result: SpcResult, index: int = -1) -> tuple[float, float, float]:
    p = result.points[index]
    return p.lower_limit, p.mean, p.upper_limit


def flagged(result: SpcResult, signal: Signal | None = None) -> list[int]:
    """Indices of the points with any special cause, or with the given signal."""
    return [
        p.index for p in result.points if (p.signals if signal is None else signal in p.signals)
    ]


def causes(result: SpcResult) -> dict[int, Variation]:
    return {p.index: p.special_cause for p in result.points if p.special_cause}


# --- Worked examples -----------------------------------------------------------------------


def test_worked_example_six_points_gives_provisional_limits():
    # mean = (5+7+6+8+7+9)/6 = 42/6 = 7
    # moving ranges 2,1,2,1,2: MR-bar = 8/5 = 1.6; 3.267 x 1.6 = 5.2272 screens out nothing
    # limits = 7 -/+ 2.66 x 1.6 = 7 -/+ 4.256 = 2.744 .. 11.256
    r = xmr([5, 7, 6, 8, 7, 9], direction=HIGHER)
    assert limits(r) == pytest.approx((2.744, 7, 11.256))
    assert [p.moving_range for p in r.points] == [None, 2, 1, 2, 1, 2]
    assert r.limits_status == "provisional"
    assert r.message == "Provisional limits from 6 values: they will settle at 13."
    assert flagged(r) == []
    assert r.variation == Variation.COMMON_CAUSE


def test_worked_example_thirteen_points_screened_and_unscreened():
    values = [1, 3] * 6 + [12]
    # mean = (6 x 1 + 6 x 3 + 12)/13 = 36/13 = 2.769231
    # moving ranges: eleven 2s, then |12 - 3| = 9: MR-bar = 31/12 = 2.583333
    # screened: 3.267 x 2.583333 = 8.43975, so the 9 is left out: MR-bar = 22/11 = 2
    #   limits = 2.769231 -/+ 5.32 = -2.550769 .. 8.089231
    # unscreened (Making Data Count Excel): 2.769231 -/+ 2.66 x 2.583333 = -4.102436 .. 9.640897
    screened = xmr(values, direction=HIGHER)
    assert limits(screened) == pytest.approx((-2.550769, 2.769231, 8.089231), abs=5e-7)
    unscreened = xmr(values, direction=HIGHER, screen_outliers=False)
    assert limits(unscreened) == pytest.approx((-4.102436, 2.769231, 9.640897), abs=5e-7)
    # The screened range is still reported as measured.
    assert screened.points[-1].moving_range == 9
    for r in (screened, unscreened):
        assert r.limits_status == "stable"
        assert r.message is None
        assert causes(r) == {12: UP}
        assert r.points[12].signals == {B}


def test_decimal_and_int_values_become_floats():
    r = xmr([Decimal("5.0"), 7, 6.0, Decimal(8), 7, Decimal("9")], direction=HIGHER)
    assert all(isinstance(p.value, float) for p in r.points)
    assert r.points[0].mean == pytest.approx(7)


# --- Rule 1: beyond a limit ----------------------------------------------------------------

ON_LIMITS = [133] + [17.75, -17.75] * 5 + [-133]
# mean 0; moving ranges 115.25, nine of 35.5, 115.25: total 550, MR-bar = 550/11 = 50
# (3.267 x 50 = 163.35 screens out nothing); limits = 0 -/+ 2.66 x 50 = -133 .. 133 exactly,
# so the first and last points sit exactly on a limit.


def test_a_point_exactly_on_a_limit_is_not_beyond_it():
    r = xmr(ON_LIMITS, direction=HIGHER)
    assert limits(r) == (-133, 0, 133)
    assert flagged(r) == []


def test_a_point_just_outside_a_limit_is_beyond_it():
    # 133.5 moves the mean to 0.5/12 = 0.041667 and MR-bar to 550.5/11 = 50.045455:
    # upper limit 0.041667 + 133.120909 = 133.162576 < 133.5
    r = xmr([133.5, *ON_LIMITS[1:]], direction=HIGHER)
    assert r.points[0].upper_limit == pytest.approx(133.162576)
    assert flagged(r) == [0]
    assert r.points[0].signals == {B}
    assert causes(r) == {0: UP}


# --- Rule 2: a run on one side of the mean ----------------------------------------------------


def test_run_of_seven_each_side_flags_every_point():
    # mean 0; every moving range is 2: limits -/+ 5.32, near a limit beyond -/+ 3.5467
    r = xmr([-1, -3, -1, -3, -1, -3, -1, 1, 3, 1, 3, 1, 3, 1], direction=HIGHER)
    assert limits(r) == pytest.approx((-5.32, 0, 5.32))
    assert flagged(r, R) == list(range(14))
    assert flagged(r) == list(range(14))
    assert causes(r) == {**dict.fromkeys(range(7), DOWN), **dict.fromkeys(range(7, 14), UP)}


def test_run_of_six_is_not_a_run_but_seven_is():
    six = xmr([-1, -3, -1, -3, -1, -3, 1, 3, 1, 3, 1, 3], direction=HIGHER)
    assert flagged(six) == []
    # One more 1 moves the mean to 1/13 = 0.077: the seven points from index 6 are above it.
    seven = xmr([-1, -3, -1, -3, -1, -3, 1, 3, 1, 3, 1, 3, 1], direction=HIGHER)
    assert flagged(seven, R) == list(range(6, 13))


def test_a_point_exactly_on_the_mean_breaks_a_run():
    # mean (-12 + 12)/14 = 0: the 0s at index 3 and 10 sit on it (ptd: sign(y - mean) is 0).
    r = xmr([-1, -3, -1, 0, -3, -1, -3, 3, 1, 3, 0, 1, 3, 1], direction=HIGHER)
    assert r.points[3].mean == 0
    assert flagged(r) == []


# --- Rule 3: a trend ----------------------------------------------------------------------


def test_published_seven_point_trend_rising():
    # ptd tests/testthat/test-ptd_calculate_point_type.R: ptd_seven_point_trend(c(2, 1:7, 3))
    # ends a trend at the 8th point, so the 2nd to 8th points (our 1..7) are its 7 points.
    r = xmr([2, 1, 2, 3, 4, 5, 6, 7, 3], direction=HIGHER)
    assert flagged(r, T) == list(range(1, 8))
    assert causes(r) == dict.fromkeys(range(1, 8), UP)


def test_published_seven_point_trend_falling():
    # Same file: ptd_seven_point_trend(c(2, 7:1, 3)) gives -1 at the 8th point.
    values = [2, 7, 6, 5, 4, 3, 2, 1, 3]
    assert causes(xmr(values, direction=HIGHER)) == dict.fromkeys(range(1, 8), DOWN)
    assert causes(xmr(values, direction=LOWER)) == dict.fromkeys(range(1, 8), UP)


def test_six_rising_points_are_not_a_trend():
    # Same file: ptd_seven_point_trend(1:6) is all 0 (six points are only five intervals).
    assert flagged(xmr([2, 1, 2, 3, 4, 5, 6, 3], direction=HIGHER), T) == []


def test_equal_neighbours_break_a_trend():
    # Same file: ptd_seven_point_trend(c(1:3, 3:6)) is all 0.
    assert flagged(xmr([1, 2, 3, 3, 4, 5, 6], direction=HIGHER), T) == []


def test_turning_point_between_two_trends_takes_the_later_trend():
    # 0 (index 6) rises to 10 (index 13) and falls to 4 (index 19). The 10 is in both trends;
    # like ptd's right-hand rule it takes the falling trend's direction.
    r = xmr([0, 20, 0, 20, 0, 20, 0, 4, 5, 6, 7, 8, 9, 10, 9, 8, 7, 6, 5, 4], direction=HIGHER)
    assert flagged(r) == list(range(6, 20))
    assert causes(r) == {**dict.fromkeys(range(6, 13), UP), **dict.fromkeys(range(13, 20), DOWN)}


def test_a_point_can_carry_several_signals_and_the_trend_decides_its_class():
    # mean 198/14 = 14.142857; moving ranges six 10s, 19, six 1s: MR-bar = 85/13 = 6.538462
    # (3.267 x 6.538462 = 21.36 screens out nothing); lower limit 14.142857 - 17.392308 =
    # -3.249451, near it below 14.142857 - 11.594872 = 2.547985.
    # The 1..7 climb is below the mean (a run: concern) and rising (a trend: improvement);
    # 1 and 2 are also near the lower limit. ptd ranks trend above 2-of-3 above run.
    r = xmr([20, 30, 20, 30, 20, 30, 20, 1, 2, 3, 4, 5, 6, 7], direction=HIGHER)
    assert r.points[7].lower_limit == pytest.approx(-3.249451)
    assert r.points[7].signals == {R, T, W}
    assert r.points[9].signals == {R, T}
    assert all(r.points[i].special_cause == UP for i in range(7, 14))
    # The 20/30 block is a run above the mean, 30s near the upper limit (31.535165 > 30 > 25.69).
    assert r.points[1].signals == {R, W}
    assert r.points[0].signals == {R}


# --- Rule 4: two of three near a limit ---------------------------------------------------------


def test_two_of_three_near_a_limit_on_the_same_side():
    values = [1, -1] * 8
    values[13], values[15] = 5.5, 5.5
    # mean (0 + 6.5 + 6.5)/16 = 0.8125; moving ranges twelve 2s, then 4.5, 4.5, 4.5:
    # MR-bar = 37.5/15 = 2.5 (3.267 x 2.5 = 8.1675 screens out nothing);
    # limits 0.8125 -/+ 6.65 = -5.8375 .. 7.4625; near the upper one above 0.8125 + 4.433333.
    # Window 13..15 (5.5, 1, 5.5) is all above the mean with two points near the limit.
    r = xmr(values, direction=HIGHER)
    assert limits(r) == pytest.approx((-5.8375, 0.8125, 7.4625))
    assert flagged(r) == [13, 15]
    assert r.points[13].signals == {W}
    assert causes(r) == {13: UP, 15: UP}


def test_published_two_of_three_on_opposite_sides_is_common_cause():
    # ptd tests/testthat/test-ptd_spc_standard.R, "it only reports special cause for 2of3
    # points close to limits when they are on the same side of the mean": the last two
    # point_types are common_cause. Hand check: mean 0; moving ranges thirteen 2s, 6.5, 11:
    # MR-bar 43.5/15 = 2.9; 3.267 x 2.9 = 9.4743 screens out the 11: MR-bar = 32.5/14 =
    # 2.321429; limits -/+ 6.175, near beyond -/+ 4.116667: 5.5 and -5.5 are both near.
    values = [1, -1] * 8
    values[14], values[15] = 5.5, -5.5
    r = xmr(values, direction=HIGHER)
    assert limits(r) == pytest.approx((-6.175, 0, 6.175))
    assert flagged(r) == []
    assert r.variation == Variation.COMMON_CAUSE


def test_a_point_beyond_a_limit_does_not_count_towards_two_of_three():
    # mean 38/23 = 1.652174; moving ranges nineteen 2s, 7, 7, 5: MR-bar 57/22 = 2.590909;
    # upper limit 8.543992, near it above 6.246719. 9 is beyond, 7 is near: in ptd only
    # close_to_limits points (not outside_limits ones) count, so 2-of-3 does not fire.
    r = xmr([0, 2] * 10 + [9, 2, 7], direction=HIGHER)
    assert r.points[0].upper_limit == pytest.approx(8.543992)
    assert flagged(r) == [20]
    assert r.points[20].signals == {B}


# --- Outlier screening (published) ------------------------------------------------------------

RNORM_123 = [  # R: set.seed(123); rnorm(20), as printed in ptd's snapshot to 8 decimals
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774,
    1.71506499, 0.46091621, -1.26506123, -0.68685285, -0.44566197,
    1.22408180, 0.35981383, 0.40077145, 0.11068272, -0.55584113,
    1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279140,
]  # fmt: skip


def test_published_rnorm_limits_and_common_cause():
    # ptd tests/testthat/test-ptd_spc_standard.R with _snaps/ptd_spc_standard.md (r1):
    # mean_col 0.1416238, lpl -3.01138, upl 3.294627; _snaps/ptd_spc.md: all 20 common cause.
    r = xmr(RNORM_123, direction=HIGHER, target=0.5)
    assert limits(r, 0) == pytest.approx((-3.01138, 0.1416238, 3.294627), abs=5e-5)
    assert flagged(r) == []
    assert r.variation == Variation.COMMON_CAUSE
    assert r.assurance == Assurance.HIT_AND_MISS


def test_published_rnorm_with_an_outlier_screened_and_not():
    # Same test, y[15] <- 10 (our index 14). r2 (screened): mean 0.6694159, lpl -2.383666,
    # upl 3.722497; r3 (screen_outliers = FALSE): lpl -4.596625, upl 5.935457.
    values = list(RNORM_123)
    values[14] = 10
    screened = xmr(values, direction=HIGHER)
    unscreened = xmr(values, direction=HIGHER, screen_outliers=False)
    assert limits(screened) == pytest.approx((-2.383666, 0.6694159, 3.722497), abs=5e-5)
    assert limits(unscreened) == pytest.approx((-4.596625, 0.6694159, 5.935457), abs=5e-5)


@pytest.mark.parametrize(
    ("screen", "published", "by_hand"),
    [
        # MR-bar 32/17 = 1.882353 screens out the 8 and the 9 (>= 3.267 x 1.882353 = 6.1496):
        # MR-bar = 15/15 = 1, limits 1.944444 -/+ 2.66
        (True, (-0.72, 1.94, 4.6), (-0.715556, 1.944444, 4.604444)),
        # limits 1.944444 -/+ 2.66 x 1.882353 = 5.007059
        (False, (-3.06, 1.94, 6.95), (-3.062614, 1.944444, 6.951503)),
    ],
)
def test_published_deviations_vignette(screen, published, by_hand):
    # ptd vignettes/deviations.Rmd, "Treatment of outlying points": the captions give
    # UPL 4.6 / Mean 1.94 / LPL -0.72 (default) and 6.95 / 1.94 / -3.06 (Excel), and the 10
    # is the only special cause (improvement) on both charts. Mean = 35/18 = 1.944444.
    values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1]
    r = xmr(values, direction=HIGHER, screen_outliers=screen)
    assert tuple(round(x, 2) for x in limits(r)) == published
    assert limits(r) == pytest.approx(by_hand, abs=5e-7)
    assert causes(r) == {4: UP}


def test_flat_series_keeps_limits_on_the_mean():
    # MR-bar is 0; ptd's screen would drop every range (NaN limits). We keep MR-bar 0.
    r = xmr([5] * 8, direction=HIGHER)
    assert limits(r) == (5, 5, 5)
    assert flagged(r) == []


# --- Rebasing ------------------------------------------------------------------------------


def test_rebasing_gives_each_segment_its_own_mean_and_limits():
    # Each segment: mean 2 (then 12), moving ranges all 2, limits mean -/+ 5.32.
    # The jump 3 -> 11 is not a moving range: it crosses the rebase.
    values = [1, 3, 1, 3, 1, 3, 11, 13, 11, 13, 11, 13]
    r = xmr(values, direction=HIGHER, rebase_at=[6], target=5)
    assert [p.segment for p in r.points] == [0] * 6 + [1] * 6
    assert limits(r, 0) == pytest.approx((-3.32, 2, 7.32))
    assert limits(r, 6) == pytest.approx((6.68, 12, 17.32))
    assert r.points[6].moving_range is None
    assert flagged(r) == []
    assert r.assurance == Assurance.PASS  # the latest segment's lower limit 6.68 is above 5
    # Without the rebase: one mean of 7 and the step shows up as special causes.
    whole = xmr(values, direction=HIGHER, target=5)
    assert whole.points[0].mean == 7
    assert whole.assurance == Assurance.HIT_AND_MISS
    assert flagged(whole) != []


def test_rebase_leaving_a_short_latest_segment_has_no_limits_there():
    r = xmr([1, 3, 1, 3, 1, 3, 1, 3, 20, 21], direction=HIGHER, rebase_at=[8], target=0)
    assert limits(r, 0) == pytest.approx((-3.32, 2, 7.32))  # eight values, MR-bar 2
    assert limits(r) == (None, None, None)
    assert r.limits_status == "none"
    assert r.message == (
        "No process limits: they need at least 6 values since the last baseline and there are 2."
    )
    assert r.variation is None and r.assurance is None


def test_rebase_index_out_of_range_is_an_error():
    with pytest.raises(ValueError, match="rebase_at"):
        xmr([1, 2, 3], direction=HIGHER, rebase_at=[3])


# --- How many points ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "status"),
    [
        (0, "none"),
        (1, "none"),
        (5, "none"),
        (6, "provisional"),
        (12, "provisional"),
        (13, "stable"),
    ],
)
def test_limits_status_by_number_of_points(count, status):
    r = xmr(([10, 12] * 7)[:count], direction=HIGHER)
    assert r.limits_status == status


def test_fewer_than_six_points_have_no_limits_signals_or_icons():
    r = xmr([1, 2, 3, 4, 50], direction=HIGHER, target=3)
    assert all(p.mean is None and p.upper_limit is None for p in r.points)
    assert flagged(r) == []
    assert r.message == (
        "No process limits: they need at least 6 values since the last baseline and there are 5."
    )
    assert r.variation is None and r.assurance is None
    assert [p.moving_range for p in r.points] == [None, 1, 1, 1, 46]


def test_no_values_at_all():
    r = xmr([], direction=HIGHER)
    assert r.points == [] and r.limits_status == "none" and r.variation is None
    assert r.message.endswith("there are 0.")


# --- Missing values ----------------------------------------------------------------------------


def test_missing_value_is_kept_but_left_out_of_the_maths():
    # Present: 10, 12, 14, 12, 10, 12, 14: mean 84/7 = 12. Moving ranges 2, -, -, 2, 2, 2, 2:
    # no range across the gap, MR-bar = 2, limits 12 -/+ 5.32. Seven values: provisional.
    r = xmr([10, 12, None, 14, 12, 10, 12, 14], direction=HIGHER)
    assert [p.value for p in r.points][2] is None
    assert limits(r, 2) == pytest.approx((6.68, 12, 17.32))
    assert [p.moving_range for p in r.points] == [None, 2, None, None, 2, 2, 2, 2]
    assert r.points[2].signals == frozenset() and r.points[2].special_cause is None
    assert r.message == "Provisional limits from 7 values: they will settle at 13."


def test_missing_values_do_not_count_towards_the_six():
    r = xmr([1, 2, None, 3, 4, 5], direction=HIGHER)
    assert r.limits_status == "none"


def test_no_consecutive_values_means_no_moving_range_and_no_limits():
    r = xmr([1, None, 2, None, 3, None, 4, None, 5, None, 6], direction=HIGHER)
    assert r.limits_status == "none"
    assert r.message == "No process limits: no two consecutive periods have values to compare."


def test_missing_value_breaks_a_run():
    # Seven periods below the mean, but one of them was not collected: no run there.
    r = xmr([-1, -3, -1, None, -3, -1, -3, 1, 3, 1, 3, 1, 3, 1], direction=HIGHER)
    assert flagged(r) == list(range(7, 14))


def test_variation_reads_the_latest_value_when_the_last_period_is_missing():
    r = xmr([1, 3] * 6 + [12, None], direction=HIGHER)
    assert r.variation == UP


# --- Icons ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "expected"),
    [(HIGHER, UP), (LOWER, DOWN), (None, Variation.NEITHER)],
)
def test_variation_icon_from_the_latest_point(direction, expected):
    # The last point (12) is above the upper limit 8.089231 (worked example above).
    r = xmr([1, 3] * 6 + [12], direction=direction)
    assert r.variation == expected
    assert r.points[-1].special_cause == expected


def test_variation_icon_low_point():
    r = xmr([1, 3] * 6 + [-8], direction=LOWER)
    assert r.variation == UP
    assert xmr([1, 3] * 6 + [-8], direction=HIGHER).variation == DOWN


@pytest.mark.parametrize(
    ("target", "direction", "expected"),
    [
        # Limits are exactly -133 .. 133. ptd tests/testthat/test-ptd_calculate_assurance_type.R
        # checks target > upl (fail when increasing), target < lpl (pass), else inconsistent;
        # its inequalities are strict, so a target exactly on a limit is hit and miss.
        (-133.01, HIGHER, Assurance.PASS),
        (-133, HIGHER, Assurance.HIT_AND_MISS),
        (0, HIGHER, Assurance.HIT_AND_MISS),
        (133, HIGHER, Assurance.HIT_AND_MISS),
        (133.01, HIGHER, Assurance.FAIL),
        (133.01, LOWER, Assurance.PASS),
        (133, LOWER, Assurance.HIT_AND_MISS),
        (-133, LOWER, Assurance.HIT_AND_MISS),
        (-133.01, LOWER, Assurance.FAIL),
        (Decimal("-200"), HIGHER, Assurance.PASS),
    ],
)
def test_assurance_icon(target, direction, expected):
    assert xmr(ON_LIMITS, direction=direction, target=target).assurance == expected


def test_no_assurance_without_a_target_or_a_direction():
    assert xmr(ON_LIMITS, direction=HIGHER).assurance is None
    assert xmr(ON_LIMITS, direction=None, target=500).assurance is None
