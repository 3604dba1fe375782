"""Plan progress reports: the list of plans, a plan's report as a web page and as a PDF.

A published plan, as a published annual report, is anyone's to read and download without
signing in; a draft (not yet published by an admin, ``plans.services``) is for signed-in users
only, and says it is a draft; nobody else is told it exists beyond the sign-in page."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from common.http import read_only
from plans import selectors
from reports import pdf, plan_presenters


def _page(request, plan: str, year: str) -> plan_presenters.PlanPage | None:
    """The plan's page, or None for a draft asked for by nobody signed in."""
    found = selectors.plan_with_progress(plan, year)
    if found is None:
        raise Http404("No such plan for that year")
    if not found.is_published and not request.user.is_authenticated:
        return None
    return plan_presenters.plan_page(found)


@read_only
def plan_reports(request):
    plans = selectors.plans(published_only=not request.user.is_authenticated)
    page = plan_presenters.plans_page(plans)
    return render(request, "reports/plans.html", {"page": page, "breadcrumbs": page.breadcrumbs})


@read_only
def plan_report(request, plan, year):
    page = _page(request, plan, year)
    if page is None:
        return redirect_to_login(request.get_full_path())
    return render(request, "reports/plan.html", {"page": page, "breadcrumbs": page.breadcrumbs})


@read_only
def plan_report_pdf(request, plan, year):
    page = _page(request, plan, year)
    if page is None:
        return redirect_to_login(request.get_full_path())
    html = render_to_string("reports/plan_pdf.html", {"page": page}, request=request)
    response = HttpResponse(
        pdf.cached_pdf(f"plan:{plan}:{year}", html), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{plan}-{year}.pdf"'
    return response
