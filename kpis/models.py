"""KPIs (identity across years), their per-year set-up and targets, and their figures."""

import functools
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from common.limits import largest
from directorates.models import FinancialYear, Team
from kpis import rules


def _choices(enum, labels=None) -> list[tuple[str, str]]:
    labels = labels or {}
    return [(m.value, labels.get(m, m.value.replace("_", " ").capitalize())) for m in enum]


FREQUENCY_CHOICES = _choices(rules.Frequency)
MEASURE_CHOICES = _choices(
    rules.Measure,
    {
        rules.Measure.COUNT_VALUE: "Count with £ value",
        rules.Measure.RATIO: "Numerator / denominator",
        rules.Measure.COUNT_PAIR: "Two counts",
    },
)
ROLLUP_CHOICES = _choices(
    rules.Rollup,
    {
        rules.Rollup.SUM: "Total of the months",
        rules.Rollup.MEAN: "Average of the months",
        rules.Rollup.LATEST: "Latest month",
        rules.Rollup.CUMULATIVE: "Cumulative (year to date)",
    },
)
TARGET_KIND_CHOICES = _choices(
    rules.TargetKind,
    {
        rules.TargetKind.NONE: "No target (N/A)",
        rules.TargetKind.PER_PERIOD: "Each quarter",
        rules.TargetKind.ANNUAL: "For the year",
        rules.TargetKind.PERCENT: "A rate (%)",
        rules.TargetKind.INCREASE: "Annual increase on last year",
    },
)
DIRECTION_CHOICES = _choices(
    rules.Direction,
    {rules.Direction.HIGHER: "Higher is better", rules.Direction.LOWER: "Lower is better"},
)
RAG_CHOICES = _choices(rules.Rag)


def _in_choices(field: str, choices) -> Q:
    return Q(**{f"{field}__in": [value for value, _ in choices]})


class Kpi(models.Model):
    """A KPI keeps its identity from year to year, so its history and trend span years."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Counts changes to anything its SPC reads (figures, set-up, rebases): see KpiSpcState.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "KPI"

    def __str__(self):
        return self.name


class KpiYearQuerySet(models.QuerySet):
    def for_schedule(self, year):
        """A year's reported KPIs in schedule order, with what a schedule row prints."""
        return (
            self.filter(year=year, is_reported=True)
            .select_related("kpi", "team__directorate", "team__parent", "year")
            .order_by("display_order")  # the schedule's own order, set per year
        )


# What a KPI year's target is judged by (``KpiYear.target_spec``), in ``spec_from``'s order:
# reads that build specs without whole rows load just these.
TARGET_SPEC_FIELDS = (
    "target_kind",
    "target_value",
    "direction",
    "measure",
    "rollup",
    "amber_tolerance",
)


