"""My returns, completeness by directorate (page and CSV) and a KPI's history, for every role."""

import csv
import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from common.uploads import neutralise_for_export
from directorates.models import Directorate, FinancialYear, Membership, Team
from kpis.models import Figure, Kpi, KpiYear, ReturnEvent, ReturnStatus, TeamReturn
from kpis.returns import services
from tests.html import page
from tests.support import OPEN_DAY, bi_rows, login, submitted_bi_return, user

MY_RETURNS = "/returns/"
COMPLETENESS = "/returns/2014-15/completeness/"
HISTORY = "/kpis/bi-meetings-attended/history/"
# 2014/15's returns are due 15 working days after each quarter ends.
DUE = ["21 July 2014", "21 October 2014", "21 January 2015", "21 April 2015"]
FINANCE_TEAMS = [
    "Business intelligence",
    "Procurement and market management",
    "Provider and contract management",
    "Financial business intelligence",
]


@pytest.fixture
def today(monkeypatch):
    """Pin the day the pages take as today (they read timezone.localdate otherwise)."""

    def pin(day):
        monkeypatch.setattr("kpis.returns.views._today", lambda: day)

    return pin


def set_status(year, team, quarter, status, comment=""):
    team_return = TeamReturn.objects.create(year=year, quarter=quarter, team=team, status=status)
    if comment:
        ReturnEvent.objects.create(
            team_return=team_return, action="returned", by=user("director.finance"), comment=comment
        )
    return team_return


def cell_text(cell):
    """A table cell's text without the column heading a responsive table repeats in it."""
    parts = list(cell.text_parts)
    parts += [c.text for c in cell.children if "nhsuk-table__heading" not in c.classes]
    return " ".join(" ".join(parts).split())


def rows_of(doc, table_id):
    return doc.find("table", id=table_id).find("tbody").find_all("tr")


def statuses(row):
    """Each quarter's status of a table row as (status, overdue?)."""
    return [
        (cell.find(cls="app-return-status").text, bool(cell.find_all(cls="app-overdue")))
        for cell in row.find_all("td")
    ]


def team_names(doc, table_id):
    return [
        row.find("th").find("span", cls="nhsuk-u-font-weight-bold").text
        for row in rows_of(doc, table_id)
    ]


def add_teams(year, count):
    """Teams with a KPI each in the year and a returned Q1, led by the finance director."""
    finance = Directorate.objects.get(slug="finance-and-performance")
    for number in range(count):
        team = Team.objects.create(directorate=finance, name=f"Extra team {number}")
        kpi = Kpi.objects.create(slug=f"extra-{number}", name=f"Extra KPI {number}")
        KpiYear.objects.create(
            kpi=kpi,
            year=year,
            team=team,
            frequency="quarterly",
            measure="count",
            rollup="sum",
            target_kind="none",
        )
        set_status(year, team, 1, ReturnStatus.RETURNED, comment="Recount")
        set_status(year, team, 2, ReturnStatus.SUBMITTED)


# ---------------------------------------------------------------- every page


PAGES = [MY_RETURNS, COMPLETENESS, HISTORY]


@pytest.mark.parametrize("url", PAGES)
def test_pages_extend_the_layout_with_no_inline_script_or_style(client, open_year, url):
    set_status(open_year, Team.objects.get(slug="business-intelligence"), 1, "returned", "Redo")
    doc = page(login(client, "admin").get(url))

    assert doc.find("header", cls="nhsuk-header") and doc.find("main", id="maincontent")
    assert doc.find("title").text.endswith(" – CCG Portal")
    assert doc.find("nav", cls="nhsuk-breadcrumb")
    assert doc.find("table", cls="nhsuk-table").find("caption").text
    assert all(script.attrs.get("src") and not script.text for script in doc.find_all("script"))
    assert not doc.find_all("style")
    assert not [element.tag for element in doc.iter() if "style" in element.attrs]


# ---------------------------------------------------------------- my returns


