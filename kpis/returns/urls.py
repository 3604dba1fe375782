"""URLs of the returns workflow: my returns, completeness, the return form, sign-off."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from kpis.returns import views

urlpatterns = [
    path("returns/", views.my_returns, name="my_returns"),
    path("returns/sign-off/", views.sign_off_current, name="sign_off_current"),
    path("returns/<year:year>/completeness/", views.completeness, name="completeness"),
    path("returns/<year:year>/<int:quarter>/<slug:team>/", views.return_form, name="return_form"),
    path(
        "returns/<year:year>/<int:quarter>/sign-off/<slug:directorate>/",
        views.sign_off,
        name="sign_off",
    ),
]
