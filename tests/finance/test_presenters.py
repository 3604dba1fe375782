"""What the finance pages show, worked out from plain rows: no database."""

from decimal import Decimal

from directorates.models import FinancialYear
from finance import charts, presenters, rules
from finance.selectors import FinanceSummary, Line, RunningCosts, Schedule, SummaryLine

D = Decimal


def test_money_has_thousands_separators_and_pence_only_where_there_are_any():
    assert presenters.gbp(D("966850.00")) == "£966,850"
    assert presenters.gbp(D("1059.5")) == "£1,059.50"
    assert presenters.signed_gbp(D(-1)) == "-£1"
    assert presenters.difference_gbp(D(1)) == "+£1"
    assert presenters.change_gbp(D("-40074")) == "-£40,074"
    assert presenters.change_gbp(D(0)) == "No change"
    assert presenters.thousands(D(947097)) == "947,097"
    assert presenters.change_thousands(D(-270)) == "-270"


def test_per_head_is_to_the_penny_and_shares_to_two_places():
    assert presenters.per_head_text(D(966850), 749_179) == "£1.29"
    assert presenters.percent_text(D(966850), D(18730000)) == "5.16%"
    assert presenters.percent_text(D(0), D(18730000)) == "0.00%"
    assert presenters.per_head_text(None, 749_179) == ""
    assert presenters.percent_text(D(1), None) == ""


def test_the_finance_rules_for_change_thousands_and_the_allowance():
    assert rules.change(D(966850), D(900000)) == D(66850)
    assert rules.from_thousands(D(16730)) == D(16730000)
    assert rules.under_allowance(D("25.00"), D("22.33")) == D("2.67")
    assert rules.under_allowance(D("25.00"), D("25.10")) == D("-0.10")


ALLOWANCE = D("25.00")


def _year(label="2013-14", population=749_179, allowance=ALLOWANCE):
    return FinancialYear(
        label=label, registered_population=population, running_cost_allowance_per_head=allowance
    )


def _schedule(year, total, *lines):
    """Lines as (id, parent id, name, amount, printed text) in order; levels and paths set."""
    by_id, ordered = {}, []
    for line_id, parent_id, name, amount, text in lines:
        parent = by_id.get(parent_id)
        line = Line(
            id=line_id,
            parent_id=parent_id,
            name=name,
            amount=D(amount),
            published_text=text,
            programme_funded=text in ("-", "-0"),
            note="",
            level=parent.level + 1 if parent else 1,
            path=(*parent.path, name) if parent else (name,),
        )
        if parent:
            parent.children.append(line)
        by_id[line_id] = line
        ordered.append(line)
    return Schedule(
        year=year,
        title="Running costs",
        population_note="",
        published_total=D(total),
        lines=ordered,
    )


def _costs(schedule, previous=None, outturn=None):
    return RunningCosts(
        schedule=schedule, previous=previous, outturn_running_000=outturn, has_summary=False
    )


SMALL = (
    (1, None, "Board", "1000", "1,000"),
    (2, None, "QUALITY", "3001", "3,001"),  # its lines add up to 3,000
    (3, 2, "Safety", "2000", "2,000"),
    (4, 2, "Medicines", "0", "-"),
    (5, 2, "Improvement", "1000", "1,000"),
    (6, 5, "Team A", "1000", "1,000"),
    (7, None, "Saving", "0", "-0"),
)


def test_a_subtotal_off_its_lines_is_flagged_and_a_nil_line_printed_as_published():
    schedule = _schedule(_year(population=1000), "4001", *SMALL)

    page = presenters.running_costs_page(_costs(schedule))

    assert [row.name for row in page.rows] == ["Board", "QUALITY", "Saving"]
    quality = page.rows[1]
    assert quality.figures == ["£3,001", "£3.00", "75.01%"]
    assert quality.tags == (presenters.Tag("Differs by +£1", "orange"),)
    assert quality.notes == ("Published £3,001; its lines add up to £3,000",)
    assert quality.href == "#costs-quality"
    assert page.rows[2].figures == ["-0", "-£0.00", "0.00%"]
    assert page.rows[2].tags == (presenters.Tag("100% programme funded", "grey"),)
    assert page.differences == ["QUALITY: published £3,001, its lines add up to £3,000 (+£1)"]
    assert page.differences_heading == "1 published subtotal differs from the sum of its lines"
    (group,) = page.groups
    assert [(row.name, row.level) for row in group.rows] == [
        ("Safety", 2),
        ("Medicines", 2),
        ("Improvement", 2),
        ("Team A", 3),
    ]
    assert group.rows[1].figures == ["-", "£-", "0.00%"]
    assert group.total.name == "QUALITY, published subtotal"
    assert page.total.figures == ["£4,001", "£4.00", "100.00%"]


def test_lines_are_matched_with_last_year_by_their_path_of_names():
    before = _schedule(
        _year("2012-13", population=1000),
        "5000",
        (11, None, "Board", "1500", "1,500"),
        (12, None, "QUALITY", "2000", "2,000"),
        (13, 12, "Safety", "2000", "2,000"),
        (14, None, "Improvement", "1500", "1,500"),  # at the top then, under QUALITY now
    )
    now = _schedule(_year(population=1000), "4001", *SMALL)

    page = presenters.running_costs_page(_costs(now, before))

    assert page.columns[-1].text == "Change on 2012/13"
    assert [row.change for row in page.rows] == ["-£500", "+£1,001", "New"]
    assert {row.name: row.change for row in page.groups[0].rows} == {
        "Safety": "No change",
        "Medicines": "New",
        "Improvement": "New",
        "Team A": "New",
    }
    assert page.gone == ["Improvement: £1,500 in 2012/13"]
    assert page.total.change == "-£999"
    rows = presenters.running_cost_rows(_costs(now, before))
    assert rows[1][-3:] == ["2012-13", D(1500), D(-500)]
    assert rows[3][-3:] == ["2012-13", D(2000), D(0)]