class KpiYear(models.Model):
    """A KPI's set-up for one year: owner, shape, roll-up, target, direction and tolerance."""

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="years")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="kpi_years")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="kpi_years")
    is_reported = models.BooleanField(default=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    schedule_heading = models.CharField(
        max_length=100,
        blank=True,
        help_text="Section the schedule prints it under, if not the directorate.",
    )
    frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    measure = models.CharField(max_length=12, choices=MEASURE_CHOICES)
    unit = models.CharField(max_length=40, blank=True, help_text="For example 'challenges', 'WTE'.")
    secondary_label = models.CharField(
        max_length=60, blank=True, help_text="What the second of two counts is, e.g. 'published'."
    )
    numerator_label = models.CharField(
        max_length=60,
        blank=True,
        help_text="What a numerator/denominator KPI's numerator counts, e.g. 'meetings attended'; "
        "the return form labels its input so (empty: 'Numerator').",
    )
    denominator_label = models.CharField(
        max_length=60,
        blank=True,
        help_text="What its denominator counts, e.g. 'meetings held' (empty: 'Denominator').",
    )
    rollup = models.CharField(max_length=10, choices=ROLLUP_CHOICES)
    target_kind = models.CharField(max_length=10, choices=TARGET_KIND_CHOICES)
    target_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target_text = models.CharField(max_length=100, blank=True, help_text="The target as published.")
    direction = models.CharField(max_length=6, choices=DIRECTION_CHOICES, default="higher")
    amber_tolerance = models.DecimalField(
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=f"Fraction of the target; empty means {rules.DEFAULT_AMBER_TOLERANCE}.",
    )

    history = HistoricalRecords()
    objects = KpiYearQuerySet.as_manager()

    class Meta:
        ordering = ["year", "display_order"]
        verbose_name = "KPI year"
        constraints = [
            models.UniqueConstraint(fields=["kpi", "year"], name="kpiyear_once_per_year"),
            models.CheckConstraint(
                name="kpiyear_frequency_valid",
                condition=_in_choices("frequency", FREQUENCY_CHOICES),
            ),
            models.CheckConstraint(
                name="kpiyear_measure_valid", condition=_in_choices("measure", MEASURE_CHOICES)
            ),
            models.CheckConstraint(
                name="kpiyear_rollup_valid", condition=_in_choices("rollup", ROLLUP_CHOICES)
            ),
            models.CheckConstraint(
                name="kpiyear_direction_valid",
                condition=_in_choices("direction", DIRECTION_CHOICES),
            ),
            models.CheckConstraint(
                name="kpiyear_target_value_matches_kind",
                condition=Q(target_kind__in=["none", "increase"], target_value__isnull=True)
                | Q(target_kind__in=["per_period", "annual"], target_value__gte=0)
                | Q(target_kind="percent", target_value__gte=0, target_value__lte=100),
            ),
            models.CheckConstraint(
                name="kpiyear_tolerance_fraction",
                condition=Q(amber_tolerance__isnull=True)
                | Q(amber_tolerance__gte=0, amber_tolerance__lte=1),
            ),
        ]

    def __str__(self):
        return f"{self.kpi.name} ({self.year})"

    @property
    def tolerance(self) -> Decimal:
        return (
            self.amber_tolerance
            if self.amber_tolerance is not None
            else rules.DEFAULT_AMBER_TOLERANCE
        )

    def target_spec(self) -> rules.TargetSpec:
        return self.spec_from(*(getattr(self, name) for name in TARGET_SPEC_FIELDS))

    @staticmethod
    @functools.lru_cache(maxsize=1024)  # specs are immutable and a thousand KPIs share a few
    def spec_from(
        target_kind, target_value, direction, measure, rollup, amber_tolerance
    ) -> rules.TargetSpec:
        """The target spec of a KPI year's fields, for reads that take values, not instances."""
        return rules.TargetSpec(
            kind=rules.TargetKind(target_kind),
            value=target_value,
            direction=rules.Direction(direction),
            measure=rules.Measure(measure),
            rollup=rules.Rollup(rollup),
            tolerance=amber_tolerance
            if amber_tolerance is not None
            else rules.DEFAULT_AMBER_TOLERANCE,
        )


# Months of each quarter in an April-March year: Q1 = Apr-Jun … Q4 = Jan-Mar.
QUARTER_MONTHS = {1: (4, 5, 6), 2: (7, 8, 9), 3: (10, 11, 12), 4: (1, 2, 3)}
VALUE_FIELDS = ("count", "count_2", "numerator", "denominator", "amount_gbp", "percent", "value")


class Figure(models.Model):
    """One KPI's figure for a quarter (month empty) or for one month of a quarter.

    Where it stands in the workflow is its team's return's status (TeamReturn), not its own.
    """

    kpi_year = models.ForeignKey(KpiYear, on_delete=models.PROTECT, related_name="figures")
    quarter = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1-12; empty for the quarter."
    )
    not_collected = models.BooleanField(default=False, help_text="Published as '*'.")
    count = models.PositiveBigIntegerField(null=True, blank=True)
    count_2 = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="Second of two counts."
    )
    numerator = models.PositiveBigIntegerField(null=True, blank=True)
    denominator = models.PositiveBigIntegerField(null=True, blank=True)
    amount_gbp = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    published_text = models.CharField(
        max_length=100, blank=True, help_text="The cell as published."
    )
    commentary = models.TextField(blank=True)
    self_assessed_rag = models.CharField(max_length=5, choices=RAG_CHOICES, blank=True)
    self_assessment_reason = models.TextField(
        blank=True, help_text="Why the self-assessed RAG differs from the computed one."
    )
    # Optimistic locking: a save carries the version it read and the UPDATE checks it.
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi_year", "quarter", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi_year", "quarter"],
                condition=Q(month__isnull=True),
                name="figure_once_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["kpi_year", "month"],
                condition=Q(month__isnull=False),
                name="figure_once_per_month",
            ),
            models.CheckConstraint(
                name="figure_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
            models.CheckConstraint(
                name="figure_month_in_its_quarter",
                condition=Q(month__isnull=True)
                | Q(quarter=1, month__in=QUARTER_MONTHS[1])
                | Q(quarter=2, month__in=QUARTER_MONTHS[2])
                | Q(quarter=3, month__in=QUARTER_MONTHS[3])
                | Q(quarter=4, month__in=QUARTER_MONTHS[4]),
            ),
            models.CheckConstraint(
                name="figure_not_collected_has_no_values",
                condition=Q(not_collected=False)
                | Q(**{f"{f}__isnull": True for f in VALUE_FIELDS}),
            ),
            models.CheckConstraint(
                name="figure_denominator_positive",
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
            ),
            models.CheckConstraint(
                name="figure_numerator_within_denominator",
                condition=Q(numerator__isnull=True)
                | Q(denominator__isnull=True)
                | Q(numerator__lte=F("denominator")),
            ),
            models.CheckConstraint(
                name="figure_amounts_not_negative",
                condition=(Q(amount_gbp__isnull=True) | Q(amount_gbp__gte=0))
                & (Q(value__isnull=True) | Q(value__gte=0)),
            ),
            models.CheckConstraint(
                name="figure_percent_0_to_100",
                condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
            ),
            models.CheckConstraint(
                name="figure_rag_valid",
                condition=Q(self_assessed_rag="") | _in_choices("self_assessed_rag", RAG_CHOICES),
            ),
            models.CheckConstraint(name="figure_version_positive", condition=Q(version__gte=1)),
        ]

    def __str__(self):
        period = f"M{self.month}" if self.month else f"Q{self.quarter}"
        return f"{self.kpi_year} {period}"

    @property
    def values(self) -> rules.FigureValues:
        return rules.FigureValues(
            not_collected=self.not_collected,
            count=self.count,
            count_2=self.count_2,
            numerator=self.numerator,
            denominator=self.denominator,
            amount_gbp=self.amount_gbp,
            percent=self.percent,
            value=self.value,
        )


