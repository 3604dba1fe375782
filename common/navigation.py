"""Breadcrumbs: where a page sits below the home page, built by each view and drawn by base.html."""

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class Crumb:
    text: str
    href: str


def trail(*crumbs: Crumb) -> list[Crumb]:
    """Home, then the pages above this one, nearest last (the page itself is its heading)."""
    return [Crumb("Home", reverse("home")), *crumbs]