@pytest.mark.parametrize("url", [MY_RETURNS, COMPLETENESS, HISTORY])
def test_anonymous_users_are_sent_to_log_in(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_member_sees_their_teams_quarters_due_dates_and_links(client, open_year, bi, today):
    today(date(2014, 7, 22))  # the day after Q1 was due
    doc = page(login(client, "staff.bi").get(MY_RETURNS))

    assert doc.find("title").text == "Your returns – CCG Portal"
    assert doc.find("h1").text == "Your returns for 2014/15"
    table = doc.find("table", id="my-returns")
    assert table.find("caption").text == "Returns for 2014/15 by team and quarter"
    heads = [th.text for th in table.find("thead").find_all("th")]
    assert heads[0] == "Team"
    assert [h.split("due ")[1] for h in heads[1:]] == DUE
    assert heads[1].startswith("Quarter 1 Apr to Jun 2014")
    (row,) = rows_of(doc, "my-returns")
    assert cell_text(row.find("th")) == "Business intelligence Finance and Performance, 2 KPIs"
    assert statuses(row) == [("Not started", True)] + [("Not started", False)] * 3
    links = [a.attrs["href"] for a in row.find_all("a")]
    assert links == [f"/returns/2014-15/{q}/business-intelligence/" for q in (1, 2, 3, 4)]
    assert "Open the Business intelligence return for quarter 1" in row.find_all("a")[0].text
    assert not doc.find_all(id="completeness-link")


def test_each_status_shows_with_overdue_marks_and_the_directors_comment(
    client, open_year, bi, today
):
    set_status(open_year, bi, 1, ReturnStatus.APPROVED)
    set_status(open_year, bi, 2, ReturnStatus.SUBMITTED)
    set_status(open_year, bi, 3, ReturnStatus.RETURNED, comment="Q3 meetings look double counted")
    set_status(open_year, bi, 4, ReturnStatus.DRAFT)
    today(date(2015, 1, 30))  # Q3 was due on 21 January 2015, Q4 is due in April

    doc = page(login(client, "staff.bi").get(MY_RETURNS))

    (row,) = rows_of(doc, "my-returns")
    assert statuses(row) == [
        ("Approved", False),
        ("Submitted", False),
        ("Returned", True),
        ("Draft", False),
    ]
    note = row.find(cls="app-return-note")
    assert note.find("span").text == f"Returned on {timezone.localdate():%-d %B %Y}:"
    assert "Q3 meetings look double counted" in note.text


def test_a_reopened_return_shows_the_admins_reason_not_an_older_comment(
    client, open_year, bi, today
):
    team_return = set_status(open_year, bi, 1, ReturnStatus.RETURNED, comment="First comment")
    ReturnEvent.objects.create(team_return=team_return, action="approved", by=user("admin"))
    ReturnEvent.objects.create(
        team_return=team_return, action="reopened", by=user("admin"), comment="Typo in Q1"
    )
    today(date(2014, 7, 1))

    doc = page(login(client, "staff.bi").get(MY_RETURNS))

    note = rows_of(doc, "my-returns")[0].find(cls="app-return-note")
    assert note.find("span").text.startswith("Reopened by an admin on ")
    assert "Typo in Q1" in note.text
    assert "First comment" not in note.text
    assert statuses(rows_of(doc, "my-returns")[0])[0] == ("Returned", False)


@pytest.mark.parametrize(
    ("username", "teams"),
    [
        ("staff.quality", ["Quality and patient safety"]),
        ("director.finance", FINANCE_TEAMS),
        ("admin", None),  # every team that reports KPIs: 11
        ("exec", None),
    ],
)
def test_who_sees_which_teams(client, demo, username, teams):
    doc = page(login(client, username).get(MY_RETURNS))

    names = team_names(doc, "my-returns")
    if teams is None:
        assert len(names) == 11
        assert set(FINANCE_TEAMS) <= set(names)
    else:
        assert names == teams
    sees_completeness = username != "staff.quality"
    assert bool(doc.find_all("a", id="completeness-link")) == sees_completeness
    read_only = "cannot change them" in doc.find("main").text
    assert read_only == (username == "exec")


def test_a_director_who_is_also_a_member_sees_both(client, demo):
    Membership.objects.create(
        user=user("director.finance"),
        team=Team.objects.get(slug="organisational-development"),
        role="member",
    )
    names = team_names(page(login(client, "director.finance").get(MY_RETURNS)), "my-returns")
    assert names == FINANCE_TEAMS + ["Organisational development"]


def test_a_user_without_teams_is_told_so(client, demo, django_user_model):
    client.force_login(django_user_model.objects.create_user("newcomer"))
    doc = page(client.get(MY_RETURNS))
    assert not doc.find_all("table")
    assert "None of your teams reports KPIs in 2014/15" in doc.find("p", id="no-teams").text


def test_no_open_year_is_said_so(client, demo):
    FinancialYear.objects.update(status=FinancialYear.Status.LOCKED)
    doc = page(login(client, "admin").get(MY_RETURNS))
    assert doc.find("h1").text == "Your returns"
    assert "No financial year is open" in doc.find("p", id="no-open-year").text


def test_the_latest_of_several_open_years_is_shown(client, demo):
    FinancialYear.objects.filter(label="2013-14").update(status=FinancialYear.Status.OPEN)
    assert page(login(client, "admin").get(MY_RETURNS)).find("h1").text == (
        "Your returns for 2014/15"
    )


@pytest.mark.parametrize("username", ["admin", "director.finance", "staff.bi"])
def test_my_returns_query_count_does_not_grow_with_teams(
    client, open_year, username, django_assert_num_queries
):
    login(client, username)
    # session, user, memberships, executives group, open year, teams, returns
    with django_assert_num_queries(7):
        client.get(MY_RETURNS)
    add_teams(open_year, 30)
    with django_assert_num_queries(7):
        doc = page(client.get(MY_RETURNS))
    if username != "staff.bi":
        assert "Extra team 29" in team_names(doc, "my-returns")


# ---------------------------------------------------------------- completeness


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("exec", 200), ("director.finance", 200), ("staff.bi", 403)],
)
def test_completeness_is_for_directors_executives_and_admins(client, demo, username, status):
    assert login(client, username).get(COMPLETENESS).status_code == status
    assert login(client, username).get(COMPLETENESS + "?format=csv").status_code == status


