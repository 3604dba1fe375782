"""Saving, submitting, approving, returning and reopening returns, for every role.

Each test builds its own small case (tests/factories.py): an open year, one team's two KPIs
and the people around it; the last reads the demo's published series for its SPC limits.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from directorates.models import FinancialYear, Team
from kpis import rules
from kpis.models import Figure, KpiYear, ReturnEvent, ReturnStatus
from kpis.returns import services
from kpis.returns.services import RowInput
from kpis.rules import FigureValues
from tests.factories import (
    FinancialYearFactory,
    KpiYearFactory,
    MembershipFactory,
    TeamFactory,
    TeamReturnFactory,
)
from tests.support import OPEN_DAY, approved_return, snapshot, submitted_return, user


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


def case_rows(case, *, meetings=97, commentary="", self_rag="", reason=""):
    """The case team's two figures: 15 challenges worth £900,000, and the meetings attended."""
    return [
        RowInput(case.coding.id, FigureValues(count=15, amount_gbp=Decimal("900000"))),
        RowInput(
            case.meetings.id,
            FigureValues(count=meetings),
            commentary=commentary,
            self_assessed_rag=self_rag,
            self_assessment_reason=reason,
        ),
    ]


def save_case(case, by=None, *, meetings=97, **kwargs):
    """The case team's figures saved (by its member unless another is named)."""
    return save(
        by or case.member, case.team, case.year, case_rows(case, meetings=meetings), **kwargs
    )


def test_member_saves_a_draft_of_their_own_teams_return(case):
    team_return = save(case.member, case.team, case.year, case_rows(case))
    assert (team_return.status, team_return.version) == (ReturnStatus.DRAFT, 2)
    coding = Figure.objects.get(kpi_year=case.coding, quarter=1)
    assert (coding.count, coding.amount_gbp, coding.version) == (15, Decimal("900000"), 1)
    record = coding.history.first()
    assert (record.history_user, record.history_change_reason) == (case.member, "form")


@pytest.mark.parametrize("who", ["other_member", "executive", "other_director", "director"])
def test_only_members_and_admins_edit_a_teams_return(case, who):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save(getattr(case, who), case.team, case.year, case_rows(case))
    assert snapshot() == before


def test_admin_edits_any_teams_return(case):
    assert save(case.admin, case.team, case.year, case_rows(case)).status == ReturnStatus.DRAFT


def test_a_kpi_of_another_team_posted_into_a_return_is_refused(case):
    before = snapshot()
    with pytest.raises(PermissionDenied):
        save(
            case.member,
            case.team,
            case.year,
            [RowInput(case.other_kpi.id, FigureValues(percent=Decimal(2)))],
        )
    assert snapshot() == before


def test_a_locked_year_takes_no_figures(case):
    locked = FinancialYearFactory(status=FinancialYear.Status.LOCKED)
    kpi_year = KpiYearFactory(kpi=case.meetings.kpi, year=locked, team=case.team)
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match=f"{locked.display_name} is locked"):
        save(case.member, case.team, locked, [RowInput(kpi_year.id, FigureValues(count=1))])
    assert snapshot() == before


def test_a_quarter_that_has_not_started_takes_no_figures(case):
    starts = case.year.start_date.year
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match=f"opens on 1 July {starts}"):
        save_case(case, quarter=2, today=date(starts, 6, 30))
    assert snapshot() == before


def test_a_stale_version_is_refused_and_shows_what_changed(case):
    first = save_case(case, meetings=97)
    before = snapshot()
    stale_rows = [RowInput(case.meetings.id, FigureValues(count=50), seen_versions={None: None})]
    with pytest.raises(services.StaleReturn) as caught:
        save(case.admin, case.team, case.year, stale_rows, version=None)
    assert snapshot() == before
    (change,) = caught.value.changes
    assert (change.kpi, change.before, change.after, change.by) == (
        case.meetings.kpi.name,
        "—",
        "97",
        case.member.username,
    )
    with pytest.raises(services.StaleReturn):
        save(case.admin, case.team, case.year, stale_rows, version=first.version - 1)
    assert (
        save(case.admin, case.team, case.year, stale_rows, version=first.version).version
        == first.version + 1
    )


