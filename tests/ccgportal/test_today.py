"""The home page's day's work for each role, read from the demo's open 2014/15."""

from datetime import date

import pytest
from django.core.cache import cache

from ccgportal.today import today_for
from kpis.models import TeamReturn
from tests.kpis.test_services import bi_rows, save
from tests.support import OPEN_DAY, user

IN_Q2 = date(2014, 8, 1)  # Q1 of 2014/15 is due, Q2 has started, Q3 and Q4 have not


def test_staff_see_their_teams_returns_that_are_due_or_overdue(demo):
    to_do = today_for(user("staff.bi"), IN_Q2).to_do
    assert [(r.team.slug, r.quarter, r.status, r.overdue) for r in to_do] == [
        ("business-intelligence", 1, "not_started", True),
        ("business-intelligence", 2, "not_started", False),
    ]
    assert to_do[0].due == date(2014, 7, 21)  # 15 working days after 30 June


def test_a_submitted_return_is_no_longer_to_do(open_year, bi, bi_kpis):
    save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True, today=OPEN_DAY)
    quarters = [r.quarter for r in today_for(user("staff.bi"), OPEN_DAY).to_do]
    assert quarters == [2, 3, 4]


def test_directors_see_what_waits_for_their_approval_and_their_directorates_picture(
    open_year, bi, bi_kpis
):
    save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True, today=OPEN_DAY)
    found = today_for(user("director.finance"), OPEN_DAY)
    assert found.to_do == []
    assert [(w.directorate.slug, w.quarter, w.teams) for w in found.waiting] == [
        ("finance-and-performance", 1, ["Business intelligence"])
    ]
    # The latest reported quarter, 2014/15 Q1 now that BI has figures; by team.
    picture = found.picture
    assert (picture.year.label, picture.quarter) == ("2014-15", 1)
    assert {g.slug for g in picture.groups} <= set(
        bi.directorate.teams.values_list("slug", flat=True)
    )


def test_executives_see_the_whole_scorecard_and_wait_for_nothing(demo):
    found = today_for(user("exec"), OPEN_DAY)
    assert found.to_do == [] and found.waiting == [] and found.imports == []
    picture = found.picture
    assert (picture.year.label, picture.quarter) == ("2013-14", 4)
    assert len(picture.groups) == 4  # the four directorates
    # The published 2013/14 Q4: 39 reported KPIs, 11 green, 3 amber and 8 red, and those 11
    # red or amber are the exception report (no SPC signal adds another).
    assert sum(g.total for g in picture.groups) == 39
    assert [picture.total(s) for s in ("green", "amber", "red")] == [11, 3, 8]
    assert picture.exceptions == 11


def test_members_get_no_picture_of_others(demo):
    assert today_for(user("staff.bi"), OPEN_DAY).picture is None


def test_admins_see_imports_and_the_approved_returns_they_may_reopen(open_year, bi, bi_kpis):
    save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True, today=OPEN_DAY)
    TeamReturn.objects.filter(team=bi).update(status="approved")
    found = today_for(user("admin"), OPEN_DAY)
    assert found.approved_returns == 1
    assert found.imports == []
    assert [w.teams for w in found.waiting] == []


@pytest.mark.parametrize(
    ("username", "queries"),
    [("staff.bi", 6), ("director.finance", 11), ("exec", 9), ("admin", 12)],
)
def test_the_day_is_read_in_a_fixed_number_of_queries(
    demo, username, queries, django_assert_num_queries
):
    person = user(username)
    today_for(user("exec"), OPEN_DAY)  # brings the stored SPC states up to date once
    cache.clear()  # the scorecard's ratings worked out afresh: the most a day costs
    with django_assert_num_queries(queries):
        today_for(person, OPEN_DAY)
