"""The digests of the keyed hash chains: a row's HMAC under the history key, a head's
signature, and the unkeyed SHA-256 of the first version (chains from before the key).
Pure computation over a row's values (``audit.canonical``): no table is read or written."""

import functools
import hashlib
import hmac
import itertools
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import models

from audit.canonical import payload
from audit.keys import history_key


class Scheme(models.TextChoices):
    """How the rows of a chain are signed."""

    HMAC = "hmac-sha256", "HMAC-SHA256"
    # Chains written before the history key existed, until ``sign_history`` signs them.
    LEGACY = "sha256", "SHA-256 (unsigned)"
    NONE = "none", "none (unsigned)"


CHAIN_FIELDS = {"prev_hash", "row_hash"}


def _skipped(model):
    return CHAIN_FIELDS | {model._meta.pk.attname}


def row_digest(row, prev_hash, key=None):
    """HMAC of the previous link and every stored field of ``row`` but its id and hashes."""
    message = "\n".join((row._meta.db_table, prev_hash, payload(row, _skipped(row))))
    return hmac.new(key or history_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def head_signature(head, key=None):
    message = "\n".join(
        ("head", head.table, str(head.last_id), head.last_hash, str(head.length), head.scheme)
    )
    return hmac.new(key or history_key(), message.encode("utf-8"), hashlib.sha256).hexdigest()


def _legacy_value(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value if value is None or isinstance(value, (str, int, bool)) else str(value)


LEGACY_SKIPPED = {"history_id", "prev_hash", "row_hash"}


@functools.cache
def legacy_columns():
    """Each history table's columns in the first version (commit 2f0f7d0), which hashed
    them all, nulls included: a column added since is not part of an unkeyed digest."""
    return json.loads((Path(__file__).with_name("legacy_columns.json")).read_text())


def _legacy_values(row):
    columns = legacy_columns().get(row._meta.db_table)
    return {f.attname: _legacy_value(getattr(row, f.attname))
            for f in row._meta.concrete_fields
            if f.attname not in LEGACY_SKIPPED and (columns is None or f.attname in columns)}


def _legacy_hash(values, prev_hash):
    text = prev_hash + json.dumps(values, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def legacy_digest(row, prev_hash):
    """The unkeyed SHA-256 the first version wrote (values as they were in memory)."""
    return _legacy_hash(_legacy_values(row), prev_hash)


def _decimal_forms(field, value):
    """The forms a decimal may have had in memory when the unkeyed hash was taken: as
    typed ("8", "8.0"), normalised, or an int default."""
    forms = {str(value.quantize(Decimal(1).scaleb(-places)))
             for places in range(field.decimal_places + 1)}
    forms.add(str(value.normalize()))
    candidates = list(forms)
    if value == value.to_integral_value():
        candidates.append(int(value))
    return candidates


def legacy_digest_matches(row, prev_hash, row_hash):
    """Whether ``row_hash`` is the unkeyed hash of ``row`` for some in-memory form of its
    decimals: the first version hashed ``Decimal("8")`` where the database returns
    ``Decimal("8.0")``, so only the form may differ, never the value."""
    values = _legacy_values(row)
    if _legacy_hash(values, prev_hash) == row_hash:
        return True
    decimals = [(f.attname, _decimal_forms(f, getattr(row, f.attname)))
                for f in row._meta.concrete_fields
                if f.get_internal_type() == "DecimalField" and f.attname in values
                and getattr(row, f.attname) is not None]
    for combination in itertools.product(*(forms for _name, forms in decimals)):
        values.update(zip((name for name, _forms in decimals), combination, strict=True))
        if _legacy_hash(values, prev_hash) == row_hash:
            return True
    return False


def digest_for(scheme, row, prev_hash):
    if scheme == Scheme.HMAC:
        return row_digest(row, prev_hash)
    if scheme == Scheme.LEGACY:
        return legacy_digest(row, prev_hash)
    return ""
