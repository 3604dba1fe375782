"""Stored SPC icons: worked out once, read in one query, out of date as soon as data changes."""

import pytest

from kpis.models import Figure, Kpi, KpiSpcState, KpiYear, SpcRebase
from kpis.spc_state import changed, states_for
from tests.support import INSPECTIONS, user


@pytest.fixture
def inspections(long_series):
    return long_series


def test_states_are_worked_out_once_then_read_in_one_query(inspections, django_assert_num_queries):
    states = states_for([inspections.pk])
    assert states[inspections.pk].variation == "concern"
    assert KpiSpcState.objects.get().data_version == Kpi.objects.get(pk=inspections.pk).data_version
    with django_assert_num_queries(1):  # each KPI's version beside its stored state
        assert states_for([inspections.pk])[inspections.pk].variation == "concern"


def test_saving_a_figure_makes_the_state_out_of_date(inspections):
    states_for([inspections.pk])
    for figure in Figure.objects.filter(kpi_year__kpi=inspections, kpi_year__year__label="2013-14"):
        figure.count = 10
        figure.save()
    assert states_for([inspections.pk])[inspections.pk].variation == "common_cause"


def test_a_rebase_and_a_yearly_change_make_the_state_out_of_date(inspections):
    version = Kpi.objects.get(pk=inspections.pk).data_version
    states_for([inspections.pk])
    kpi_year = KpiYear.objects.get(kpi=inspections, year__label="2013-14")
    SpcRebase.objects.create(
        kpi=inspections,
        year=kpi_year.year,
        quarter=1,
        reason="Restructure",
        created_by=user("admin"),
    )
    assert states_for([inspections.pk])[inspections.pk].variation == ""  # too few points since
    kpi_year.direction = "lower"
    kpi_year.save()
    assert Kpi.objects.get(pk=inspections.pk).data_version == version + 2


def test_bulk_writes_call_changed(inspections):
    states_for([inspections.pk])
    Figure.objects.filter(kpi_year__kpi=inspections).update(count=7)  # no signal: stale
    assert states_for([inspections.pk])[inspections.pk].variation == "concern"
    changed([inspections.pk])
    assert states_for([inspections.pk])[inspections.pk].variation == "common_cause"


def test_unknown_kpis_have_no_state(demo):
    assert states_for([10**9]) == {}
    assert Kpi.objects.filter(slug=INSPECTIONS).exists()
