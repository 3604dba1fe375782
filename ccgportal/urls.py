"""Root URLs of the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLResolver, include, path
from django.views.decorators.http import require_http_methods

from ccgportal import views

# Every page answers only the methods it uses, and 405 to any other (PUT, DELETE, PATCH,
# TRACE, OPTIONS): the portal's own views each say theirs (require_safe for read-only pages,
# require_http_methods for forms); Django's log-in, log-out and admin views are held here.
FORM_METHODS = ["GET", "HEAD", "POST"]


def _only(methods: list[str], patterns: list) -> list:
    """The patterns with each view (under any include) refusing other methods with a 405."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _only(methods, pattern.url_patterns)
        else:
            pattern.callback = require_http_methods(methods)(pattern.callback)
    return patterns


_admin_patterns, _admin_app, _admin_namespace = admin.site.urls

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            template_name="login.html", http_method_names=["get", "head", "post"]
        ),
        name="login",
    ),
    path(
        "accounts/logout/",
        auth_views.LogoutView.as_view(http_method_names=["post"]),
        name="logout",
    ),
    path("admin/", (_only(FORM_METHODS, _admin_patterns), _admin_app, _admin_namespace)),
    path("", include("kpis.returns.urls")),
    path("", include("dashboards.urls")),
    path("", include("finance.urls")),
    path("", include("surveys.urls")),
    path("", include("reports.urls")),
]

handler400 = "ccgportal.errors.bad_request"
handler403 = "ccgportal.errors.permission_denied"
handler404 = "ccgportal.errors.page_not_found"
handler500 = "ccgportal.errors.server_error"
