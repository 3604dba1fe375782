"""Plan progress reports: the list of plans, a plan's report as a web page and as a PDF.

A plan is a published document (its progress summary is published as it stands), so, as with
a published annual report, anyone may read it and download its PDF without signing in."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from common.http import read_only
from plans import selectors
from reports import pdf, plan_presenters


def _page(plan: str, year: str) -> plan_presenters.PlanPage:
    found = selectors.plan_with_progress(plan, year)
    if found is None:
        raise Http404("No such plan for that year")
    return plan_presenters.plan_page(found)


@read_only
def plan_reports(request):
    page = plan_presenters.plans_page(selectors.plans())
    return render(request, "reports/plans.html", {"page": page, "breadcrumbs": page.breadcrumbs})


@read_only
def plan_report(request, plan, year):
    page = _page(plan, year)
    return render(request, "reports/plan.html", {"page": page, "breadcrumbs": page.breadcrumbs})


@read_only
def plan_report_pdf(request, plan, year):
    page = _page(plan, year)
    html = render_to_string("reports/plan_pdf.html", {"page": page}, request=request)
    response = HttpResponse(
        pdf.cached_pdf(f"plan:{plan}:{year}", html), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{plan}-{year}.pdf"'
    return response
