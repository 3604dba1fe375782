"""Writes to returns: save or submit, approve, return to the team, reopen.

Each is one transaction that first locks the team's return row (SELECT … FOR UPDATE), so
saves, sign-off and reopening of one return never interleave, and re-checks the lock and
the caller's permission inside it. The return form, the sign-off page and the admin's reopen
action come through here; imports write through kpis/imports/applying.py under the same row
locks and ask kpis/locks.py, as this module does, whether a quarter may still change.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common import audit
from directorates.models import Directorate, FinancialYear, Team
from kpis import comparators, locks, rules, spc
from kpis.models import (
    QUARTER_MONTHS,
    Figure,
    KpiYear,
    ReturnAction,
    ReturnEvent,
    ReturnStatus,
    TeamReturn,
    stored,
)
from kpis.presenters import figure_text
from kpis.returns import transitions
from kpis.returns.transitions import Move
from kpis.series import series_for
from kpis.shapes import entry_problems, too_large


class ReturnError(Exception):
    """A write the portal refuses; str() is the message shown at the top of the page."""


class ReturnLocked(ReturnError):
    pass


@dataclass(frozen=True)
class Change:
    """A figure someone else changed since the form was opened."""

    kpi: str
    period: str
    before: str
    after: str
    by: str
    at: object


class StaleReturn(ReturnError):
    def __init__(self, message: str, changes: list[Change]):
        super().__init__(message)
        self.changes = changes


class RowProblems(ReturnError):
    """Field problems by KPI year id, e.g. {12: {"commentary": "Explain why …"}}."""

    def __init__(self, problems: dict[int, dict[str, str]]):
        count = sum(len(p) for p in problems.values())
        super().__init__(
            f"There {'is a problem' if count == 1 else f'are {count} problems'} with this return"
        )
        self.problems = problems


@dataclass(frozen=True)
class RowInput:
    """What the form posted for one KPI: a quarterly figure, or monthly figures by month."""

    kpi_year_id: int
    figure: rules.FigureValues = rules.FigureValues()
    months: dict[int, rules.FigureValues] = field(default_factory=dict)
    commentary: str = ""
    self_assessed_rag: str = ""
    self_assessment_reason: str = ""
    seen_versions: dict[int | None, int | None] = field(default_factory=dict)  # month -> version


def _today() -> date:
    return timezone.localdate()


def check_open(year: FinancialYear, quarter: int, today: date | None = None) -> None:
    """kpis.locks.check_open, refusing with this module's ReturnLocked."""
    try:
        locks.check_open(year, quarter, today or _today())
    except locks.QuarterClosed as closed:
        raise ReturnLocked(str(closed)) from None


def _locked_return(*, year, quarter, team) -> tuple[TeamReturn, bool]:
    return TeamReturn.objects.select_for_update().get_or_create(
        year=year, quarter=quarter, team=team
    )


