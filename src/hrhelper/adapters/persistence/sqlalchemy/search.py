"""Case-insensitive substring search that behaves the same on PostgreSQL and SQLite,
Cyrillic included (SQLite's own lower() knows only ASCII; the engine replaces it)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func

__all__ = ["contains", "escape_like"]


def escape_like(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column: Any, term: str) -> ColumnElement[bool]:
    pattern = f"%{escape_like(term.strip().lower())}%"
    return func.lower(column).like(pattern, escape="\\")
