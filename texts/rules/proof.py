"""The digest that proves a frozen draft: SHA-256 over the document's canonical JSON (keys
sorted, no spaces, UTF-8), so the same document gives the same digest whichever database
stored it (PostgreSQL's jsonb reorders keys).

A draft's Word file also names its draft in its core properties (``dc:identifier``,
``draft:<digest>``): a copy changed after it was generated no longer has a recorded
digest, but still says what it claims to be."""

import hashlib
import io
import json
import re

import docx

CLAIM_PREFIX = "draft:"
_CLAIM = re.compile(rf"^{CLAIM_PREFIX}([0-9a-f]{{64}})$")


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def content_digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def name_draft_in_docx(content: bytes, draft_digest: str) -> bytes:
    """The Word file ``content`` with ``draft:<draft_digest>`` as its identifier."""
    document = docx.Document(io.BytesIO(content))
    document.core_properties.identifier = f"{CLAIM_PREFIX}{draft_digest}"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def claimed_draft(content: bytes) -> str | None:
    """The digest of the draft a Word file says it was generated from, or None (not a Word
    file, or one that names no draft)."""
    try:
        identifier = docx.Document(io.BytesIO(content)).core_properties.identifier
    except Exception:  # noqa: BLE001 — any file that python-docx cannot read claims nothing
        return None
    found = _CLAIM.match((identifier or "").strip())
    return found.group(1) if found else None
