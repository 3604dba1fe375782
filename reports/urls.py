"""URLs of the annual report and of the plans' progress reports."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from reports import plan_views, views

urlpatterns = [
    path("reports/annual/", views.latest_annual_report, name="latest_annual_report"),
    path("reports/annual/<year:year>/", views.annual_report, name="annual_report"),
    path("reports/annual/<year:year>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    # After the annual report's: a plan's slug is never "annual" or "plans" (plans.models).
    path("reports/plans/", plan_views.plan_reports, name="plan_reports"),
    path("reports/<slug:plan>/<year:year>/", plan_views.plan_report, name="plan_report"),
    path("reports/<slug:plan>/<year:year>.pdf", plan_views.plan_report_pdf, name="plan_report_pdf"),
]
