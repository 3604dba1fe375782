"""Statistical process control: XmR charts, special causes and icons, read as Making Data Count.

Pure values in, plain values out, like ``kpis.rules``. The reference implementation is the NHS-R
community's NHSRplotthedots (R); "ptd" below names a file of that package, read at commit 050b07d
(2025-09-29). Our behaviour follows its defaults unless a note here says otherwise.

Numbers: values arrive as Decimal, int or float and are converted with ``float()``. Process limits
are statistical estimates, not money, so floats are the right tool; nothing is rounded here and
callers round for display.

The maths, per baseline segment (ptd_spc_standard.R):

* mean = mean of the segment's values; moving range = |x_i - x_(i-1)| inside the segment;
  MR-bar = mean of the segment's moving ranges; limits = mean +/- 2.66 x MR-bar.
* Outlier screening (``screen_outliers=True``, ptd's default, after Nelson 1982): one pass only.
  Moving ranges not strictly below 3.267 x MR-bar are left out and MR-bar is recomputed once;
  the mean is unaffected. ``screen_outliers=False`` matches the Making Data Count Excel tool
  (ptd vignettes/deviations.Rmd). Our departure: if MR-bar is 0 (a flat series), ptd screens out
  every range and gets no limits (NaN); we keep MR-bar = 0, so the limits sit on the mean.
* "Near a limit" is two-thirds of the way from the mean to a limit: mean +/- (2/3 x 2.66) x
  MR-bar, as ptd does. (This is 2 sigma with sigma = MR-bar/1.128 to three figures; we use ptd's
  constant rather than 2/1.128, which differs in the fourth figure.)
* Rebasing (``rebase_at``, ptd_add_rebase_column.R): each index starts a new segment with its
  own mean and limits; moving ranges and all four patterns stay inside a segment, as ptd groups
  by rebase_group. Segments are numbered from 0; a rebase at index 0 changes nothing.
* Missing values (None): ptd does not drop NA rows (it asks for no gaps and its pattern rules
  are undefined over NA). We keep the period in the output with no signals, leave it out of the
  mean, and, as ptd's ``c(NA, abs(diff(y)))`` does, take no moving range across it. A missing
  period also breaks runs, trends and two-of-three windows: we do not know what happened there.

Minimum points (the portal's thresholds, from Wheeler's "five or six values" quoted in ptd
vignettes/number-of-points-required.Rmd): below 6 non-missing values a segment has no limits
and no signals (all four patterns need limits or at least 7 points). 6 to 12 values give
provisional limits; 13 or more, stable. ptd instead computes limits from any number of points
and only warns below 13 (ptd_add_short_group_warnings.R). ptd's fix_after_n_points is not offered.

Special-cause rules (ptd_calculate_point_type.R), each flagging every point in the pattern:

1. ``BEYOND_LIMIT``: strictly above the upper or below the lower limit.
2. ``RUN``: 7 or more consecutive points on the same side of the mean; a point exactly on the
   mean breaks the run (its side is 0 in ptd).
3. ``TREND``: 7 or more consecutive points each strictly higher (or lower) than the one before:
   6 intervals. Equal neighbours break the trend (ptd's sign(diff) is 0).
4. ``TWO_OF_THREE``: in three consecutive points all on the same side of the mean, two or more
   are near a limit; those near points are flagged. As in ptd, a point beyond a limit is not
   "near" (it is flagged by rule 1), so it does not count towards this rule.

A point's class (improvement or concern) comes from its first pattern in ptd's order: beyond
limit, trend, two-of-three, run. Above the mean or in a rising trend is "high"; high is an
improvement when higher is better. A trend's point takes the trend's direction; a turning point
shared by a rising and a falling trend takes the later trend, as ptd's right-hand rule does.
(Departure: ptd reads direction off the neighbouring step, which mislabels a point between two
separate trends; we use the trend the point belongs to.) ``direction=None`` is ptd's "neutral":
special causes are ``NEITHER`` and there is no assurance.

Icons: variation is the latest non-missing point's class (None when its segment has no limits;
ptd always draws one). Assurance (ptd_calculate_assurance_type.R) compares the target with the
latest segment's limits, with ptd's strict inequalities: higher is better, target < lower limit
is a consistent pass, target > upper limit a consistent fail, anything else, including a target
exactly on a limit, hit and miss; mirrored for lower is better. None without a target or limits.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from kpis.rules import Direction

LIMIT_FACTOR = 2.66  # 3 / d2 with d2 = 1.128 for moving ranges of two
NEAR_FACTOR = 2 * LIMIT_FACTOR / 3
OUTLIER_FACTOR = 3.267  # D4 for ranges of two: the upper limit of the moving-range chart
MIN_POINTS = 6
STABLE_POINTS = 13
PATTERN_POINTS = 7
NEAR_WINDOW = 3  # rule 4 looks at this many points in a row
NEAR_POINTS = 2  # of which this many near a limit make a special cause


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT = "improvement"
    CONCERN = "concern"
    NEITHER = "neither"  # special cause on a KPI with no direction (ptd's "neutral")


class Assurance(StrEnum):
    PASS = "consistent_pass"  # noqa: S105 (an icon name, not a password)
    FAIL = "consistent_fail"
    HIT_AND_MISS = "hit_and_miss"


class Signal(StrEnum):
    BEYOND_LIMIT = "beyond_limit"
    RUN = "run"
    TREND = "trend"
    TWO_OF_THREE = "two_of_three"


# The order ptd's case_when gives a point's class when it is in several patterns.
PRECEDENCE = (Signal.BEYOND_LIMIT, Signal.TREND, Signal.TWO_OF_THREE, Signal.RUN)


@dataclass(frozen=True)
class SpcPoint:
    index: int
    value: float | None
    mean: float | None
    lower_limit: float | None
    upper_limit: float | None
    moving_range: float | None  # as measured: a range screened out of MR-bar is still shown
    signals: frozenset[Signal]
    special_cause: Variation | None  # None is common cause (or no limits to judge by)
    segment: int


@dataclass(frozen=True)
class SpcResult:
    points: list[SpcPoint]
    variation: Variation | None
    assurance: Assurance | None
    limits_status: str  # "none", "provisional" or "stable", for the latest segment
    message: str | None


@dataclass(frozen=True)
class _Limits:
    mean: float
    lower: float
    upper: float
    near_lower: float
    near_upper: float


def _mean(xs: Sequence[float]) -> float:
    return math.fsum(xs) / len(xs)


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def _moving_ranges(ys: Sequence[float | None]) -> list[float | None]:
    """|x_i - x_(i-1)|; None for the segment's first point and on either side of a gap."""
    return [None] + [
        None if a is None or b is None else abs(b - a) for a, b in zip(ys, ys[1:], strict=False)
    ]


