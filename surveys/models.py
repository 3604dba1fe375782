"""Surveys: rated items, invitees, responses with 1-10 ratings, comments and published metrics."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.text import slugify

from directorates.models import Directorate, FinancialYear, Team


class Survey(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer satisfaction"
        IMT = "imt", "IM&T"

    class Averaging(models.TextChoices):
        RATINGS = "ratings", "Mean of all ratings"
        RESPONDENTS = "respondents", "Mean of each respondent's mean rating"

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    # In the results page's address, /surveys/<year>/<slug>/; set from the title when blank.
    slug = models.SlugField(
        max_length=100, blank=True, help_text="In the results page's address; from the title."
    )
    audience = models.CharField(max_length=300, blank=True)
    question = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    responses_due = models.DateField(
        null=True, blank=True, help_text="The last day its links take a reply."
    )
    number_sent = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="As published, for a survey sent outside the portal. Once the portal sends "
        "invitations it counts them and their replies itself.",
    )
    number_received = models.PositiveIntegerField(
        null=True, blank=True, help_text="As published, as for the number sent."
    )
    averaging = models.CharField(
        max_length=12,
        choices=Averaging.choices,
        default=Averaging.RATINGS,
        help_text="How the overall mean is worked out. They differ when some respondents leave "
        "departments unrated: the mean of all ratings counts each rating once, the other each "
        "respondent once.",
    )
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=10)
    published_overall_mean = models.DecimalField(
        max_digits=4, decimal_places=2, null=True, blank=True
    )
    published_lowest_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    published_highest_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    # Per-respondent ratings were never published; demo responses that stand in for them
    # are marked so every page can say they are illustrative.
    responses_are_illustrative = models.BooleanField(default=False)

    class Meta:
        ordering = ["year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "title"], name="survey_unique_title"),
            models.UniqueConstraint(fields=["year", "slug"], name="survey_unique_slug"),
            models.CheckConstraint(
                name="survey_received_within_sent",
                condition=Q(number_received__isnull=True)
                | Q(number_sent__isnull=True)
                | Q(number_received__lte=F("number_sent")),
            ),
            models.CheckConstraint(
                name="survey_due_after_sent",
                condition=Q(sent_on__isnull=True)
                | Q(responses_due__isnull=True)
                | Q(responses_due__gte=F("sent_on")),
            ),
            models.CheckConstraint(
                name="survey_scale_1_to_10",
                condition=Q(scale_min__gte=1, scale_max__lte=10, scale_min__lt=F("scale_max")),
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_survey_slug(self.title, self.year, exclude=self.pk)
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "slug"}
        super().save(*args, **kwargs)


def unique_survey_slug(title: str, year: FinancialYear, *, exclude: int | None = None) -> str:
    """The title slugified without the year it names (the address has the year), numbered if
    the year has one already: "Customer satisfaction survey 2013/14" gives
    customer-satisfaction-survey."""
    for label in (year.display_name, year.label):
        title = title.replace(label, "")
    base = slugify(title)[:90] or "survey"
    taken = set(
        Survey.objects.filter(year=year, slug__startswith=base)
        .exclude(pk=exclude)
        .values_list("slug", flat=True)
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


class SurveyItem(models.Model):
    """Something respondents rate, e.g. one department."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    directorate = models.ForeignKey(
        Directorate, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(max_length=150)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "display_order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="surveyitem_unique_name")
        ]

    def __str__(self):
        return self.name

    @property
    def group(self) -> Directorate | None:
        """The directorate it is shown under: its own, or its team's."""
        return self.directorate or (self.team.directorate if self.team_id else None)

    def clean(self):
        if self.directorate_id is None and self.team_id is None:
            raise ValidationError("Tie the department to a directorate or a team.")
        if self.directorate_id and self.team_id and self.team.directorate_id != self.directorate_id:
            raise ValidationError({"team": f"{self.team} is not in {self.directorate}."})


class Invitee(models.Model):
    """Someone asked to answer a survey. Whether they answered is all it says of their reply:
    no response row points back to an invitee, and neither carries the time of answering, so a
    reply cannot be tied to a name (README, "Surveys")."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitees")
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    # A flag, not a time: response rows are numbered in the order they arrive, so a time here
    # would pair invitees with responses by rank. Set once, by a conditional UPDATE in the
    # transaction that writes the response (surveys.services.record_response).
    answered = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="invitee_unique_name")
        ]

    def __str__(self):
        return self.name


class SurveyEmail(models.Model):
    """An invitation or reminder emailed to an invitee, with the link it carried.

    The link's token is kept only as its SHA-256 hash (surveys.tokens), so the database cannot
    answer for anyone. The unique constraint is what keeps it to one invitation and one reminder
    per invitee, even when two runs overlap: each run claims the row before it sends.
    """

    class Kind(models.TextChoices):
        INVITATION = "invitation", "Invitation"
        REMINDER = "reminder", "Reminder"

    invitee = models.ForeignKey(Invitee, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField()
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who sent the invitations; empty for a reminder sent by the daily job.",
    )

    class Meta:
        ordering = ["invitee", "sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["invitee", "kind"], name="surveyemail_once_per_kind")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.invitee}"


class Response(models.Model):
    """One respondent's ratings and comments. It names no invitee: an imported response carries
    the label its file gives it, an online one a random label, and only the day it arrived."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.CharField(max_length=100, help_text="How the return names the respondent.")
    received_on = models.DateField(
        null=True, blank=True, help_text="The day only: a time could be matched to an invitee."
    )

    class Meta:
        ordering = ["survey", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"], name="response_once_per_respondent"
            )
        ]

    def __str__(self):
        return f"{self.respondent} ({self.survey})"


class Rating(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="ratings")
    item = models.ForeignKey(SurveyItem, on_delete=models.CASCADE, related_name="ratings")
    score = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="rating_once_per_item"),
            models.CheckConstraint(
                name="rating_score_1_to_10", condition=Q(score__gte=1, score__lte=10)
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.score}"


class Comment(models.Model):
    """Free text from the survey: a respondent's comment or a published area for improvement."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", "Area for improvement"
        GENERAL = "general", "Comment"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="comments")
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.GENERAL)
    text = models.TextField()
    theme = models.CharField(
        max_length=100,
        blank=True,
        help_text="What the comment is about, as whoever reads the replies groups them "
        "(e.g. 'Communication'); the results page shows comments by theme.",
    )
    items = models.JSONField(default=list, blank=True, help_text="Sub-points, in order.")
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "display_order"]

    def __str__(self):
        return self.text[:80]


class Metric(models.Model):
    """A published year-on-year survey result, e.g. % of GP practices satisfied with IT."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="metrics")
    measure = models.CharField(max_length=150)
    group = models.CharField(max_length=100)
    previous_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    current_percent = models.DecimalField(max_digits=5, decimal_places=2)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["survey", "display_order"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "measure", "group"], name="metric_unique"),
            models.CheckConstraint(
                name="metric_percents_0_to_100",
                condition=Q(current_percent__gte=0, current_percent__lte=100)
                & (
                    Q(previous_percent__isnull=True)
                    | Q(previous_percent__gte=0, previous_percent__lte=100)
                ),
            ),
        ]

    def __str__(self):
        return f"{self.measure} — {self.group}"
