"""Each KPI's SPC icons, stored and kept current, so dashboards read them in one query.

Working out a KPI's SPC means reading its whole series; a board's exception report over a
thousand KPIs cannot do that on every view. So the icons are kept in ``KpiSpcState`` with the
KPI's ``data_version`` they were worked out from. Any change to what SPC reads (a figure, a
year's target or direction, a rebase) bumps the version: through signals for single saves
and deletes, and through ``changed()``, which every bulk write must call. A read finds the
states whose version still matches and works out the rest, in a fixed number of queries.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from kpis.models import Figure, Kpi, KpiSpcState, KpiYear, SpcRebase
from kpis.series import series_for


def changed(kpi_ids) -> None:
    """Mark these KPIs' SPC out of date (ids, or a queryset of them). One UPDATE."""
    Kpi.objects.filter(pk__in=kpi_ids).update(data_version=F("data_version") + 1)


def states_for(kpi_ids: list[int]) -> dict[int, KpiSpcState]:
    """The current SPC state of each KPI, working out (and storing) those out of date.

    One query when every state is current; four more (the series, and the upsert) otherwise.
    """
    versions = dict(Kpi.objects.filter(pk__in=kpi_ids).values_list("pk", "data_version"))
    current = {
        state.kpi_id: state
        for state in KpiSpcState.objects.filter(
            kpi_id__in=kpi_ids, data_version=F("kpi__data_version")
        )
    }
    missing = [kpi_id for kpi_id in versions if kpi_id not in current]
    if missing:
        series = series_for(missing)
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
        current.update((state.kpi_id, state) for state in fresh)
    return current


@receiver([post_save, post_delete], sender=Figure)
def _figure_changed(sender, instance, **kwargs):
    changed(KpiYear.objects.filter(pk=instance.kpi_year_id).values("kpi_id"))


@receiver([post_save, post_delete], sender=KpiYear)
@receiver([post_save, post_delete], sender=SpcRebase)
def _kpi_changed(sender, instance, **kwargs):
    changed([instance.kpi_id])
