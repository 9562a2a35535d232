"""Small SQL helpers every repository uses, in whichever dialect the session speaks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql import Insert

T = TypeVar("T")

IN_LIST_CHUNK = 500  # bound parameters per IN (...) list, well under SQLite's limit


def insert_ignoring_conflicts(session: AsyncSession, table: Any) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING in the session's dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


def chunks(values: Sequence[T]) -> Iterable[Sequence[T]]:
    """``values`` in slices short enough for one IN (...) list on every database."""
    for start in range(0, len(values), IN_LIST_CHUNK):
        yield values[start : start + IN_LIST_CHUNK]