# The largest value each part of a figure holds (its column's size). kpis/shapes.py refuses a
# larger one, for the return form and the importers alike, before the database would.
FIGURE_LIMITS = {name: largest(Figure._meta.get_field(name)) for name in VALUE_FIELDS}
TARGET_LIMIT = largest(KpiYear._meta.get_field("target_value"))


DECIMAL_PLACES = {
    name: Figure._meta.get_field(name).decimal_places for name in ("amount_gbp", "percent", "value")
}


def stored(values: rules.FigureValues) -> rules.FigureValues:
    """The figure as the database will hold it (Figure's decimal places, rounded half to
    even as Django rounds a decimal for its column), so that a figure read back compares
    equal to the one written: a rolled-up rate or a mean of months has many more places."""
    return replace(
        values,
        **{
            name: getattr(values, name).quantize(Decimal(1).scaleb(-places), ROUND_HALF_EVEN)
            for name, places in DECIMAL_PLACES.items()
            if getattr(values, name) is not None
        },
    )


class ReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned"
    APPROVED = "approved", "Approved"


# A return in these statuses locks its figures until an admin reopens it (kpis/locks.py).
LOCKING_STATUSES = frozenset({ReturnStatus.APPROVED})


class TeamReturn(models.Model):
    """A team's return for one quarter: the unit that is submitted, approved and locked.

    Every write to the team's figures for the quarter locks this row first (SELECT … FOR
    UPDATE), so saves, approval and reopening of one return never interleave; its version is
    carried in the form and checked in the UPDATE (optimistic locking). No row means the
    return has not been started.
    """

    Status = ReturnStatus

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="returns")
    quarter = models.PositiveSmallIntegerField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="returns")
    status = models.CharField(
        max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["year", "quarter", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "quarter", "team"], name="return_once_per_quarter"
            ),
            models.CheckConstraint(
                name="return_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
            models.CheckConstraint(
                name="return_status_valid", condition=_in_choices("status", ReturnStatus.choices)
            ),
            models.CheckConstraint(name="return_version_positive", condition=Q(version__gte=1)),
        ]

    def __str__(self):
        return f"{self.team} Q{self.quarter} {self.year}"

    @property
    def is_locked(self) -> bool:
        return self.status in LOCKING_STATUSES


