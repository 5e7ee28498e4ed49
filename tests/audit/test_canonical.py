"""A row is signed from the values in memory and verified from what the database gives
back: for every field type of every chained model, any value saved verifies (property
test, on SQLite and on PostgreSQL)."""

import zoneinfo
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audit.canonical import canonical
from audit.chain import verify_table
from audit.chained import all_chained_models
from audit.digests import CHAIN_FIELDS
from lifecycle.models import TrainingRecord

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"),
               max_size=40)
ZONES = st.sampled_from([UTC, zoneinfo.ZoneInfo("Asia/Shanghai"),
                         timezone(timedelta(hours=-3, minutes=-30))])
INTEGER_BOUNDS = {
    "SmallIntegerField": (-(2**15), 2**15 - 1), "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": (-(2**31), 2**31 - 1), "PositiveIntegerField": (0, 2**31 - 1),
    "AutoField": (1, 2**31 - 1), "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1), "BigAutoField": (1, 2**63 - 1),
}
JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | TEXT
    | st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=10,
)


def decimals(field):
    whole = 10 ** (field.max_digits - field.decimal_places) - 1
    # Typed with fewer places than the field keeps ("8" in a field of one place).
    return st.integers(0, field.decimal_places).flatmap(
        lambda places: st.decimals(-whole, whole, places=places,
                                   allow_nan=False, allow_infinity=False))


def strategy(field, existing):
    """Values a program could hold in memory for ``field`` before saving."""
    if isinstance(field, models.ForeignKey):
        if field.db_constraint:
            return st.sampled_from(existing[field.related_model])
        return strategy(field.target_field, existing)
    kind = field.get_internal_type()
    if kind in INTEGER_BOUNDS:
        return st.integers(*INTEGER_BOUNDS[kind])
    if kind in {"CharField", "SlugField", "EmailField", "URLField", "FileField"}:
        return TEXT.map(lambda text: text[: field.max_length])
    return {
        "TextField": TEXT,
        "BooleanField": st.booleans(),
        "DecimalField": decimals(field) if kind == "DecimalField" else None,
        "FloatField": st.floats(allow_nan=False, allow_infinity=False),
        "DateField": st.dates(date(1900, 1, 1), date(2100, 12, 31)).flatmap(
            lambda day: st.sampled_from([day, day.isoformat()])),
        "DateTimeField": st.datetimes(datetime(1950, 1, 1), datetime(2100, 1, 1),
                                      timezones=ZONES),
        "JSONField": JSON.filter(lambda value: value is not None),  # None: SQL NULL
    }[kind]


def row_strategy(model, existing):
    fields = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in CHAIN_FIELDS:
            continue
        values = strategy(field, existing)
        fields[field.attname] = st.none() | values if field.null else values
    return st.fixed_dictionaries(fields)


@pytest.mark.parametrize("model", all_chained_models(), ids=lambda m: m._meta.db_table)
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_saved_value_verifies(db, model, data):
    user = get_user_model().objects.get_or_create(username="canonical")[0]
    existing = {get_user_model(): [user.pk],
                ContentType: [ContentType.objects.get_for_model(TrainingRecord).pk]}
    values = data.draw(row_strategy(model, existing))
    model(**values).save()
    assert verify_table(model)[0] == []


@pytest.mark.parametrize(("typed", "stored"), [
    (Decimal("8"), "8.0"), (Decimal("8.00"), "8.0"), (8, "8.0"), ("7.5", "7.5"),
])
def test_decimals_are_signed_at_the_fields_scale(typed, stored):
    hours = TrainingRecord._meta.get_field("hours")
    assert canonical(hours, typed) == stored


def test_datetimes_are_signed_in_utc():
    field = models.DateTimeField()
    shanghai = datetime(2026, 11, 30, 20, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    assert canonical(field, shanghai) == canonical(field, shanghai.astimezone(UTC)) \
        == "2026-11-30T12:00:00.000000+00:00"


def test_json_is_signed_with_sorted_keys_and_integral_floats_as_integers():
    field = models.JSONField()
    assert canonical(field, {"b": 1.0, "a": (1, 2)}) == canonical(field, {"a": [1, 2], "b": 1})
