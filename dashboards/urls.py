"""URLs of the dashboards: scorecard, exception report, a directorate's page, a KPI's page."""

from django.urls import path

from dashboards import views

urlpatterns = [
    path("dashboard/", views.scorecard_page, name="dashboard"),
    path("dashboard/exceptions/", views.exceptions_page, name="exceptions"),
    path(
        "dashboard/directorates/<slug:directorate>/",
        views.directorate_page,
        name="directorate_dashboard",
    ),
    path("kpis/<slug:kpi>/", views.kpi_page, name="kpi_page"),
    path("kpis/<slug:kpi>/history/", views.kpi_history, name="kpi_history"),
]
