"""The organisation, its financial years, directorates, teams, localities, people and narrative."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from directorates.narrative import CaseStudyText, Content, HighlightText


class Organisation(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True)
    member_practices = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FinancialYearQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=FinancialYear.Status.OPEN)


class FinancialYear(models.Model):
    """An NHS financial year, April to March, named like '2013-14'."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        LOCKED = "locked", "Locked"

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="years")
    label = models.SlugField(max_length=7, unique=True, help_text="For example 2013-14.")
    start_date = models.DateField(unique=True)
    end_date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    registered_population = models.PositiveIntegerField(
        null=True, blank=True, help_text="Registered population used for running costs per head."
    )
    running_cost_allowance_per_head = models.DecimalField(
        max_digits=8, decimal_places=2, null=True, blank=True, help_text="£ per head."
    )
    return_due_working_days = models.PositiveSmallIntegerField(
        default=15, help_text="A quarter's returns are due this many working days after it ends."
    )

    objects = FinancialYearQuerySet.as_manager()

    class Meta:
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                name="year_runs_april_to_march",
                condition=Q(start_date__month=4, start_date__day=1)
                & Q(end_date__month=3, end_date__day=31)
                & Q(end_date__gt=F("start_date")),
            ),
            models.CheckConstraint(
                name="year_population_positive",
                condition=Q(registered_population__isnull=True) | Q(registered_population__gt=0),
            ),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.label.replace("-", "/")

    @property
    def is_locked(self) -> bool:
        return self.status == self.Status.LOCKED

    def clean(self):
        expected = f"{self.start_date.year}-{(self.start_date.year + 1) % 100:02d}"
        if self.start_date and self.label != expected:
            raise ValidationError(
                {"label": f"A year starting {self.start_date} is labelled {expected}."}
            )


class Cluster(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="clusters"
    )
    name = models.CharField(max_length=60)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="cluster_unique_name")
        ]

    def __str__(self):
        return self.name


class Locality(models.Model):
    cluster = models.ForeignKey(Cluster, on_delete=models.PROTECT, related_name="localities")
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["cluster__display_order", "name"]
        verbose_name_plural = "localities"

    def __str__(self):
        return self.name


class Directorate(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="directorates"
    )
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self):
        return self.name


class TeamQuerySet(models.QuerySet):
    def with_directorate(self):
        return self.select_related("directorate", "parent")


class Team(models.Model):
    """A function or team in a directorate; a team may sit under one parent team (two levels)."""

    directorate = models.ForeignKey(Directorate, on_delete=models.PROTECT, related_name="teams")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=150)
    # Stable: set once from the name and used in URLs, so renaming a team keeps its links.
    slug = models.SlugField(max_length=150, unique=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["directorate__display_order", "display_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["directorate", "parent", "name"], name="team_unique_name_under_parent"
            ),
            models.UniqueConstraint(
                fields=["directorate", "name"],
                condition=Q(parent__isnull=True),
                name="team_unique_top_level_name",
            ),
            models.CheckConstraint(name="team_not_own_parent", condition=~Q(parent=F("id"))),
        ]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_team_slug(self.name, self.parent)
        super().save(*args, **kwargs)

    def clean(self):
        if self.parent_id:
            if self.parent.parent_id:
                raise ValidationError({"parent": "Teams nest two levels deep at most."})
            if self.parent.directorate_id != self.directorate_id:
                raise ValidationError({"parent": "A team sits in its parent team's directorate."})


def unique_team_slug(name: str, parent: Team | None) -> str:
    """The team's name slugified; prefixed by its parent's slug, then numbered, if taken."""
    base = slugify(name)[:140]
    candidates = [base] + ([f"{parent.slug}-{base}"[:140]] if parent is not None else [])
    for candidate in candidates:
        if not Team.objects.filter(slug=candidate).exists():
            return candidate
    number = 2
    while Team.objects.filter(slug=f"{candidates[-1]}-{number}").exists():
        number += 1
    return f"{candidates[-1]}-{number}"


# Executives see everything and edit nothing; membership of this group is what makes one.
EXECUTIVES_GROUP = "Executives"


