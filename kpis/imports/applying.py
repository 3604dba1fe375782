"""Writing a KPI import's plan: under the returns' row locks, checked against the plan, in bulk
with change history (new figures by COPY on PostgreSQL, ``common.copying``), bumping each
written return's version so older forms are refused."""

from django.db import connection
from django.db.models import F
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from common.copying import insert_with_history
from common.importing import ImportPlan, ImportRefused, Problem
from directorates.models import FinancialYear
from kpis import locks, spc_state
from kpis.imports.planning import KpiWrites, period_name
from kpis.models import Figure, KpiYear, TeamReturn

BATCH = 250
FIGURE_COLUMNS = [
    "not_collected",
    "count",
    "count_2",
    "numerator",
    "denominator",
    "amount_gbp",
    "percent",
    "value",
    "commentary",
    "self_assessed_rag",
    "self_assessment_reason",
    "published_text",
    "version",
    "updated_at",
    "updated_by",
]


def apply(plan: ImportPlan, *, by, reason: str) -> None:
    """Write the plan inside the caller's transaction, or raise ImportRefused if the year, a
    return or a figure changed since the plan was made (the caller's rollback undoes all)."""
    writes: KpiWrites = plan.payload
    if not writes.figures and not writes.targets:
        return
    year = FinancialYear.objects.select_for_update().get(pk=writes.year_id)
    if year.is_locked:
        raise ImportRefused([Problem(f"{year} was locked after the preview; nothing was written")])
    returns = _lock_returns(year, {(w.team_id, w.quarter) for w in writes.figures})
    problems = [
        Problem(
            f"{r.team.name}'s return for quarter {r.quarter} of {year} was approved after the "
            "preview and is locked; nothing was written"
        )
        for r in returns
        if locks.return_locks_figures(r.status)
    ]
    now = timezone.now()
    created, updated = _figures(writes, year, by, now, problems)
    targets = _targets(writes, problems)
    if problems:
        raise ImportRefused(problems)
    insert_with_history(created, Figure, by=by, reason=reason)
    _update(updated, FIGURE_COLUMNS)
    # The rows are written above; with no fields, this records their history only.
    bulk_update_with_history(
        updated, Figure, [], batch_size=BATCH, default_user=by, default_change_reason=reason
    )
    bulk_update_with_history(
        targets,
        KpiYear,
        ["target_text", "target_value"],
        default_user=by,
        default_change_reason=reason,
    )
    # As a save through the form does: a form opened before the import is now stale.
    TeamReturn.objects.filter(pk__in=[r.pk for r in returns]).update(
        version=F("version") + 1, updated_at=now
    )
    spc_state.changed({w.kpi_id for w in writes.figures} | {t.kpi_id for t in writes.targets})


def _update(figures: list[Figure], names: list[str]) -> None:
    """One parameterised UPDATE per figure, sent as a batch: Django's bulk_update builds a
    CASE expression per field and row, and spends about 2 ms a row doing it (measured on
    10,000 figures), far too slow for a large return."""
    if not figures:
        return
    fields = [Figure._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Figure._meta.db_table)} SET {columns} WHERE {quote('id')} = %s"  # noqa: S608 - names from the model, values as parameters
    rows = [
        [f.get_db_prep_save(getattr(figure, f.attname), connection) for f in fields] + [figure.pk]
        for figure in figures
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def _lock_returns(year, team_quarters: set[tuple[int, int]]) -> list[TeamReturn]:
    """Lock (creating any not started) the return of every team and quarter written, in one
    order everywhere so that two writers cannot deadlock."""
    teams = {team for team, _ in team_quarters}
    existing = {
        (r.team_id, r.quarter)
        for r in TeamReturn.objects.filter(year=year, team__in=teams).only("team_id", "quarter")
    }
    TeamReturn.objects.bulk_create(
        [
            TeamReturn(year=year, team_id=team, quarter=quarter)
            for team, quarter in sorted(team_quarters - existing)
        ],
        ignore_conflicts=True,  # another writer may start the same return meanwhile
    )
    locked = (
        TeamReturn.objects.select_for_update(of=("self",))
        .filter(year=year, team__in=teams)
        .select_related("team")
        .order_by("pk")
    )
    return [r for r in locked if (r.team_id, r.quarter) in team_quarters]


def _figures(writes: KpiWrites, year, by, now, problems: list[Problem]):
    current = {
        (f.kpi_year_id, f.quarter, f.month): f
        for f in Figure.objects.filter(kpi_year__in={w.kpi_year_id for w in writes.figures})
    }
    names = dict(
        KpiYear.objects.filter(pk__in={w.kpi_year_id for w in writes.figures}).values_list(
            "pk", "kpi__name"
        )
    )
    created, updated = [], []
    for write in writes.figures:
        figure = current.get((write.kpi_year_id, write.quarter, write.month))
        if (figure.version if figure else None) != write.version:
            where = (
                f"{names[write.kpi_year_id]}, {period_name(year.label, write.quarter, write.month)}"
            )
            problems.append(
                Problem(f"{where} was changed by someone else after the preview; preview again")
            )
            continue
        if figure is None:
            figure = Figure(kpi_year_id=write.kpi_year_id, quarter=write.quarter, month=write.month)
            created.append(figure)
        else:
            figure.version += 1
            updated.append(figure)
        for name, value in write.fields.items():
            setattr(figure, name, value)
        figure.published_text = write.published_text
        figure.updated_by = by
        figure.updated_at = now
    return created, updated


def _targets(writes: KpiWrites, problems: list[Problem]) -> list[KpiYear]:
    if not writes.targets:
        return []
    current = (
        KpiYear.objects.select_for_update(of=("self",))
        .select_related("kpi")
        .in_bulk([t.kpi_year_id for t in writes.targets])
    )
    changed = []
    for write in writes.targets:
        kpi_year = current[write.kpi_year_id]
        if (kpi_year.target_text, kpi_year.target_value) != (write.before_text, write.before_value):
            problems.append(
                Problem(f"The target of {kpi_year.kpi.name} was changed after the preview")
            )
            continue
        kpi_year.target_text, kpi_year.target_value = write.text, write.value
        changed.append(kpi_year)
    return changed
