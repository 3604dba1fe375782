"""The primary navigation: what each role may use, in the NHS.UK header on every page."""

from dataclasses import dataclass

from django.urls import reverse

from directorates.roles import roles_for


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    current: bool = False


def _items(user) -> list[tuple[str, str, tuple[str, ...]]]:
    """(text, link, the paths it stands for) for each item the user may use."""
    roles = roles_for(user)
    returns = reverse("my_returns")
    items = [("Home", reverse("home"), ())]
    items.append(("My returns", returns, (returns,)))
    if roles.led_directorate_ids:
        items.append(("Sign-off", reverse("sign_off_current"), ("/sign-off/",)))
    dashboard = reverse("dashboard")
    items.append(("Scorecard", dashboard, (dashboard, "/kpis/")))
    exceptions = reverse("exceptions")
    items.append(("Exception report", exceptions, (exceptions,)))
    items.append(("Running costs", reverse("latest_running_costs"), ("/finance/",)))
    surveys = reverse("surveys")
    items.append(("Surveys", surveys, (surveys,)))
    # Not the plans' reports (/reports/plans/, /reports/<plan>/<year>/), linked from the home page.
    items.append(("Annual report", reverse("latest_annual_report"), ("/reports/annual/",)))
    if user.is_staff:
        items.append(("Admin", reverse("admin:index"), ()))
    return items


def primary_navigation(request) -> list[NavItem]:
    """The header's links; the one whose paths best match this page is marked current."""
    user = getattr(request, "user", None)  # none on a page for a request refused before sign-in
    if user is None or not user.is_authenticated:
        return []
    items = _items(user)
    path = request.path

    def match(paths) -> int:
        # "/sign-off/" matches inside the sign-off page's path; the others from its start.
        return max(
            (len(p) for p in paths if path.startswith(p) or (p == "/sign-off/" and p in path)),
            default=0,
        )

    best = max((match(paths) for _, _, paths in items), default=0)
    home = path == reverse("home")
    return [
        NavItem(text, href, current=(home and not paths) or (best > 0 and match(paths) == best))
        for text, href, paths in items
    ]
