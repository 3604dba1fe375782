"""The portal's error pages: 400, 403 and 404 in the NHS.UK layout, with why and a way back.

Django calls the handlers (``ccgportal/urls.py``) when DEBUG is off. With DEBUG on it shows its
own debug pages for a missing page or a bad request instead, which a user of a development or
demonstration site should never meet: ``ErrorPagesMiddleware`` answers those the same way.
A refusal's reason (the message of its PermissionDenied) is shown; a 404's never is, since it
may name what the user may not know exists.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import BadRequest, SuspiciousOperation
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve


@dataclass(frozen=True)
class ErrorPage:
    title: str
    explanation: str


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
}


def error_page(request, status: int, reason: str = ""):
    return render(
        request,
        "error.html",
        {"status": status, "page": PAGES[status], "reason": reason},
        status=status,
    )


def _reason(exception) -> str:
    """The refusal's own words as a sentence; "" when it gave none (PermissionDenied())."""
    message = str(exception or "").strip()
    return f"{message.rstrip('.')}." if message else ""


def bad_request(request, exception=None):
    return error_page(request, 400)


def permission_denied(request, exception=None):
    return error_page(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    return error_page(request, 404)


class ErrorPagesMiddleware:
    """With DEBUG on, the portal's 404 and 400 pages instead of Django's debug pages.

    Sits after CommonMiddleware, so a missing trailing slash is still redirected first, and
    after the authentication middleware, so the page's header knows who is signed in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.DEBUG:
            try:
                resolve(request.path_info)
            except Resolver404:
                return page_not_found(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not settings.DEBUG:
            return None  # Django's handlers answer with the same pages
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return bad_request(request, exception)
        return None  # a PermissionDenied reaches handler403 with DEBUG on too
