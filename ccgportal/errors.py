"""The portal's error pages: 400, 403, 404, 405, 413, 500 and a refused form (CSRF), in the
NHS.UK layout, with a plain-English reason and a way back, never a traceback.

Django calls the handlers (``ccgportal/urls.py``, ``CSRF_FAILURE_VIEW``) when DEBUG is off.
With DEBUG on it shows its own debug pages for a missing page or a bad request instead, which a
user of a development or demonstration site should never meet: ``ErrorPagesMiddleware`` answers
those the same way. A refusal's reason (the message of its PermissionDenied) is shown; a 404's
never is, since it may name what the user may not know exists.

``ErrorPagesMiddleware`` also refuses, before any view or database sees them, the inputs no
page of the portal can take: a NUL character in the address, the query string, a cookie or a
form field (400; PostgreSQL cannot store one and would fail mid-request), a form body over
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (413) or with too many fields (400). Each is logged in one line.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import (
    BadRequest,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse, HttpResponseNotAllowed, HttpResponseServerError
from django.shortcuts import render
from django.urls import Resolver404, get_resolver, resolve
from django.utils.cache import add_never_cache_headers

from common.http import ALLOWED

logger = logging.getLogger("ccgportal.errors")


@dataclass(frozen=True)
class ErrorPage:
    title: str
    explanation: str


CSRF = "csrf"  # the key of the refused-form page, a 403 of its own

PAGES = {
    400: ErrorPage(
        "Sorry, there is a problem with the request",
        "The page could not understand what was sent. Check the address or go back and try again.",
    ),
    403: ErrorPage(
        "You do not have permission to see this page",
        "Your account does not give you access to this page. If you think it should, ask "
        "your portal administrator.",
    ),
    404: ErrorPage(
        "Page not found",
        "If you typed the web address, check it is correct. If you pasted the web address, "
        "check you copied the entire address.",
    ),
    405: ErrorPage(
        "This page cannot do that",
        "The page was asked to do something it does not do. Go back to the page and use its "
        "links and buttons.",
    ),
    413: ErrorPage(
        "What was sent is too large",
        "The form sent more than the portal accepts at once. Go back, shorten what you "
        "entered and try again; a spreadsheet goes through the import page instead.",
    ),
    500: ErrorPage(
        "Sorry, there is a problem with the portal",
        "Something went wrong on our side and nothing you sent has been saved. Try again "
        "later; if it keeps happening, tell your portal administrator.",
    ),
    503: ErrorPage(
        "Sorry, the portal is not available at the moment",
        "The portal cannot reach its database just now, so nothing you sent has been saved. "
        "Try again in a few minutes; if it keeps happening, tell your portal administrator.",
    ),
    CSRF: ErrorPage(
        "Your form could not be sent",
        "The page had been open for too long, or your browser did not send the portal's "
        "cookie, so nothing was saved. Go back, reload the page and send the form again; "
        "if you opened it from a link in an email, open the link again. Cookies must be "
        "allowed for this site.",
    ),
}


def error_page(request, status: int, reason: str = "", *, page=None):
    return render(
        request,
        "error.html",
        {"status": status, "page": PAGES[page or status], "reason": reason},
        status=status,
    )


def _reason(exception) -> str:
    """The refusal's own words as a sentence; "" when it gave none (PermissionDenied())."""
    message = str(exception or "").strip()
    return f"{message.rstrip('.')}." if message else ""


def bad_request(request, exception=None):
    if isinstance(exception, RequestDataTooBig):
        return error_page(request, 413)
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    return error_page(request, 404)


class _NoMessages(list):
    """No flash messages, for a page that must not read them from the session."""

    def update(self, response):
        return []


def _signed_out(request) -> None:
    """Draw the page as for a signed-out user, without looking up the session: the database
    that failed, or the cookie that was refused, may be what it would read."""
    request.user = AnonymousUser()
    request._messages = _NoMessages()


def database_unavailable(request, exception):
    """A database that does not answer, or went away mid-request: 503, drawn without it.

    Whatever the request was writing was in a transaction the database never committed, so
    nothing is half-written."""
    logger.error(
        "The database does not answer (%s): %s %s",
        exception.__class__.__name__,
        request.method,
        request.path,
    )
    _signed_out(request)
    try:
        response = error_page(request, 503)
    except Exception:
        logger.exception("The 503 page could not be drawn")
        response = HttpResponse(
            f"{PAGES[503].title}. {PAGES[503].explanation}",
            content_type="text/plain",
            status=503,
        )
    response["Retry-After"] = "60"
    return response


def server_error(request):
    """The 500 page, drawn as for a signed-out user; plain text if even that cannot be drawn."""
    _signed_out(request)
    try:
        return error_page(request, 500)
    except Exception:
        logger.exception("The 500 page could not be drawn")
        return HttpResponseServerError(
            f"{PAGES[500].title}. {PAGES[500].explanation}", content_type="text/plain"
        )


