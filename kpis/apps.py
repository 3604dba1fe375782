from django.apps import AppConfig


class KpisConfig(AppConfig):
    name = "kpis"
    verbose_name = "Key performance indicators"

    def ready(self):
        from kpis import spc_state  # noqa: F401 (connects the signals that keep SPC current)
