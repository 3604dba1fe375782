"""Admin for the organisation, years, structure, people and narrative."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from directorates.models import (
    CaseStudy,
    Cluster,
    Directorate,
    Fact,
    FinancialYear,
    Highlight,
    Leader,
    Locality,
    Membership,
    NarrativeSection,
    Organisation,
    Team,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "member_practices"]
    search_fields = ["name"]


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "start_date",
        "end_date",
        "status",
        "registered_population",
        "running_cost_allowance_per_head",
    ]
    list_filter = ["status"]
    search_fields = ["label"]


class LocalityInline(admin.TabularInline):
    model = Locality
    extra = 0


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "display_order"]
    inlines = [LocalityInline]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster"]
    list_filter = ["cluster"]
    search_fields = ["name"]


class TeamInline(admin.TabularInline):
    model = Team
    fields = ["name", "parent", "slug", "display_order", "is_active"]
    readonly_fields = ["slug"]
    extra = 0


@admin.register(Directorate)
class DirectorateAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "display_order"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["user", "role"]
    autocomplete_fields = ["user"]
    extra = 0


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "directorate", "parent", "slug", "is_active"]
    list_filter = ["directorate", "is_active"]
    search_fields = ["name", "slug"]
    list_select_related = ["directorate", "parent"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request, obj=None):
        # The slug is in URLs and bookmarks: set once from the name, then kept.
        return ["slug"] if obj else []


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "team", "directorate"]
    list_filter = ["role", "directorate", "team__directorate"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "team__name"]
    list_select_related = ["user", "team", "directorate"]
    autocomplete_fields = ["user", "team"]


@admin.register(Leader)
class LeaderAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "role", "directorate", "year"]
    list_filter = ["year", "role", "directorate"]
    search_fields = ["name", "title"]


class ViewOnly:
    """The narrative as published, to read here: it changes only in the portal's editor
    (/reports/annual/<year>/narrative/), a director's or an admin's draft that an admin then
    publishes, so every change has its history row and its reason, a closed year stays as it
    was published, and a draft published later cannot silently undo an edit made here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HighlightInline(ViewOnly, admin.StackedInline):
    model = Highlight
    extra = 0


class FactInline(ViewOnly, admin.TabularInline):
    model = Fact
    extra = 0


class CaseStudyInline(ViewOnly, admin.StackedInline):
    model = CaseStudy
    extra = 0


@admin.register(NarrativeSection)
class NarrativeSectionAdmin(ViewOnly, SimpleHistoryAdmin):
    """The published narrative, as the report prints it, with each section's history; it is
    edited and published in the portal (``ViewOnly``)."""

    list_display = [
        "title",
        "directorate",
        "year",
        "display_order",
        "draft_waiting",
        "published_at",
        "published_by",
    ]
    list_select_related = ["directorate", "year", "published_by"]
    list_filter = ["year", "directorate"]
    search_fields = ["title", "purpose"]

    @admin.display(boolean=True, description="Draft waiting")
    def draft_waiting(self, obj):
        return obj.has_draft

    inlines = [HighlightInline, FactInline, CaseStudyInline]


@admin.register(Highlight)
class HighlightAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["text", "group", "section"]
    list_filter = ["section__year", "section"]
    search_fields = ["text", "group"]


@admin.register(Fact)
class FactAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["text", "section"]
    list_filter = ["section__year", "section"]
    search_fields = ["text"]


@admin.register(CaseStudy)
class CaseStudyAdmin(ViewOnly, admin.ModelAdmin):
    list_display = ["title", "subtitle", "section"]
    list_filter = ["section__year", "section"]
    search_fields = ["title", "subtitle", "body"]
