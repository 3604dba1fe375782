"""Survey pages: the lists and results for signed-in staff, and the reply form, public but
only through an invitee's own link.

A reply link's pages carry the token in their address, so every answer under it (the form,
and each refusal) says ``Cache-Control: no-store`` and ``Referrer-Policy: same-origin``, and
the form, once sent, redirects to a page without it. An unknown, forged, truncated or
malformed token is a 404 that reads the same whatever was wrong, so the page never says
whether a token exists; a survey past its due date (or in a locked year) is 410 Gone; a
reply already received is 409 Conflict; bad answers are the form again with its errors, 400.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from common.exports import EXPORTS, table_response
from common.http import form_view, read_only
from common.navigation import Crumb, trail
from directorates.models import FinancialYear
from surveys import charts, presenters, rules, selectors, services
from surveys.forms import DID_NOT_USE, DID_NOT_USE_TEXT, IMPROVE_HINT, ReplyForm

LINK_NOT_FOUND = (
    "This survey link does not work",
    "Check that you copied the whole link from your email. Each link works for one person "
    "once; if yours still does not work, reply to the email that sent it.",
)


def _surveys_crumb() -> Crumb:
    return Crumb("Surveys", reverse("surveys"))


def _year_crumb(year: FinancialYear) -> Crumb:
    return Crumb(
        f"Surveys {year.display_name}", reverse("surveys_year", kwargs={"year": year.label})
    )


@read_only
@login_required
def surveys_index(request):
    rows = presenters.list_rows(selectors.all_surveys(), timezone.localdate())
    return render(request, "surveys/index.html", {"rows": rows, "breadcrumbs": trail()})


@read_only
@login_required
def year_surveys(request, year):
    year = get_object_or_404(FinancialYear, label=year)
    rows = presenters.list_rows(selectors.year_surveys(year), timezone.localdate())
    return render(
        request,
        "surveys/year.html",
        {"year": year, "rows": rows, "breadcrumbs": trail(_surveys_crumb())},
    )


@read_only
@login_required
def survey_results(request, year, survey):
    export = request.GET.get("format") or None
    if export not in (None, *EXPORTS):
        return _bad_format(request)
    results = selectors.survey_results(year, survey)
    if results is None:
        raise Http404("No such survey")
    page = presenters.results_page(results)
    survey = results.survey
    if export:
        basename = f"{survey.slug}-{survey.year.label}"
        return table_response(export, basename, presenters.export_rows(page), survey.title)
    context = {"page": page, "breadcrumbs": trail(_surveys_crumb(), _year_crumb(survey.year))}
    if page.rows:
        context["ratings_chart"], context["ratings_summary"] = charts.ratings_chart(page)
    if page.metrics:
        context["metrics_chart"], context["metrics_summary"] = charts.metrics_chart(page)
    return render(request, "surveys/results.html", context)


def _bad_format(request):
    return render(
        request,
        "error.html",
        {
            "status": 400,
            "page": {
                "title": "Sorry, there is a problem with the request",
                "explanation": "Survey results download as CSV (format=csv) or Excel "
                "(format=xlsx).",
            },
            "reason": f"There is no '{request.GET['format'][:40]}' download.",
        },
        status=400,
    )


# The reply form


def private_link(view):
    """Neither kept in a cache nor told to the next site: the address holds the token.

    same-origin, not no-referrer: under no-referrer a browser sends ``Origin: null`` with the
    form's POST (the Fetch standard), which Django's CSRF check refuses, so no reply could be
    sent. same-origin still tells another site nothing."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)  # Cache-Control: max-age=0, no-cache, no-store, …
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _notice(request, status: int, title: str, text: str, survey=None):
    return render(
        request,
        "surveys/notice.html",
        {"status": status, "title": title, "text": text, "survey": survey},
        status=status,
    )


@private_link
@form_view
def reply(request, token):
    link = selectors.link_for(token)
    if link is None:
        return _notice(request, 404, *LINK_NOT_FOUND)
    survey, today = link.invitee.survey, timezone.localdate()
    if link.invitee.answered:
        return _already(request, survey)
    if not rules.takes_replies(due=survey.responses_due, locked=survey.year.is_locked, today=today):
        return _closed(request, survey)
    items = selectors.reply_items(survey)
    form = ReplyForm(survey, items, data=request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.record_response(
                link=link, answers=form.answers(), comment=form.comment(), today=today
            )
        except services.AlreadyAnswered:
            return _already(request, survey)
        except services.Closed:
            return _closed(request, survey)
        return redirect("survey_thanks")
    return render(
        request,
        "surveys/reply.html",
        {
            "survey": survey,
            "form": form,
            "groups": presenters.reply_groups(form, items),
            "did_not_use": (DID_NOT_USE, DID_NOT_USE_TEXT),
            "improve_hint": IMPROVE_HINT,
            "summary": form.error_summary() if form.is_bound else [],
        },
        status=400 if form.is_bound else 200,
    )


def _already(request, survey):
    return _notice(
        request,
        409,
        "Your reply has already been received",
        f"Thank you: we already have your reply to the {survey.title}. Each link takes one "
        "reply, so nothing more was saved.",
        survey,
    )


def _closed(request, survey):
    when = f" on {survey.responses_due:%-d %B %Y}" if survey.responses_due else ""
    return _notice(
        request,
        410,
        "This survey has closed",
        f"The {survey.title} stopped taking replies{when}, so this link no longer works. "
        "Nothing was saved. Thank you for your time.",
        survey,
    )


@private_link
@read_only
def thanks(request):
    return _notice(
        request,
        200,
        "Thank you, your reply has been received",
        "Your ratings and comments are kept without your name. You will get no reminders "
        "about this survey.",
    )
