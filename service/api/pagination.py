"""Opaque cursors for keyset pagination with a stable order.

A cursor is the sort key of the last row served, base64url-encoded JSON: clients pass it
back untouched. A tampered or foreign cursor is a 400, never a 500.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from service.errors import InvalidCursor


def encode_cursor(*values: Any) -> str:
    raw = json.dumps(list(values), separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, arity: int) -> list[Any]:
    """The ``arity`` values in ``cursor``; InvalidCursor when it is not one of ours."""
    if len(cursor) > 512:
        raise InvalidCursor("cursor too long")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise InvalidCursor("cursor is not valid; pass back next_cursor unchanged") from exc
    if not isinstance(values, list) or len(values) != arity:
        raise InvalidCursor("cursor does not belong to this listing")
    if any(not isinstance(v, str | int) or isinstance(v, bool) for v in values):
        raise InvalidCursor("cursor does not belong to this listing")
    return values
