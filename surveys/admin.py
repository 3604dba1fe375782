"""Admin for surveys, their items, invitees, responses, ratings, comments and metrics."""

from django.contrib import admin

from surveys.models import Comment, Invitee, Metric, Rating, Response, Survey, SurveyItem


class SurveyItemInline(admin.TabularInline):
    model = SurveyItem
    extra = 0


class MetricInline(admin.TabularInline):
    model = Metric
    extra = 0


class CommentInline(admin.TabularInline):
    model = Comment
    fields = ["kind", "text", "display_order"]
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "year",
        "kind",
        "number_sent",
        "number_received",
        "responses_are_illustrative",
    ]
    list_filter = ["year", "kind"]
    search_fields = ["title"]
    inlines = [SurveyItemInline, MetricInline, CommentInline]


@admin.register(Invitee)
class InviteeAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "survey"]
    list_filter = ["survey"]
    search_fields = ["name", "email"]


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
    list_display = ["text", "kind", "survey"]
    list_filter = ["survey", "kind"]
    search_fields = ["text"]


@admin.register(SurveyItem)
class SurveyItemAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "survey", "display_order"]
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
