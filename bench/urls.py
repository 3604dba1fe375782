"""The portal's URLs plus one minimal view, the yardstick each page's time is compared with."""

from django.http import HttpResponse
from django.urls import include, path

MINIMAL_PATH = "/__bench__/minimal/"


def minimal(request):
    """The least a logged-in request costs: every middleware, the session and user read (as
    every page reads them), no query of our own, no template."""
    return HttpResponse(f"ok {request.user.is_authenticated}", content_type="text/plain")


urlpatterns = [
    path(MINIMAL_PATH.strip("/") + "/", minimal),
    path("", include("ccgportal.urls")),
]
