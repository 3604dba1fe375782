"""Numbers no figure can hold: too large for their column, negative, or not in the digits 0-9.

Each is refused with a message where it was entered (the return form beside its input, an
import's preview with its row and column) and changes nothing; none reaches the database.
"""

import pytest
from django.db import IntegrityError, transaction

from ccgportal import imports
from common.limits import largest
from kpis import shapes
from kpis.models import FIGURE_LIMITS, Figure, KpiYear, ReturnEvent, TeamReturn
from kpis.rules import FigureValues, Measure
from tests.html import page
from tests.kpis.import_support import INSPECTIONS, csv_bytes, db_state, long_csv
from tests.kpis.returns.test_sign_off_page import SIGN_OFF
from tests.kpis.test_imports_wide import published_rows
from tests.kpis.test_return_form import URL, form_data, text
from tests.support import login, snapshot, submitted_bi_return

BIGINT = 2**63  # one more than a count's column holds
STARTERS = "Number of new starters (total per quarter)"
CODING = "coding-challenges-successful"
WTE = "whole-time-equivalents"


def test_the_limits_are_the_columns():
    assert FIGURE_LIMITS["count"] == BIGINT - 1
    assert str(FIGURE_LIMITS["amount_gbp"]) == "99999999999999.99"
    assert str(FIGURE_LIMITS["value"]) == "99999999999999.9999"
    assert {name: largest(Figure._meta.get_field(name)) for name in FIGURE_LIMITS} == FIGURE_LIMITS


def test_a_figure_too_large_for_its_column_is_a_problem_of_its_own():
    too_big = FigureValues(count=BIGINT, amount_gbp=FIGURE_LIMITS["amount_gbp"] + 1)
    assert shapes.entry_problems(Measure.COUNT_VALUE, too_big, complete=False) == {
        "count": "The count is larger than the portal can hold: at most 9,223,372,036,854,775,807",
        "amount_gbp": (
            "The £ value is larger than the portal can hold: at most 99,999,999,999,999.99"
        ),
    }
    just_fits = FigureValues(count=BIGINT - 1, amount_gbp=FIGURE_LIMITS["amount_gbp"])
    assert shapes.entry_problems(Measure.COUNT_VALUE, just_fits, complete=False) == {}


# ---------------------------------------------------------------- the return form


def _refused(client, data, message, username="staff.bi", url=URL):
    before = snapshot()
    response = login(client, username).post(url, data)
    assert response.status_code == 400
    assert message in text(response)
    assert snapshot() == before
    return response


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("meetings", str(BIGINT), "The count is larger than the portal can hold"),
        ("meetings", "1" + "0" * 30, "The count is larger than the portal can hold"),
        ("amount", "100,000,000,000,000", "The £ value is larger than the portal can hold"),
        ("amount", "£" + "9" * 40, "The £ value is larger than the portal can hold"),
        ("meetings", "１２", "Enter a whole number, like 96"),  # full-width digits
        ("meetings", "١٢", "Enter a whole number, like 96"),  # Arabic-Indic digits
        ("meetings", "1_000", "Enter a whole number, like 96"),
        ("amount", "１２", "Enter a number, like 28.33"),
        ("amount", "1e3", "Enter a number, like 28.33"),
        ("amount", "NaN", "Enter a number, like 28.33"),
        ("coding", "²", "Enter a whole number, like 96"),
    ],
)
def test_the_return_form_refuses_numbers_no_column_holds(client, bi_kpis, field, typed, message):
    _refused(client, form_data(bi_kpis, **{field: typed}), message)


def _form_for(slug, month=None):
    kpi_year = KpiYear.objects.select_related("team").get(kpi__slug=slug, year__label="2014-15")
    url = f"/returns/2014-15/1/{kpi_year.team.slug}/"
    member = kpi_year.team.memberships.filter(user__isnull=False).first().user.username
    return kpi_year, url, member


