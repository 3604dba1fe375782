"""Synthetic data: added beside the demo without touching it, sized, seeded, valid, once."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F

from demo.synthetic import SyntheticDataError, SyntheticDataExists, make_synthetic_data
from demo.synthetic_plan import OUTLIER, SHIFT, STABLE, TREND, plan
from directorates.models import Directorate, FinancialYear, Team
from kpis import rules, spc
from kpis.models import QUARTER_MONTHS, Figure, Kpi, KpiYear, ReturnEvent, TeamReturn

PORTAL_APPS = ["directorates", "kpis", "finance", "surveys", "plans", "auth"]
SYN = "syn-"


def every_row() -> dict[str, dict[int, dict]]:
    """Every row of every portal model, by model and primary key."""
    return {
        model._meta.label: {row["pk"]: row for row in model.objects.values("pk", *_fields(model))}
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _fields(model):
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def synthetic_counts() -> dict[str, int]:
    return {
        "directorates": Directorate.objects.filter(slug__startswith=SYN).count(),
        "teams": Team.objects.filter(slug__startswith=SYN).count(),
        "kpis": Kpi.objects.filter(slug__startswith=SYN).count(),
        "kpi_years": KpiYear.objects.filter(kpi__slug__startswith=SYN).count(),
        "figures": Figure.objects.filter(kpi_year__kpi__slug__startswith=SYN).count(),
        "returns": TeamReturn.objects.filter(
            team__slug__startswith=SYN, status=TeamReturn.Status.APPROVED
        ).count(),
        "events": ReturnEvent.objects.filter(team_return__team__slug__startswith=SYN).count(),
    }


def test_demo_rows_are_left_exactly_as_they_were(demo):
    before = every_row()
    histories = (Figure.history.count(), KpiYear.history.count())
    make_synthetic_data(1)
    after = every_row()
    # Bulk writes keep no change history: the demo's history is all there is.
    assert (Figure.history.count(), KpiYear.history.count()) == histories
    for label, rows in before.items():
        kept = {pk: after[label].get(pk) for pk in rows}
        assert kept == rows, f"{label} rows changed"
    demo_figures = Figure.objects.exclude(kpi_year__kpi__slug__startswith=SYN)
    assert demo_figures.count() == len(before["kpis.Figure"])
    assert FinancialYear.objects.get(label="2013-14").status == FinancialYear.Status.LOCKED


@pytest.mark.parametrize(
    ("scale", "expected", "years"),
    [
        (1, {"directorates": 4, "teams": 20, "kpis": 40, "kpi_years": 120, "figures": 1200,
             "returns": 240, "events": 240}, ["2011-12", "2012-13", "2013-14"]),
        (2, {"directorates": 5, "teams": 25, "kpis": 50, "kpi_years": 200, "figures": 2000,
             "returns": 400, "events": 400}, ["2010-11", "2011-12", "2012-13", "2013-14"]),
    ],
)  # fmt: skip
def test_counts_at_a_scale(demo, scale, expected, years):
    years_before = set(FinancialYear.objects.values_list("label", flat=True))
    summary = make_synthetic_data(scale)
    assert synthetic_counts() == expected
    assert summary.years == years
    assert summary.years_created == [y for y in years if y not in years_before]
    assert {key: getattr(summary, key) for key in expected if key != "events"} == {
        key: value for key, value in expected.items() if key != "events"
    }
    created = FinancialYear.objects.filter(label__in=summary.years_created)
    assert {y.status for y in created} == {FinancialYear.Status.LOCKED}
    # Half the KPIs are monthly: 12 months and 4 quarters a year; the rest 4 quarters.
    monthly = KpiYear.objects.filter(kpi__slug__startswith=SYN, frequency="monthly")
    assert monthly.count() == expected["kpi_years"] // 2
    assert Figure.objects.filter(kpi_year__in=monthly, month__isnull=False).count() == (
        12 * monthly.count()
    )
    assert summary.first_directorate == "syn-directorate-1"
    assert summary.long_monthly_kpi == "syn-kpi-1-01"
    assert KpiYear.objects.get(kpi__slug="syn-kpi-1-01", year__label="2013-14").frequency == (
        "monthly"
    )


def test_the_same_seed_gives_the_same_data_and_what_is_written_is_the_plan(demo):
    assert plan(1, seed=1) == plan(1, seed=1)
    assert plan(1, seed=1).kpis[0].figures != plan(1, seed=2).kpis[0].figures
    make_synthetic_data(1, seed=1)
    planned = {
        (k.slug, label, quarter, month): values
        for k in plan(1, seed=1).kpis
        for (label, quarter, month), values in k.figures.items()
    }
    stored = {
        (f.kpi_year.kpi.slug, f.kpi_year.year.label, f.quarter, f.month): f.values
        for f in Figure.objects.filter(kpi_year__kpi__slug__startswith=SYN).select_related(
            "kpi_year__kpi", "kpi_year__year"
        )
    }
    assert stored == planned


def test_every_rule_of_the_portal_holds(demo):
    make_synthetic_data(2)
    figures = Figure.objects.filter(kpi_year__kpi__slug__startswith=SYN)
    assert not figures.filter(numerator__gt=F("denominator")).exists()
    assert not figures.filter(denominator__lte=0).exists()
    assert not figures.filter(percent__lt=0).exists()
    assert not figures.filter(percent__gt=100).exists()
    for quarter, months in QUARTER_MONTHS.items():
        assert (
            not figures.filter(quarter=quarter, month__isnull=False)
            .exclude(month__in=months)
            .exists()
        )
    kpi_years = KpiYear.objects.filter(kpi__slug__startswith=SYN)
    shapes = set()
    for ky in kpi_years:
        measure = rules.Measure(ky.measure)
        assert rules.Rollup(ky.rollup) in rules.ALLOWED_ROLLUPS[measure]
        if ky.target_kind in ("none", "increase"):
            assert ky.target_value is None
        if ky.target_kind == "percent":
            assert measure in rules.PERCENT_MEASURES and 0 <= ky.target_value <= 100
        shapes.add((ky.measure, ky.target_kind, ky.direction))
    assert {m for m, _, _ in shapes} == {m.value for m in rules.Measure}
    assert {"none", "per_period", "percent", "annual"} <= {k for _, k, _ in shapes}
    assert {d for _, _, d in shapes} == {"higher", "lower"}
    # A monthly KPI's quarter is its months rolled up, as a saved return stores it.
    for ky in kpi_years.filter(frequency="monthly")[:20]:
        for quarter, months in QUARTER_MONTHS.items():
            by_month = {f.month: f.values for f in ky.figures.filter(quarter=quarter)}
            rolled = rules.rollup([by_month[m] for m in months], rules.Rollup(ky.rollup))
            assert rules.headline(rules.Measure(ky.measure), by_month[None]) == pytest.approx(
                rules.headline(rules.Measure(ky.measure), rolled), abs=Decimal("0.0001")
            )


def test_a_second_run_refuses_and_writes_nothing(demo):
    make_synthetic_data(1)
    before = synthetic_counts()
    with pytest.raises(SyntheticDataExists, match="already in this database"):
        make_synthetic_data(2)
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("make_synthetic_data", "--scale", "1")
    assert synthetic_counts() == before


def test_the_command_prints_what_it_made(demo):
    out = StringIO()
    call_command("make_synthetic_data", "--scale", "1", stdout=out)
    text = out.getvalue()
    assert "4 directorates, 20 teams, 40 KPIs" in text
    assert "1200 figures" in text and "years created (locked): 2011-12, 2012-13" in text
    with pytest.raises(CommandError, match="between 1 and"):
        call_command("make_synthetic_data", "--scale", "0")


def test_without_the_demo_it_asks_for_it(empty_db):
    with pytest.raises(SyntheticDataError, match="load_demo"):
        make_synthetic_data(1)


def test_process_control_finds_special_and_common_causes(demo):
    """Quarterly headlines across the years, as the return form's SPC check reads them."""
    make_synthetic_data(10)
    behaviours = {k.slug: k.behaviour for k in plan(10).kpis}
    series: dict[str, list] = {}
    directions = {}
    for f in (
        Figure.objects.filter(kpi_year__kpi__slug__startswith=SYN, month__isnull=True)
        .select_related("kpi_year__kpi")
        .order_by("kpi_year__kpi__slug", "kpi_year__year__start_date", "quarter")
    ):
        measure = rules.Measure(f.kpi_year.measure)
        series.setdefault(f.kpi_year.kpi.slug, []).append(rules.headline(measure, f.values))
        directions[f.kpi_year.kpi.slug] = rules.Direction(f.kpi_year.direction)
    special: dict[str, set] = {}
    for slug, values in series.items():
        assert len(values) == 40
        result = spc.xmr(values, direction=directions[slug])
        special[slug] = set().union(*(p.signals for p in result.points))
    found = set().union(*special.values())
    assert {spc.Signal.BEYOND_LIMIT, spc.Signal.RUN, spc.Signal.TREND} <= found
    assert any(not signals for slug, signals in special.items() if behaviours[slug] == STABLE)
    # Shifts, trends and outliers show as special causes (a cumulative KPI's year-to-date
    # saw-tooth is left out: its limits are too wide to see them).
    cumulative = set(
        KpiYear.objects.filter(kpi__slug__startswith=SYN, rollup="cumulative").values_list(
            "kpi__slug", flat=True
        )
    )
    for slug, behaviour in behaviours.items():
        if behaviour in (SHIFT, TREND, OUTLIER) and slug not in cumulative:
            assert special[slug], f"{slug} ({behaviour}) shows no special cause"
