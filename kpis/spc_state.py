"""Each KPI's SPC icons, stored and kept current, so dashboards read them in one query.

Working out a KPI's SPC means reading its whole series; a board's exception report over a
thousand KPIs cannot do that on every view. So the icons are kept in ``KpiSpcState`` with the
KPI's ``data_version`` they were worked out from. Any change to what SPC reads (a figure, a
year's target or direction, a rebase) bumps the version: through signals for single saves
and deletes, and through ``changed()``, which every bulk write must call. A read finds the
states whose version still matches and works out the rest, in a fixed number of queries.
"""

from dataclasses import dataclass

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kpis.models import Figure, Kpi, KpiSpcState, KpiYear, SpcRebase
from kpis.series import series_for


def changed(kpi_ids) -> None:
    """Mark these KPIs' SPC out of date (ids, or a queryset of them). One UPDATE."""
    Kpi.objects.filter(pk__in=kpi_ids).update(data_version=F("data_version") + 1)


@dataclass(frozen=True, slots=True)
class Icons:
    """A KPI's current SPC icons as a page reads them (values of ``spc.Variation`` and
    ``spc.Assurance``, or "" where there are none)."""

    variation: str
    assurance: str
    limits_status: str


def states_for(kpi_ids: list[int], *, store: bool = True) -> dict[int, Icons]:
    """The current SPC state of each KPI, working out (and storing) those out of date.

    One query when every state is current (each KPI's version beside its stored state); four
    more (the series, and the upsert) otherwise. Each state is built from its KPI's row of
    that one query: a thousand model instances would cost more than the query. ``store=False``
    leaves the stored states as they are (an import's preview writes nothing).
    """
    rows = Kpi.objects.filter(pk__in=kpi_ids).values_list(
        "pk",
        "data_version",
        "spc_state__data_version",
        "spc_state__variation",
        "spc_state__assurance",
        "spc_state__limits_status",
    )
    current, versions = {}, {}
    for kpi_id, version, state_version, variation, assurance, limits_status in rows:
        if state_version == version:
            current[kpi_id] = Icons(variation, assurance, limits_status)
        else:
            versions[kpi_id] = version
    if versions:
        series = series_for(list(versions))
        fresh = [
            KpiSpcState(
                kpi_id=kpi_id,
                data_version=versions[kpi_id],
                variation=s.variation.value if s.variation else "",
                assurance=s.assurance.value if s.assurance else "",
                limits_status=s.spc.limits_status,
            )
            for kpi_id, s in series.items()
        ]
        if store:
            _store(fresh)
        current.update(
            (state.kpi_id, Icons(state.variation, state.assurance, state.limits_status))
            for state in fresh
        )
    return current


def _store(fresh: list[KpiSpcState]) -> None:
    KpiSpcState.objects.bulk_create(
        fresh,
        update_conflicts=True,
        unique_fields=["kpi"],
        update_fields=[
            "data_version",
            "variation",
            "assurance",
            "limits_status",
            "computed_at",
        ],
    )


@receiver([post_save, post_delete], sender=Figure)
def _figure_changed(sender, instance, **kwargs):
    changed(KpiYear.objects.filter(pk=instance.kpi_year_id).values("kpi_id"))


@receiver([post_save, post_delete], sender=KpiYear)
@receiver([post_save, post_delete], sender=SpcRebase)
def _kpi_changed(sender, instance, **kwargs):
    changed([instance.kpi_id])
