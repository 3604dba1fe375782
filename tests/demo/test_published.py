"""The published record loads exactly, idempotently, and not at all when a fixture is wrong."""

import csv
import io
import shutil
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ccgportal import imports
from common.cells import parse_kpi_cell, parse_money
from common.loading import LoadError
from common.uploads import read_upload
from demo.published import load_demo
from directorates.models import FinancialYear, Membership, Team
from finance import imports as running_costs
from finance import rules as finance_rules
from finance.models import CostLine, FinanceSummaryLine
from kpis import rules
from kpis.imports import wide as kpi_wide
from kpis.models import Figure, KpiYear, ReturnEvent, TeamReturn
from kpis.returns import selectors
from kpis.shapes import cell_values
from surveys import imports as survey_responses
from tests.published import FIXTURES, PORTAL, PUBLISHED
from tests.support import user

KPI_SOURCE = "Published annual report 2013/14: kpis_2013-14.csv"
RUNNING_COST_SOURCE = "Published annual report 2013/14: running_costs_2013-14.csv"
RATINGS = "customer_survey_ratings_2013-14_illustrative.csv"

PORTAL_APPS = ["directorates", "kpis", "finance", "surveys", "plans", "auth"]


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
    }


def published_rows(name):
    with (PUBLISHED / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_running_cost_per_head_and_percent_matches_the_schedule(demo):
    year = FinancialYear.objects.get(label="2013-14")
    assert year.registered_population == 749_179
    lines = list(CostLine.objects.filter(schedule__year=year).order_by("display_order"))
    rows = published_rows("running_costs_2013-14.csv")
    assert len(rows) == 52  # 51 lines and the total
    published = [row for row in rows if row["level"] != "0"]
    assert len(lines) == len(published) == 51
    total = year.running_costs.published_total_gbp
    for line, row in zip(lines, published, strict=True):
        assert line.name == row["line"]
        per_head = finance_rules.per_head(line.amount_gbp, year.registered_population)
        percent = finance_rules.share_percent(line.amount_gbp, total)
        assert per_head == parse_money(row["printed_per_capita"]), line.name
        assert f"{percent:.2f}%" == row["printed_percent"], line.name
    (total_row,) = [row for row in rows if row["level"] == "0"]
    assert total == parse_money(total_row["amount_gbp"]) == Decimal("18730000")
    assert finance_rules.per_head(total, year.registered_population) == parse_money(
        total_row["printed_per_capita"]
    )
    assert finance_rules.share_percent(total, total) == Decimal(
        total_row["printed_percent"].rstrip("%")
    )


def test_top_level_lines_add_up_to_the_published_total(demo):
    top = CostLine.objects.filter(schedule__year__label="2013-14", parent__isnull=True)
    assert sum(line.amount_gbp for line in top) == Decimal("18730000")


def test_subtotals_that_differ_from_their_children_are_kept_as_published(demo):
    differences = {}
    for line in CostLine.objects.filter(schedule__year__label="2013-14").prefetch_related(
        "children"
    ):
        children = [child.amount_gbp for child in line.children.all()]
        if children:
            difference = finance_rules.subtotal_difference(line.amount_gbp, children)
            if difference:
                differences[line.name] = difference
    assert differences == {
        "Review Design and Delivery West Dorset": Decimal(-1),
        "FINANCE AND PERFORMANCE": Decimal(-1),
        "Finance and Procurement": Decimal(1),
        "Performance and Contracting": Decimal(1),
        "Organisational Development": Decimal(1),
    }


def test_outturn_is_22_33_a_head(demo):
    running = FinanceSummaryLine.objects.get(
        year__label="2013-14", measure="net_operating_costs"
    ).running_gbp_000
    assert finance_rules.per_head(running * 1000, 749_179) == Decimal("22.33")


def test_finance_summary_totals_and_surplus(demo):
    lines = {
        line.measure: line for line in FinanceSummaryLine.objects.filter(year__label="2013-14")
    }
    for line in lines.values():
        assert line.total_gbp_000 == line.published_total_gbp_000
    noc, rrl, surplus = lines["net_operating_costs"], lines["resource_limit"], lines["surplus"]
    assert finance_rules.surplus(
        rrl.published_total_gbp_000, noc.published_total_gbp_000
    ) == Decimal(12_614)
    assert surplus.published_total_gbp_000 == Decimal(12_614)
    assert (
        finance_rules.surplus(rrl.programme_gbp_000, noc.programme_gbp_000)
        == surplus.programme_gbp_000
    )


def test_every_quarter_of_the_kpi_schedule_matches_the_csv(demo):
    rows = published_rows("kpis_2013-14.csv")
    kpi_years = list(KpiYear.objects.for_schedule(FinancialYear.objects.get(label="2013-14")))
    assert len(kpi_years) == len(rows) == 39
    figures = {
        (f.kpi_year_id, f.quarter): f
        for f in Figure.objects.filter(kpi_year__year__label="2013-14")
    }
    assert len(figures) == 39 * 4
    for kpi_year, row in zip(kpi_years, rows, strict=True):
        assert kpi_year.kpi.name == row["kpi"]
        assert kpi_year.target_text == row["target"]
        for quarter in range(1, 5):
            figure = figures[(kpi_year.id, quarter)]
            cell = row[f"q{quarter}"]
            assert figure.published_text == cell
            assert figure.values == cell_values(
                rules.Measure(kpi_year.measure), parse_kpi_cell(cell)
            )


def test_published_cells_keep_their_exact_figures(demo):
    def figure(slug, quarter):
        return Figure.objects.get(
            kpi_year__kpi__slug=slug, kpi_year__year__label="2013-14", quarter=quarter
        )

    coding = figure("coding-challenges-successful", 1)
    assert (coding.count, coding.amount_gbp) == (17, Decimal("1059768"))
    procurement = figure("procurement-projects-supported", 4)
    assert (procurement.count, procurement.amount_gbp) == (44, Decimal("2500000"))
    foi = figure("foi-requests-responded", 4)
    assert (foi.numerator, foi.denominator, foi.percent) == (63, 67, Decimal(94))
    press = figure("press-statements", 2)
    assert (press.count, press.count_2) == (60, 40)
    assert figure("chc-contracts-outstanding", 1).not_collected
    assert figure("whole-time-equivalents", 4).value == Decimal("308.04")


def test_published_facts_agree_with_the_figures(demo):
    def total(slug, field):
        return sum(
            getattr(f, field)
            for f in Figure.objects.filter(
                kpi_year__kpi__slug=slug, kpi_year__year__label="2013-14"
            )
        )

    assert (
        total("complaints-closed", "count") == 179
    )  # "179 complaints were sent to the CCG and closed"
    assert (
        total("foi-requests-responded", "numerator") == 274
    )  # "274 Freedom of Information requests"


def test_years_structure_and_users(demo):
    assert list(FinancialYear.objects.values_list("label", "status")) == [
        ("2013-14", "locked"),
        ("2014-15", "open"),
        ("2015-16", "locked"),
    ]
    assert KpiYear.objects.filter(year__label="2014-15").count() == 39
    assert not Figure.objects.filter(kpi_year__year__label="2014-15").exists()
    rdd_west = Team.objects.get(slug="review-design-and-delivery-west-dorset")
    assert rdd_west.children.count() == 4
    assert (
        Team.objects.get(slug="business-intelligence").directorate.name == "Finance and Performance"
    )
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    assert users.get(username="exec").groups.filter(name="Executives").exists()
    director = Membership.objects.get(user__username="director.finance")
    assert (director.role, director.directorate.slug, director.team) == (
        "director",
        "finance-and-performance",
        None,
    )
    assert Membership.objects.get(user__username="staff.bi").team.slug == "business-intelligence"
    other_directorates = {
        m.team.directorate.slug
        for m in Membership.objects.filter(role="member").select_related("team__directorate")
    }
    assert other_directorates == {
        "finance-and-performance",
        "quality",
        "service-delivery",
        "engagement-and-development",
    }


def test_loading_twice_gives_the_same_rows_and_writes_nothing_new(demo):
    before = row_counts()
    history_before = Figure.history.count()
    load_demo(password="demo-pass")
    assert row_counts() == before
    assert Figure.history.count() == history_before


@pytest.mark.parametrize(
    ("path", "importer"),
    [
        (PUBLISHED / "kpis_2013-14.csv", kpi_wide),
        (PUBLISHED / "running_costs_2013-14.csv", running_costs),
        (PORTAL / RATINGS, survey_responses),
    ],
)
def test_the_published_figures_are_in_layouts_an_admin_imports(path, importer):
    table = read_upload(path.name, path.read_bytes())
    assert imports.recognise(table.header) is importer


def test_every_published_figure_and_cost_line_has_its_source_in_its_history(demo):
    figures = Figure.objects.filter(kpi_year__year__label="2013-14")
    assert figures.count() == 39 * 4
    history = Figure.history.filter(kpi_year__year__label="2013-14")
    assert history.count() == figures.count()
    assert set(history.values_list("history_type", "history_change_reason", "history_user")) == {
        ("+", KPI_SOURCE, None)
    }
    assert set(history.values_list("id", flat=True)) == set(figures.values_list("id", flat=True))
    lines = CostLine.objects.filter(schedule__year__label="2013-14")
    assert lines.count() == 51
    line_history = CostLine.history.filter(schedule__year__label="2013-14")
    assert line_history.count() == 51
    assert set(line_history.values_list("history_change_reason", "history_user")) == {
        (RUNNING_COST_SOURCE, None)
    }


def test_published_returns_are_approved_with_their_approval_in_the_trail(demo):
    owners = set(KpiYear.objects.filter(year__label="2013-14").values_list("team_id", flat=True))
    returns = TeamReturn.objects.filter(year__label="2013-14")
    assert set(returns.values_list("team_id", "quarter")) == {
        (team, quarter) for team in owners for quarter in range(1, 5)
    }
    assert returns.count() == 4 * len(owners) == 44
    assert set(returns.values_list("status", flat=True)) == {"approved"}
    events = ReturnEvent.objects.filter(team_return__year__label="2013-14")
    assert sorted(events.values_list("team_return_id", flat=True)) == sorted(
        returns.values_list("id", flat=True)
    )
    assert set(events.values_list("action", "by", "comment")) == {
        ("approved", None, "Loaded as published, from kpis_2013-14.csv")
    }


@pytest.fixture
def broken_fixtures(tmp_path):
    target = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, target)
    return target


