from django.apps import AppConfig


class DirectoratesConfig(AppConfig):
    name = "directorates"
    verbose_name = "Organisation and directorates"
