"""Which KPI rows each role sees: a member their own teams' rows, everyone else every row."""

from kpis import scoping
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn
from tests.support import user

BI = "business-intelligence"


def test_a_member_sees_only_their_teams_rows_of_every_scoped_model(demo):
    member = user("staff.bi")
    reads = {
        "kpi years": (scoping.kpi_years, KpiYear.objects, "team__slug"),
        "figures": (scoping.figures, Figure.objects, "kpi_year__team__slug"),
        "returns": (scoping.team_returns, TeamReturn.objects, "team__slug"),
        "events": (scoping.return_events, ReturnEvent.objects, "team_return__team__slug"),
    }
    for name, (read, every, team) in reads.items():
        mine = read(member)
        assert set(mine.values_list(team, flat=True)) == {BI}, name
        assert mine.count() == every.filter(**{team: BI}).count() > 0, name


def test_who_sees_everything_sees_every_row(demo):
    for username in ("director.finance", "exec", "admin"):
        person = user(username)
        assert scoping.figures(person).count() == Figure.objects.count()
        assert scoping.kpi_years(person).count() == KpiYear.objects.count()


def test_someone_in_no_team_sees_nothing(demo, django_user_model):
    nobody = django_user_model.objects.create_user("new.starter")
    assert not scoping.figures(nobody).exists() and not scoping.team_returns(nobody).exists()
