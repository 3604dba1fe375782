"""Admin for plans, their themes, outcomes and progress entries."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied

from plans import services
from plans.models import Outcome, Plan, ProgressEntry, Theme


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    """A plan is a draft, for signed-in users only, until an admin publishes it here (the
    actions); then anyone may read its report."""

    list_display = ["title", "slug", "year", "organisation", "published_at", "published_by"]
    list_filter = ["year"]
    readonly_fields = ["published_at", "published_by"]
    inlines = [ThemeInline]
    actions = ["publish", "withdraw"]

    @admin.action(description="Publish the selected plans: anyone may read their reports")
    def publish(self, request, queryset):
        self._each(request, queryset, services.plan_publish, "published", "already published")

    @admin.action(description="Withdraw the selected plans to drafts, for signed-in users only")
    def withdraw(self, request, queryset):
        self._each(request, queryset, services.plan_withdraw, "withdrawn", "already drafts")

    def _each(self, request, queryset, write, done: str, already: str) -> None:
        try:
            changed = [plan for plan in queryset if write(plan=plan, by=request.user)]
        except PermissionDenied as refused:
            self.message_user(request, str(refused), messages.ERROR)
            return
        left = queryset.count() - len(changed)
        words = [f"{len(changed)} {'plan' if len(changed) == 1 else 'plans'} {done}"]
        if left:
            words.append(f"{left} {already}")
        self.message_user(request, "; ".join(words) + ".", messages.SUCCESS)


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
