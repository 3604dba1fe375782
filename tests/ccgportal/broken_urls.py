"""The portal's URLs and error handlers with one view that fails, for the 500 page's test."""

from django.urls import path

from ccgportal.urls import handler400, handler403, handler404, handler500, urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]


def broken(request):
    return 1 / 0


urlpatterns = [path("broken/", broken), *urlpatterns]