class Membership(models.Model):
    """A user's place in the structure: a member of a team, or a (deputy) director.

    Members belong to a team. Directors and deputies lead either a whole directorate
    (directorate set, team empty) or one team and the teams under it.
    """

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        DEPUTY = "deputy", "Deputy director"
        DIRECTOR = "director", "Director"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    directorate = models.ForeignKey(
        Directorate, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["user__username"]
        constraints = [
            models.CheckConstraint(
                name="membership_team_xor_directorate",
                condition=Q(team__isnull=False, directorate__isnull=True)
                | Q(team__isnull=True, directorate__isnull=False, role__in=["deputy", "director"]),
            ),
            models.UniqueConstraint(
                fields=["user", "team"],
                condition=Q(team__isnull=False),
                name="membership_once_per_team",
            ),
            models.UniqueConstraint(
                fields=["user", "directorate"],
                condition=Q(directorate__isnull=False),
                name="membership_once_per_directorate",
            ),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.team or self.directorate}"

    @property
    def led_directorate_id(self) -> int | None:
        return self.directorate_id or (self.team.directorate_id if self.team_id else None)


class Leader(models.Model):
    """A named director or deputy as published for a year (for the annual report, not log-ins)."""

    class Role(models.TextChoices):
        CHIEF_OFFICER = "chief_officer", "Chief officer"
        DIRECTOR = "director", "Director"
        DEPUTY = "deputy", "Deputy director"

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="leaders")
    directorate = models.ForeignKey(
        Directorate, on_delete=models.CASCADE, null=True, blank=True, related_name="leaders"
    )
    name = models.CharField(max_length=100)
    title = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=Role.choices)
    portfolio = models.CharField(max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["year", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "name", "title"], name="leader_unique_per_year"
            ),
            models.CheckConstraint(
                name="leader_directorate_unless_chief_officer",
                condition=Q(role="chief_officer") | Q(directorate__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.title}"


class NarrativeSection(models.Model):
    """A directorate's story for a year: purpose, highlights, facts and case studies.

    Its fields and its highlights, facts and case studies are the published narrative, the one
    the annual report prints. A director or deputy writes in the portal to ``draft`` (the whole
    section as JSON, ``directorates.narrative.Content``); an admin's publishing of the year
    copies each draft into the published fields and rows, stamps ``published_at`` and
    ``published_by`` and empties the draft (``directorates.services``). Every save keeps a
    history row with who, when and, as its reason, what changed.
    """

    year = models.ForeignKey(FinancialYear, on_delete=models.CASCADE, related_name="narratives")
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, related_name="narratives"
    )
    title = models.CharField(max_length=150)
    purpose = models.TextField(
        blank=True,
        help_text="Paragraphs separated by blank lines; a line starting '- ' is a bullet.",
    )
    highlights_intro = models.CharField(max_length=300, blank=True)
    facts_intro = models.CharField(max_length=300, blank=True)
    display_order = models.PositiveSmallIntegerField(default=0)
    draft = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="Changes saved in the portal and not yet published; empty when none wait.",
    )
    draft_saved_at = models.DateTimeField(null=True, blank=True, editable=False)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    published_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When a draft was last published."
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["year", "display_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "title"], name="narrative_unique_title_per_year"
            )
        ]

    def __str__(self):
        return f"{self.title} {self.year}"

    @property
    def has_draft(self) -> bool:
        return self.draft is not None

    def published_content(self) -> Content:
        """The section as the report prints it: its fields and rows (prefetch them for many)."""
        return Content(
            purpose=self.purpose,
            highlights_intro=self.highlights_intro,
            highlights=tuple(
                HighlightText(h.text, h.group, tuple(h.items)) for h in self.highlights.all()
            ),
            facts_intro=self.facts_intro,
            facts=tuple(f.text for f in self.facts.all()),
            case_studies=tuple(
                CaseStudyText(c.title, c.body, c.subtitle) for c in self.case_studies.all()
            ),
        )

    def current_content(self) -> Content:
        """What the section's editor starts from: its draft if one waits, else the published."""
        return Content.from_json(self.draft) if self.draft is not None else self.published_content()


class Highlight(models.Model):
    section = models.ForeignKey(
        NarrativeSection, on_delete=models.CASCADE, related_name="highlights"
    )
    group = models.CharField(max_length=150, blank=True)
    text = models.TextField()
    items = models.JSONField(default=list, blank=True, help_text="Sub-bullets, in order.")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "display_order"]

    def __str__(self):
        return self.text[:80]


class Fact(models.Model):
    section = models.ForeignKey(NarrativeSection, on_delete=models.CASCADE, related_name="facts")
    text = models.TextField()
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "display_order"]

    def __str__(self):
        return self.text[:80]


class CaseStudy(models.Model):
    section = models.ForeignKey(
        NarrativeSection, on_delete=models.CASCADE, related_name="case_studies"
    )
    title = models.CharField(max_length=200)
    subtitle = models.CharField(max_length=200, blank=True)
    body = models.TextField(help_text="Paragraphs separated by blank lines; '- ' starts a bullet.")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["section", "display_order"]
        verbose_name_plural = "case studies"

    def __str__(self):
        return self.title