def csrf_failure(request, reason=""):
    """A form sent without its CSRF token or cookie (CSRF_FAILURE_VIEW). Django's reason is
    logged by the CSRF middleware, not shown. Never cached, and no referrer: the address may
    be a survey link, whose token is in it."""
    response = error_page(request, 403, page=CSRF)
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "no-referrer"
    return response


def method_not_allowed(request, allowed: str):
    response = error_page(request, 405)
    response["Allow"] = allowed
    return response


NUL_REASONS = {
    "address": "The web address holds a character the portal cannot read (a NUL character, %00).",
    "query string": (
        "The web address holds a character the portal cannot read (a NUL character, %00)."
    ),
    "cookie": (
        "Your browser sent a cookie the portal cannot read. Delete this site's cookies and "
        "sign in again."
    ),
    "form field": (
        "What you entered holds a character the portal cannot store (a NUL character): go "
        "back, remove it and send the form again."
    ),
    "file name": (
        "The file's name holds a character the portal cannot store (a NUL character): rename "
        "the file and upload it again."
    ),
}


def _has_nul(values) -> bool:
    return any("\x00" in value for value in values)


def _nul_in(request) -> str:
    """Where a NUL character is in the request, or ""."""
    if "\x00" in request.path:
        return "address"
    if _has_nul(request.GET.keys()) or _has_nul(v for vs in request.GET.lists() for v in vs[1]):
        return "query string"
    if _has_nul(request.COOKIES.keys()) or _has_nul(request.COOKIES.values()):
        return "cookie"
    if request.method == "POST":
        if _has_nul(request.POST.keys()) or _has_nul(
            v for vs in request.POST.lists() for v in vs[1]
        ):
            return "form field"
        if _has_nul(f.name or "" for f in request.FILES.values()):
            return "file name"
    return ""


def _allowed_methods(request) -> tuple[str, ...]:
    """The methods the view at this address answers (common/http.py), () if it says none or
    there is no such view."""
    try:
        match = get_resolver(getattr(request, "urlconf", None)).resolve(request.path_info)
    except Resolver404:
        return ()
    return getattr(match.func, ALLOWED, ())


class ErrorPagesMiddleware:
    """The portal's pages for bad requests, whether DEBUG is on or off.

    With DEBUG on, the portal's 404 and 400 pages instead of Django's debug pages; a refusal
    (PermissionDenied, BadRequest) is answered here with DEBUG off too, so that it is logged
    in one line (Django's own handler logs each with its traceback). A method the view does
    not answer (common/http.py) is refused here, before the CSRF middleware would answer a
    PUT or a DELETE with a 403; any other bare 405 (a class-based view's http_method_names)
    becomes the portal's page too, keeping its Allow header.

    Sits after CommonMiddleware, so a missing trailing slash is still redirected first, and
    after the authentication middleware, so the page's header knows who is signed in; its
    checks of the request run before any view, and before the CSRF middleware reads the form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refused = self._refuse(request)  # first: a bad cookie must not be looked up
        if refused is not None:
            return refused
        allowed = _allowed_methods(request)
        if allowed and request.method not in allowed:  # before the CSRF check answers a PUT
            return method_not_allowed(request, ", ".join(allowed))
        if settings.DEBUG:
            try:
                resolve(request.path_info)
            except Resolver404:
                return page_not_found(request)
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            return method_not_allowed(request, response["Allow"])
        return response

    def _refuse(self, request):
        """The answer to a request no page can take, or None."""
        try:
            where = _nul_in(request)
        except RequestDataTooBig:
            request._mark_post_parse_error()
            logger.warning("Request body too large: %s %s", request.method, request.path)
            return error_page(request, 413)
        except (TooManyFieldsSent, TooManyFilesSent) as exc:
            request._mark_post_parse_error()
            logger.warning("%s: %s %s", exc, request.method, request.path)
            return error_page(request, 400)
        if not where:
            return None
        logger.warning("NUL character in the %s: %s %s", where, request.method, request.path)
        if where == "cookie":
            _signed_out(request)  # the session cookie may be the one
        return error_page(request, 400, NUL_REASONS[where])

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError):
            return database_unavailable(request, exception)
        if isinstance(exception, PermissionDenied):
            return permission_denied(request, exception)
        if isinstance(exception, SuspiciousOperation):
            name = f"django.security.{exception.__class__.__name__}"
            logging.getLogger(name).warning("%s: %s", exception, request.path)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return bad_request(request, exception)
        if isinstance(exception, Http404) and settings.DEBUG:
            return page_not_found(request, exception)
        return None  # Django's handlers answer the rest
