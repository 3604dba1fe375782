"""The home page."""

from django.shortcuts import render

from ccgportal.presenters import year_contents, year_tag
from ccgportal.selectors import year_overviews


def home(request):
    years = [
        (
            overview.year,
            year_tag(overview.year),
            year_contents(overview, with_admin_links=request.user.is_staff),
        )
        for overview in year_overviews()
    ]
    return render(request, "home.html", {"years": years})
