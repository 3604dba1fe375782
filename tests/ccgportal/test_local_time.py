"""Stored moments (UTC) print on London's clock on every page, as the users live by it."""

from datetime import UTC, datetime

from ccgportal.jinja2 import local_time
from kpis.models import ReturnEvent
from tests.html import page
from tests.support import login, submitted_bi_return

SUMMER = datetime(2014, 7, 1, 23, 30, tzinfo=UTC)  # British Summer Time: 00:30 the next day
WINTER = datetime(2015, 1, 15, 9, 5, tzinfo=UTC)  # Greenwich Mean Time: the same clock


def test_a_summer_moment_is_an_hour_ahead_of_utc_even_across_midnight():
    assert local_time(SUMMER) == "2 July 2014 00:30"
    assert local_time(SUMMER, "%-d %B %Y") == "2 July 2014"


def test_a_winter_moment_is_on_utc_clock():
    assert local_time(WINTER) == "15 January 2015 09:05"


def test_the_return_form_lists_its_events_in_london_time(client, open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    ReturnEvent.objects.filter(team_return=team_return).update(at=SUMMER)
    doc = page(login(client, "staff.bi").get("/returns/2014-15/1/business-intelligence/"))
    events = [li.text for li in doc.find("ul", cls="app-return-events").find_all("li")]
    assert events == ["Submitted 2 July 2014 00:30 by BI Analyst"]
