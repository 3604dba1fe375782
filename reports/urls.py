"""URLs of the annual report."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from reports import views

urlpatterns = [
    path("reports/annual/", views.latest_annual_report, name="latest_annual_report"),
    path("reports/annual/<year:year>/", views.annual_report, name="annual_report"),
    path("reports/annual/<year:year>.pdf", views.annual_report_pdf, name="annual_report_pdf"),
]
