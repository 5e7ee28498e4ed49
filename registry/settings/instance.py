"""What sets one installation apart from another on the same Redis: its database.

Two installations that share a Redis (a test server and a local run, two checkouts, a
staging and a training instance on one host) must not share queues or cache keys, or a
worker of one takes the other's tasks and fails on records that are not in its database.
The default key prefixes of the broker and the cache are derived from the database the
installation uses, readable and short: ``registry-<database name>-<hash8>``. The hash is of
the engine, host, port and name, so two databases of one name on two servers (or two SQLite
files of two checkouts) still differ. ``CELERY_KEY_PREFIX`` / ``CACHE_KEY_PREFIX`` in the
environment win over the derived value (docs/deployment.md)."""

import hashlib
import re
from pathlib import PurePath


def instance_key(database):
    """``registry-<name>-<hash8>`` for a ``DATABASES`` entry."""
    name = str(database.get("NAME") or "")
    identity = "|".join(str(database.get(part) or "") for part in
                        ("ENGINE", "HOST", "PORT", "NAME"))
    digest = hashlib.sha256(identity.encode()).hexdigest()[:8]
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "-", PurePath(name).stem if "/" in name else name)
    return f"registry-{readable.strip('-')[:40] or 'db'}-{digest}"
