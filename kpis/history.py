"""A KPI's figures' change history: who changed what, when and why, a page at a time."""

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import F, Window
from django.db.models.functions import Lag
from django.utils import timezone

from directorates.models import FinancialYear
from kpis.models import VALUE_FIELDS, Figure, KpiYear
from kpis.presenters import figure_text
from kpis.rules import FigureValues, Measure


def kpi_years(kpi, visible) -> list[KpiYear]:
    """The years of a KPI among ``visible`` (``kpis.scoping.kpi_years`` for the user), with
    their owner teams; PermissionDenied when the KPI has years and the user sees none."""
    years = list(
        visible.filter(kpi=kpi).select_related("year", "team__directorate", "team__parent")
    )
    if not years and kpi.years.exists():
        raise PermissionDenied("This KPI belongs to a team whose returns you cannot see")
    return years


_PREVIOUS_FIELDS = ("history_id", "not_collected", *VALUE_FIELDS)


def _previous(field: str) -> Window:
    return Window(
        Lag(field),
        partition_by=[F("id")],
        order_by=[F("history_date").asc(), F("history_id").asc()],
    )


def figure_changes(years: list[KpiYear]):
    """Every historical record of the figures of those KPI years, newest first.

    The previous record of the same figure is read in the same query (a window over the
    figure's records), so a page of changes costs one query however far back each goes.
    """
    return (
        Figure.history.filter(kpi_year__in=[ky.pk for ky in years])
        .select_related("history_user")
        .annotate(**{f"previous_{name}": _previous(name) for name in _PREVIOUS_FIELDS})
        .order_by("-history_date", "-history_id")
    )


@dataclass(frozen=True)
class ChangeRow:
    at: datetime
    who: str
    why: str
    year: FinancialYear
    quarter: int
    month: date | None
    kind: str
    before: str
    after: str


_KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def change_rows(records, years: list[KpiYear]) -> list[ChangeRow]:
    """A page of historical records as rows of text; queries nothing."""
    by_id = {ky.pk: ky for ky in years}
    rows = []
    for record in records:
        kpi_year = by_id[record.kpi_year_id]
        measure = Measure(kpi_year.measure)
        before = None
        if record.previous_history_id is not None:
            before = FigureValues(
                not_collected=bool(record.previous_not_collected),
                **{name: getattr(record, f"previous_{name}") for name in VALUE_FIELDS},
            )
        user = record.history_user
        month = None
        if record.month:
            start = kpi_year.year.start_date
            month = date(start.year + (record.month <= 3), record.month, 1)
        rows.append(
            ChangeRow(
                at=timezone.localtime(record.history_date),
                who=(user.get_full_name() or user.get_username()) if user else "loaded from file",
                why=record.history_change_reason or "",
                year=kpi_year.year,
                quarter=record.quarter,
                month=month,
                kind=_KINDS.get(record.history_type, record.history_type),
                before=figure_text(measure, before),
                after="Deleted"
                if record.history_type == "-"
                else figure_text(measure, record.instance.values),
            )
        )
    return rows
