"""Plans: themes with lettered outcomes and internal/external progress entries."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from directorates.models import FinancialYear, Organisation

# Addresses under /reports/ that are not a plan's: /reports/annual/<year>/ is the annual report,
# /reports/plans/ the list of plans. A plan's report is /reports/<slug>/<year>/.
RESERVED_SLUGS = ("annual", "plans")


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False)


class Plan(models.Model):
    """A plan's edition for a year. Until an admin publishes it (``plans.services``), its
    report is a draft: signed-in users read it, marked so; nobody else."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField(max_length=300)
    slug = models.SlugField(
        max_length=50,
        help_text=(
            "The plan's name in its report's address, /reports/<slug>/<year>/ (the same plan in "
            "another year keeps its slug); not 'annual' or 'plans'."
        ),
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When it was published: from then on anyone may read its report.",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Empty for a plan loaded as published from its published document.",
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="plan_unique_title"),
            models.UniqueConstraint(fields=["year", "slug"], name="plan_unique_slug"),
            models.CheckConstraint(
                name="plan_slug_not_reserved",
                condition=~Q(slug__in=RESERVED_SLUGS) & ~Q(slug=""),
                violation_error_message=(
                    "A plan's slug cannot be empty, 'annual' or 'plans': those addresses under "
                    "/reports/ are other pages'."
                ),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class Theme(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="theme_unique_number"),
            models.CheckConstraint(name="theme_number_positive", condition=Q(number__gte=1)),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Outcome(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="outcomes")
    letter = models.CharField(max_length=1)
    text = models.TextField()

    class Meta:
        ordering = ["theme", "letter"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "letter"], name="outcome_unique_letter"),
            models.CheckConstraint(
                name="outcome_letter_a_to_z", condition=Q(letter__gte="a", letter__lte="z")
            ),
        ]

    def __str__(self):
        return f"{self.letter}) {self.text[:60]}"


class ProgressEntry(models.Model):
    class Focus(models.TextChoices):
        INTERNAL = "internal", "Internal focus"
        EXTERNAL = "external", "External focus"

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="progress")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    focus = models.CharField(max_length=10, choices=Focus.choices)
    text = models.TextField()
    key_phrase = models.CharField(
        max_length=200, blank=True, help_text="The highlighted words; part of the text."
    )
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["theme", "focus", "display_order"]
        verbose_name_plural = "progress entries"
        constraints = [
            models.CheckConstraint(
                name="progress_focus_valid", condition=Q(focus__in=["internal", "external"])
            ),
            models.CheckConstraint(
                name="progress_key_phrase_in_text",
                condition=Q(key_phrase="") | Q(text__contains=F("key_phrase")),
            ),
        ]

    def __str__(self):
        return self.text[:80]
