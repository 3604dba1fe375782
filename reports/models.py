"""The annual report's own texts for a year: what no directorate's narrative holds."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from directorates.models import FinancialYear
from kpis.models import Kpi
from reports import rules

TEXT_HELP = (
    "Paragraphs separated by blank lines; a line starting '- ' is a bullet, '  - ' a bullet "
    "under it. Figures come from the data as placeholders: "
    + ", ".join(f"{{{name}}}" for name in rules.PLACEHOLDERS)
    + "."
)

# The texts that may carry placeholders, checked on save in the admin.
TEXT_FIELDS = (
    "foreword",
    "introduction",
    "summary",
    "summary_survey",
    "summary_imt",
    "organising",
    "next_steps",
)


class AnnualReport(models.Model):
    """A year's annual report texts: foreword, introduction, executive summary's framing,
    organising for delivery, next steps and who to contact. Everything else the report prints
    comes from the data: each directorate's narrative, the KPIs, running costs and surveys."""

    year = models.OneToOneField(
        FinancialYear, on_delete=models.PROTECT, related_name="annual_report"
    )
    title = models.CharField(max_length=200)
    foreword = models.TextField(help_text=TEXT_HELP)
    foreword_signatory = models.CharField(max_length=100)
    foreword_signatory_role = models.CharField(max_length=150)
    foreword_signatory_organisation = models.CharField(max_length=200, blank=True)
    introduction = models.TextField(help_text=TEXT_HELP)
    summary = models.TextField(
        help_text="The executive summary's opening and its figures. " + TEXT_HELP
    )
    summary_survey = models.TextField(
        blank=True, help_text="The executive summary on the customer survey. " + TEXT_HELP
    )
    summary_imt = models.TextField(
        blank=True,
        help_text="The executive summary's lead-in to the IM&T survey's changes, which are "
        "listed from the survey's figures. " + TEXT_HELP,
    )
    delivery_plan_kpi = models.ForeignKey(
        Kpi,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The KPI whose quarter 4 figure and target are the delivery plan projects "
        "on target ({projects_on_target} of {projects_total}).",
    )
    organising = models.TextField(
        help_text="Organising for delivery: before the directorates and their directors. "
        + TEXT_HELP
    )
    commissioning_cycle = models.JSONField(
        default=list, blank=True, help_text="The commissioning cycle's stages, in order."
    )
    commissioning_cycle_centre = models.CharField(max_length=150, blank=True)
    next_steps = models.TextField(help_text=TEXT_HELP)
    contact_name = models.CharField(max_length=100)
    contact_role = models.CharField(max_length=150, blank=True)
    contact_address = models.TextField(blank=True, help_text="One line of the address a line.")
    contact_telephone = models.CharField(max_length=40, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_website = models.CharField(max_length=200, blank=True)
    contact_twitter = models.CharField(max_length=100, blank=True)
    contact_facebook = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Anyone may read it from then on."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["year__start_date"]

    def __str__(self):
        return f"{self.title} {self.year}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def clean(self):
        problems = {}
        for name in TEXT_FIELDS:
            unknown = rules.unknown_placeholders(getattr(self, name) or "")
            if unknown:
                problems[name] = "Unknown placeholder: " + ", ".join(unknown)
        if problems:
            raise ValidationError(problems)
