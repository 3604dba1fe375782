"""URLs of the surveys: the reply form behind each link."""

from django.urls import path

from surveys import views

urlpatterns = [
    path("surveys/reply/thank-you/", views.thanks, name="survey_thanks"),
    path("surveys/reply/<str:token>/", views.reply, name="survey_reply"),
]
