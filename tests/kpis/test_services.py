"""Saving, submitting, approving, returning and reopening returns, for every role."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from directorates.models import FinancialYear, Membership, Team
from kpis.models import Figure, KpiYear, ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns import services
from kpis.returns.services import RowInput
from kpis.rules import FigureValues
from tests.support import OPEN_DAY, snapshot, user


def save(by, team, year, rows, *, version=None, submit=False, quarter=1, today=OPEN_DAY):
    return services.return_save(
        by=by,
        team=team,
        year=year,
        quarter=quarter,
        rows=rows,
        version=version,
        submit=submit,
        today=today,
    )


def bi_rows(bi_kpis, *, meetings=97, commentary="", self_rag="", reason=""):
    return [
        RowInput(
            bi_kpis["coding-challenges-successful"].id,
            FigureValues(count=15, amount_gbp=Decimal("900000")),
        ),
        RowInput(
            bi_kpis["bi-meetings-attended"].id,
            FigureValues(count=meetings),
            commentary=commentary,
            self_assessed_rag=self_rag,
            self_assessment_reason=reason,
        ),
    ]


def test_member_saves_a_draft_of_their_own_teams_return(open_year, bi, bi_kpis):
    staff = user("staff.bi")
    team_return = save(staff, bi, open_year, bi_rows(bi_kpis))
    assert (team_return.status, team_return.version) == (ReturnStatus.DRAFT, 2)
    coding = Figure.objects.get(kpi_year=bi_kpis["coding-challenges-successful"], quarter=1)
    assert (coding.count, coding.amount_gbp, coding.version) == (15, Decimal("900000"), 1)
    record = coding.history.first()
    assert (record.history_user, record.history_change_reason) == (staff, "form")


@pytest.mark.parametrize("username", ["staff.quality", "exec", "director.finance"])
def test_only_members_and_admins_edit_a_teams_return(open_year, bi, bi_kpis, username):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save(user(username), bi, open_year, bi_rows(bi_kpis))
    assert snapshot() == before


def test_admin_edits_any_teams_return(open_year, bi, bi_kpis):
    assert save(user("admin"), bi, open_year, bi_rows(bi_kpis)).status == ReturnStatus.DRAFT


def test_a_kpi_of_another_team_posted_into_a_return_is_refused(open_year, bi, bi_kpis):
    other = KpiYear.objects.get(year=open_year, kpi__slug="staff-absence")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save(
            user("staff.bi"), bi, open_year, [RowInput(other.id, FigureValues(percent=Decimal(2)))]
        )
    assert snapshot() == before


def test_a_locked_year_takes_no_figures(demo, bi):
    published = FinancialYear.objects.get(label="2013-14")
    kpi_year = KpiYear.objects.get(year=published, kpi__slug="bi-meetings-attended")
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="2013/14 is locked"):
        save(user("staff.bi"), bi, published, [RowInput(kpi_year.id, FigureValues(count=1))])
    assert snapshot() == before


def test_a_quarter_that_has_not_started_takes_no_figures(open_year, bi, bi_kpis):
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="opens on 1 July 2014"):
        save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), quarter=2, today=date(2014, 6, 30))
    assert snapshot() == before


def test_a_stale_version_is_refused_and_shows_what_changed(open_year, bi, bi_kpis):
    first = save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis, meetings=97))
    before = snapshot()
    meetings = bi_kpis["bi-meetings-attended"].id
    stale_rows = [RowInput(meetings, FigureValues(count=50), seen_versions={None: None})]
    with pytest.raises(services.StaleReturn) as caught:
        save(user("admin"), bi, open_year, stale_rows, version=None)
    assert snapshot() == before
    (change,) = caught.value.changes
    assert (change.kpi, change.before, change.after, change.by) == (
        bi_kpis["bi-meetings-attended"].kpi.name,
        "—",
        "97",
        "staff.bi",
    )
    with pytest.raises(services.StaleReturn):
        save(user("admin"), bi, open_year, stale_rows, version=first.version - 1)
    assert (
        save(user("admin"), bi, open_year, stale_rows, version=first.version).version
        == first.version + 1
    )


def test_submitting_needs_every_kpi(open_year, bi, bi_kpis):
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis)[:1], submit=True)
    assert caught.value.problems == {
        bi_kpis["bi-meetings-attended"].id: {"figure": "Enter a figure for this KPI"}
    }
    assert snapshot() == before


def test_amber_cannot_be_submitted_without_commentary(open_year, bi, bi_kpis):
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save(
            user("staff.bi"), bi, open_year, bi_rows(bi_kpis, meetings=90), submit=True
        )  # 90 of 96.5
    assert caught.value.problems[bi_kpis["bi-meetings-attended"].id] == {
        "commentary": "Explain why this KPI is amber: commentary is needed"
    }
    assert snapshot() == before


def test_self_assessment_that_differs_needs_a_reason(open_year, bi, bi_kpis):
    rows = bi_rows(bi_kpis, meetings=97, self_rag="amber")
    with pytest.raises(services.RowProblems) as caught:
        save(user("staff.bi"), bi, open_year, rows, submit=True)
    assert (
        "differs from the computed RAG (green)"
        in caught.value.problems[bi_kpis["bi-meetings-attended"].id]["self_assessment_reason"]
    )
    rows = bi_rows(
        bi_kpis, meetings=97, self_rag="amber", reason="Two meetings were cancelled late"
    )
    assert save(user("staff.bi"), bi, open_year, rows, submit=True).status == ReturnStatus.SUBMITTED


def test_spc_concern_needs_commentary(open_year, bi, bi_kpis):
    meetings = bi_kpis["bi-meetings-attended"].id
    with pytest.raises(services.RowProblems) as caught:
        services.return_save(
            by=user("staff.bi"),
            team=bi,
            year=open_year,
            quarter=1,
            rows=bi_rows(bi_kpis),
            version=None,
            submit=True,
            spc_concerns={meetings: "special cause of concern"},
            today=OPEN_DAY,
        )
    assert caught.value.problems[meetings] == {
        "commentary": "Explain the special cause of concern: commentary is needed"
    }


@pytest.fixture
def fbi_member(demo):
    person = user("staff.bi")
    Membership.objects.create(
        user=person, team=Team.objects.get(slug="financial-business-intelligence")
    )
    return person


def test_numerator_above_denominator_and_percent_over_100_are_refused(open_year, fbi_member):
    team = Team.objects.get(slug="financial-business-intelligence")
    invoices = KpiYear.objects.get(year=open_year, kpi__slug="invoices-paid-within-30-days")
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save(
            fbi_member,
            team,
            open_year,
            [RowInput(invoices.id, months={4: FigureValues(numerator=11, denominator=10)})],
        )
    assert caught.value.problems[invoices.id] == {
        "m4_numerator": "The numerator (11) cannot be more than the denominator (10)"
    }
    absence = KpiYear.objects.get(year=open_year, kpi__slug="staff-absence")
    with pytest.raises(PermissionDenied):  # another team's KPI
        save(
            fbi_member, team, open_year, [RowInput(absence.id, FigureValues(percent=Decimal(101)))]
        )
    assert snapshot() == before


def test_monthly_figures_roll_up_to_the_quarter_by_the_kpis_rule(open_year, fbi_member):
    team = Team.objects.get(slug="financial-business-intelligence")
    invoices = KpiYear.objects.get(year=open_year, kpi__slug="invoices-paid-within-30-days")
    months = {
        4: FigureValues(numerator=950, denominator=1000),
        5: FigureValues(numerator=990, denominator=1000),
        6: FigureValues(numerator=980, denominator=1000),
    }
    save(fbi_member, team, open_year, [RowInput(invoices.id, months=months)])
    quarter = Figure.objects.get(kpi_year=invoices, quarter=1, month__isnull=True)
    assert (quarter.numerator, quarter.denominator) == (2920, 3000)
    assert quarter.percent == Decimal("97.3333")  # stored to 4 places
    assert Figure.objects.filter(kpi_year=invoices, quarter=1, month__isnull=False).count() == 3


def submitted_bi_return(open_year, bi, bi_kpis):
    return save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), submit=True)


def test_submitted_return_is_read_only_for_the_team(open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    assert ReturnEvent.objects.filter(team_return=team_return, action="submitted").count() == 1
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="submitted for approval"):
        save(user("staff.bi"), bi, open_year, bi_rows(bi_kpis), version=team_return.version)
    assert snapshot() == before


def test_director_approves_own_directorate_and_approval_locks(open_year, bi, bi_kpis):
    submitted_bi_return(open_year, bi, bi_kpis)
    approved = services.quarter_approve(
        by=user("director.finance"), directorate=bi.directorate, year=open_year, quarter=1
    )
    assert [(r.team, r.status) for r in approved] == [(bi, ReturnStatus.APPROVED)]
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="approved and is locked"):
        save(user("admin"), bi, open_year, bi_rows(bi_kpis), version=approved[0].version)
    assert snapshot() == before


@pytest.mark.parametrize("username", ["staff.bi", "exec", "director.quality"])
def test_others_cannot_approve_a_directorate(open_year, bi, bi_kpis, director_of_quality, username):
    submitted_bi_return(open_year, bi, bi_kpis)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.quarter_approve(
            by=user(username), directorate=bi.directorate, year=open_year, quarter=1
        )
    assert snapshot() == before


def test_approving_with_nothing_submitted_says_so(open_year, bi):
    with pytest.raises(
        services.ReturnError, match="No returns of Finance and Performance for quarter 1"
    ):
        services.quarter_approve(
            by=user("director.finance"), directorate=bi.directorate, year=open_year, quarter=1
        )


def test_director_returns_a_return_with_a_comment(open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    with pytest.raises(services.ReturnError, match="a comment is needed"):
        services.return_to_team(by=user("director.finance"), team_return=team_return, comment="  ")
    returned = services.return_to_team(
        by=user("director.finance"), team_return=team_return, comment="Check Q1 meetings"
    )
    assert returned.status == ReturnStatus.RETURNED
    assert (
        ReturnEvent.objects.get(team_return=team_return, action="returned").comment
        == "Check Q1 meetings"
    )
    # The team can now change it again, and the status stays 'returned' until resubmitted.
    assert save(
        user("staff.bi"), bi, open_year, bi_rows(bi_kpis, meetings=98), version=returned.version
    ).status == (ReturnStatus.RETURNED)


def test_only_an_admin_reopens_with_a_reason_that_is_kept(open_year, bi, bi_kpis):
    submitted_bi_return(open_year, bi, bi_kpis)
    (approved,) = services.quarter_approve(
        by=user("director.finance"), directorate=bi.directorate, year=open_year, quarter=1
    )
    with pytest.raises(PermissionDenied):
        services.return_reopen(by=user("director.finance"), team_return=approved, reason="Typo")
    with pytest.raises(services.ReturnError, match="Give the reason"):
        services.return_reopen(by=user("admin"), team_return=approved, reason="")
    reopened = services.return_reopen(
        by=user("admin"), team_return=approved, reason="Meetings miscounted"
    )
    assert reopened.status == ReturnStatus.RETURNED
    assert (
        ReturnEvent.objects.get(team_return=approved, action="reopened").comment
        == "Meetings miscounted"
    )
    figure = Figure.objects.get(kpi_year=bi_kpis["bi-meetings-attended"], quarter=1)
    assert figure.history.first().history_change_reason == "reopen: Meetings miscounted"


def test_published_returns_cannot_be_reopened_while_the_year_is_locked(demo):
    approved = TeamReturn.objects.filter(year__label="2013-14").first()
    with pytest.raises(services.ReturnLocked, match="reopen the year first"):
        services.return_reopen(by=user("admin"), team_return=approved, reason="Correction")


def test_spc_special_cause_of_concern_found_by_the_service_needs_commentary(open_year, demo):
    # Risks added (no target, lower is better): 16, 6, 9, 12 in 2013/14, then 10 and 60.
    # Mean 18.83; the jump of 50 is screened out of the mean moving range (4.5), so the upper
    # limit is 18.83 + 2.66 × 4.5 = 30.8 and 60 lies beyond it: special cause of concern.
    team = Team.objects.get(slug="quality-and-patient-safety")
    risks = KpiYear.objects.get(year=open_year, kpi__slug="risks-added")
    others = KpiYear.objects.filter(year=open_year, team=team).exclude(pk=risks.pk)

    def rows(count, commentary=""):
        filled = [RowInput(ky.id, _any_figure(ky)) for ky in others]
        return [*filled, RowInput(risks.id, FigureValues(count=count), commentary=commentary)]

    staff = user("staff.quality")
    save(staff, team, open_year, rows(10), quarter=1)
    with pytest.raises(services.RowProblems) as caught:
        save(staff, team, open_year, rows(60), quarter=2, submit=True)
    assert caught.value.problems[risks.id] == {
        "commentary": "Explain the special cause of concern that statistical process control "
        "shows: commentary is needed"
    }
    submitted = save(
        staff, team, open_year, rows(60, "A new register review found 50"), quarter=2, submit=True
    )
    assert submitted.status == ReturnStatus.SUBMITTED


def _any_figure(kpi_year):
    """A figure on target for any of the Quality team's KPIs, so only the SPC rule speaks."""
    return {
        "count": FigureValues(count=10),
        "percent": FigureValues(percent=Decimal(100)),
        "ratio": FigureValues(numerator=10, denominator=10),
    }[kpi_year.measure]
