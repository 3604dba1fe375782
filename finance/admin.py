"""Admin for running-cost schedules, their line trees and the finance summary."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from finance.models import CostLine, FinanceSummaryLine, RunningCostSchedule


class TopLevelLineInline(admin.TabularInline):
    model = CostLine
    fields = [
        "display_order",
        "name",
        "amount_gbp",
        "published_text",
        "programme_funded",
        "directorate",
        "note",
    ]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).filter(parent__isnull=True)


@admin.register(RunningCostSchedule)
class RunningCostScheduleAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "published_total_gbp"]
    inlines = [TopLevelLineInline]


class ChildLineInline(admin.TabularInline):
    model = CostLine
    fk_name = "parent"
    fields = ["display_order", "name", "amount_gbp", "published_text", "programme_funded", "note"]
    extra = 0
    show_change_link = True


@admin.register(CostLine)
class CostLineAdmin(SimpleHistoryAdmin):
    list_display = ["name", "parent", "amount_gbp", "programme_funded", "schedule"]
    list_filter = ["schedule__year", "programme_funded", "directorate"]
    search_fields = ["name", "note"]
    list_select_related = ["parent", "schedule__year"]
    inlines = [ChildLineInline]


@admin.register(FinanceSummaryLine)
class FinanceSummaryLineAdmin(admin.ModelAdmin):
    list_display = [
        "measure",
        "year",
        "programme_gbp_000",
        "running_gbp_000",
        "published_total_gbp_000",
    ]
    list_filter = ["year", "measure"]
