"""The opaque `next` cursor of the rows API: the last row's sort values and row id, and the query it belongs to.

A cursor is base64url JSON. It holds no secret, so it is not signed; it is validated instead: its shape, the
type of each value against the sort column, and a fingerprint of the sort, filters and search it was made
for. Anything else is a QueryError, and a valid cursor's values only ever reach DuckDB as bound parameters,
so a forged cursor can at most move the page.

When the sort values are long (a sort on a long text column), the cursor holds the row id alone and the
values are read back from the file, so a cursor always fits in a URL.
"""

import base64
import binascii
import json
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .errors import QueryError
from .schema import BIGINT, BOOLEAN, FLOAT, INTEGER, TEXT, Column
from .values import try_parse

VERSION = 1
MAX_LENGTH = 4096
MAX_VALUES_LENGTH = 1024
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]+")
FLOAT_WORDS = {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}


def _encode_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, Decimal):
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _json(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def encode_cursor(fingerprint: str, sort_values: Sequence[Any], row_id: int) -> str:
    payload: dict[str, Any] = {"v": VERSION, "f": fingerprint, "r": row_id}
    values = [_encode_value(v) for v in sort_values]
    if len(_json(values)) <= MAX_VALUES_LENGTH:
        payload["k"] = values
    return base64.urlsafe_b64encode(_json(payload).encode()).decode().rstrip("=")


def _invalid(reason: str) -> QueryError:
    return QueryError(
        "invalid_cursor",
        f"_cursor: {reason}. Use the `next` value of the previous page, with the same filters and sort.",
        {"parameter": "_cursor"},
    )


def _decode_value(column: Column, raw: Any) -> Any:
    if raw is None:
        return None
    if column.type == FLOAT and raw in FLOAT_WORDS:
        return FLOAT_WORDS[raw]
    checks = {INTEGER: int, BIGINT: str, FLOAT: int | float, BOOLEAN: bool, TEXT: str}
    expected = checks.get(column.type, str)
    if not isinstance(raw, expected) or (column.type in (INTEGER, FLOAT) and isinstance(raw, bool)):
        raise _invalid("it holds a value of the wrong type")
    parsed = try_parse(column.type, raw)
    if parsed is None:
        raise _invalid("it holds a value of the wrong type")
    return parsed


def decode_cursor(token: str, fingerprint: str, sort_columns: Sequence[Column]) -> tuple[list[Any] | None, int]:
    """The sort values (None when the cursor holds only the row id) and row id, checked against the query."""
    if len(token) > MAX_LENGTH or not TOKEN_RE.fullmatch(token):
        raise _invalid("it is not a cursor")
    try:
        payload = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (binascii.Error, ValueError):
        raise _invalid("it is not a cursor") from None
    if not isinstance(payload, dict) or set(payload) - {"k"} != {"v", "f", "r"} or payload["v"] != VERSION:
        raise _invalid("it is not a cursor")
    if payload["f"] != fingerprint:
        raise _invalid("it was made for another sort, filter or search")
    row_id = payload["r"]
    if not isinstance(row_id, int) or isinstance(row_id, bool) or not 0 <= row_id < 2**63:
        raise _invalid("it holds an invalid row id")
    if "k" not in payload:
        return None, row_id
    values = payload["k"]
    if not isinstance(values, list) or len(values) != len(sort_columns):
        raise _invalid("it was made for another sort")
    return [_decode_value(column, raw) for column, raw in zip(sort_columns, values, strict=True)], row_id