class ReturnAction(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    RETURNED = "returned", "Returned to the team"
    REOPENED = "reopened", "Reopened"


class ReturnEvent(models.Model):
    """What happened to a return and why: submitted, approved, returned with a comment, reopened."""

    Action = ReturnAction

    team_return = models.ForeignKey(TeamReturn, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=ReturnAction.choices)
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # A director's comment or an admin's reason: the services refuse a longer one.
    comment = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["team_return", "at", "id"]
        constraints = [
            models.CheckConstraint(
                name="event_action_valid", condition=_in_choices("action", ReturnAction.choices)
            ),
            models.CheckConstraint(
                name="event_return_and_reopen_need_a_comment",
                condition=~Q(action__in=["returned", "reopened"]) | ~Q(comment=""),
            ),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.team_return}"


class ReminderSent(models.Model):
    """A reminder emailed to a team member about a quarter's return.

    The unique constraint is what keeps it to one a day per person, team and return, even when
    two runs of the daily job overlap: each run claims the row before it sends.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+")
    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="+")
    quarter = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "team", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "team", "year", "quarter", "sent_on"],
                name="reminder_once_a_day",
            ),
            models.CheckConstraint(
                name="reminder_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.team} Q{self.quarter} {self.year} on {self.sent_on}"


class SpcRebase(models.Model):
    """An admin's decision that a KPI's process changed: SPC limits start afresh from a period.

    Never inferred from the data: a shift the rules flag is a signal to investigate, and only
    someone who knows the process changed (a new service, a new definition) may rebase. Who,
    when, from which period and why are kept, with the history of any later change or removal.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="spc_rebases")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="+")
    quarter = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1-12 for a KPI charted by month; empty for the quarter."
    )
    reason = models.TextField(help_text="What changed in the process, shown on the chart.")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "year__start_date", "quarter", "month"]
        verbose_name = "SPC rebase"
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "year", "quarter"],
                condition=Q(month__isnull=True),
                name="spc_rebase_once_per_quarter",
            ),
            models.UniqueConstraint(
                fields=["kpi", "year", "month"],
                condition=Q(month__isnull=False),
                name="spc_rebase_once_per_month",
            ),
            models.CheckConstraint(
                name="spc_rebase_quarter_1_to_4", condition=Q(quarter__gte=1, quarter__lte=4)
            ),
            models.CheckConstraint(
                name="spc_rebase_month_in_its_quarter",
                condition=Q(month__isnull=True)
                | Q(quarter=1, month__in=QUARTER_MONTHS[1])
                | Q(quarter=2, month__in=QUARTER_MONTHS[2])
                | Q(quarter=3, month__in=QUARTER_MONTHS[3])
                | Q(quarter=4, month__in=QUARTER_MONTHS[4]),
            ),
            models.CheckConstraint(name="spc_rebase_has_a_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        period = f"month {self.month}" if self.month else f"Q{self.quarter}"
        return f"{self.kpi} rebased from {period} {self.year}"


class KpiSpcState(models.Model):
    """A KPI's current SPC icons, kept so a dashboard need not rework every KPI's series.

    A cache of ``kpis.series``: valid while ``data_version`` equals the KPI's, which every
    change to its figures, yearly set-up or rebases increases (``kpis.spc_state``). A state
    computed from data that changed meanwhile is simply stale and recomputed on the next read.
    """

    kpi = models.OneToOneField(
        Kpi, on_delete=models.CASCADE, primary_key=True, related_name="spc_state"
    )
    data_version = models.PositiveBigIntegerField()
    variation = models.CharField(max_length=12, blank=True)
    assurance = models.CharField(max_length=16, blank=True)
    limits_status = models.CharField(max_length=12)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "KPI SPC state"

    def __str__(self):
        return f"{self.kpi_id}: {self.variation or '-'} / {self.assurance or '-'}"
