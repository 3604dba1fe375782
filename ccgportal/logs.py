"""The portal's logs: one JSON object a line, for a log collector.

``RequestLogMiddleware`` writes one line per request (logger ``ccgportal.requests``): its id,
method, path, status, time taken and the signed-in user's id. The id is the proxy's
``X-Request-ID`` when it sent a plausible one, a new one otherwise, and goes back in the
response's ``X-Request-ID`` so a user's report can be found in the logs.

``JsonFormatter`` writes every record, Django's and the portal's, as JSON with secrets taken
out: a survey link's token (which answers for its invitee) never reaches a log, whichever
logger wrote the path. Passwords, form bodies and survey answers are never logged at all:
nothing here reads a request's body.
"""

import logging
import re
import time
import uuid

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

from ccgportal.security import client_ip, signed_in_user
from common import audit

logger = logging.getLogger("ccgportal.requests")

REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
# A survey reply link's token, wherever a path appears in a message.
SECRET_PATHS = [(re.compile(r"(/surveys/reply/)(?!thank-you/)[^/\s?'\"]+"), r"\1[token]")]
DROPPED = {"request", "server_time", "color_message"}  # objects Django attaches to records


def redact(text: str) -> str:
    for pattern, replacement in SECRET_PATHS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(_JsonFormatter):
    def process_log_record(self, log_data):
        for key in DROPPED & log_data.keys():
            del log_data[key]
        for key, value in log_data.items():
            if isinstance(value, str):
                log_data[key] = redact(value)
        return log_data


def request_id(request) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        request.request_id = request_id(request)
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        user = signed_in_user(request)
        path = redact(request.path)
        duration = round((time.perf_counter() - started) * 1000, 1)
        logger.info(
            "%s %s %s %sms",
            request.method,
            path,
            response.status_code,
            duration,
            extra={
                "request_id": request.request_id,
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration,
                # Only a user already read for the request: looking one up here would cost
                # a query on pages (health, static) that never needed one.
                "user_id": user.pk if user is not None else None,
            },
        )
        return response


class TextFormatter(logging.Formatter):
    """Plain lines (LOG_FORMAT=text), with the same secrets taken out."""

    def format(self, record):
        return redact(super().format(record))


def log_failed_login(sender, credentials, request=None, **kwargs):
    """Every failed log-in in the audit log: the name tried and the address, never the password
    (Django hands the signal the credentials with the password already masked)."""
    audit.record(
        "login_failed",
        at_commit=False,
        username=str(credentials.get("username", ""))[:150],
        ip=client_ip(request) if request is not None else "",
    )
