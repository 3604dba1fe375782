from django.apps import AppConfig


class CcgPortalConfig(AppConfig):
    name = "ccgportal"
    verbose_name = "CCG Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from ccgportal.logs import log_failed_login
        from ccgportal.security import mark_renewed

        user_login_failed.connect(log_failed_login, dispatch_uid="ccgportal.log_failed_login")
        user_logged_in.connect(mark_renewed, dispatch_uid="ccgportal.mark_renewed")
