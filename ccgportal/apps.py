from django.apps import AppConfig


class CcgPortalConfig(AppConfig):
    name = "ccgportal"
    verbose_name = "CCG Portal"