def return_save(
    *,
    by,
    team: Team,
    year: FinancialYear,
    quarter: int,
    rows: list[RowInput],
    version: int | None,
    submit: bool,
    spc_concerns: dict[int, str] | None = None,
    today: date | None = None,
) -> TeamReturn:
    """Save a team's figures for a quarter as a draft, or submit them for approval.

    version is the return's version the form was rendered from (None for a return not yet
    started); a later save by someone else makes this one stale and nothing is written.
    spc_concerns maps KPI year ids to a worded SPC concern that needs commentary.
    """
    transitions.require_mover(by, Move.SUBMIT if submit else Move.SAVE, team=team)
    with transaction.atomic():
        year.refresh_from_db(fields=["status"])  # the year's lock as it is now, inside the write
        check_open(year, quarter, today)
        team_return, created = _locked_return(year=year, quarter=quarter, team=team)
        try:
            move = transitions.transition(team_return.status, Move.SUBMIT if submit else Move.SAVE)
        except transitions.MoveRefused as refused:
            raise ReturnLocked(str(refused)) from None
        kpi_years = {
            ky.id: ky
            for ky in KpiYear.objects.filter(team=team, year=year, is_reported=True).select_related(
                "kpi"
            )
        }
        if any(row.kpi_year_id not in kpi_years for row in rows):
            raise PermissionDenied("A posted KPI does not belong to this team's return")
        existing = {
            (f.kpi_year_id, f.month): f
            for f in Figure.objects.filter(kpi_year__in=kpi_years, quarter=quarter)
        }
        _check_version(team_return, created, version, rows, existing, kpi_years)

        problems, writes = _plan_writes(rows, kpi_years, quarter, submit)
        if submit:
            posted = {row.kpi_year_id for row in rows}
            for kpi_year_id in kpi_years.keys() - posted:
                if (kpi_year_id, None) not in existing:
                    problems.setdefault(kpi_year_id, {})["figure"] = "Enter a figure for this KPI"
            concerns = {**_spc_concerns(kpi_years, year, quarter, writes), **(spc_concerns or {})}
            problems = _merge(
                problems,
                _submission_problems(rows, kpi_years, year, quarter, writes, concerns),
            )
        if problems:
            raise RowProblems(problems)

        for (kpi_year_id, month), (values, row) in writes.items():
            _write_figure(
                existing.get((kpi_year_id, month)),
                kpi_years[kpi_year_id],
                quarter,
                month,
                values,
                row,
                by,
            )

        updates = {"version": F("version") + 1, "updated_at": timezone.now(), "status": move.to}
        if submit:
            updates |= {"submitted_by": by, "submitted_at": timezone.now()}
        # The version read under the lock must still be there: the optimistic lock lives in
        # this UPDATE's WHERE clause, and a miss undoes everything written above.
        if not TeamReturn.objects.filter(pk=team_return.pk, version=team_return.version).update(
            **updates
        ):
            raise StaleReturn(
                "Someone else saved this return at the same moment; nothing was saved.", []
            )
        if submit:
            ReturnEvent.objects.create(
                team_return=team_return, action=ReturnAction.SUBMITTED, by=by
            )
        team_return.refresh_from_db()
        return team_return


def _check_version(team_return, created, version, rows, existing, kpi_years) -> None:
    """Optimistic locking: the version the form carried must still be the return's version.

    Checked here, under the row lock, so a stale form is told what changed before anything
    else; the closing UPDATE checks the version again in its WHERE clause.
    """
    if created and version is None:
        return
    matched = (
        not created
        and version is not None
        and TeamReturn.objects.filter(pk=team_return.pk, version=version).exists()
    )
    if matched:
        return
    raise StaleReturn(
        "Someone else saved this return after you opened it, so your changes were not saved. "
        "Their changes are shown below; check them, then enter yours again.",
        _changes_since(rows, existing, kpi_years),
    )


def _changes_since(rows, existing, kpi_years) -> list[Change]:
    """Figures whose version moved on from the one the form was rendered with."""
    changes = []
    for row in rows:
        kpi_year = kpi_years[row.kpi_year_id]
        measure = rules.Measure(kpi_year.measure)
        for month, seen in row.seen_versions.items():
            current = existing.get((row.kpi_year_id, month))
            if current is None or current.version == seen:
                continue
            before = None
            if seen is not None:
                before = current.history.filter(version=seen).first()
            changes.append(
                Change(
                    kpi=kpi_year.kpi.name,
                    period=f"month {month}" if month else "quarter",
                    before=figure_text(measure, before.instance.values if before else None),
                    after=figure_text(measure, current.values),
                    by=str(current.updated_by or "someone"),
                    at=current.updated_at,
                )
            )
    return changes


def _plan_writes(rows, kpi_years, quarter, submit):
    """The figures to write, by (KPI year, month), and any problems with their shape."""
    problems: dict[int, dict[str, str]] = {}
    writes = {}
    for row in rows:
        kpi_year = kpi_years[row.kpi_year_id]
        measure = rules.Measure(kpi_year.measure)
        if kpi_year.frequency == rules.Frequency.MONTHLY and row.months:
            for month, values in row.months.items():
                if month not in QUARTER_MONTHS[quarter]:
                    raise PermissionDenied(f"Month {month} is not in quarter {quarter}")
                found = entry_problems(measure, values, complete=False)
                if found:
                    problems.setdefault(row.kpi_year_id, {}).update(
                        {f"m{month}_{k}": v for k, v in found.items()}
                    )
                writes[(row.kpi_year_id, month)] = (values, row)
            quarter_values = rules.quarter_from_months(
                row.months, QUARTER_MONTHS[quarter], rules.Rollup(kpi_year.rollup)
            )
            if submit and not quarter_values.not_collected and quarter_values.is_empty:
                problems.setdefault(row.kpi_year_id, {})["figure"] = (
                    "Enter at least one month's figure"
                )
            if too_large(quarter_values):
                problems.setdefault(row.kpi_year_id, {})["figure"] = (
                    "The months add up to more than the portal can hold"
                )
        else:
            quarter_values = row.figure
            found = entry_problems(measure, quarter_values, complete=submit)
            if found:
                problems.setdefault(row.kpi_year_id, {}).update(found)
        writes[(row.kpi_year_id, None)] = (quarter_values, row)
    return problems, writes


