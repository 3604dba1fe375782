"""Pure running-cost arithmetic: £ per head, share of the total, and published subtotals."""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def per_head(amount: Decimal, population: int, *, places: int = 2) -> Decimal:
    """£ per head of registered population, to the penny, as the schedule prints it."""
    return (Decimal(amount) / Decimal(population)).quantize(_unit(places), ROUND_HALF_UP)


def share_percent(amount: Decimal, total: Decimal, *, places: int = 2) -> Decimal:
    """A line's share of the schedule total, in per cent to two places."""
    return (Decimal(amount) * 100 / Decimal(total)).quantize(_unit(places), ROUND_HALF_UP)


def _unit(places: int) -> Decimal:
    # A figure printed with fewer places ('100%') is checked at its own precision, rounded
    # once from the exact quotient rather than again from the two-place value.
    return PENNY if places == 2 else Decimal(1).scaleb(-places)


def subtotal_difference(published: Decimal, children: list[Decimal]) -> Decimal:
    """How far a printed subtotal is from the sum of its printed children.

    Source rounding leaves some subtotals £1 out; the portal keeps what was published and
    shows this difference rather than "fixing" either figure.
    """
    return Decimal(published) - sum((Decimal(c) for c in children), Decimal(0))


def total(programme: Decimal, running: Decimal) -> Decimal:
    return Decimal(programme) + Decimal(running)


def surplus(resource_limit: Decimal, net_operating_costs: Decimal) -> Decimal:
    """Revenue surplus = Revenue Resource Limit − net operating costs."""
    return Decimal(resource_limit) - Decimal(net_operating_costs)


def change(now: Decimal, before: Decimal) -> Decimal:
    """A figure's change on the year before: positive when it grew."""
    return Decimal(now) - Decimal(before)


def from_thousands(gbp_000: Decimal) -> Decimal:
    """Pounds from a figure published in £'000 (the finance summary's unit)."""
    return Decimal(gbp_000) * 1000


def under_allowance(allowance_per_head: Decimal, per_head: Decimal) -> Decimal:
    """How far a figure a head is under the running-cost allowance (negative when over)."""
    return Decimal(allowance_per_head) - Decimal(per_head)
