"""The finance pages' reads: the schedule as a tree in its published order, last year's beside
it, the finance summary, each in two queries."""

from decimal import Decimal

from finance import selectors
from finance.models import FinanceSummaryLine


def test_the_schedule_is_a_tree_in_the_published_order(demo, django_assert_num_queries):
    with django_assert_num_queries(2):
        costs = selectors.running_costs("2013-14")

    schedule = costs.schedule
    assert schedule.year.label == "2013-14"
    assert schedule.published_total == Decimal("18730000")
    assert len(schedule.lines) == 51 and len(schedule.top) == 10
    assert [line.level for line in schedule.lines].count(3) == 29
    east = next(line for line in schedule.lines if line.name.startswith("Personal health"))
    assert east.path == (
        "SERVICE DELIVERY",
        "Review Design and Delivery East Dorset",
        "Personal health budgets and telehealth (100%programme)",
    )
    assert (east.level, east.programme_funded, east.published_text) == (3, True, "-0")
    quality = schedule.top[2]
    assert [child.name for child in quality.children] == [
        "Medicines management",
        "Patient safety and risk",
        "Quality improvement",
        "Information governance",
        "MCA team (100% programme)",
    ]
    assert costs.previous is None
    assert costs.outturn_running_000 == Decimal(16730)
    assert costs.has_summary is True


def test_last_years_schedule_comes_in_the_same_two_queries(earlier_year, django_assert_num_queries):
    with django_assert_num_queries(2):
        costs = selectors.running_costs("2013-14")

    assert costs.previous.year.label == "2012-13"
    assert [line.path for line in costs.previous.lines] == [
        ("Accountable Officer",),
        ("QUALITY",),
        ("QUALITY", "Patient safety and risk"),
        ("QUALITY", "Quality improvement"),
        ("Commissioning support unit",),
    ]
    assert selectors.running_costs("2012-13").previous is None


def test_a_year_without_a_schedule_or_unknown_has_none(demo):
    assert selectors.running_costs("2014-15") is None
    assert selectors.running_costs("2099-00") is None
    assert selectors.finance_summary("2014-15") is None
    assert selectors.finance_summary("2099-00") is None


def test_the_finance_summary_and_the_one_before_it(earlier_year, django_assert_num_queries):
    with django_assert_num_queries(2):
        summary = selectors.finance_summary("2013-14")

    assert list(summary.lines) == ["net_operating_costs", "resource_limit", "surplus"]
    surplus = summary.lines["surplus"]
    assert (surplus.label, surplus.programme, surplus.running, surplus.published_total) == (
        "Revenue surplus",
        Decimal(10614),
        Decimal(2000),
        Decimal(12614),
    )
    assert summary.previous_year.label == "2012-13"
    assert summary.previous["resource_limit"].published_total == Decimal(923000)
    assert summary.has_schedule is True


def test_the_year_before_is_the_latest_with_a_summary(earlier_year):
    FinanceSummaryLine.objects.filter(year=earlier_year).delete()

    summary = selectors.finance_summary("2013-14")

    assert summary.previous_year is None and summary.previous == {}
