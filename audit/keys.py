"""The history key: the secret that signs every history row, chain head and anchor.

It lives in a file outside the database (``REGISTRY_HISTORY_KEY_FILE``), readable by the
application and the verifier, so that whoever holds only the database cannot forge a
consistent rewrite (docs/architecture.md, "Threat model").
"""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

MIN_KEY_BYTES = 32


def key_path():
    path = getattr(settings, "REGISTRY_HISTORY_KEY_FILE", None)
    if not path:
        raise ImproperlyConfigured(
            "Set REGISTRY_HISTORY_KEY_FILE to the file holding the history key "
            "(create it with `manage.py history_key --create PATH`)."
        )
    return Path(path)


@lru_cache(maxsize=4)
def _read(path):
    try:
        key = path.read_bytes().strip()
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read the history key file {path}: {exc}") from exc
    if len(key) < MIN_KEY_BYTES:
        raise ImproperlyConfigured(
            f"The history key in {path} is too short ({len(key)} bytes; at least "
            f"{MIN_KEY_BYTES})."
        )
    return key


def history_key():
    """The key's bytes (read once per process and path)."""
    return _read(key_path())


def key_id(key=None):
    """A short public fingerprint of the key, written into anchors: it tells which key
    signed them without revealing it."""
    key = history_key() if key is None else key
    return hashlib.sha256(b"registry-history-key-id:" + key).hexdigest()[:16]

