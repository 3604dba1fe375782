"""Admin for surveys, their items, invitees, emails, responses, ratings, comments and metrics.

An admin sets up a survey (its question, scale, dates, departments and invitees) and sends the
invitations from the survey list ("Send the invitations"). No admin page ties a reply to a
name: an invitee shows only whether they answered, a response only its label and day.
"""

from django.contrib import admin, messages
from django.utils import timezone

from surveys import services
from surveys.models import (
    Comment,
    Invitee,
    Metric,
    Rating,
    Response,
    Survey,
    SurveyEmail,
    SurveyItem,
)


class SurveyItemInline(admin.TabularInline):
    model = SurveyItem
    fields = ["name", "directorate", "team", "display_order"]
    extra = 0


class InviteeInline(admin.TabularInline):
    model = Invitee
    fields = ["name", "role", "email", "answered"]
    readonly_fields = ["answered"]
    extra = 0


class MetricInline(admin.TabularInline):
    model = Metric
    extra = 0


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ["kind", "text", "theme", "display_order"]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "year",
        "kind",
        "sent_on",
        "responses_due",
        "number_sent",
        "number_received",
        "responses_are_illustrative",
    ]
    list_filter = ["year", "kind"]
    search_fields = ["title"]
    fields = [
        "year",
        "kind",
        "title",
        "slug",
        "audience",
        "question",
        ("scale_min", "scale_max"),
        "averaging",
        ("sent_on", "responses_due"),
        ("number_sent", "number_received"),
        ("published_overall_mean", "published_lowest_rating", "published_highest_rating"),
        "responses_are_illustrative",
    ]
    inlines = [SurveyItemInline, InviteeInline, MetricInline, CommentInline]
    actions = ["send_invitations"]

    @admin.action(description="Send the invitations", permissions=["change"])
    def send_invitations(self, request, queryset):
        """Each invitee not yet invited gets their own link; safe to run again."""
        for survey in queryset:
            try:
                sending = services.send_invitations(
                    survey=survey, by=request.user, today=timezone.localdate()
                )
            except services.NotReady as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
                continue
            parts = [f"{survey}: sent {sending.sent} invitation{'s' * (sending.sent != 1)}"]
            if sending.already:
                parts.append(f"{sending.already} invited before")
            if sending.no_email:
                parts.append(f"{sending.no_email} with no email address")
            if sending.failed:
                parts.append(f"{sending.failed} refused by the mail server (run it again)")
            level = messages.WARNING if sending.failed or sending.no_email else messages.SUCCESS
            self.message_user(request, "; ".join(parts) + ".", level)


class SurveyEmailInline(admin.TabularInline):
    model = SurveyEmail
    fields = ["kind", "sent_at", "sent_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "email", "survey", "answered"]
    list_filter = ["survey", "answered"]
    search_fields = ["name", "email"]
    readonly_fields = ["answered"]
    inlines = [SurveyEmailInline]


@admin.register(SurveyEmail)
class SurveyEmailAdmin(admin.ModelAdmin):
    """What was emailed, for checking; sent by the services only, never written here."""

    list_display = ["kind", "invitee", "sent_at", "sent_by"]
    list_filter = ["kind", "invitee__survey"]
    search_fields = ["invitee__name", "invitee__email"]
    fields = ["invitee", "kind", "sent_at", "sent_by"]
    list_select_related = ["invitee", "sent_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ["respondent", "survey", "received_on"]
    list_filter = ["survey"]
    search_fields = ["respondent"]
    inlines = [RatingInline]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["text", "theme", "kind", "survey"]
    list_editable = ["theme"]
    list_filter = ["survey", "kind", "theme"]
    search_fields = ["text", "theme"]
    fields = ["survey", "response", "kind", "text", "items", "theme", "display_order"]
    raw_id_fields = ["response"]


@admin.register(SurveyItem)
class SurveyItemAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "team", "survey", "display_order"]
    list_filter = ["survey", "directorate"]
    search_fields = ["name"]


@admin.register(Rating)
class RatingAdmin(admin.ModelAdmin):
    list_display = ["response", "item", "score"]
    list_filter = ["item__survey", "item", "score"]
    list_select_related = ["response", "item"]


@admin.register(Metric)
class MetricAdmin(admin.ModelAdmin):
    list_display = ["measure", "group", "previous_percent", "current_percent", "survey"]
    list_filter = ["survey", "group"]
    search_fields = ["measure"]
