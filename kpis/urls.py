"""URLs of returns and KPI pages."""

from django.urls import path, register_converter

from kpis.views import dashboard, kpi, overview, returns


class YearLabelConverter:
    """A financial year as in the URLs people share: 2014-15."""

    regex = r"[0-9]{4}-[0-9]{2}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(YearLabelConverter, "year")

urlpatterns = [
    path("returns/", overview.my_returns, name="my_returns"),
    path("returns/<year:year>/completeness/", overview.completeness, name="completeness"),
    path("returns/<year:year>/<int:quarter>/<slug:team>/", returns.return_form, name="return_form"),
    path(
        "returns/<year:year>/<int:quarter>/sign-off/<slug:directorate>/",
        returns.sign_off,
        name="sign_off",
    ),
    path("dashboard/", dashboard.scorecard, name="dashboard"),
    path("dashboard/exceptions/", dashboard.exceptions, name="exceptions"),
    path(
        "dashboard/directorates/<slug:directorate>/",
        dashboard.directorate,
        name="directorate_dashboard",
    ),
    path("kpis/<slug:kpi>/", kpi.kpi_page, name="kpi_page"),
    path("kpis/<slug:kpi>/history/", overview.kpi_history, name="kpi_history"),
]
