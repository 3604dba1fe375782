"""Inserting many rows with their history: what COPY writes (PostgreSQL) is what a save would."""

from decimal import Decimal

import pytest

from common.copying import insert_with_history
from kpis.models import Figure, KpiYear


@pytest.mark.django_db
def test_rows_and_their_history_are_written_exactly(demo, admin_user):
    kpi_year = KpiYear.objects.get(kpi__slug="quality-inspections", year__label="2014-15")
    awkward = "Tab\there, line\nend, back\\slash, £, \\N and 'quotes'"
    figures = [
        Figure(kpi_year=kpi_year, quarter=1, count=6, commentary=awkward, published_text="6"),
        Figure(kpi_year=kpi_year, quarter=2, not_collected=True, published_text="*"),
        Figure(kpi_year=kpi_year, quarter=3, count=7, self_assessed_rag="green"),
    ]
    figures[2].value = Decimal("12.3456")
    insert_with_history(figures, Figure, by=admin_user, reason="Imported from r.csv, import 1")

    assert all(f.pk for f in figures)
    stored = {f.quarter: f for f in Figure.objects.filter(kpi_year=kpi_year)}
    assert (stored[1].pk, stored[1].count, stored[1].commentary) == (figures[0].pk, 6, awkward)
    assert (stored[2].not_collected, stored[2].count, stored[2].published_text) == (True, None, "*")
    assert (stored[3].value, stored[3].self_assessed_rag) == (Decimal("12.3456"), "green")
    assert stored[1].version == 1
    history = {h.id: h for h in Figure.history.filter(kpi_year=kpi_year)}
    assert set(history) == {f.pk for f in figures}
    first = history[figures[0].pk]
    assert (first.history_type, first.history_user, first.history_change_reason) == (
        "+",
        admin_user,
        "Imported from r.csv, import 1",
    )
    assert (first.commentary, first.count) == (awkward, 6)
    assert stored[1].history.count() == 1


@pytest.mark.django_db
def test_nothing_to_insert_writes_nothing(demo, admin_user):
    before = (Figure.objects.count(), Figure.history.count())
    insert_with_history([], Figure, by=admin_user, reason="nothing")
    assert (Figure.objects.count(), Figure.history.count()) == before