def test_a_deputy_sees_completeness(client, demo, django_user_model):
    deputy = django_user_model.objects.create_user("deputy.quality")
    Membership.objects.create(
        user=deputy, directorate=Directorate.objects.get(slug="quality"), role="deputy"
    )
    client.force_login(deputy)
    assert client.get(COMPLETENESS).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/returns/2099-00/completeness/",
        "/returns/2014-2015/completeness/",
        "/returns/14-15/completeness/",
        COMPLETENESS + "?format=pdf",
    ],
)
def test_unknown_years_and_formats_are_not_found(client, demo, url):
    assert login(client, "admin").get(url).status_code == 404


def test_completeness_lists_every_directorate_its_teams_and_counts(client, open_year, bi, today):
    set_status(open_year, bi, 1, ReturnStatus.SUBMITTED)
    procurement = Team.objects.get(slug="procurement-and-market-management")
    set_status(open_year, procurement, 1, ReturnStatus.APPROVED)
    set_status(open_year, procurement, 2, ReturnStatus.DRAFT)
    corporate = Directorate.objects.create(
        organisation=bi.directorate.organisation,
        name="Corporate",
        slug="corporate",
        display_order=9,
    )
    today(date(2014, 10, 22))  # Q1 and Q2 are both past due

    doc = page(login(client, "director.finance").get(COMPLETENESS))

    assert doc.find("title").text == "Completeness of 2014/15 returns – CCG Portal"
    table = doc.find("table", id="completeness")
    assert table.find("caption").text == ("Returns for 2014/15 by directorate, team and quarter")
    directorates = [
        row.find("th").find("span", cls="nhsuk-u-font-weight-bold").text
        for row in rows_of(doc, "completeness")
        if "app-directorate" in row.find("th").classes
    ]
    assert directorates == [
        "Quality",
        "Service Delivery",
        "Finance and Performance",
        "Engagement and Development",
        "Corporate",
    ]
    rows = {cell_text(row.find("th")): row for row in rows_of(doc, "completeness")}
    finance = rows["Finance and Performance"]
    assert [c.find(cls="app-count").text for c in finance.find_all("td")] == [
        "2 of 4",
        "0 of 4",
        "0 of 4",
        "0 of 4",
    ]
    assert statuses(rows["Business intelligence"]) == [
        ("Submitted", False),
        ("Not started", True),
        ("Not started", False),
        ("Not started", False),
    ]
    assert statuses(rows["Procurement and market management"])[:2] == [
        ("Approved", False),
        ("Draft", True),
    ]
    link = rows["Business intelligence"].find("a")
    assert link.attrs["href"] == "/returns/2014-15/1/business-intelligence/"
    assert rows["Corporate No team reports KPIs this year"].find(cls="app-count").text == "0 of 0"
    total = rows["All directorates"]
    assert [c.find(cls="app-count").text for c in total.find_all("td")] == [
        "2 of 11",
        "0 of 11",
        "0 of 11",
        "0 of 11",
    ]
    assert corporate.pk
    assert doc.find("a", id="csv-export").attrs["href"] == COMPLETENESS + "?format=csv"


