"""The home page: the day's work for the signed-in user, then the financial years."""

from django.shortcuts import render
from django.utils import timezone

from ccgportal.presenters import year_contents, year_tag
from ccgportal.selectors import year_overviews
from ccgportal.today import today_for
from dashboards.scorecard import STANDING_LABELS


def home(request):
    user = request.user
    years = [
        (
            overview.year,
            year_tag(overview.year),
            year_contents(overview, with_admin_links=user.is_staff),
        )
        for overview in year_overviews()
    ]
    today = today_for(user, timezone.localdate()) if user.is_authenticated else None
    return render(
        request,
        "home.html",
        {"years": years, "today": today, "standings": STANDING_LABELS},
    )
