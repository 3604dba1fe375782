"""Each demo role's day at the portal, in a real browser: signed in through the login form, every
page the role may use reached by clicking from the home page (the header's navigation, links
on the pages, breadcrumbs), never by typing its address. Every page passes the checks in
tests/browser/portal.py (``Portal.arrive``): axe's WCAG 2.2 A and AA rules, no console error, no
CSP violation, no wider than the window at 1280 px, its heading without JavaScript."""

import io

from pypdf import PdfReader

from kpis.models import Figure
from tests.kpis.import_support import long_csv

SCORECARD = "Scorecard, quarter 4 2013/14"
EXCEPTIONS = "Exception report, quarter 4 2013/14"
MY_RETURNS = "Your returns"
COMPLETENESS = "Completeness of 2014/15 returns"
RUNNING_COSTS = "Running costs 2013/14"
FINANCE_SUMMARY = "Finance summary 2013/14"
INSPECTIONS = "Number of quality inspections carried out"
MEETINGS = (
    "Number of locality, CCPs, workstreams, locality, collaborative, contract monitoring, "
    "provider information meetings attended by BI team member"
)
CODING = "Counting and coding: Number of coding challenges that have been successful and value (£)"
INVOICES = "Number of invoices processed within 30 days and % of whole"
PLANS = "Plan progress"
OD_PLAN = "Organisational development framework implementation plan 2015/2016 – summary of progress"
CUSTOMER_SURVEY = "Customer satisfaction survey 2013/14"
IMT_SURVEY = "IM&T survey"
ANNUAL_REPORT = "Commissioning support services annual report 2013/14"
NO_PERMISSION = "You do not have permission to see this page"

# The pages each role may use, by URL name: everyone's, then the oversight and admin pages.
EVERYONE = {
    "home (signed out)",
    "login (signed out)",
    "home",
    "my_returns",
    "return_form",
    "dashboard",
    "directorate_dashboard",
    "kpi_page",
    "kpi_history",
    "exceptions",
    "finance_summary",
    "running_costs",
    "plan_reports",
    "plan_report",
}
OVERSIGHT = {"completeness", "sign_off"}
ADMIN = {
    "admin:index",
    "admin:ccgportal_importrecord_changelist",
    "admin:ccgportal_import",
    "admin:ccgportal_import_preview",
    "admin:ccgportal_importrecord_change",
}
SURVEYS = {"surveys", "surveys_year", "survey_results"}
REPORT = {"annual_report"}
ERRORS = {"error 400", "error 403", "error 404"}


def pdf_pages(pdf: bytes) -> int:
    return len(PdfReader(io.BytesIO(pdf)).pages)


def test_a_team_member_enters_returns_and_reads_the_dashboards(portal):
    portal.sign_in("staff.bi")
    portal.link("Business intelligence, quarter 2 2014/15", "Business intelligence Q2 2014/15")
    portal.crumb("My returns", MY_RETURNS)
    portal.link(
        "Open the Business intelligence return for quarter 1", "Business intelligence Q1 2014/15"
    )

    portal.nav("Scorecard", SCORECARD)
    portal.link("Finance and Performance", "Finance and Performance, quarter 4 2013/14")
    portal.link(MEETINGS, MEETINGS)
    portal.link("Every change to this KPI's figures", f"History of {MEETINGS}")
    portal.crumb("Scorecard", SCORECARD)
    portal.link(CODING, CODING)

    portal.nav("Exception report", EXCEPTIONS)
    portal.link(MEETINGS, MEETINGS)

    portal.nav("Running costs", RUNNING_COSTS)
    portal.crumb(FINANCE_SUMMARY, FINANCE_SUMMARY)
    portal.link("Running costs 2013/14: every line", RUNNING_COSTS)

    portal.nav("Home", "CCG Portal")
    portal.link("plan progress", PLANS)
    portal.link(OD_PLAN, OD_PLAN)
    portal.crumb(PLANS, PLANS)

    portal.nav("Surveys", "Surveys")
    portal.link(CUSTOMER_SURVEY, CUSTOMER_SURVEY)
    portal.crumb("Surveys 2013/14", "Surveys 2013/14")
    portal.link(IMT_SURVEY, IMT_SURVEY)

    # Pages no link leads to: each reads in the portal's layout with its status.
    portal.visit("/returns/2014-15/1/sign-off/quality/", NO_PERMISSION, status=403)
    portal.visit("/dashboard/?quarter=9", "Error: Scorecard", status=400)
    portal.visit("/no-such-page/", "Page not found", status=404)

    assert portal.reached == EVERYONE | SURVEYS | ERRORS


