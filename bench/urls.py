"""The portal's URLs plus one minimal view, the yardstick each page's time is compared with;
the portal's own error pages too, so a bench or probe run answers errors as production does."""

from django.http import HttpResponse
from django.urls import include, path

from ccgportal.urls import handler400, handler403, handler404, handler500  # noqa: F401

MINIMAL_PATH = "/__bench__/minimal/"


def minimal(request):
    """The least a logged-in request costs: every middleware, the session and user read (as
    every page reads them), no query of our own, no template."""
    return HttpResponse(f"ok {request.user.is_authenticated}", content_type="text/plain")


urlpatterns = [
    path(MINIMAL_PATH.strip("/") + "/", minimal),
    path("", include("ccgportal.urls")),
]
