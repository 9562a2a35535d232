"""Standard Webhooks signatures: ``webhook-id``, ``webhook-timestamp``, ``webhook-signature``.

The signing itself is the ``standardwebhooks`` package's (the reference implementation of
the spec, by Svix), so receivers using any Standard Webhooks library verify us. During a
secret rotation both the new and the old secret sign, space-separated, as the spec allows.
Pure: no I/O.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Sequence
from datetime import datetime

from standardwebhooks import Webhook

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
SECRET_BYTES = 32


def generate_secret() -> str:
    """A new signing secret, ``whsec_`` + base64 of 32 random bytes."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def signature_headers(
    msg_id: str, timestamp: datetime, body: str, signing_secrets: Sequence[str]
) -> dict[str, str]:
    """The three headers for one message, signed with every secret given."""
    if not signing_secrets:
        raise ValueError("at least one signing secret is needed")
    signatures = " ".join(
        Webhook(secret).sign(msg_id=msg_id, timestamp=timestamp, data=body)
        for secret in signing_secrets
    )
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signatures,
    }