def _limits(ys: Sequence[float | None], screen_outliers: bool) -> _Limits | None:
    present = [y for y in ys if y is not None]
    ranges = [r for r in _moving_ranges(ys) if r is not None]
    if len(present) < MIN_POINTS or not ranges:
        return None
    mr_bar = _mean(ranges)
    if screen_outliers and mr_bar > 0:
        # One pass, as ptd: screen against the first MR-bar, recompute, and stop.
        mr_bar = _mean([r for r in ranges if r < OUTLIER_FACTOR * mr_bar])
    mean, spread, near = _mean(present), LIMIT_FACTOR * mr_bar, NEAR_FACTOR * mr_bar
    return _Limits(mean, mean - spread, mean + spread, mean - near, mean + near)


def _stretches(keys: Sequence[int | None]) -> Iterator[tuple[int, int, int]]:
    """Maximal stretches (first, last, key) of equal keys; None and 0 belong to no stretch."""
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            if keys[start]:
                yield start, i - 1, keys[start]
            start = i


def _beyond_limit(ys: Sequence[float | None], lim: _Limits) -> dict[int, int]:
    """Rule 1: each point strictly outside a process limit, with its side of the mean."""
    return {
        i: _sign(y - lim.mean)
        for i, y in enumerate(ys)
        if y is not None and (y > lim.upper or y < lim.lower)
    }


def _run(ys: Sequence[float | None], lim: _Limits) -> dict[int, int]:
    """Rule 2: 7 or more in a row on one side of the mean; on the mean or missing breaks it."""
    sides = [None if y is None else _sign(y - lim.mean) for y in ys]
    flagged = {}
    for first, last, side in _stretches(sides):
        if last - first + 1 >= PATTERN_POINTS:
            flagged.update(dict.fromkeys(range(first, last + 1), side))
    return flagged


def _trend(ys: Sequence[float | None], lim: _Limits) -> dict[int, int]:
    """Rule 3: 7 or more points each rising (or each falling): 6 steps the same way.

    Needs no limits (``lim`` keeps the rules' common signature), but like ptd we only look for
    trends where there are limits: with fewer than 6 values there cannot be 7 in a row anyway.
    """
    # steps[i] is the step into point i; equal neighbours (0) and gaps (None) break a trend.
    steps = [None] + [
        None if a is None or b is None else _sign(b - a) for a, b in zip(ys, ys[1:], strict=False)
    ]
    flagged: dict[int, int] = {}
    for first, last, way in _stretches(steps):
        if last - first + 1 >= PATTERN_POINTS - 1:
            # Later trends overwrite a shared turning point, as ptd's right-hand rule does.
            flagged.update(dict.fromkeys(range(first - 1, last + 1), way))
    return flagged