def test_submitting_needs_every_kpi(case):
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save(case.member, case.team, case.year, case_rows(case)[:1], submit=True)
    assert caught.value.problems == {case.meetings.id: {"figure": "Enter a figure for this KPI"}}
    assert snapshot() == before


def test_amber_cannot_be_submitted_without_commentary(case):
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save_case(case, meetings=90, submit=True)  # 90 of 96.5
    assert caught.value.problems[case.meetings.id] == {
        "commentary": "Explain why this KPI is amber: commentary is needed"
    }
    assert snapshot() == before


def test_self_assessment_that_differs_needs_a_reason(case):
    rows = case_rows(case, meetings=97, self_rag="amber")
    with pytest.raises(services.RowProblems) as caught:
        save(case.member, case.team, case.year, rows, submit=True)
    assert (
        "differs from the computed RAG (green)"
        in caught.value.problems[case.meetings.id]["self_assessment_reason"]
    )
    rows = case_rows(case, meetings=97, self_rag="amber", reason="Two meetings were cancelled late")
    assert (
        save(case.member, case.team, case.year, rows, submit=True).status == ReturnStatus.SUBMITTED
    )


def test_spc_concern_needs_commentary(case):
    meetings = case.meetings.id
    with pytest.raises(services.RowProblems) as caught:
        services.return_save(
            by=case.member,
            team=case.team,
            year=case.year,
            quarter=1,
            rows=case_rows(case),
            version=None,
            submit=True,
            spc_concerns={meetings: "special cause of concern"},
            today=OPEN_DAY,
        )
    assert caught.value.problems[meetings] == {
        "commentary": "Explain the special cause of concern: commentary is needed"
    }


@pytest.fixture
def invoices(case):
    """Invoices paid within 30 days: a monthly rate of a second team in the case directorate
    (95% or more), whose member is the case member too."""
    team = TeamFactory(directorate=case.directorate)
    MembershipFactory(user=case.member, team=team)
    return KpiYearFactory(
        year=case.year,
        team=team,
        frequency=rules.Frequency.MONTHLY,
        measure=rules.Measure.RATIO,
        rollup=rules.Rollup.SUM,
        target_kind=rules.TargetKind.PERCENT,
        target_value=Decimal(95),
    )


def test_numerator_above_denominator_and_percent_over_100_are_refused(case, invoices):
    before = snapshot()
    with pytest.raises(services.RowProblems) as caught:
        save(
            case.member,
            invoices.team,
            case.year,
            [RowInput(invoices.id, months={4: FigureValues(numerator=11, denominator=10)})],
        )
    assert caught.value.problems[invoices.id] == {
        "m4_numerator": "The numerator (11) cannot be more than the denominator (10)"
    }
    with pytest.raises(PermissionDenied):  # another team's KPI
        save(
            case.member,
            invoices.team,
            case.year,
            [RowInput(case.other_kpi.id, FigureValues(percent=Decimal(101)))],
        )
    assert snapshot() == before


def test_monthly_figures_roll_up_to_the_quarter_by_the_kpis_rule(case, invoices):
    months = {
        4: FigureValues(numerator=950, denominator=1000),
        5: FigureValues(numerator=990, denominator=1000),
        6: FigureValues(numerator=980, denominator=1000),
    }
    save(case.member, invoices.team, case.year, [RowInput(invoices.id, months=months)])
    quarter = Figure.objects.get(kpi_year=invoices, quarter=1, month__isnull=True)
    assert (quarter.numerator, quarter.denominator) == (2920, 3000)
    assert quarter.percent == Decimal("97.3333")  # stored to 4 places
    assert Figure.objects.filter(kpi_year=invoices, quarter=1, month__isnull=False).count() == 3


