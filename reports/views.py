"""The annual report: a year's report as a web page."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from common.http import read_only
from reports import pdf, presenters, selectors
from reports.narrative import presenters as narrative_presenters


def _readable(request, year):
    """The year's report data, or the sign-in page for a draft asked for by nobody signed in:
    a published report is anyone's, a draft only signed-in users'."""
    data = selectors.annual_report(year)
    if data is None:
        raise Http404("No annual report for that year")
    if not data.report.is_published and not request.user.is_authenticated:
        return None
    return data


@read_only
def annual_report(request, year):
    data = _readable(request, year)
    if data is None:
        return redirect_to_login(request.get_full_path())
    page = presenters.report_page(data)
    edit_hrefs = narrative_presenters.edit_hrefs(request.user, data.year, data.sections)
    return render(
        request,
        "reports/annual.html",
        {"page": page, "breadcrumbs": page.breadcrumbs, "edit_hrefs": edit_hrefs},
    )


@read_only
@login_required
def latest_annual_report(request):
    """The navigation's Annual report: the latest year that has one."""
    label = selectors.latest_report_year()
    if label is None:
        raise Http404("No annual report has been written yet")
    return redirect("annual_report", year=label)


@read_only
def annual_report_pdf(request, year):
    data = _readable(request, year)
    if data is None:
        return redirect_to_login(request.get_full_path())
    page = presenters.report_page(data)
    site = request.build_absolute_uri("/").rstrip("/")
    html = render_to_string(
        "reports/annual_pdf.html", {"page": page, "site": site}, request=request
    )
    response = HttpResponse(pdf.cached_pdf(year, html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="annual-report-{year}.pdf"'
    return response
