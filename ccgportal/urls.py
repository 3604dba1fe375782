"""Root URLs of the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import URLResolver, include, path

from ccgportal import views
from common.http import allow_methods, form_view

# Every page answers only the methods it uses, and 405 to any other (PUT, DELETE, PATCH,
# TRACE, OPTIONS): the portal's own views each say theirs (common/http.py: read_only, or
# form_view for a page with a form); Django's log-in, log-out and admin views are held here.


def _forms(patterns: list) -> list:
    """The patterns with each view (under any include) answering GET, HEAD and POST only."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            _forms(pattern.url_patterns)
        else:
            pattern.callback = form_view(pattern.callback)
    return patterns


_admin_patterns, _admin_app, _admin_namespace = admin.site.urls

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        form_view(auth_views.LoginView.as_view(template_name="login.html")),
        name="login",
    ),
    path(
        "accounts/logout/",
        allow_methods("POST")(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path("admin/", (_forms(_admin_patterns), _admin_app, _admin_namespace)),
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
