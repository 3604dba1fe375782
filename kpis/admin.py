"""Admin for KPIs, their yearly set-up and targets, and their figures (with change history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import Figure, Kpi, KpiYear, ReturnEvent, TeamReturn


class KpiYearInline(admin.TabularInline):
    model = KpiYear
    fields = [
        "year",
        "team",
        "is_reported",
        "frequency",
        "measure",
        "target_kind",
        "target_value",
        "direction",
    ]
    extra = 0
    show_change_link = True


@admin.register(Kpi)
class KpiAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    inlines = [KpiYearInline]


class FigureInline(admin.TabularInline):
    model = Figure
    fields = [
        "quarter",
        "month",
        "not_collected",
        "count",
        "count_2",
        "numerator",
        "denominator",
        "amount_gbp",
        "percent",
        "value",
        "self_assessed_rag",
        "version",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # figures are written through returns and imports, which check locks


@admin.register(KpiYear)
class KpiYearAdmin(SimpleHistoryAdmin):
    list_display = [
        "kpi",
        "year",
        "team",
        "frequency",
        "measure",
        "target_text",
        "target_kind",
        "direction",
        "is_reported",
    ]
    list_filter = [
        "year",
        "team__directorate",
        "frequency",
        "measure",
        "target_kind",
        "direction",
        "is_reported",
    ]
    search_fields = ["kpi__name", "team__name"]
    list_select_related = ["kpi", "year", "team"]
    autocomplete_fields = ["kpi", "team"]
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(SimpleHistoryAdmin):
    list_display = [
        "kpi_year",
        "quarter",
        "month",
        "published_text",
        "self_assessed_rag",
        "version",
        "updated_at",
    ]
    list_filter = ["kpi_year__year", "quarter", "self_assessed_rag", "kpi_year__team__directorate"]
    search_fields = ["kpi_year__kpi__name", "commentary"]
    list_select_related = ["kpi_year__kpi", "kpi_year__year"]
    history_list_display = ["version", "published_text"]

    # Read-only here: every change to a figure goes through a return or an import, which check
    # the quarter's lock and the version. The change history stays visible.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReturnEventInline(admin.TabularInline):
    model = ReturnEvent
    fields = ["at", "action", "by", "comment"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(TeamReturn)
class TeamReturnAdmin(admin.ModelAdmin):
    list_display = ["team", "year", "quarter", "status", "submitted_at", "submitted_by", "version"]
    list_filter = ["year", "quarter", "status", "team__directorate"]
    search_fields = ["team__name"]
    list_select_related = ["team", "year", "submitted_by"]
    readonly_fields = [
        "year",
        "quarter",
        "team",
        "status",
        "version",
        "submitted_at",
        "submitted_by",
    ]
    inlines = [ReturnEventInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReturnEvent)
class ReturnEventAdmin(admin.ModelAdmin):
    list_display = ["team_return", "action", "by", "at", "comment"]
    list_filter = ["action", "team_return__year", "team_return__quarter"]
    search_fields = ["team_return__team__name", "comment"]
    list_select_related = ["team_return__team", "team_return__year", "by"]

    # The trail of sign-off decisions is written by the services only, and never edited.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
