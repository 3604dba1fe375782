"""URLs of the finance pages: a year's finance summary and its running costs."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from finance import views

urlpatterns = [
    path("finance/running-costs/", views.latest_running_costs, name="latest_running_costs"),
    path("finance/<year:year>/", views.finance_summary, name="finance_summary"),
    path("finance/<year:year>/running-costs/", views.running_costs, name="running_costs"),
]
