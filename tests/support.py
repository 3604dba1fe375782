"""Helpers every test module shares: the demo's users by name, a snapshot of what a refused
write must leave as it was, and signing in."""

from datetime import date

from django.contrib.auth import get_user_model

from kpis.models import Figure, ReturnEvent, TeamReturn

OPEN_DAY = date(2026, 11, 25)  # every quarter of 2014/15 has started
INSPECTIONS = "quality-inspections"  # 6 a quarter, higher is better; 2013/14: 6, 7, 6, 5
# Five earlier years of inspections, steady at 9-10 a quarter: 2013/14's 6, 7, 6, 5 is a fall.
EARLIER = [9, 10, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9, 9, 10, 10, 9, 10, 9]


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username="exec"):
    """The test client signed in as a demo user (the executive unless another is named)."""
    client.force_login(user(username))
    return client


def snapshot():
    """Everything a refused write to returns must leave as it was."""
    return (
        list(Figure.objects.order_by("pk").values()),
        list(TeamReturn.objects.order_by("pk").values()),
        ReturnEvent.objects.count(),
        Figure.history.count(),
    )
