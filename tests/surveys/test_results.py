"""Survey results pages against the published record: the customer survey's facts as published
(17 sent, 15 received, 7.57 overall, lowest 6, highest 9) with its per-department ratings
labelled illustrative, and the IM&T survey's year-on-year figures as imt_survey_2013-14.csv
gives them; the lists, the downloads, who may see them and the queries each page runs."""

import csv
import io
import json
from decimal import ROUND_HALF_UP, Decimal

import openpyxl
import pytest

from directorates.models import Directorate
from surveys.models import Comment, Rating, Response, Survey, SurveyItem
from tests.html import page
from tests.published import PORTAL, PUBLISHED
from tests.support import login

CUSTOMER = "/surveys/2013-14/customer-satisfaction-survey/"
IMT = "/surveys/2013-14/imt-survey/"


def published_survey() -> dict[str, str]:
    with (PUBLISHED / "customer_survey_2013-14.csv").open(newline="", encoding="utf-8") as f:
        return {row["field"]: row["value"] for row in csv.DictReader(f)}


def published_metrics() -> list[dict[str, str]]:
    with (PUBLISHED / "imt_survey_2013-14.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def illustrative_ratings() -> dict[str, list[int]]:
    """Each department's illustrative ratings, read from the file the demo imported."""
    path = PORTAL / "customer_survey_ratings_2013-14_illustrative.csv"
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {name: [int(row[name]) for row in rows] for name in rows[0] if name != "respondent"}


def mean(scores) -> str:
    """Worked out here, independently of surveys.rules: half-up to two places."""
    value = Decimal(sum(scores)) / len(scores)
    return str(value.quantize(Decimal("0.01"), ROUND_HALF_UP))


def facts(doc) -> dict[str, str]:
    listing = doc.find("dl", id="survey-facts")
    return {
        row.find("dt").text: row.find("dd").text
        for row in listing.find_all("div", cls="nhsuk-summary-list__row")
    }


def table_rows(table) -> list[list[str]]:
    return [
        [cell.text for cell in row.children if cell.tag in ("th", "td")]
        for body in table.find_all("tbody")
        for row in body.find_all("tr")
    ]


def list_rows(table) -> list[list[str]]:
    """A responsive table's cells without the headings it repeats in each for small screens."""

    def shown(cell) -> str:
        parts = cell.text_parts + [
            child.text
            for child in cell.children
            if "nhsuk-table-responsive__heading" not in child.classes
        ]
        return " ".join(" ".join(parts).split())

    return [
        [shown(cell) for cell in row.find_all("td")] for row in table.find("tbody").find_all("tr")
    ]


def chart_data(doc, chart_id):
    return json.loads(doc.find("script", id=f"{chart_id}-data").text)


@pytest.fixture
def staff(client, demo):
    return login(client, "staff.bi")


def test_the_customer_survey_shows_the_published_facts_as_published(staff):
    published = published_survey()
    doc = page(staff.get(CUSTOMER))

    assert doc.find("h1").text == published["title"] == "Customer satisfaction survey 2013/14"
    assert facts(doc) == {
        "Sent to": published["audience"],
        "Question": published["scale"],
        "Sent": "29 April 2014",
        "Replies due by": "9 May 2014",
        "Number sent": f"{published['number_sent']} (as published)",
        "Number received": f"{published['number_received']} (as published)",
        "Response rate": "88% (15 of 17)",
        "Overall mean": f"{published['overall_mean_published']} out of 10 (as published): "
        "the mean of all ratings",
        "Lowest rating": f"{published['lowest_rating_published']} (as published)",
        "Highest rating": f"{published['highest_rating_published']} (as published)",
    }
    assert (published["number_sent"], published["number_received"]) == ("17", "15")
    assert published["overall_mean_published"] == "7.57"
    assert (published["lowest_rating_published"], published["highest_rating_published"]) == (
        "6",
        "9",
    )
    assert not doc.find_all("p", id="computed-note")  # the illustrative ratings agree


def test_the_per_department_ratings_are_labelled_illustrative_and_grouped_by_directorate(staff):
    doc = page(staff.get(CUSTOMER))
    callout = doc.find("div", id="illustrative")
    assert "Illustrative ratings" in callout.text
    assert "published report gives them only as a chart" in callout.text
    table = doc.find("table", id="ratings")
    assert table.find("caption").text == "Each department's ratings (illustrative)"
    assert (
        "Illustrative: demonstration ratings from 15 respondents"
        in doc.find("p", id="ratings-basis").text
    )

    scores = illustrative_ratings()
    expected = []
    for group in published_survey()["rated_departments"].split(" | "):
        directorate, _, names = group.partition(": ")
        expected.append([Directorate.objects.get(name__iexact=directorate).name])
        for name in names.split("; "):
            s = scores[name]
            expected.append([name, mean(s), str(min(s)), str(max(s)), str(len(s))])
    assert table_rows(table) == expected
    assert expected[1] == ["Business intelligence", "8.40", "7", "9", "15"]
    assert expected[0] == ["Finance and Performance"] and ["Quality"] in expected


def test_the_ratings_chart_draws_the_table_and_says_it_in_words(staff):
    doc = page(staff.get(CUSTOMER))
    figure = chart_data(doc, "ratings-chart")
    (bars,) = figure["data"]
    assert bars["orientation"] == "h"
    scores = illustrative_ratings()
    groups, names = bars["y"]
    assert names[:4] == [
        "Business intelligence",
        "Procurement",
        "Financial business intelligence",
        "Provider and contract management",
    ]
    assert set(groups) == {
        "Finance and Performance",
        "Quality",
        "Service Delivery",
        "Engagement and Development",
    }
    assert [f"{x:.2f}" for x in bars["x"]] == [mean(scores[n]) for n in names]
    summary = doc.find("figure", cls="app-chart").find("figcaption").text
    assert summary.startswith(
        "Mean rating of each of 11 departments, 1 (poor) to 10 (excellent), from illustrative "
        "ratings, by directorate. Finance and Performance: Business intelligence 8.40, "
        "Procurement 7.53,"
    )
    assert "Highest: Business intelligence (8.40)" in summary
    assert summary.endswith("Overall mean as published: 7.57.")


def test_where_illustrative_figures_differ_the_published_ones_are_the_result(staff):
    bi = SurveyItem.objects.get(survey__year__label="2013-14", name="Business intelligence")
    rating = Rating.objects.filter(item=bi, score=9).order_by("pk").first()
    rating.score = 10  # 1,250 over 165 ratings: 7.58, and a highest of 10
    rating.save()

    doc = page(staff.get(CUSTOMER))

    shown = facts(doc)
    assert shown["Overall mean"].startswith("7.57 out of 10 (as published)")
    assert shown["Highest rating"] == "9 (as published)"
    assert doc.find("p", id="computed-note").text == (
        "The illustrative ratings on this page give a different overall mean 7.58, highest "
        "rating 10; the published figures are the survey's result."
    )
    assert ["Business intelligence", "8.47", "7", "10", "15"] in table_rows(
        doc.find("table", id="ratings")
    )


def test_published_areas_for_improvement_and_comments_by_theme(staff):
    survey = Survey.objects.get(year__label="2013-14", kind="customer")
    responses = list(survey.responses.order_by("pk")[:4])
    for response, (text, theme) in zip(
        responses,
        [
            ("More updates on contracts", "Communication"),
            ("A monthly newsletter", "Communication"),
            ("Faster data requests", "Information"),
            ("Keep it up", ""),
        ],
        strict=True,
    ):
        Comment.objects.create(survey=survey, response=response, text=text, theme=theme)

    doc = page(staff.get(CUSTOMER))

    findings = doc.find("ul", id="findings")
    top = [li.text_parts[0].strip() for li in findings.children]
    assert top[0] == "reinforcing provider and contract management;" and len(top) == 5
    assert [li.text for li in findings.children[3].find_all("li")] == [
        "NHS Constitution;",
        "national contract;",
    ]
    themes = [
        (section.find("h3").text, [li.text for li in section.find_all("li")])
        for section in doc.find_all("section", cls="app-theme")
    ]
    assert themes == [
        ("Communication (2 comments)", ["More updates on contracts", "A monthly newsletter"]),
        ("Information (1 comment)", ["Faster data requests"]),
        ("Not yet given a theme (1 comment)", ["Keep it up"]),
    ]


def test_the_imt_survey_matches_the_published_csv(staff):
    doc = page(staff.get(IMT))
    rows = table_rows(doc.find("table", id="metrics"))
    expected = []
    for metric in published_metrics():
        previous, current = metric["previous_percent"], metric["current_percent"]
        change = f"Up {int(current) - int(previous)} points" if previous else "Not asked before"
        expected.append(
            [
                metric["measure"],
                metric["group"],
                f"{previous}%" if previous else "—",
                f"{current}%",
                change,
            ]
        )
    assert rows == expected
    assert rows[0] == ["Overall satisfaction with IT", "GP practices", "49%", "68%", "Up 19 points"]
    assert rows[1] == ["Overall satisfaction with IT", "CCG staff", "13%", "53%", "Up 40 points"]
    assert rows[3][2:] == ["25%", "75%", "Up 50 points"]

    previous, current = chart_data(doc, "metrics-chart")["data"]
    assert previous["x"] == [
        float(m["previous_percent"]) if m["previous_percent"] else None for m in published_metrics()
    ]
    assert current["x"] == [float(m["current_percent"]) for m in published_metrics()]
    assert (previous["name"], current["name"]) == ("Previous year", "2013/14")
    summary = doc.find_all("figcaption")[0].text
    assert "Overall satisfaction with IT, GP practices: 49% to 68% (up 19 points)" in summary
    assert "Improvement in the service desk noted, CCG staff: 83% (not asked before)" in summary
    assert not doc.find_all("div", id="illustrative")  # published figures, nothing illustrative


def test_the_ratings_download_says_each_row_is_illustrative_and_the_overall_is_published(staff):
    response = staff.get(CUSTOMER, {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="customer-satisfaction-survey-2013-14.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Directorate",
        "Department",
        "Mean rating",
        "Lowest",
        "Highest",
        "Ratings",
        "Basis",
    ]
    assert rows[1] == [
        "Finance and Performance",
        "Business intelligence",
        "8.40",
        "7",
        "9",
        "15",
        "illustrative",
    ]
    assert len(rows) == 1 + 11 + 1 and {row[6] for row in rows[1:12]} == {"illustrative"}
    assert rows[-1] == [
        "All departments",
        "Overall (the mean of all ratings)",
        "7.57",
        "6",
        "9",
        "",
        "published",
    ]

    workbook = openpyxl.load_workbook(io.BytesIO(staff.get(CUSTOMER, {"format": "xlsx"}).content))
    sheet = workbook.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][:6] == ("Finance and Performance", "Business intelligence", 8.4, 7, 9, 15)
    assert values[-1][2:5] == (7.57, 6, 9)


def test_the_imt_download_is_its_metrics(staff):
    rows = list(
        csv.reader(io.StringIO(staff.get(IMT, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert rows[0] == ["Measure", "Group", "Previous %", "Current %", "Change (points)"]
    assert rows[1] == ["Overall satisfaction with IT", "GP practices", "49.00", "68.00", "19.00"]
    assert rows[5] == ["Improvement in the service desk noted", "GP practices", "", "36.00", ""]


def test_downloads_neutralise_formula_cells(staff):
    SurveyItem.objects.filter(survey__year__label="2013-14", name="Procurement").update(
        name="=HYPERLINK(1)"
    )
    rows = list(
        csv.reader(io.StringIO(staff.get(CUSTOMER, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert rows[2][1] == "'=HYPERLINK(1)"


def test_an_unknown_download_format_is_a_400_page_saying_which_exist(staff):
    response = staff.get(CUSTOMER, {"format": "pdf"})
    assert response.status_code == 400
    doc = page(response)
    assert doc.find("p", id="error-reason").text == "There is no 'pdf' download."
    assert "format=csv" in doc.text and doc.find("header", cls="nhsuk-header")


@pytest.mark.parametrize(
    "path",
    [
        "/surveys/2099-00/",
        "/surveys/2099-00/customer-satisfaction-survey/",
        "/surveys/2013-14/no-such-survey/",
        "/surveys/2014-15/customer-satisfaction-survey/",
        "/surveys/13-14/",
    ],
)
def test_an_unknown_year_or_survey_is_the_portals_404(staff, path):
    response = staff.get(path)
    assert response.status_code == 404
    assert page(response).find("h1").text == "Page not found"


@pytest.mark.parametrize("path", ["/surveys/", "/surveys/2013-14/", CUSTOMER, IMT])
def test_results_are_for_signed_in_staff(client, demo, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(path, {"format": "csv"}).status_code == 302


def test_the_years_list_and_every_years_list(staff):
    doc = page(staff.get("/surveys/2013-14/"))
    rows = list_rows(doc.find("table", id="surveys"))
    assert rows == [
        [
            "Customer satisfaction survey 2013/14",
            "Locality Leads and Clinical Commissioning Programme Chairs",
            "29 April 2014",
            "9 May 2014",
            "15 of 17 (88%)",
            "Closed",
        ],
        ["IM&T survey", "GP practices and CCG staff", "—", "—", "Not recorded", "Closed"],
    ]
    links = [a.attrs["href"] for a in doc.find("table", id="surveys").find_all("a")]
    assert links == [CUSTOMER, IMT]
    everything = page(staff.get("/surveys/"))
    assert [a.attrs["href"] for a in everything.find("table", id="surveys").find_all("a")] == [
        CUSTOMER,
        IMT,
    ]
    empty = page(staff.get("/surveys/2014-15/"))
    assert empty.find("p", id="no-surveys").text == "No surveys in 2014/15."


def test_the_home_page_links_a_years_surveys(staff):
    doc = page(staff.get("/"))
    links = {a.text: a.attrs["href"] for a in doc.find("ul", id="financial-years").find_all("a")}
    assert links["2 surveys"] == "/surveys/2013-14/"


def test_surveys_is_in_the_header_for_everyone_signed_in(staff):
    doc = page(staff.get(CUSTOMER))
    items = doc.find("nav", cls="nhsuk-header__navigation").find_all(
        "li", cls="nhsuk-header__navigation-item--current"
    )
    assert [item.find("a").text for item in items] == ["Surveys"]
    crumbs = doc.find("nav", cls="nhsuk-breadcrumb").find_all("a", cls="nhsuk-breadcrumb__link")
    assert [(a.text, a.attrs["href"]) for a in crumbs] == [
        ("Home", "/"),
        ("Surveys", "/surveys/"),
        ("Surveys 2013/14", "/surveys/2013-14/"),
    ]


# Queries: the same whatever the number of departments and responses


def ten_times(survey: Survey) -> None:
    """Ten times the departments (110) and the responses (150), every one rating every one, and
    a comment each."""
    directorates = list(Directorate.objects.all())
    start = survey.items.count()
    SurveyItem.objects.bulk_create(
        SurveyItem(
            survey=survey,
            name=f"Department {n}",
            directorate=directorates[n % len(directorates)],
            display_order=n,
        )
        for n in range(start + 1, start * 10 + 1)
    )
    responses = Response.objects.bulk_create(
        Response(survey=survey, respondent=f"Respondent {n}")
        for n in range(survey.responses.count() + 1, 151)
    )
    items = list(survey.items.values_list("pk", flat=True))
    have = set(Rating.objects.filter(item__survey=survey).values_list("response_id", "item_id"))
    every = list(survey.responses.values_list("pk", flat=True))
    Rating.objects.bulk_create(
        Rating(response_id=r, item_id=i, score=(r + i) % 10 + 1)
        for r in every
        for i in items
        if (r, i) not in have
    )
    Comment.objects.bulk_create(
        Comment(survey=survey, response=response, text=f"Comment {response.pk}", theme="Other")
        for response in responses
    )
    assert (survey.items.count(), survey.responses.count()) == (110, 150)


@pytest.mark.parametrize("scale", [1, 10])
def test_each_survey_page_runs_a_fixed_number_of_queries(staff, django_assert_num_queries, scale):
    survey = Survey.objects.get(year__label="2013-14", kind="customer")
    if scale == 10:
        ten_times(survey)
    # The session, the user and the header's two reads of the user's roles, then: the survey
    # with its counts, the items' ratings, each response's total, the comments, the metrics.
    with django_assert_num_queries(9):
        doc = page(staff.get(CUSTOMER))
    assert len(table_rows(doc.find("table", id="ratings"))) == 11 * scale + 4
    with django_assert_num_queries(7):  # no header
        staff.get(CUSTOMER, {"format": "csv"})
    with django_assert_num_queries(9):
        staff.get(IMT)
    with django_assert_num_queries(5):  # every survey with its counts
        staff.get("/surveys/")
    with django_assert_num_queries(6):  # the year, its surveys with their counts
        staff.get("/surveys/2013-14/")


def test_a_survey_run_in_the_portal_counts_its_replies_as_they_arrive(client, live_survey):
    from surveys import services
    from surveys.models import SurveyEmail
    from tests.surveys.conftest import admin_user

    services.send_invitations(survey=live_survey, by=admin_user())
    path = f"/surveys/2014-15/{live_survey.slug}/"
    login(client, "exec")
    assert facts(page(client.get(path)))["Response rate"] == "0% (0 of 3)"

    ids = dict(live_survey.items.values_list("name", "pk"))
    replies = {
        "ada@locality.example": {
            "Business intelligence": 9,
            "Procurement": None,
            "Medicines management": 5,
        },
        "ben@locality.example": {
            "Business intelligence": 6,
            "Procurement": 8,
            "Medicines management": 4,
        },
    }
    for email, scores in replies.items():
        link = SurveyEmail.objects.get(invitee__email=email)
        services.record_response(
            link=link, answers={ids[n]: s for n, s in scores.items()}, comment=f"From {email[:3]}"
        )

    doc = page(client.get(path))
    shown = facts(doc)
    assert (shown["Number sent"], shown["Number received"]) == ("3", "2")
    assert shown["Response rate"] == "67% (2 of 3)"
    # The mean of all five ratings: 32 / 5.
    assert shown["Overall mean"] == "6.40 out of 10: the mean of all ratings"
    assert (shown["Lowest rating"], shown["Highest rating"]) == ("4", "9")
    assert table_rows(doc.find("table", id="ratings")) == [
        ["Finance and Performance"],
        ["Business intelligence", "7.50", "6", "9", "2"],
        ["Procurement", "8.00", "8", "8", "1"],
        ["Quality"],
        ["Medicines management", "4.50", "4", "5", "2"],
    ]
    assert not doc.find_all("div", id="illustrative")
    themes = [s.find("h3").text for s in doc.find_all("section", cls="app-theme")]
    assert themes == ["Not yet given a theme (2 comments)"]
    rows = list(
        csv.reader(io.StringIO(client.get(path, {"format": "csv"}).content.decode("utf-8-sig")))
    )
    assert {row[6] for row in rows[1:4]} == {"replies"}
    assert rows[-1][2:] == ["6.40", "4", "9", "5", "replies"]

    # Averaged as the mean of each respondent's mean: Ada's 7.00 and Ben's 6.00.
    live_survey.averaging = Survey.Averaging.RESPONDENTS
    live_survey.save()
    shown = facts(page(client.get(path)))
    assert shown["Overall mean"] == "6.50 out of 10: the mean of each respondent's mean rating"
    doc = page(client.get("/surveys/2014-15/"))
    (listed,) = list_rows(doc.find("table", id="surveys"))
    assert listed[4:] == [
        "2 of 3 (67%)",
        f"Taking replies until {live_survey.responses_due:%-d %B %Y}",
    ]