def test_a_published_year_is_complete(client, demo):
    doc = page(login(client, "exec").get("/returns/2013-14/completeness/"))
    total = {cell_text(row.find("th")): row for row in rows_of(doc, "completeness")}[
        "All directorates"
    ]
    assert [c.find(cls="app-count").text for c in total.find_all("td")] == ["11 of 11"] * 4
    assert not doc.find_all(cls="app-overdue")


def read_csv(response):
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_holds_the_table(client, open_year, bi, today):
    set_status(open_year, bi, 1, ReturnStatus.SUBMITTED)
    today(date(2014, 7, 22))

    response = login(client, "admin").get(COMPLETENESS + "?format=csv")

    assert response["Content-Disposition"] == (
        'attachment; filename="returns-completeness-2014-15.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == [
        "Directorate",
        "Team",
        "Quarter 1 (due 2014-07-21)",
        "Quarter 2 (due 2014-10-21)",
        "Quarter 3 (due 2015-01-21)",
        "Quarter 4 (due 2015-04-21)",
    ]
    finance = rows.index(
        ["Finance and Performance", "Submitted or approved", "1 of 4", "0 of 4", "0 of 4", "0 of 4"]
    )
    assert rows[finance + 1] == [
        "Finance and Performance",
        "Business intelligence",
        "Submitted",
        "Not started",
        "Not started",
        "Not started",
    ]
    assert rows[finance + 2][2] == "Not started (overdue)"
    assert rows[-1] == ["All directorates", "Submitted or approved", "1 of 11"] + ["0 of 11"] * 3
    # A directorate row and a row per team: as many rows as the page's table, plus its head.
    doc = page(login(client, "admin").get(COMPLETENESS))
    assert len(rows) == len(rows_of(doc, "completeness")) + 1


def test_excel_export_holds_the_returns_and_the_counts_as_numbers(client, open_year, bi, today):
    set_status(open_year, bi, 1, ReturnStatus.SUBMITTED)
    today(date(2014, 7, 22))
    Team.objects.filter(pk=bi.pk).update(name="=Business intelligence")

    response = login(client, "admin").get(COMPLETENESS + "?format=xlsx")

    assert response["Content-Disposition"] == (
        'attachment; filename="returns-completeness-2014-15.xlsx"'
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Returns 2014-15", "Counts 2014-15"]
    returns, counts = book["Returns 2014-15"], book["Counts 2014-15"]
    csv_rows = read_csv(login(client, "admin").get(COMPLETENESS + "?format=csv"))
    team_rows = [row for row in csv_rows[1:] if row[1] != "Submitted or approved"]
    as_text = [["" if v is None else v for v in row] for row in returns.iter_rows(values_only=True)]
    assert as_text == [csv_rows[0], *team_rows]  # the CSV's rows less its counts
    assert as_text[
        as_text.index(next(row for row in as_text if row[1] == "'=Business intelligence"))
    ][:3] == ["Finance and Performance", "'=Business intelligence", "Submitted"]

    header = [cell.value for cell in counts[1]]
    assert header == ["Directorate", "Quarter", "Due", "Submitted or approved", "Teams", "Share in"]
    finance_q1 = next(
        row for row in counts.iter_rows(min_row=2) if row[0].value == "Finance and Performance"
    )
    assert [cell.value for cell in finance_q1[:2]] == ["Finance and Performance", 1]
    assert finance_q1[2].value.date() == date(2014, 7, 21)
    assert [cell.value for cell in finance_q1[3:]] == [1, 4, 25]
    assert [cell.number_format for cell in finance_q1[1:]] == [
        "#,##0",
        "yyyy-mm-dd",
        "#,##0",
        "#,##0",
        '0.0#"%"',
    ]
    total = [[c.value for c in row] for row in counts.iter_rows(min_row=2)][-4:]
    assert [row[0] for row in total] == ["All directorates"] * 4
    assert [row[3:] for row in total] == [[1, 11, 9.1], [0, 11, 0], [0, 11, 0], [0, 11, 0]]
    assert returns.freeze_panes == counts.freeze_panes == "A2"
    assert returns.column_dimensions["A"].width == 36


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, open_year, bi):
    Team.objects.filter(pk=bi.pk).update(name='=HYPERLINK("http://evil.example","x")')
    Team.objects.filter(slug="procurement-and-market-management").update(name="+1+1")
    Team.objects.filter(slug="provider-and-contract-management").update(name="-2+3")
    Directorate.objects.filter(slug="quality").update(name="@SUM(A1)")

    rows = read_csv(login(client, "admin").get(COMPLETENESS + "?format=csv"))

    cells = {cell for row in rows for cell in row}
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert {"'+1+1", "'-2+3", "'@SUM(A1)"} <= cells
    assert not [cell for cell in cells if cell[:1] in "=+-@"]