def test_saving_the_same_months_again_leaves_the_quarter_and_its_history_alone(case, invoices):
    months = {
        4: FigureValues(numerator=950, denominator=1000),
        5: FigureValues(numerator=990, denominator=1000),
        6: FigureValues(numerator=980, denominator=1000),
    }  # a rate of 97.3333…%, held to 4 places
    rows = [RowInput(invoices.id, months=months)]
    first = save(case.member, invoices.team, case.year, rows)
    quarter = Figure.objects.get(kpi_year=invoices, quarter=1, month__isnull=True)
    history = Figure.history.filter(kpi_year=invoices).count()
    save(case.member, invoices.team, case.year, rows, version=first.version)
    again = Figure.objects.get(pk=quarter.pk)
    assert (again.version, again.percent) == (quarter.version, Decimal("97.3333"))
    assert Figure.history.filter(kpi_year=invoices).count() == history


def submitted_case_return(case):
    return submitted_return(case.team, case.year, case_rows(case), by=case.member)


def test_submitted_return_is_read_only_for_the_team(case):
    team_return = submitted_case_return(case)
    assert ReturnEvent.objects.filter(team_return=team_return, action="submitted").count() == 1
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="submitted for approval"):
        save_case(case, version=team_return.version)
    assert snapshot() == before


def test_director_approves_own_directorate_and_approval_locks(case):
    submitted_case_return(case)
    approved = services.quarter_approve(
        by=case.director, directorate=case.directorate, year=case.year, quarter=1
    )
    assert [(r.team, r.status) for r in approved] == [(case.team, ReturnStatus.APPROVED)]
    before = snapshot()
    with pytest.raises(services.ReturnLocked, match="approved and is locked"):
        save_case(case, case.admin, version=approved[0].version)
    assert snapshot() == before


@pytest.mark.parametrize("who", ["member", "executive", "other_director"])
def test_others_cannot_approve_a_directorate(case, who):
    submitted_case_return(case)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        services.quarter_approve(
            by=getattr(case, who), directorate=case.directorate, year=case.year, quarter=1
        )
    assert snapshot() == before


def test_approving_with_nothing_submitted_says_so(case):
    with pytest.raises(
        services.ReturnError, match=f"No returns of {case.directorate.name} for quarter 1"
    ):
        services.quarter_approve(
            by=case.director, directorate=case.directorate, year=case.year, quarter=1
        )


def test_director_returns_a_return_with_a_comment(case):
    team_return = submitted_case_return(case)
    with pytest.raises(services.ReturnError, match="a comment is needed"):
        services.return_to_team(by=case.director, team_return=team_return, comment="  ")
    returned = services.return_to_team(
        by=case.director, team_return=team_return, comment="Check Q1 meetings"
    )
    assert returned.status == ReturnStatus.RETURNED
    assert (
        ReturnEvent.objects.get(team_return=team_return, action="returned").comment
        == "Check Q1 meetings"
    )
    # The team can now change it again, and the status stays 'returned' until resubmitted.
    assert save_case(case, meetings=98, version=returned.version).status == (ReturnStatus.RETURNED)


def test_only_an_admin_reopens_with_a_reason_that_is_kept(case):
    approved = approved_return(
        case.team, case.year, case_rows(case), by=case.member, approver=case.director
    )
    with pytest.raises(PermissionDenied):
        services.return_reopen(by=case.director, team_return=approved, reason="Typo")
    with pytest.raises(services.ReturnError, match="Give the reason"):
        services.return_reopen(by=case.admin, team_return=approved, reason="")
    reopened = services.return_reopen(
        by=case.admin, team_return=approved, reason="Meetings miscounted"
    )
    assert reopened.status == ReturnStatus.RETURNED
    assert (
        ReturnEvent.objects.get(team_return=approved, action="reopened").comment
        == "Meetings miscounted"
    )
    figure = Figure.objects.get(kpi_year=case.meetings, quarter=1)
    assert figure.history.first().history_change_reason == "reopen: Meetings miscounted"


def test_published_returns_cannot_be_reopened_while_the_year_is_locked(case):
    locked = FinancialYearFactory(status=FinancialYear.Status.LOCKED)
    approved = TeamReturnFactory(year=locked, team=case.team, status=ReturnStatus.APPROVED)
    with pytest.raises(services.ReturnLocked, match="reopen the year first"):
        services.return_reopen(by=case.admin, team_return=approved, reason="Correction")


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
