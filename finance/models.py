"""Running-cost schedules (a tree of cost lines with published amounts) and the finance summary."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from directorates.models import Directorate, FinancialYear
from finance import rules


class RunningCostSchedule(models.Model):
    year = models.OneToOneField(
        FinancialYear, on_delete=models.PROTECT, related_name="running_costs"
    )
    title = models.CharField(
        max_length=200, default="Directorate running cost per head of the population"
    )
    population_note = models.CharField(max_length=300, blank=True)
    published_total_gbp = models.DecimalField(max_digits=16, decimal_places=2)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["year"]

    def __str__(self):
        return f"Running costs {self.year}"


class CostLine(models.Model):
    """A line of a running-cost schedule: a top-level line, a group or a team under it."""

    schedule = models.ForeignKey(
        RunningCostSchedule, on_delete=models.CASCADE, related_name="lines"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="cost_lines"
    )
    name = models.CharField(max_length=200)
    amount_gbp = models.DecimalField(max_digits=16, decimal_places=2)
    published_text = models.CharField(
        max_length=40, blank=True, help_text="The amount as printed, e.g. '-0'."
    )
    programme_funded = models.BooleanField(
        default=False, help_text="No running cost: 100% programme funded."
    )
    note = models.CharField(max_length=300, blank=True)
    display_order = models.PositiveSmallIntegerField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["schedule", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "display_order"], name="costline_unique_order"
            ),
            models.UniqueConstraint(
                fields=["schedule", "parent", "name"], name="costline_unique_name_under_parent"
            ),
            models.UniqueConstraint(
                fields=["schedule", "name"],
                condition=Q(parent__isnull=True),
                name="costline_unique_top_level_name",
            ),
            models.CheckConstraint(
                name="costline_programme_funded_costs_nothing",
                condition=Q(programme_funded=False) | Q(amount_gbp=0),
            ),
        ]

    def __str__(self):
        return self.name


class FinanceSummaryLine(models.Model):
    """A row of the year's finance summary, in £'000 as published."""

    class Measure(models.TextChoices):
        NET_OPERATING_COSTS = (
            "net_operating_costs",
            "Total net operating costs for the financial year",
        )
        RESOURCE_LIMIT = "resource_limit", "Revenue Resource Limit"
        SURPLUS = "surplus", "Revenue surplus"

    year = models.ForeignKey(
        FinancialYear, on_delete=models.PROTECT, related_name="finance_summary"
    )
    measure = models.CharField(max_length=30, choices=Measure.choices)
    programme_gbp_000 = models.DecimalField(max_digits=14, decimal_places=0)
    running_gbp_000 = models.DecimalField(max_digits=14, decimal_places=0)
    published_total_gbp_000 = models.DecimalField(max_digits=14, decimal_places=0)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "measure"], name="finance_summary_once_per_measure"
            ),
            models.CheckConstraint(
                name="finance_summary_measure_valid",
                condition=Q(measure__in=["net_operating_costs", "resource_limit", "surplus"]),
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_display()} {self.year}"

    @property
    def total_gbp_000(self):
        return rules.total(self.programme_gbp_000, self.running_gbp_000)