def _two_of_three(ys: Sequence[float | None], lim: _Limits) -> dict[int, int]:
    """Rule 4: 2 of 3 in a row near a limit (not beyond it), all 3 on one side of the mean."""

    def near(y: float) -> bool:
        return lim.near_upper < y <= lim.upper or lim.lower <= y < lim.near_lower

    flagged = {}
    for i in range(len(ys) - NEAR_WINDOW + 1):
        window = ys[i : i + NEAR_WINDOW]
        if None in window:  # a missing period breaks the window, as an NA does in ptd
            continue
        sides = {_sign(y - lim.mean) for y in window}
        if len(sides) == 1 and 0 not in sides and sum(map(near, window)) >= NEAR_POINTS:
            (side,) = sides
            flagged.update({i + j: side for j, y in enumerate(window) if near(y)})
    return flagged


RULES = {
    Signal.BEYOND_LIMIT: _beyond_limit,
    Signal.RUN: _run,
    Signal.TREND: _trend,
    Signal.TWO_OF_THREE: _two_of_three,
}


def _classify(way: int, direction: Direction | None) -> Variation:
    """A high (+1) or low (-1) special cause, read against the KPI's direction."""
    if direction is None:
        return Variation.NEITHER
    better = way if direction == Direction.HIGHER else -way
    return Variation.IMPROVEMENT if better > 0 else Variation.CONCERN


def _segment_points(
    ys: Sequence[float | None],
    offset: int,
    segment: int,
    direction: Direction | None,
    screen_outliers: bool,
) -> tuple[list[SpcPoint], _Limits | None]:
    lim = _limits(ys, screen_outliers)
    found = {signal: rule(ys, lim) for signal, rule in RULES.items()} if lim else {}
    points = []
    for i, (y, mr) in enumerate(zip(ys, _moving_ranges(ys), strict=True)):
        hits = [signal for signal in PRECEDENCE if i in found.get(signal, {})]
        points.append(
            SpcPoint(
                index=offset + i,
                value=y,
                mean=lim.mean if lim else None,
                lower_limit=lim.lower if lim else None,
                upper_limit=lim.upper if lim else None,
                moving_range=mr,
                signals=frozenset(hits),
                special_cause=_classify(found[hits[0]][i], direction) if hits else None,
                segment=segment,
            )
        )
    return points, lim


def _assurance(target: float, lim: _Limits, direction: Direction) -> Assurance:
    """ptd's strict inequalities: a target exactly on a limit is hit and miss."""
    if target < lim.lower:
        return Assurance.PASS if direction == Direction.HIGHER else Assurance.FAIL
    if target > lim.upper:
        return Assurance.FAIL if direction == Direction.HIGHER else Assurance.PASS
    return Assurance.HIT_AND_MISS


def _status(count: int, lim: _Limits | None) -> tuple[str, str | None]:
    if lim is None:
        if count >= MIN_POINTS:
            return "none", "No process limits: no two consecutive periods have values to compare."
        return "none", (
            f"No process limits: they need at least {MIN_POINTS} values since the last "
            f"baseline and there {'is' if count == 1 else 'are'} {count}."
        )
    if count < STABLE_POINTS:
        return "provisional", (
            f"Provisional limits from {count} values: they will settle at {STABLE_POINTS}."
        )
    return "stable", None


def xmr(
    values: Sequence[float | Decimal | int | None],
    *,
    direction: Direction | None,
    target: float | Decimal | int | None = None,
    rebase_at: Sequence[int] = (),
    screen_outliers: bool = True,
) -> SpcResult:
    """An XmR chart of ``values`` (oldest first) with its special causes and icons.

    ``direction=None`` is a KPI where neither way is better. ``rebase_at`` holds indices where
    an admin started a new baseline; it is never inferred here. See the module docstring.
    """
    ys = [None if v is None else float(v) for v in values]
    if any(not 0 <= r < max(len(ys), 1) for r in rebase_at):
        raise ValueError(f"rebase_at indices must lie within 0..{len(ys) - 1}: {rebase_at!r}")
    bounds = sorted({0, *rebase_at, len(ys)})
    points: list[SpcPoint] = []
    lim = None
    for segment, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
        seg_points, lim = _segment_points(ys[start:end], start, segment, direction, screen_outliers)
        points.extend(seg_points)
    latest = [p for p in points if p.segment == (points[-1].segment if points else 0)]
    status, message = _status(sum(p.value is not None for p in latest), lim)
    observed = [p for p in latest if p.value is not None]
    variation = None
    if lim is not None and observed:
        variation = observed[-1].special_cause or Variation.COMMON_CAUSE
    assurance = None
    if target is not None and lim is not None and direction is not None:
        assurance = _assurance(float(target), lim, direction)
    return SpcResult(points, variation, assurance, status, message)


def concern(result: SpcResult) -> str | None:
    """In words, what in an SPC result a return must explain, or None.

    The latest point showing special cause of concern, or a process that will consistently
    fail its target, needs commentary before the return is submitted.
    """
    if result.variation == Variation.CONCERN:
        return "special cause of concern that statistical process control shows"
    if result.assurance == Assurance.FAIL:
        return "consistent failure to meet the target that statistical process control shows"
    return None
