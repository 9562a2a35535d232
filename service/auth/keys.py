"""API keys: generation, hashing, verification. Pure; the secret is never stored.

A key looks like ``aw_admin_<40 letters and digits>``: the scope is readable at a glance
and the shape lets log redaction recognise it. The first 12 characters after the scope
are the lookup prefix; only the SHA-256 of the whole key is stored (the key has 238 bits
of entropy, so a fast hash is enough, as GitHub and Stripe do for their tokens).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string
from typing import Literal

Scope = Literal["read", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "admin")
_ALPHABET = string.ascii_letters + string.digits
_BODY_LENGTH = 40
PREFIX_LENGTH = 12


def generate_key(scope: Scope) -> str:
    body = "".join(secrets.choice(_ALPHABET) for _ in range(_BODY_LENGTH))
    return f"aw_{scope}_{body}"


def split_key(key: str) -> tuple[str, str] | None:
    """(scope, lookup prefix) of a well-formed key, or None."""
    parts = key.split("_")
    if len(parts) != 3 or parts[0] != "aw" or parts[1] not in SCOPES:
        return None
    body = parts[2]
    if len(body) != _BODY_LENGTH or any(c not in _ALPHABET for c in body):
        return None
    return parts[1], body[:PREFIX_LENGTH]


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash)


def scope_allows(granted: str, needed: Scope) -> bool:
    """An admin key may also read."""
    return granted == needed or (granted == "admin" and needed == "read")
