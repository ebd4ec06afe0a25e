"""What the guard raises: a refusal with its API code, a message naming what and where, and the position."""

from typing import Any

from dataplane.errors import Refusal

SQL_SYNTAX = "sql_syntax"
SQL_NOT_ALLOWED = "sql_not_allowed"
SQL_UNKNOWN_TABLE = "sql_unknown_table"
UNKNOWN_COLUMN = "unknown_column"


class SqlRefused(Refusal):
    """A statement or expression the guard will not run (the API answers a 400). `details` holds `line`,
    `column` (1-based) and `start`, `end` (0-based character offsets, end inclusive) of the part refused,
    when known."""


def position_of(node: Any) -> dict[str, int]:
    """Where the node starts in the text: the earliest token under it that sqlglot recorded a place for."""
    metas = [part.meta for part in node.walk() if "line" in part.meta]
    if not metas:
        return {}
    meta = min(metas, key=lambda m: m["start"])
    length = meta["end"] - meta["start"]
    return {"line": meta["line"], "column": meta["col"] - length, "start": meta["start"], "end": meta["end"]}


def where(details: dict[str, int]) -> str:
    """' at line L, column C' for a message, or nothing when the position is unknown."""
    if "line" not in details:
        return ""
    return f" at line {details['line']}, column {details['column']}"
