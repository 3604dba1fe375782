"""Which HTTP methods a view answers, said once on the view.

``read_only`` (GET, HEAD) and ``form_view`` (GET, HEAD, POST) are Django's
``require_http_methods`` that also keep the methods on the view (``allowed_methods``), so the
portal's error-pages middleware (ccgportal/errors.py) refuses any other method with a 405
before the CSRF check would answer a PUT or DELETE with a 403, and with the view's own Allow.
"""

from django.views.decorators.http import require_http_methods

ALLOWED = "allowed_methods"


def allow_methods(*methods: str):
    def decorator(view):
        wrapped = require_http_methods(list(methods))(view)
        setattr(wrapped, ALLOWED, methods)
        return wrapped

    return decorator


read_only = allow_methods("GET", "HEAD")
form_view = allow_methods("GET", "HEAD", "POST")
