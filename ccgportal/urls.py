"""Root URLs of the portal."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ccgportal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/login/", auth_views.LoginView.as_view(template_name="login.html"), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("kpis.returns.urls")),
    path("", include("dashboards.urls")),
    path("", include("finance.urls")),
    path("", include("surveys.urls")),
    path("", include("reports.urls")),
]

handler400 = "ccgportal.errors.bad_request"
handler403 = "ccgportal.errors.permission_denied"
handler404 = "ccgportal.errors.page_not_found"
