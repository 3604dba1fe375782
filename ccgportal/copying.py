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

from django.db import connection
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
    if connection.vendor != "postgresql":
        bulk_create_with_history(
            objs,
            model,
            batch_size=FALLBACK_BATCH,
            default_user=by,
            default_change_reason=reason,
        )
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, model._meta.pk.column, len(objs)],
        )
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
    fields = model._meta.concrete_fields
    rows = ([_value(f, f.pre_save(obj, True)) for f in fields] for obj in objs)
    _copy(table, [f.column for f in fields], rows)  # pre_save: auto_now times, as an INSERT

    history = model.history.model
    copied = [f for f in history._meta.concrete_fields if f.name not in HISTORY_OWN]
    own = [history._meta.get_field(name) for name in HISTORY_OWN[1:]]
    now = timezone.now()
    extra = [now, reason[: own[1].max_length], "+", by.pk if by is not None else None]
    rows = ([_value(f, getattr(obj, f.attname)) for f in copied] + extra for obj in objs)
    _copy(history._meta.db_table, [f.column for f in copied + own], rows)


def _value(field, value):
    return field.get_db_prep_save(value, connection)


def _copy(table: str, columns: list[str], rows) -> None:
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_text(value) for value in row))
        buffer.write("\n")
    buffer.seek(0)
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
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
