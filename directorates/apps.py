from django.apps import AppConfig


class DirectoratesConfig(AppConfig):
    name = "directorates"
    verbose_name = "Organisation and directorates"

    def ready(self):
        from directorates import access  # noqa: F401 - registers the permissions
