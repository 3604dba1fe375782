"""URLs of the annual report."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from reports import views
from reports.narrative import views as narrative_views

urlpatterns = [
    path("reports/annual/", views.latest_annual_report, name="latest_annual_report"),
    path("reports/annual/<year:year>/", views.annual_report, name="annual_report"),
    path("reports/annual/<year:year>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
    path(
        "reports/annual/<year:year>/narrative/",
        narrative_views.narrative_year,
        name="narrative_year",
    ),
    path(
        "reports/annual/<year:year>/narrative/publish/",
        narrative_views.narrative_publish,
        name="narrative_publish",
    ),
    path(
        "reports/annual/<year:year>/narrative/start/<slug:directorate>/",
        narrative_views.narrative_start,
        name="narrative_start",
    ),
    path(
        "reports/annual/<year:year>/narrative/<slug:section>/",
        narrative_views.narrative_edit,
        name="narrative_edit",
    ),
]