def rewrite_cell(path, row_index, column, value):
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        fieldnames, rows = reader.fieldnames, list(reader)
    rows[row_index][column] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def test_malformed_cell_names_file_row_and_column_and_writes_nothing(empty_db, broken_fixtures):
    rewrite_cell(broken_fixtures / "published" / "kpis_2013-14.csv", 22, "q4", "63/6x7")
    before = row_counts()
    with pytest.raises(LoadError) as caught:
        load_demo(broken_fixtures, password="demo-pass")
    message = str(caught.value)
    assert message.startswith("kpis_2013-14.csv, row 24, column 'q4': ")
    assert "63/6x7" in message
    assert row_counts() == before


def test_fraction_above_its_whole_is_refused(empty_db, broken_fixtures):
    rewrite_cell(broken_fixtures / "published" / "kpis_2013-14.csv", 22, "q4", "68/67")
    with pytest.raises(
        LoadError, match=r"row 24, column 'q4': 68 out of 67 is more than the whole"
    ):
        load_demo(broken_fixtures, password="demo-pass")
    assert not Figure.objects.exists()


def test_every_problem_of_a_published_file_is_named(empty_db, broken_fixtures):
    schedule = broken_fixtures / "published" / "kpis_2013-14.csv"
    rewrite_cell(schedule, 22, "q4", "68/67")
    rewrite_cell(schedule, 0, "q2", "lots")
    before = row_counts()
    with pytest.raises(LoadError) as caught:
        load_demo(broken_fixtures, password="demo-pass")
    message = str(caught.value)
    assert message.startswith("kpis_2013-14.csv, row 2, column 'q2': ")
    assert "(and 1 more: row 24, column 'q4': 68 out of 67 is more than the whole" in message
    assert row_counts() == before