@pytest.mark.parametrize(
    ("text", "safe"),
    [("=1+2", "'=1+2"), ("+44", "'+44"), ("-1", "'-1"), ("@x", "'@x"), ("\t=1", "'\t=1")]
    + [("Team A", "Team A"), ("", ""), ("1 of 4", "1 of 4")],
)
def test_export_cells_are_neutralised(text, safe):
    assert neutralise_for_export(text) == safe


@pytest.mark.parametrize("export", ["", "?format=csv"])
def test_completeness_query_count_does_not_grow_with_teams(
    client, open_year, export, django_assert_num_queries
):
    login(client, "director.finance")
    # session, user, memberships, executives group, year, teams, returns, directorates
    with django_assert_num_queries(8):
        client.get(COMPLETENESS + export)
    add_teams(open_year, 30)
    with django_assert_num_queries(8):
        response = client.get(COMPLETENESS + export)
    assert "Extra team 29" in response.content.decode("utf-8-sig")


# ---------------------------------------------------------------- KPI history


def save_bi(open_year, bi, bi_kpis, meetings, *, version=None):
    return services.return_save(
        by=user("staff.bi"),
        team=bi,
        year=open_year,
        quarter=1,
        rows=bi_rows(bi_kpis, meetings=meetings),
        version=version,
        submit=False,
        today=OPEN_DAY,
    )


def history_rows(doc):
    return [
        [cell_text(cell) for cell in row.find_all("td")[:4]] + [_change(row.find_all("td")[4])]
        for row in rows_of(doc, "history")
    ]


def _change(cell):
    return f"{cell.find(cls='app-before').text} -> {cell.find(cls='app-after').text}"


def test_history_lists_every_change_newest_first_with_who_why_and_values(
    client, open_year, bi, bi_kpis
):
    first = save_bi(open_year, bi, bi_kpis, 97)
    save_bi(open_year, bi, bi_kpis, 99, version=first.version)

    doc = page(login(client, "staff.bi").get(HISTORY))

    kpi = bi_kpis["bi-meetings-attended"].kpi
    assert doc.find("h1").text == kpi.name
    assert doc.find("title").text == f"History of {kpi.name} – CCG Portal"
    assert doc.find("table", id="history").find("caption").text == (
        f"Changes to the figures of {kpi.name}, newest first"
    )
    rows = history_rows(doc)
    assert [row[1:] for row in rows] == [
        ["BI Analyst", "form", "2014/15 Q1", "97 -> 99"],
        ["BI Analyst", "form", "2014/15 Q1", "— -> 97"],
    ] + [
        [
            "loaded from file",
            "Published annual report 2013/14: kpis_2013-14.csv",
            f"2013/14 Q{q}",
            "— -> 96",
        ]
        for q in (4, 3, 2, 1)
    ]
    assert "Changes 1 to 6 of 6." in doc.find(id="history-count").text
    assert not doc.find_all("nav", cls="nhsuk-pagination")


def test_history_shows_a_reopening_and_its_reason(client, open_year, bi, bi_kpis):
    submitted = submitted_bi_return(open_year, bi, bi_kpis)
    assert submitted.status == ReturnStatus.SUBMITTED
    approved = services.return_approve(by=user("director.finance"), team_return=submitted)
    services.return_reopen(by=user("admin"), team_return=approved, reason="Meetings miscounted")

    rows = history_rows(page(login(client, "director.finance").get(HISTORY)))

    assert rows[0][1:] == ["Portal Admin", "reopen: Meetings miscounted", "2014/15 Q1", "97 -> 97"]
    assert rows[1][1:] == ["BI Analyst", "form", "2014/15 Q1", "— -> 97"]


