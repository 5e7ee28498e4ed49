"""Ids read from query parameters (``?root=``, ``?node=``, ``?standard=``): typed by hand or
kept in old links, so anything may come. Garbage gives None (the page answers "not found" or
ignores it), never a 500."""

# The largest id a bigint primary key can hold (PostgreSQL raises beyond it, SQLite overflows).
MAX_ID = 2**63 - 1


def id_from(value):
    """The positive whole number in ``value`` (ASCII digits only), or None."""
    value = str(value or "").strip()
    if value.isascii() and value.isdigit() and 0 < int(value) <= MAX_ID:
        return int(value)
    return None
