"""The largest number a model field's database column holds, read from the field itself, so
that a form or an importer refuses a figure too large with a message before the database does
(PostgreSQL fails the request with 'numeric field overflow' or 'bigint out of range'; SQLite
and the COPY path the same way or worse)."""

from decimal import Decimal

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations


def largest(field: models.Field) -> int | Decimal:
    """The largest value the field's column holds on every database the portal runs on:
    999,999,999,999.99 for DecimalField(max_digits=14, decimal_places=2), 2^63 - 1 for a
    BigIntegerField."""
    if isinstance(field, models.DecimalField):
        places = field.decimal_places
        return Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)
    if isinstance(field, models.IntegerField):
        return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()][1]
    raise TypeError(f"{field!r} is not a number field")


def limit_text(limit: int | Decimal) -> str:
    """A limit as a person reads it: 9,223,372,036,854,775,807; 99,999,999,999,999.99."""
    return f"{limit:,}"


BIGINT_MAX = BaseDatabaseOperations.integer_field_ranges["BigIntegerField"][1]


def whole_number(text: str, most: int = BIGINT_MAX) -> int | None:
    """A posted id, version or month: the digits 0 to 9 only, at most ``most`` (a bigint
    column's largest by default); None for anything else. str.isdigit() would pass '²', which
    int() refuses, and full-width digits, which int() reads."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(most)):
        return None
    number = int(text)
    return number if number <= most else None
