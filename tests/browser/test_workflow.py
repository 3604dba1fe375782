"""The portal's work end to end in a real browser: a quarter's return entered, refused while a
red KPI has no commentary, submitted, approved by the director and locked, then read on the
scorecard and its KPI's page; and a survey answered from the links its invitations emailed,
with JavaScript and without. Every page reached passes the checks of ``Portal.arrive``
(tests/browser/portal.py): axe's WCAG 2.2 A and AA rules, no console error, no CSP violation,
and the same page read with JavaScript off."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from directorates.models import Directorate, FinancialYear
from kpis.models import Figure, ReturnStatus, TeamReturn
from surveys import services
from surveys.models import Invitee, Rating, Response, Survey, SurveyItem
from tests.browser.test_journeys import CODING, MEETINGS, MY_RETURNS
from tests.surveys.conftest import links, reply_path

BI_Q1 = "Business intelligence Q1 2014/15"
SIGN_OFF_Q1 = "Sign-off: Finance and Performance Q1 2014/15"
RED_WITHOUT_COMMENTARY = "Explain why this KPI is red: commentary is needed"
COMMENTARY = "Two of the team's analysts were on long-term sick leave; cover starts in July."
SURVEY = "Customer satisfaction survey 2014/15"
THANKS = "Thank you, your reply has been received"


def bi_return(quarter: int) -> TeamReturn:
    return TeamReturn.objects.get(
        team__slug="business-intelligence", year__label="2014-15", quarter=quarter
    )


def test_a_return_is_refused_put_right_submitted_approved_and_locked(portal):
    portal.sign_in("staff.bi")
    portal.nav("My returns", MY_RETURNS)
    portal.link("Open the Business intelligence return for quarter 1", BI_Q1)
    portal.fill("Count (challenges)", "15", within=CODING)
    portal.fill("Value (£)", "900,000", within=CODING)
    portal.fill("Count (meetings)", "40", within=MEETINGS)  # against 96.5 for the quarter: red
    portal.press("Submit for approval", f"Error: {BI_Q1}", status=400)

    summary = portal.text(".nhsuk-error-summary")
    assert summary.startswith("There is a problem") and RED_WITHOUT_COMMENTARY in summary
    assert RED_WITHOUT_COMMENTARY in portal.text(".nhsuk-form-group--error")
    assert not Figure.objects.filter(kpi_year__year__label="2014-15").exists()

    portal.fill("Commentary", COMMENTARY, within=MEETINGS)
    portal.press("Submit for approval", BI_Q1)
    assert bi_return(1).status == ReturnStatus.SUBMITTED
    assert "You can read this return but not change it." in portal.text()
    portal.sign_out()

    portal.sign_in("director.finance")
    portal.nav("Sign-off", "Sign-off: Finance and Performance Q")
    portal.crumb("Returns completeness 2014/15", "Completeness of 2014/15 returns")
    portal.link(
        "1 of 4 submitted or approved : sign-off of Finance and Performance for quarter 1",
        SIGN_OFF_Q1,
    )
    assert "1 of 4 team returns are waiting for approval." in portal.text()
    portal.press("Approve Business intelligence", SIGN_OFF_Q1)
    assert bi_return(1).status == ReturnStatus.APPROVED
    assert "0 of 4 team returns are waiting for approval." in portal.text()

    # The scorecard opens on the quarter just approved (the latest with approved figures).
    portal.nav("Scorecard", "Scorecard, quarter 1 2014/15")
    row = portal.text(f'main tr:has(a:text-is("{MEETINGS}"))')
    assert "40" in row and "Red" in row, row
    portal.link(MEETINGS, MEETINGS)
    assert portal.count("main [data-chart] svg.main-svg") >= 1  # plotly drew it
    portal.sign_out()

    # The figures are locked: the team reads them and can change nothing.
    portal.sign_in("staff.bi")
    portal.nav("My returns", MY_RETURNS)
    portal.link("Open the Business intelligence return for quarter 1", BI_Q1)
    page = portal.text()
    assert "Status: Approved" in page and "You can read this return but not change it." in page
    assert "40" in page and COMMENTARY in page
    assert portal.count("main form#return-form, main input:not([type=hidden]), main textarea") == 0
    meetings = Figure.objects.get(
        kpi_year__kpi__slug="bi-meetings-attended", kpi_year__year__label="2014-15", quarter=1
    )
    assert (meetings.count, meetings.commentary) == (40, COMMENTARY)

    # The next quarter's draft saved with JavaScript off: the return form is a plain form.
    portal.submit_without_js(
        "/returns/2014-15/2/business-intelligence/",
        "Save as draft",
        "Business intelligence Q2 2014/15",
        fill=[("Count (meetings)", "101")],
    )
    assert bi_return(2).status == ReturnStatus.DRAFT
    assert Figure.objects.get(kpi_year=meetings.kpi_year, quarter=2).count == 101


def test_a_survey_is_answered_from_the_links_its_invitations_emailed(portal, mailoutbox):
    today = timezone.localdate()
    survey = Survey.objects.create(
        year=FinancialYear.objects.get(label="2014-15"),
        kind=Survey.Kind.CUSTOMER,
        title=SURVEY,
        audience="Locality Leads and Clinical Commissioning Programme Chairs",
        question="How would you rate the quality and efficiency of the services provided?",
        responses_due=today + timedelta(days=7),
    )
    for order, name in enumerate(["Business intelligence", "Procurement"], start=1):
        SurveyItem.objects.create(
            survey=survey,
            name=name,
            directorate=Directorate.objects.get(slug="finance-and-performance"),
            display_order=order,
        )
    for name, email in [("Dr Ada Ash", "ada@locality.example"), ("Dr Ben Birch", "ben@x.example")]:
        Invitee.objects.create(survey=survey, name=name, email=email)
    admin = get_user_model().objects.get(username="admin")
    assert services.send_invitations(survey=survey, by=admin, today=today).sent == 2
    tokens = links(mailoutbox)

    # The first from their email's link, signed out, with JavaScript.
    link = reply_path(tokens["ada@locality.example"])
    portal.visit(link, SURVEY)
    portal.press("Send my reply", f"Error: {SURVEY}", status=400)  # nothing chosen
    assert "There is a problem" in portal.text(".nhsuk-error-summary")
    portal.check("8", within="Business intelligence")
    portal.check("Did not use", within="Procurement")
    portal.fill("What should we improve?", "Quicker answers to ad hoc requests.")
    portal.press("Send my reply", THANKS)
    portal.visit(link, "Your reply has already been received", status=409)

    # The second with JavaScript off: the reply form is a plain form.
    portal.submit_without_js(
        reply_path(tokens["ben@x.example"]),
        "Send my reply",
        THANKS,
        check=[("Business intelligence", "6"), ("Procurement", "9")],
    )

    # A link that is not one reads the same whatever is wrong with it.
    portal.visit(reply_path("not-a-token"), "This survey link does not work", status=404)

    assert Response.objects.filter(survey=survey).count() == 2
    assert sorted(
        Rating.objects.filter(response__survey=survey).values_list("item__name", "score")
    ) == [("Business intelligence", 6), ("Business intelligence", 8), ("Procurement", 9)]
    assert set(survey.invitees.values_list("answered", flat=True)) == {True}