def _submission_problems(rows, kpi_years, year, quarter, writes, spc_concerns):
    """Commentary and reasons a submission needs, from the RAG each figure would get."""
    year_figures = comparators.year_quarters(list(kpi_years))
    last_year = comparators.last_year_quarters(
        [ky.kpi_id for ky in kpi_years.values()], year, {quarter}
    )
    problems = {}
    for row in rows:
        kpi_year = kpi_years[row.kpi_year_id]
        figures = {
            **year_figures.get(row.kpi_year_id, {}),
            quarter: writes[(row.kpi_year_id, None)][0],
        }
        assessment = rules.assess(
            kpi_year.target_spec(),
            quarter,
            figures,
            last_year.get(kpi_year.kpi_id, {}).get(quarter),
        )
        found = rules.submission_problems(
            assessment=assessment,
            self_assessed=rules.Rag(row.self_assessed_rag) if row.self_assessed_rag else None,
            commentary=row.commentary,
            reason=row.self_assessment_reason,
            spc_concern=spc_concerns.get(row.kpi_year_id),
        )
        if found:
            problems[row.kpi_year_id] = found
    return problems


def _spc_concerns(kpi_years, year, quarter, writes) -> dict[int, str]:
    """Each KPI's statistical process control over its series to this quarter, with the
    figures being submitted in place: a concern needs commentary."""
    replace = {
        (kpi_year_id, quarter, month): values
        for (kpi_year_id, month), (values, _) in writes.items()
    }
    found = series_for(
        [ky.kpi_id for ky in kpi_years.values()],
        replace=replace,
        until=(year.start_date.year, quarter),
    )
    concerns = {}
    for kpi_year_id, kpi_year in kpi_years.items():
        series = found.get(kpi_year.kpi_id)
        concern = spc.concern(series.spc) if series else None
        if concern:
            concerns[kpi_year_id] = concern
    return concerns


def _merge(first: dict, second: dict) -> dict:
    merged = {key: dict(value) for key, value in first.items()}
    for key, value in second.items():
        merged.setdefault(key, {}).update(value)
    return merged


def _write_figure(figure, kpi_year, quarter, month, values, row, by) -> None:
    """Write one figure if anything changed; its history records who, when and why. A
    quarter worked out from its months is compared as its columns will hold it: unchanged
    months leave it, its version and its history as they were."""
    fields = asdict(stored(values))
    if month is None:
        fields |= {
            "commentary": row.commentary,
            "self_assessed_rag": row.self_assessed_rag,
            "self_assessment_reason": row.self_assessment_reason,
        }
    if figure is None:
        if values.is_empty and not any(fields.get(k) for k in ("commentary", "self_assessed_rag")):
            return
        figure = Figure(kpi_year=kpi_year, quarter=quarter, month=month)
    elif all(getattr(figure, name) == value for name, value in fields.items()):
        return
    else:
        figure.version += 1
    for name, value in fields.items():
        setattr(figure, name, value)
    figure.published_text = ""  # entered through the portal, no longer the published cell
    figure.updated_by = by
    figure._history_user = by
    figure._change_reason = "form"
    figure.save()


def quarter_approve(
    *, by, directorate: Directorate, year: FinancialYear, quarter: int
) -> list[TeamReturn]:
    """Approve every submitted return of a directorate's teams for a quarter, locking them."""
    transitions.require_mover(by, Move.APPROVE, directorate=directorate)
    with transaction.atomic():
        year.refresh_from_db(fields=["status"])
        if year.is_locked:
            raise ReturnLocked(f"{year} is locked")
        returns = list(
            TeamReturn.objects.select_for_update()
            .filter(year=year, quarter=quarter, team__directorate=directorate)
            .order_by("pk")  # one lock order everywhere, so two approvals cannot deadlock
        )
        submitted = [r for r in returns if transitions.allows(r.status, Move.APPROVE)]
        if not submitted:
            raise ReturnError(
                f"No returns of {directorate} for quarter {quarter} are waiting for approval"
            )
        _approve(submitted, by)
    return list(TeamReturn.objects.filter(pk__in=[r.pk for r in submitted]))


