"""The digest that proves a frozen draft: SHA-256 over the document's canonical JSON (keys
sorted, no spaces, UTF-8), so the same document gives the same digest whichever database
stored it (PostgreSQL's jsonb reorders keys)."""

import hashlib
import json


def canonical_json(content: dict) -> bytes:
    return json.dumps(content, sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def content_digest(content: dict) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
