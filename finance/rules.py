"""Pure running-cost arithmetic: £ per head, share of the total, and published subtotals."""

from decimal import ROUND_HALF_UP, Decimal

PENNY = Decimal("0.01")


def per_head(amount: Decimal, population: int) -> Decimal:
    """£ per head of registered population, to the penny, as the schedule prints it."""
    return (Decimal(amount) / Decimal(population)).quantize(PENNY, ROUND_HALF_UP)


def share_percent(amount: Decimal, total: Decimal) -> Decimal:
    """A line's share of the schedule total, in per cent to two places."""
    return (Decimal(amount) * 100 / Decimal(total)).quantize(PENNY, ROUND_HALF_UP)


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