def test_a_bad_running_cost_amount_names_the_file_and_writes_nothing(empty_db, broken_fixtures):
    rewrite_cell(broken_fixtures / "published" / "running_costs_2013-14.csv", 4, "amount_gbp", "£x")
    before = row_counts()
    with pytest.raises(LoadError) as caught:
        load_demo(broken_fixtures, password="demo-pass")
    assert str(caught.value).startswith("running_costs_2013-14.csv, row 6, column 'amount_gbp': ")
    assert "£x" in str(caught.value)
    assert row_counts() == before


def test_a_rating_off_the_scale_names_the_file_and_writes_nothing(empty_db, broken_fixtures):
    rewrite_cell(broken_fixtures / "portal" / RATINGS, 2, "Procurement", "11")
    before = row_counts()
    with pytest.raises(
        LoadError, match=rf"^{RATINGS}, row 4, column 'Procurement': '11' is not a rating from 1"
    ):
        load_demo(broken_fixtures, password="demo-pass")
    assert row_counts() == before


def test_a_missing_published_file_is_named(empty_db, broken_fixtures):
    (broken_fixtures / "published" / "running_costs_2013-14.csv").unlink()
    with pytest.raises(LoadError, match=r"^running_costs_2013-14\.csv: file not found$"):
        load_demo(broken_fixtures, password="demo-pass")
    assert not FinancialYear.objects.exists()