def test_a_director_signs_off_their_directorate(portal):
    portal.sign_in("director.finance")
    portal.link("2 KPIs on the exception report", EXCEPTIONS)

    portal.nav("Sign-off", "Sign-off: Finance and Performance Q4 2014/15")
    portal.crumb("Returns completeness 2014/15", COMPLETENESS)
    portal.link(
        "0 of 4 submitted or approved : sign-off of Finance and Performance for quarter 1",
        "Sign-off: Finance and Performance Q1 2014/15",
    )
    portal.link("Open the return", "Business intelligence Q1 2014/15")
    portal.crumb("My returns", MY_RETURNS)
    portal.link("Completeness of 2014/15 returns by directorate", COMPLETENESS)

    portal.nav("Scorecard", SCORECARD)
    portal.link("Finance and Performance", "Finance and Performance, quarter 4 2013/14")
    portal.link(INVOICES, INVOICES)
    portal.link("Every change to this KPI's figures", f"History of {INVOICES}")

    portal.nav("Running costs", RUNNING_COSTS)
    portal.link(FINANCE_SUMMARY, FINANCE_SUMMARY)
    portal.link("Running costs 2013/14: every line", RUNNING_COSTS)

    portal.nav("Home", "CCG Portal")
    portal.link("1 plan", PLANS)
    portal.link(OD_PLAN, OD_PLAN)

    assert portal.reached == EVERYONE | OVERSIGHT


def test_an_executive_reads_the_whole_organisation(portal):
    portal.sign_in("exec")
    portal.link("Quality", "Quality, quarter 4 2013/14")
    portal.link(INSPECTIONS, INSPECTIONS)
    portal.link("Every change to this KPI's figures", f"History of {INSPECTIONS}")
    portal.crumb("Scorecard", SCORECARD)
    portal.link("Exception report: what needs the board's attention", EXCEPTIONS)

    portal.nav("My returns", MY_RETURNS)
    portal.link("Completeness of 2014/15 returns by directorate", COMPLETENESS)
    portal.link(
        "0 of 3 submitted or approved : sign-off of Quality for quarter 2",
        "Sign-off: Quality Q2 2014/15",
    )
    portal.link("Open the return", "Quality and patient safety Q2 2014/15")

    portal.nav("Running costs", RUNNING_COSTS)
    portal.link(FINANCE_SUMMARY, FINANCE_SUMMARY)
    portal.link("Running costs 2013/14: every line", RUNNING_COSTS)

    portal.nav("Home", "CCG Portal")
    portal.link("1 plan", PLANS)
    portal.link(OD_PLAN, OD_PLAN)

    portal.nav("Annual report", ANNUAL_REPORT)
    content_type, pdf = portal.download("Download the report as a PDF")
    assert content_type == "application/pdf" and pdf.startswith(b"%PDF-")
    assert pdf_pages(pdf) > 20

    assert portal.reached == EVERYONE | OVERSIGHT | REPORT


def test_an_admin_imports_returns_and_reaches_everything(portal, tmp_path):
    returns = tmp_path / "returns.csv"
    returns.write_bytes(long_csv([INSPECTIONS, "1", "", "6", "Steady", "green"]))
    portal.sign_in("admin")
    portal.nav("Admin", "Site administration")
    portal.link("Imports", "Select import to view")
    portal.link("Import returns", "Import returns")
    portal.follow("View site", "CCG Portal")

    portal.nav("My returns", MY_RETURNS)
    portal.link("Completeness of 2014/15 returns by directorate", COMPLETENESS)
    portal.link(
        "0 of 2 submitted or approved : sign-off of Service Delivery for quarter 4",
        "Sign-off: Service Delivery Q4 2014/15",
    )
    portal.link("Open the return", "Review, Design and Delivery Q4 2014/15")

    portal.nav("Scorecard", SCORECARD)
    portal.link("Service Delivery", "Service Delivery, quarter 4 2013/14")
    portal.nav("Exception report", EXCEPTIONS)
    portal.link(INSPECTIONS, INSPECTIONS)
    portal.link("Every change to this KPI's figures", f"History of {INSPECTIONS}")

    portal.nav("Running costs", RUNNING_COSTS)
    portal.link(FINANCE_SUMMARY, FINANCE_SUMMARY)
    portal.link("Running costs 2013/14: every line", RUNNING_COSTS)

    portal.nav("Home", "CCG Portal")
    portal.link("1 plan", PLANS)
    portal.link(OD_PLAN, OD_PLAN)
    # Last, as it adds 2014/15's first figure (the dashboards would open on that quarter).
    portal.nav("Admin", "Site administration")
    portal.link("Imports", "Select import to view")
    portal.link("Import returns", "Import returns")
    portal.choose("Year:", "2014-15")
    portal.attach("File:", str(returns))
    portal.press("Upload and preview", "Preview: returns.csv into 2014/15")
    assert "1 new, 0 changed, 0 unchanged." in portal.text("#import-counts")
    assert not Figure.objects.filter(kpi_year__year__label="2014-15").exists()
    portal.press("Confirm import", "Import ")  # the import's record: "Import 1: returns.csv …"
    assert "returns.csv" in portal.text("main")
    assert "Imported returns.csv into 2014/15: 1 new" in portal.text(".messagelist")
    figure = Figure.objects.get(kpi_year__year__label="2014-15")
    assert (figure.kpi_year.kpi.name, figure.quarter, figure.count) == (INSPECTIONS, 1, 6)

    assert portal.reached == EVERYONE | OVERSIGHT | ADMIN
