"""The Jinja2 environment for portal pages: our templates first, then NHS.UK's components."""

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import json_script
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader

from ccgportal.navigation import primary_navigation
from kpis.presenters import OVERDUE_TAG, rag_badge, return_status_tag, self_assessed_badge


def querystring(request, **changes) -> str:
    """This page's query string with some parameters changed (None removes one)."""
    params = request.GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    return f"?{params.urlencode()}" if params else "?"


MOMENT = "%-d %B %Y %H:%M"


def local_time(moment, format: str = MOMENT) -> str:  # noqa: A002 - strftime's word
    """A stored moment (kept in UTC) as the portal's users read it: on the clock of TIME_ZONE
    (London, an hour ahead in summer). Jinja, unlike Django's templates, does not convert it."""
    return timezone.localtime(moment).strftime(format)


def environment(**options) -> Environment:
    """Called by Django's Jinja2 backend with its options (autoescape, loader for DIRS, …).

    The backend already puts `request`, `csrf_input` and `csrf_token` in every context;
    `get_messages(request)` gives a page its flash messages (base.html shows them);
    `json_script(data, id)` hands a chart its figure as JSON, never as inline script;
    `querystring(request, page=2)` links to the same page with a parameter changed;
    `moment | local_time` (or `local_time("%-d %B %Y")`) prints a stored moment in London time.

    The portal's display vocabulary is Python's too, so that no template types a label, a
    colour or a rule of its own: `return_status_tag(status)` is a return's word and NHS.UK tag
    colour (kpis.presenters, the one map every page uses), `overdue_tag` the overdue one;
    `rag_badge(rating, text)` and `self_assessed_badge(rating)` a RAG badge's modifier and word.
    """
    loader = options.pop("loader", None)
    options["undefined"] = ChainableUndefined  # nhsuk-frontend-jinja's macros need it
    env = Environment(autoescape=options.pop("autoescape", True), **options)
    nhsuk = PackageLoader("nhsuk_frontend_jinja")
    env.loader = ChoiceLoader([loader, nhsuk] if loader else [nhsuk])
    env.globals.update(
        static=static,
        url=reverse,
        get_messages=get_messages,
        json_script=json_script,
        querystring=querystring,
        navigation=primary_navigation,
        return_status_tag=return_status_tag,
        overdue_tag=OVERDUE_TAG,
        rag_badge_of=rag_badge,
        self_assessed_badge_of=self_assessed_badge,
    )
    env.filters["local_time"] = local_time
    return env