def test_reloading_a_changed_figure_into_the_locked_year_is_refused(demo, broken_fixtures):
    rewrite_cell(broken_fixtures / "published" / "kpis_2013-14.csv", 0, "q1", "18 challenges £1")
    before = row_counts()
    history = Figure.history.count()
    with pytest.raises(LoadError, match=r"^kpis_2013-14\.csv, row 2, column 'q1': .*locked"):
        load_demo(broken_fixtures, password="demo-pass")
    assert row_counts() == before
    assert Figure.history.count() == history


def test_kpi_definition_that_breaks_a_constraint_names_the_row(empty_db, broken_fixtures):
    rewrite_cell(
        broken_fixtures / "portal" / "kpi_definitions_2013-14.csv", 13, "target_value", "150"
    )
    before = row_counts()
    with pytest.raises(LoadError) as caught:
        load_demo(broken_fixtures, password="demo-pass")
    assert str(caught.value).startswith(
        "kpis_2013-14.csv, row 15: the database refused this KPI year"
    )
    assert "kpiyear_target_value_matches_kind" in str(caught.value)
    assert row_counts() == before


def test_load_demo_command_reports_a_bad_fixture_without_a_traceback(
    empty_db, broken_fixtures, settings
):
    settings.DEBUG = True
    rewrite_cell(broken_fixtures / "published" / "kpis_2013-14.csv", 0, "q1", "=SUM(A1)")
    with pytest.raises(
        CommandError, match=r"Nothing was loaded\. kpis_2013-14\.csv, row 2, column 'q1'"
    ):
        call_command("load_demo", fixtures=str(broken_fixtures))
    assert not FinancialYear.objects.exists()


def test_load_demo_refuses_demo_users_when_debug_is_off(empty_db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="known password"):
        call_command("load_demo")
    assert not get_user_model().objects.exists()


