"""Anchors: the heads of every chain, written from time to time to files outside the
database (``REGISTRY_HISTORY_ANCHOR_DIR``; in production a place the database role cannot
write). A truncated table, a deleted tail, or a rewrite of the history before the newest
anchor no longer matches what the anchor recorded.

One anchor is one JSON file, created once and never rewritten::

    {"version": 1, "time": "...", "key_id": "...", "database": "...",
     "heads": {table: {...}}, "signature": "..."}

An anchor names the database it was taken of (from the settings, not from the database,
so whoever holds only the database cannot disown an anchor); anchors of another database
in the same directory are skipped, not reported.
"""

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.digests import Scheme
from audit.keys import history_key, key_id
from audit.models import ChainHead
from audit.problems import Kind, Problem

VERSION = 1


@dataclass
class Anchor:
    path: Path
    time: datetime
    heads: dict

    @property
    def label(self):
        # As the problems print a row's time: UTC with its offset.
        return f"{self.time.astimezone(UTC):%Y-%m-%d %H:%M:%S%z}"


def database_label(using="default"):
    """Which database an anchor belongs to, as the settings name it."""
    conn = connections[using].settings_dict
    name = conn["NAME"]
    if connections[using].vendor == "sqlite":
        return f"sqlite:{name if str(name).startswith(':memory:') else Path(name).resolve()}"
    return (f"{connections[using].vendor}://{conn.get('HOST') or 'localhost'}:"
            f"{conn.get('PORT') or ''}/{name}")


def anchor_dir():
    path = getattr(settings, "REGISTRY_HISTORY_ANCHOR_DIR", None)
    return Path(path) if path else None


def _signature(body, key=None):
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key or history_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def current_heads():
    """The head of every signed chain that has rows."""
    return {
        head.table: {"last_id": head.last_id, "last_hash": head.last_hash,
                     "length": head.length}
        for head in ChainHead.objects.filter(scheme=Scheme.HMAC, length__gt=0).order_by("table")
    }


def write_anchor(directory=None, now=None):
    """Write the current heads to a new anchor file; returns its path."""
    directory = Path(directory) if directory else anchor_dir()
    if directory is None:
        raise ValueError("REGISTRY_HISTORY_ANCHOR_DIR is not set")
    directory.mkdir(parents=True, exist_ok=True)
    now = now or timezone.now()
    body = {"version": VERSION, "time": now.isoformat(), "key_id": key_id(),
            "database": database_label(), "heads": current_heads()}
    body["signature"] = _signature(body)
    path = directory / f"anchor-{now:%Y%m%dT%H%M%S.%fZ}.json"
    # "x": never overwrite an anchor; 0o444: nobody rewrites it in place by accident.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(body, handle, ensure_ascii=False, sort_keys=True, indent=1)
    return path


def read_anchors(directory=None, database=None):
    """The anchors of this database (or of ``database``, a ``database_label``: a restore
    drill checks a copy against its original's anchors) in the directory, oldest first; the
    problems of those that cannot be trusted (unreadable, altered, or signed with another
    key); and how many belong to other databases (skipped)."""
    directory = Path(directory) if directory else anchor_dir()
    if directory is None or not directory.is_dir():
        return [], [], 0
    anchors, problems, skipped, here = [], [], 0, database or database_label()
    for path in sorted(directory.glob("anchor-*.json")):
        try:
            body = json.loads(path.read_text(encoding="utf-8"))
            signature = body.pop("signature")
            valid = (body.get("key_id") == key_id()
                     and hmac.compare_digest(signature, _signature(body)))
            time = datetime.fromisoformat(body["time"])
            heads = body["heads"]
        except (OSError, ValueError, KeyError, TypeError) as exc:
            problems.append(Problem(path.name, None, None, Kind.ANCHOR_MISMATCH,
                                    _("the anchor cannot be read: %(error)s") % {"error": exc}))
            continue
        if valid and body.get("database") != here:
            skipped += 1
            continue
        if not valid:
            problems.append(Problem(path.name, None, time, Kind.ANCHOR_MISMATCH, _(
                "the anchor does not match its signature: it was altered or signed with "
                "another key")))
            continue
        anchors.append(Anchor(path, time, heads))
    return anchors, problems, skipped