def return_approve(*, by, team_return: TeamReturn) -> TeamReturn:
    """Approve one team's submitted return, locking it: sign-off return by return."""
    transitions.require_mover(by, Move.APPROVE, team=team_return.team)
    with transaction.atomic():
        locked = (
            TeamReturn.objects.select_for_update().select_related("year").get(pk=team_return.pk)
        )
        if locked.year.is_locked:
            raise ReturnLocked(f"{locked.year} is locked")
        _move(locked, Move.APPROVE)
        _approve([locked], by)
        locked.refresh_from_db()
        return locked


def _approve(submitted: list[TeamReturn], by) -> None:
    """Mark these submitted returns (locked by the caller) approved, each with its event."""
    TeamReturn.objects.filter(pk__in=[r.pk for r in submitted]).update(
        status=transitions.transition(ReturnStatus.SUBMITTED, Move.APPROVE).to,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    ReturnEvent.objects.bulk_create(
        ReturnEvent(team_return=r, action=ReturnAction.APPROVED, by=by) for r in submitted
    )
    for r in submitted:
        _audit("return_approved", r, by)


def _audit(event: str, team_return: TeamReturn, by) -> None:
    """The move in the audit log, once its transaction commits (common/audit.py)."""
    audit.record(
        event,
        user_id=by.pk,
        team_return_id=team_return.pk,
        team_id=team_return.team_id,
        year_id=team_return.year_id,
        quarter=team_return.quarter,
    )


def _move(team_return: TeamReturn, move: Move) -> transitions.Transition:
    try:
        return transitions.transition(team_return.status, move)
    except transitions.MoveRefused as refused:
        raise ReturnError(str(refused)) from None


def _check_comment(text: str, what: str) -> None:
    """A return's comment or reason is at most ReturnEvent.comment's max_length."""
    limit = ReturnEvent._meta.get_field("comment").max_length
    if len(text.strip()) > limit:
        raise ReturnError(
            f"The {what} is {len(text.strip()):,} characters long: keep it to {limit:,} or fewer"
        )


def return_to_team(*, by, team_return: TeamReturn, comment: str) -> TeamReturn:
    """Send a submitted return back to its team with a comment saying what to change."""
    transitions.require_mover(by, Move.RETURN, team=team_return.team)
    if not comment.strip():
        raise ReturnError("Say what the team should change: a comment is needed")
    _check_comment(comment, "comment")
    with transaction.atomic():
        locked = TeamReturn.objects.select_for_update().get(pk=team_return.pk)
        move = _move(locked, Move.RETURN)
        TeamReturn.objects.filter(pk=locked.pk).update(
            status=move.to, version=F("version") + 1, updated_at=timezone.now()
        )
        ReturnEvent.objects.create(
            team_return=locked, action=ReturnAction.RETURNED, by=by, comment=comment.strip()
        )
        _audit("return_sent_back", locked, by)
        locked.refresh_from_db()
        return locked


def return_reopen(*, by, team_return: TeamReturn, reason: str) -> TeamReturn:
    """An admin reopens an approved return; the reason is kept on the return and its figures."""
    transitions.require_mover(by, Move.REOPEN)
    if not reason.strip():
        raise ReturnError("Give the reason for reopening: it is kept and shown with the return")
    _check_comment(reason, "reason")
    with transaction.atomic():
        locked = (
            TeamReturn.objects.select_for_update().select_related("year").get(pk=team_return.pk)
        )
        move = _move(locked, Move.REOPEN)
        if locked.year.is_locked:
            raise ReturnLocked(f"{locked.year} is locked: reopen the year first")
        TeamReturn.objects.filter(pk=locked.pk).update(
            status=move.to, version=F("version") + 1, updated_at=timezone.now()
        )
        ReturnEvent.objects.create(
            team_return=locked, action=ReturnAction.REOPENED, by=by, comment=reason.strip()
        )
        _audit("return_reopened", locked, by)
        figures = list(
            Figure.objects.filter(
                kpi_year__team=locked.team, kpi_year__year=locked.year, quarter=locked.quarter
            )
        )
        # The figures' own history shows the reopening too, so a KPI's history tells the story.
        Figure.history.bulk_history_create(
            figures,
            update=True,
            default_user=by,
            default_change_reason=f"reopen: {reason.strip()}"[:100],
        )
        locked.refresh_from_db()
        return locked
