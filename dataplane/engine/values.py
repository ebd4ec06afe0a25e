"""Turn a filter value from a query string (always text) or a JSON body into the column's Python type.

Parsing happens here, in Python, so a value that does not fit gets an error naming the column and the
expected form, and DuckDB only ever receives typed, bound values.
"""

import math
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from .errors import QueryError
from .schema import BIGINT, BOOLEAN, DATE, FLOAT, INTEGER, TEXT, TIMESTAMP, Column

INTEGER_RE = re.compile(r"[+-]?[0-9]+")
FLOAT_RE = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?")
DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TIMESTAMP_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
TRUE_WORDS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_WORDS = frozenset({"false", "f", "no", "n", "0"})

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
DECIMAL38_LIMIT = 10**38

EXPECTED = {
    INTEGER: "a whole number",
    BIGINT: "a whole number",
    FLOAT: "a number",
    BOOLEAN: "true or false",
    DATE: "a date like 2024-01-31",
    TIMESTAMP: "a timestamp like 2024-01-31T13:45:00",
    TEXT: "text",
}


class _Unparsable(ValueError):
    pass


def parse_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = raw.lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
    raise _Unparsable


def _whole_number(raw: Any) -> int:
    if isinstance(raw, bool):
        raise _Unparsable
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and INTEGER_RE.fullmatch(raw):
        return int(raw)
    raise _Unparsable


def _number(raw: Any) -> float:
    if isinstance(raw, bool):
        raise _Unparsable
    if not isinstance(raw, int | float) and not (isinstance(raw, str) and FLOAT_RE.fullmatch(raw)):
        raise _Unparsable
    number = float(raw)
    if not math.isfinite(number):
        raise _Unparsable
    return number


def _date(raw: Any) -> date:
    if isinstance(raw, str) and DATE_RE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise _Unparsable


def _timestamp(raw: Any) -> datetime:
    if isinstance(raw, str) and TIMESTAMP_RE.fullmatch(raw):
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            raise _Unparsable from None
        if moment.tzinfo is not None:  # columns hold UTC wall-clock times without a zone
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        return moment
    raise _Unparsable


def _parse(type_: str, raw: Any) -> Any:
    if type_ == INTEGER:
        number = _whole_number(raw)
        if not INT64_MIN <= number <= INT64_MAX:
            raise _Unparsable
        return number
    if type_ == BIGINT:
        number = _whole_number(raw)
        if abs(number) >= DECIMAL38_LIMIT:
            raise _Unparsable
        return Decimal(number)
    if type_ == FLOAT:
        return _number(raw)
    if type_ == BOOLEAN:
        return parse_bool(raw)
    if type_ == DATE:
        return _date(raw)
    if type_ == TIMESTAMP:
        return _timestamp(raw)
    if isinstance(raw, str):
        return raw
    raise _Unparsable


def parse_value(column: Column, raw: Any, *, where: str) -> Any:
    """`raw` as a value of `column`'s type, or a QueryError naming `where` (the parameter) and the column."""
    try:
        return _parse(column.type, raw)
    except _Unparsable:
        shown = raw if isinstance(raw, str) else repr(raw)
        raise QueryError(
            "invalid_value",
            f"{where}: {shown!r} is not {EXPECTED[column.type]}, as column {column.name!r} ({column.type}) needs.",
            {"parameter": where, "column": column.name, "value": raw, "expected": column.type},
        ) from None


def try_parse(type_: str, raw: Any) -> Any:
    """`raw` as a value of `type_`, or None when it does not parse (for search, where a miss is not an error)."""
    try:
        return _parse(type_, raw)
    except _Unparsable:
        return None
