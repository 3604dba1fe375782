"""Admin for KPIs, their yearly set-up and targets, and their figures (with change history)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kpis.models import Figure, Kpi, KpiYear


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
        "status",
        "version",
    ]
    readonly_fields = ["version"]
    extra = 0


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
        "status",
        "version",
        "updated_at",
    ]
    list_filter = [
        "kpi_year__year",
        "quarter",
        "status",
        "self_assessed_rag",
        "kpi_year__team__directorate",
    ]
    search_fields = ["kpi_year__kpi__name", "commentary"]
    list_select_related = ["kpi_year__kpi", "kpi_year__year"]
    readonly_fields = ["version", "updated_at", "updated_by"]
    history_list_display = ["status", "version"]
