"""Admin for the annual report's texts, with their change history."""

from django.contrib import admin, messages
from simple_history.admin import SimpleHistoryAdmin

from reports.models import AnnualReport
from reports.services import PublishRefused, report_publish


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "published_at", "published_by", "updated_at"]
    list_filter = ["year"]
    readonly_fields = ["published_at", "published_by"]
    actions = ["publish"]
    autocomplete_fields = ["delivery_plan_kpi"]
    fieldsets = [
        (None, {"fields": ["year", "title", "published_at", "published_by"]}),
        (
            "Foreword",
            {
                "fields": [
                    "foreword",
                    "foreword_signatory",
                    "foreword_signatory_role",
                    "foreword_signatory_organisation",
                ]
            },
        ),
        ("Introduction", {"fields": ["introduction"]}),
        (
            "Executive summary",
            {"fields": ["summary", "delivery_plan_kpi", "summary_survey", "summary_imt"]},
        ),
        (
            "Organising for delivery",
            {"fields": ["organising", "commissioning_cycle", "commissioning_cycle_centre"]},
        ),
        ("Next steps", {"fields": ["next_steps"]}),
        (
            "Who to contact",
            {
                "fields": [
                    "contact_name",
                    "contact_role",
                    "contact_address",
                    "contact_telephone",
                    "contact_email",
                    "contact_website",
                    "contact_twitter",
                    "contact_facebook",
                ]
            },
        ),
    ]

    @admin.action(description="Publish the selected reports (every quarter approved)")
    def publish(self, request, queryset):
        for report in queryset.select_related("year"):
            try:
                report_publish(report=report, by=request.user)
            except PublishRefused as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"The {report.year} report is published: anyone may read it.",
                    messages.SUCCESS,
                )
