"""Admin for the annual report's texts, with their change history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import AnnualReport


@admin.register(AnnualReport)
class AnnualReportAdmin(SimpleHistoryAdmin):
    list_display = ["year", "title", "updated_at"]
    list_filter = ["year"]
    autocomplete_fields = ["delivery_plan_kpi"]
    fieldsets = [
        (None, {"fields": ["year", "title"]}),
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
