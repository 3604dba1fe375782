"""The home page: the day's work for the signed-in user, then the financial years."""

from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from ccgportal.presenters import year_contents, year_tag
from ccgportal.selectors import year_overviews
from ccgportal.today import today_for
from dashboards.scorecard import STANDING_LABELS
from directorates import access
from directorates.access import Perm


def _pages(user, year) -> dict[str, str]:
    """The pages the user may open for a year's contents, by kind."""
    if not user.is_authenticated:
        return {}
    pages = {
        "kpis_kpiyear": f"{reverse('dashboard')}?year={year.label}",
        "finance_costline": reverse("running_costs", kwargs={"year": year.label}),
        "finance_financesummaryline": reverse("finance_summary", kwargs={"year": year.label}),
        "surveys_survey": reverse("surveys_year", kwargs={"year": year.label}),
        "reports_annualreport": reverse("annual_report", kwargs={"year": year.label}),
        "plans_plan": reverse("plan_reports"),
    }
    if access.may(user, Perm.VIEW_COMPLETENESS):
        pages["kpis_teamreturn"] = reverse("completeness", kwargs={"year": year.label})
    return pages


def home(request):
    user = request.user
    years = [
        (
            overview.year,
            year_tag(overview.year),
            year_contents(
                overview, with_admin_links=user.is_staff, pages=_pages(user, overview.year)
            ),
        )
        for overview in year_overviews()
    ]
    today = today_for(user, timezone.localdate()) if user.is_authenticated else None
    return render(
        request,
        "home.html",
        {"years": years, "today": today, "standings": STANDING_LABELS},
    )


def favicon(request):
    """The portal's icon where a browser asks for /favicon.ico: on pages that name none, such
    as Django admin's, it asks there, and a 404 would be an error in its console."""
    return redirect(static("dist/assets/images/favicon.ico"), permanent=True)
