"""One text form per stored value, the same whether the value comes from memory (just
saved) or from the database (read back by the verifier).

A row is hashed when it is written, from the Python values the application holds, and
verified later from what the database returns. Those can differ in form but not in
meaning — ``Decimal("8")`` is stored and read back as ``Decimal("8.0")`` in a field with
one decimal place; a date may be held as text; a file as a ``FieldFile``. So every value
is reduced to the form the database will give back before it is hashed.
"""

import json
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db import models
from django.utils import timezone

INTEGER_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField",
    "SmallIntegerField", "PositiveIntegerField", "PositiveBigIntegerField",
    "PositiveSmallIntegerField",
}


def _datetime(value):
    if isinstance(value, str):
        value = models.DateTimeField().to_python(value)
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _decimal(field, value):
    value = value if isinstance(value, Decimal) else Decimal(str(value))
    return format(value.quantize(Decimal(1).scaleb(-field.decimal_places)), "f")


def _json_number(value):
    # PostgreSQL's jsonb gives 1.0 back as 1.0 but 1e20 as an integer: integral floats
    # are written as integers, whichever way they come.
    return int(value) if value.is_integer() else value


def _json(field, value):
    # Through the field's encoder and back: tuples become lists, keys strings, as stored.
    return json.loads(json.dumps(value, cls=field.encoder), parse_float=lambda text:
                      _json_number(float(text)))


def canonical(field, value):
    """``value`` of ``field`` in the form the database returns it, as JSON-ready data."""
    if value is None:
        return None
    if isinstance(field, models.ForeignKey):
        return canonical(field.target_field, value)
    kind = field.get_internal_type()
    if kind in INTEGER_TYPES:
        return int(value)
    if kind == "BooleanField":
        return bool(field.to_python(value))
    if kind == "DecimalField":
        return _decimal(field, value)
    if kind == "FloatField":
        return repr(float(value))
    if kind == "DateTimeField":
        return _datetime(value)
    if kind == "DateField":
        if isinstance(value, datetime):
            value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        return (value if isinstance(value, date) else date.fromisoformat(str(value))).isoformat()
    if kind == "TimeField":
        value = value if isinstance(value, time) else time.fromisoformat(str(value))
        return value.isoformat(timespec="microseconds")
    if kind == "DurationField":
        value = value if isinstance(value, timedelta) else models.DurationField().to_python(value)
        return str(value // timedelta(microseconds=1))
    if kind == "UUIDField":
        return str(value if isinstance(value, uuid.UUID) else uuid.UUID(str(value)))
    if kind == "JSONField":
        return _json(field, value)
    if kind in {"FileField", "ImageField"}:
        return getattr(value, "name", value) or ""
    return str(value)


def payload(row, skipped):
    """Every stored field of ``row`` but ``skipped``, canonical, nulls left out.

    A null is left out rather than written, so a nullable column added by a later
    migration does not change the digest of the rows written before it existed."""
    values = {}
    for field in row._meta.concrete_fields:
        if field.attname in skipped:
            continue
        value = canonical(field, getattr(row, field.attname))
        if value is not None:
            values[field.attname] = value
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
