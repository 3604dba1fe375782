"""Surveys: rated items, invitees, responses with 1-10 ratings, comments and published metrics."""

from django.db import models
from django.db.models import F, Q

from directorates.models import Directorate, FinancialYear, Team


class Survey(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer satisfaction"
        IMT = "imt", "IM&T"

    year = models.ForeignKey(FinancialYear, on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=300, blank=True)
    question = models.TextField(blank=True)
    sent_on = models.DateField(null=True, blank=True)
    responses_due = models.DateField(null=True, blank=True)
    number_sent = models.PositiveIntegerField(null=True, blank=True)
    number_received = models.PositiveIntegerField(null=True, blank=True)
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
