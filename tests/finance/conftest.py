"""An earlier year for the finance pages to compare 2013/14 with: a small 2012/13 schedule
(one line gone since, several new in 2013/14) and its finance summary."""

from datetime import date
from decimal import Decimal

import pytest

from directorates.models import FinancialYear, Organisation
from finance.models import CostLine, FinanceSummaryLine, RunningCostSchedule

EARLIER_POPULATION = 740_000


@pytest.fixture
def earlier_year(demo):
    year = FinancialYear.objects.create(
        organisation=Organisation.objects.get(),
        label="2012-13",
        start_date=date(2012, 4, 1),
        end_date=date(2013, 3, 31),
        status="locked",
        registered_population=EARLIER_POPULATION,
        running_cost_allowance_per_head=Decimal("25.00"),
    )
    schedule = RunningCostSchedule.objects.create(year=year, published_total_gbp=3_100_000)

    def line(order, name, amount, parent=None):
        return CostLine.objects.create(
            schedule=schedule,
            parent=parent,
            name=name,
            amount_gbp=amount,
            published_text=f"{amount:,}",
            display_order=order,
        )

    line(1, "Accountable Officer", 900_000)
    quality = line(2, "QUALITY", 700_000)
    line(3, "Patient safety and risk", 500_000, quality)
    line(4, "Quality improvement", 200_000, quality)
    line(5, "Commissioning support unit", 1_500_000)
    for order, (measure, programme, running, total) in enumerate(
        [
            ("net_operating_costs", 900_000, 17_000, 917_000),
            ("resource_limit", 905_000, 18_000, 923_000),
            ("surplus", 5_000, 1_000, 6_000),
        ],
        start=1,
    ):
        FinanceSummaryLine.objects.create(
            year=year,
            measure=measure,
            programme_gbp_000=programme,
            running_gbp_000=running,
            published_total_gbp_000=total,
            display_order=order,
        )
    return year
