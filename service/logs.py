"""Logging: readable lines for people, JSON lines for machines, UTC ISO 8601 times.

structlog renders both the service's own events and the standard library's records
(uvicorn, alembic, apscheduler), so one setting switches everything. A processor drops
secrets from every event: keys, tokens, passwords and Authorization headers never reach
a log line.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

_SECRET_NAMES = re.compile(r"(key|token|secret|password|authorization|signature)", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+", re.IGNORECASE)
_KEYLIKE = re.compile(r"\b(aw_(?:read|admin)_[A-Za-z0-9]{6,})\b|\b(whsec_[A-Za-z0-9+/=]{8,})")


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return _KEYLIKE.sub("[redacted]", _BEARER.sub(r"\1[redacted]", value))
    return value


def redact_secrets(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replace anything that looks like a credential with ``[redacted]``."""
    for name in list(event):
        if name not in {"event", "level", "timestamp", "logger"} and _SECRET_NAMES.search(name):
            event[name] = "[redacted]"
        else:
            event[name] = _scrub(event[name])
    return event


def configure_logging(fmt: str = "auto", level: str = "INFO") -> None:
    """Route structlog and stdlib logging through one renderer on stderr."""
    if fmt == "auto":
        fmt = "console" if sys.stderr.isatty() else "json"
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=shared,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info if fmt == "json" else _identity,
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("apscheduler.executors.default", "apscheduler.scheduler", "watchfiles.main"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True


def _identity(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    return event