def test_customer_survey_holds_the_published_facts(demo):
    from django.db.models import Avg, Max, Min

    from surveys.models import Rating, Survey

    survey = Survey.objects.get(year__label="2013-14", kind="customer")
    assert (survey.number_sent, survey.number_received) == (17, 15)
    assert (str(survey.sent_on), str(survey.responses_due)) == ("2014-04-29", "2014-05-09")
    assert survey.items.count() == 11 and survey.invitees.count() == 17
    assert survey.responses.count() == 15 and survey.invitees.filter(answered=True).count() == 15
    assert survey.responses_are_illustrative
    stats = Rating.objects.filter(item__survey=survey).aggregate(
        mean=Avg("score"), low=Min("score"), high=Max("score")
    )
    # The illustrative ratings reproduce the published aggregates.
    assert round(Decimal(str(stats["mean"])), 2) == survey.published_overall_mean == Decimal("7.57")
    assert (
        (stats["low"], stats["high"])
        == (survey.published_lowest_rating, survey.published_highest_rating)
        == (6, 9)
    )
    improvement = list(survey.comments.filter(kind="improvement").values_list("text", flat=True))
    assert (
        improvement[0] == "reinforcing provider and contract management;" and len(improvement) == 5
    )


def test_imt_survey_metrics(demo):
    from surveys.models import Metric

    metric = Metric.objects.get(measure="Overall satisfaction with IT", group="GP practices")
    assert (metric.previous_percent, metric.current_percent) == (49, 68)
    assert Metric.objects.filter(previous_percent__isnull=True).count() == 2


def test_narrative_leaders_and_plan(demo):
    from directorates.models import Leader, NarrativeSection
    from plans.models import Plan, ProgressEntry

    sections = NarrativeSection.objects.filter(year__label="2013-14")
    assert list(sections.values_list("title", flat=True)) == [
        "Quality directorate",
        "Service delivery directorate",
        "Locality support",
        "Finance and performance directorate",
        "Engagement and development directorate",
    ]
    quality = sections.get(title="Quality directorate")
    assert quality.case_studies.get(display_order=1).subtitle.startswith("DRINKHEADS CAMPAIGN")
    assert Leader.objects.get(name="Paul Vater").directorate.slug == "finance-and-performance"
    assert Leader.objects.filter(role="deputy").count() == 8
    plan = Plan.objects.get(year__label="2015-16")
    assert plan.themes.count() == 6
    assert list(plan.themes.get(number=1).outcomes.values_list("letter", flat=True)) == [
        "a",
        "b",
        "c",
    ]
    entry = ProgressEntry.objects.get(
        theme__plan=plan, key_phrase="election and re-election process"
    )
    assert entry.focus == "internal" and entry.key_phrase in entry.text
    assert ProgressEntry.objects.filter(theme__number=5, parent__isnull=False).count() == 5


def test_load_demo_command_opens_this_financial_year_so_returns_read_as_live(
    empty_db, settings, monkeypatch
):
    settings.DEBUG = True
    monkeypatch.setattr(
        "demo.management.commands.load_demo.timezone.localdate", lambda: date(2026, 12, 3)
    )
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "39 KPIs set up for 2026-27 (open for returns)" in out.getvalue()
    open_years = list(FinancialYear.objects.filter(status="open").values_list("label", flat=True))
    assert open_years == ["2026-27"]
    # On 3 December 2026 the first two quarters are overdue and the third is due in January.
    mine = selectors.my_returns(user=user("staff.bi"), today=date(2026, 12, 3))
    assert [(c.quarter, c.due.isoformat(), c.overdue) for c in mine.teams[0].cells] == [
        (1, "2026-07-21", True),
        (2, "2026-10-21", True),
        (3, "2027-01-21", False),
        (4, "2027-04-21", False),
    ]


def test_load_demo_command_refuses_an_open_year_before_the_published_one(empty_db, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="give a year after 2013-14"):
        call_command("load_demo", open_year="2012-13")
    assert not FinancialYear.objects.exists()