def test_whole_time_equivalents_cannot_be_negative(client, demo):
    kpi_year, url, member = _form_for("whole-time-equivalents")
    prefix = f"k{kpi_year.id}-" + ("m4_" if kpi_year.frequency == "monthly" else "")
    for typed in ("-5", "-0.5"):
        _refused(
            client,
            {"version": "", "action": "draft", f"{prefix}value": typed},
            "This cannot be negative",
            member,
            url,
        )
    # The service refuses it whatever the form, and the database whatever the service.
    assert shapes.entry_problems(Measure.DECIMAL, FigureValues(value=-5), complete=False) == {
        "value": "The figure cannot be negative"
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Figure.objects.create(kpi_year=kpi_year, quarter=1, value=-5)


def test_months_that_add_up_to_more_than_a_column_holds_are_refused(client, demo):
    kpi_year, url, member = _form_for("new-starters")
    assert kpi_year.frequency == "monthly" and kpi_year.rollup == "sum"
    each = str(4 * 10**18)  # fits a column; three of them do not
    data = {"version": "", "action": "draft"}
    data.update({f"k{kpi_year.id}-m{month}_count": each for month in (4, 5, 6)})
    _refused(client, data, "The months add up to more than the portal can hold", member, url)


# ---------------------------------------------------------------- the sign-off page


@pytest.mark.parametrize("posted", ["x", "²", "１", str(BIGINT), "9" * 5000, "-1", ""])
def test_a_team_return_that_is_not_an_id_is_no_such_return(client, open_year, bi, bi_kpis, posted):
    submitted_bi_return(open_year, bi, bi_kpis)
    before = snapshot()
    login(client, "director.finance")
    for action in ("approve_team", "return"):
        data = {"action": action, "team_return": posted, "comment": "Recount"}
        response = client.post(SIGN_OFF, data)
        assert response.status_code == 404
        assert page(response).find("h1").text == "Page not found"
    assert snapshot() == before


def test_a_return_to_team_comment_has_a_limit_with_a_clear_message(client, open_year, bi, bi_kpis):
    team_return = submitted_bi_return(open_year, bi, bi_kpis)
    limit = ReturnEvent._meta.get_field("comment").max_length
    assert limit == 2000
    login(client, "director.finance")
    before = snapshot()
    too_long = {"action": "return", "team_return": team_return.pk, "comment": "x" * (2 * 10**6)}
    response = client.post(SIGN_OFF, too_long)
    assert response.status_code == 400
    assert "The comment is 2,000,000 characters long: keep it to 2,000 or fewer" in text(response)
    assert snapshot() == before
    at_limit = {"action": "return", "team_return": team_return.pk, "comment": "y" * limit}
    assert client.post(SIGN_OFF, at_limit).status_code == 302
    assert TeamReturn.objects.get(pk=team_return.pk).status == "returned"
    assert ReturnEvent.objects.get(team_return=team_return, action="returned").comment == (
        "y" * limit
    )


# ---------------------------------------------------------------- imports


def _preview_problems(*rows):
    before = db_state()
    plan, _ = imports.preview("returns.csv", long_csv(*rows), year="2014-15")
    assert not plan.ok
    assert db_state() == before
    return [str(p) for p in plan.problems]


@pytest.mark.parametrize(
    ("kpi", "cell", "message"),
    [
        ("quality-inspections", str(BIGINT), "the count is larger than the portal can hold"),
        ("quality-inspections", "1" + "0" * 30, "the count is larger than the portal can hold"),
        (CODING, "3/£100,000,000,000,000", "the £ value is larger than the portal can hold"),
        (WTE, "100000000000000", "the figure is larger than the portal can hold"),
        (WTE, "1" + "0" * 30 + ".5", "the figure is larger than the portal can hold"),
    ],
)
def test_an_import_refuses_numbers_no_column_holds_at_preview(demo, kpi, cell, message):
    kpi_year = KpiYear.objects.get(kpi__slug=kpi, year__label="2014-15")
    month = "4" if kpi_year.frequency == "monthly" else ""
    (found,) = _preview_problems([kpi_year.kpi.name, "1", month, cell, "", ""])
    assert found.startswith("row 2, column 'value': ")
    assert message in found
    assert "E+" not in found  # said in full, never as 1E+30


def test_an_import_refuses_months_that_add_up_to_more_than_a_column_holds(demo):
    each = str(4 * 10**18)
    found = _preview_problems(*[[STARTERS, "1", str(m), each, "", ""] for m in (4, 5, 6)])
    assert found == [
        "row 2, column 'value': Number of new starters (total per quarter), 2014-15 Q1: "
        "the count is larger than the portal can hold: at most 9,223,372,036,854,775,807"
    ]


@pytest.mark.parametrize("cell", ["１２", "١٢", "12٫5"])
def test_an_import_refuses_digits_other_than_0_to_9(demo, cell):
    (found,) = _preview_problems([INSPECTIONS, "1", "", cell, "", ""])
    assert found.startswith("row 2, column 'value': ")


def test_an_import_reads_the_month_in_the_digits_0_to_9_only(demo):
    (found,) = _preview_problems([STARTERS, "1", "４", "5", "", ""])
    assert "is not a month" in found


def test_an_import_refuses_a_target_no_column_holds(demo):
    rows = published_rows()
    number = next(n for n, row in enumerate(rows) if row[2] == INSPECTIONS)
    assert rows[number][8] == "6 per quarter"
    rows[number][8] = "1" + "0" * 30 + " per quarter"
    before = db_state()
    plan, _ = imports.preview("t.csv", csv_bytes(*rows), year="2014-15")
    assert [str(p) for p in plan.problems] == [
        f"row {number + 1}, column 'target': '{rows[number][8]}' is larger than the portal can "
        "hold: at most 999,999,999,999.9999"
    ]
    assert db_state() == before
