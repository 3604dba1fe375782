"""Admin for plans, their themes, outcomes and progress entries."""

from django.contrib import admin

from plans.models import Outcome, Plan, ProgressEntry, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "year", "organisation"]
    list_filter = ["year"]
    inlines = [ThemeInline]


class OutcomeInline(admin.TabularInline):
    model = Outcome
    extra = 0


class ProgressEntryInline(admin.StackedInline):
    model = ProgressEntry
    fields = ["focus", "text", "key_phrase", "parent", "display_order"]
    extra = 0


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "plan"]
    list_filter = ["plan"]
    inlines = [OutcomeInline, ProgressEntryInline]


@admin.register(ProgressEntry)
class ProgressEntryAdmin(admin.ModelAdmin):
    list_display = ["text", "key_phrase", "focus", "theme"]
    list_filter = ["theme__plan", "theme", "focus"]
    search_fields = ["text", "key_phrase"]


@admin.register(Outcome)
class OutcomeAdmin(admin.ModelAdmin):
    list_display = ["letter", "text", "theme"]
    list_filter = ["theme__plan", "theme"]
    search_fields = ["text"]
