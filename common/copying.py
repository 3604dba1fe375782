"""Insert many new rows with their change history in one go: PostgreSQL's COPY where the
database is PostgreSQL, django-simple-history's bulk helper elsewhere.

An import of a year's returns creates a hundred thousand figures. ``bulk_create_with_history``
builds a model instance and a historical instance for each and sends them as INSERTs: about
half a millisecond a figure, most of an import's time. COPY takes the same rows as text.
Each row still gets its history row, with who, when and why, as a save would record it
(history type '+', created); the ids come from the table's own sequence, taken first, so the
history rows can name them.
"""

import io
from datetime import datetime

from django.db import connections, models, router
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

FALLBACK_BATCH = 1000
# The historical model's own columns, filled here rather than copied from the row.
HISTORY_OWN = (
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
)


def insert_with_history(objs: list, model, *, by, reason: str) -> None:
    """Insert ``objs`` (unsaved instances of ``model``, which keeps a HistoricalRecords
    history) and a 'created' history row for each, naming ``by`` and ``reason``. Sets each
    object's pk. Runs inside the caller's transaction; sends no signals, like bulk_create."""
    if not objs:
        return
    # The connection itself, not django.db.connection: that proxy looks the connection up on
    # every use, which cost more than COPY itself over a hundred thousand rows.
    db = connections[router.db_for_write(model)]
    if db.vendor != "postgresql":
        bulk_create_with_history(
            objs,
            model,
            batch_size=FALLBACK_BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        return
    table = model._meta.db_table
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    fields = model._meta.concrete_fields
    prepare = [_preparer(f, db) for f in fields]
    rows = (
        [p(f.pre_save(obj, True)) for f, p in zip(fields, prepare, strict=True)] for obj in objs
    )
    _copy(db, table, [f.column for f in fields], rows)  # pre_save: auto_now, as an INSERT

    history = model.history.model
    copied = [f for f in history._meta.concrete_fields if f.name not in HISTORY_OWN]
    own = [history._meta.get_field(name) for name in HISTORY_OWN[1:]]
    now = timezone.now()
    extra = [now, reason[: own[1].max_length], "+", by.pk if by is not None else None]
    prepare = [_preparer(f, db) for f in copied]
    rows = (
        [p(getattr(obj, f.attname)) for f, p in zip(copied, prepare, strict=True)] + extra
        for obj in objs
    )
    _copy(db, history._meta.db_table, [f.column for f in copied + own], rows)


# Fields whose Python value is already what COPY's text needs: Django's preparation of them
# (int(), checks) took a third of the time.
_AS_IS = (models.IntegerField, models.BooleanField, models.CharField, models.TextField)


def _preparer(field, db):
    if isinstance(field, _AS_IS) or (field.is_relation and isinstance(field.target_field, _AS_IS)):
        return _same
    return lambda value: field.get_db_prep_save(value, db)


def _same(value):
    return value


def _copy(db, table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    quote = db.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with db.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {quote(table)} ({names}) FROM STDIN", buffer)


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value) -> str:
    """A value in COPY's text format: \\N for NULL, t/f, ISO times, everything else as text
    with backslash, tab and line ends escaped."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).translate(_ESCAPES)