def test_history_names_the_month_of_a_monthly_figure(client, open_year, bi_kpis):
    kpi_year = bi_kpis["bi-meetings-attended"]
    for quarter, month, count in [(1, 5, 30), (4, 2, 31)]:
        figure = Figure(kpi_year=kpi_year, quarter=quarter, month=month, count=count)
        figure._change_reason = "form"
        figure._history_user = user("staff.bi")
        figure.save()

    rows = history_rows(page(login(client, "staff.bi").get(HISTORY)))

    assert [row[3:] for row in rows[:2]] == [
        ["2014/15 Q4, February 2015", "— -> 31"],
        ["2014/15 Q1, May 2014", "— -> 30"],
    ]


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("staff.bi", 200),
        ("director.finance", 200),
        ("exec", 200),
        ("admin", 200),
        ("staff.quality", 403),
        ("staff.od", 403),
    ],
)
def test_history_is_for_those_who_can_see_the_kpis_team(client, demo, username, status):
    response = login(client, username).get(HISTORY)
    assert response.status_code == status
    if status == 403:
        assert "bi-meetings" not in response.content.decode()


def test_history_of_a_year_owned_by_another_team_is_left_out(client, open_year, bi_kpis):
    # In 2014/15 the KPI moved to Procurement: BI's member sees only 2013/14, when BI owned it.
    procurement = Team.objects.get(slug="procurement-and-market-management")
    moved = bi_kpis["bi-meetings-attended"]
    KpiYear.objects.filter(pk=moved.pk).update(team=procurement)
    Figure.objects.create(kpi_year=moved, quarter=1, count=12)

    bi_rows = history_rows(page(login(client, "staff.bi").get(HISTORY)))
    admin_rows = history_rows(page(login(client, "admin").get(HISTORY)))

    assert [row[3] for row in bi_rows] == [f"2013/14 Q{q}" for q in (4, 3, 2, 1)]
    assert admin_rows[0][3:] == ["2014/15 Q1", "— -> 12"]


def test_an_unknown_kpi_is_not_found(client, demo):
    assert login(client, "admin").get("/kpis/no-such-kpi/history/").status_code == 404


def test_a_kpi_with_no_figures_says_so(client, demo):
    Kpi.objects.create(slug="brand-new", name="Brand new KPI")
    doc = page(login(client, "admin").get("/kpis/brand-new/history/"))
    assert "No figures have been recorded" in doc.find("p", id="no-history").text


def add_history(kpi_year, count):
    """`count` historical records of one figure, its count going 1, 2, … in order."""
    figure = Figure.objects.create(kpi_year=kpi_year, quarter=2, count=0)
    at = figure.updated_at
    Figure.history.bulk_history_create(
        [
            Figure(pk=figure.pk, kpi_year=kpi_year, quarter=2, count=n, updated_at=at)
            for n in range(1, count + 1)
        ],
        update=True,
        default_change_reason="form",
    )


def test_history_pages_by_100_and_reads_the_previous_value_across_pages(client, open_year, bi_kpis):
    add_history(bi_kpis["bi-meetings-attended"], 150)  # + its creation + 4 loaded = 155
    login(client, "staff.bi")

    first = page(client.get(HISTORY))
    second = page(client.get(HISTORY + "?page=2"))

    first_rows, second_rows = history_rows(first), history_rows(second)
    assert (len(first_rows), len(second_rows)) == (100, 55)
    assert first_rows[0][4] == "149 -> 150"
    assert first_rows[-1][4] == "50 -> 51"
    assert second_rows[0][4] == "49 -> 50"  # its previous value is read from page 1's query
    assert "Changes 101 to 155 of 155." in second.find(id="history-count").text
    nav = first.find("nav", cls="nhsuk-pagination")
    assert nav.find("a", rel="next").attrs["href"] == "?page=2"
    assert "Page 2 of 2" in nav.text
    # A page past the end or not a number gives the nearest page, never an error.
    assert history_rows(page(client.get(HISTORY + "?page=99"))) == second_rows
    assert history_rows(page(client.get(HISTORY + "?page=x"))) == first_rows


@pytest.mark.parametrize("username", ["staff.bi", "admin"])
def test_history_query_count_does_not_grow_with_changes(
    client, open_year, bi_kpis, username, django_assert_num_queries
):
    login(client, username)
    # session, user, KPI, its years, memberships, executives group, count, the page
    with django_assert_num_queries(8):
        client.get(HISTORY)
    add_history(bi_kpis["bi-meetings-attended"], 150)
    with django_assert_num_queries(8):
        assert len(history_rows(page(client.get(HISTORY)))) == 100
