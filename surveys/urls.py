"""URLs of the surveys: the lists and results for staff, and the reply form behind each link."""

from django.urls import path

import common.converters  # noqa: F401 (registers the <year:…> converter)
from surveys import views

urlpatterns = [
    path("surveys/", views.surveys_index, name="surveys"),
    path("surveys/reply/thank-you/", views.thanks, name="survey_thanks"),
    path("surveys/reply/<str:token>/", views.reply, name="survey_reply"),
    path("surveys/<year:year>/", views.year_surveys, name="surveys_year"),
    path("surveys/<year:year>/<slug:survey>/", views.survey_results, name="survey_results"),
]