def test_without_a_population_or_allowance_the_page_says_only_what_it_can():
    schedule = _schedule(_year(population=None, allowance=None), "4001", *SMALL)

    page = presenters.running_costs_page(_costs(schedule, outturn=D(3)))

    assert [fact.key for fact in page.facts] == ["Total running costs", "Outturn"]
    assert page.facts[1].value == "£3,000 (running costs of the net operating costs)"
    assert page.rows[0].figures == ["£1,000", "", "24.99%"]


def test_the_outturn_over_the_allowance_says_so():
    schedule = _schedule(_year(population=1000, allowance=D("2.00")), "4001", *SMALL)

    facts = {
        f.key: f.value for f in presenters.running_costs_page(_costs(schedule, None, D(3))).facts
    }

    assert (
        facts["Running-cost allowance"]
        == "£2.00 a head; the total is £2.00 a head over the allowance"
    )
    assert facts["Outturn"].endswith("£3.00 a head, £1.00 a head over the allowance")


def test_the_treemap_sizes_parents_by_their_lines_and_leaves_out_nil_lines():
    schedule = _schedule(_year(population=1000), "4001", *SMALL)

    figure, summary = charts.treemap(schedule)

    (trace,) = figure["data"]
    assert trace["ids"] == [
        "Board",
        "QUALITY",
        "QUALITY › Safety",
        "QUALITY › Improvement",
        "QUALITY › Improvement › Team A",
    ]
    assert trace["parents"] == ["", "", "QUALITY", "QUALITY", "QUALITY › Improvement"]
    assert list(trace["values"]) == [1000.0, 0, 2000.0, 0, 1000.0]
    assert trace["branchvalues"] == "remainder"
    assert summary == (
        "Running costs 2013/14: £4,001, £4.00 a head of registered population, in 3 top-level "
        "lines. The largest are QUALITY £3,001 (75.01%), Board £1,000 (24.99%) and Saving £0 "
        "(0.00%). 2 lines are 100% programme funded, with no running cost, and not drawn. "
        "Every rectangle is a line of the tables below."
    )


def _summary(lines, previous=None, previous_year=None):
    def rows(figures):
        return {
            measure: SummaryLine(measure, label, D(p), D(r), D(t))
            for measure, label, p, r, t in figures
        }

    return FinanceSummary(
        year=_year(),
        lines=rows(lines),
        previous_year=previous_year,
        previous=rows(previous or []),
        has_schedule=False,
    )


PUBLISHED = [
    ("net_operating_costs", "Total net operating costs", 917753, 16730, 934483),
    ("resource_limit", "Revenue Resource Limit", 928367, 18730, 947097),
    ("surplus", "Revenue surplus", 10614, 2000, 12614),
]


def test_the_surplus_is_worked_out_and_a_differing_published_one_kept_beside_it():
    published = [*PUBLISHED[:2], ("surplus", "Revenue surplus", 10614, 2000, 12615)]

    page = presenters.finance_summary_page(_summary(published))

    surplus = page.rows[2]
    assert [cell.text for cell in surplus.cells] == ["10,614", "2,000", "12,614"]
    assert surplus.cells[2].published == "published 12,615"
    assert surplus.cells[2].tag == presenters.Tag("Differs by +1", "orange")
    assert surplus.note == "Revenue Resource Limit less net operating costs"
    assert page.facts[0].value == (
        "12,614: 947,097 Revenue Resource Limit less 934,483 net operating costs"
    )
    assert page.change_rows == [] and page.change_caption == ""


def test_a_missing_surplus_row_is_worked_out_all_the_same():
    page = presenters.finance_summary_page(_summary(PUBLISHED[:2]))

    assert page.rows[2].label == "Revenue surplus"
    assert [cell.text for cell in page.rows[2].cells] == ["10,614", "2,000", "12,614"]
    assert page.rows[2].cells[0].published == ""


def test_the_summary_download_has_the_change_on_the_year_before():
    earlier = [
        ("net_operating_costs", "Total net operating costs", 900000, 17000, 917000),
        ("resource_limit", "Revenue Resource Limit", 905000, 18000, 923000),
    ]
    summary = _summary(PUBLISHED, earlier, _year("2012-13"))

    rows = presenters.finance_summary_rows(summary)

    assert rows[0][-4:] == [
        "previous_year",
        "change_programme_gbp_000",
        "change_running_costs_gbp_000",
        "change_total_gbp_000",
    ]
    assert rows[3] == [
        "Revenue surplus",
        *[D(10614), D(2000), D(12614)],
        *[D(10614), D(2000), D(12614)],
        "2012-13",
        *[D(5614), D(1000), D(6614)],
    ]
    page = presenters.finance_summary_page(summary)
    assert page.change_caption == "Change on 2012/13, £'000"
    assert [c.text for c in page.change_rows[0].cells] == ["+17,753", "-270", "+17,483"]
