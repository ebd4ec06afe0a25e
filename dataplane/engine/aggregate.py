"""The aggregate query API: filters, groups (columns or time buckets), measures, order and limit.

The body, exactly as DESIGN.md gives it::

    {"filters":  [{"column": "weather", "op": "exact", "value": "rain"}],
     "group_by": ["weather", {"column": "date", "bucket": "month"}],
     "measures": [{"fn": "count"}, {"fn": "avg", "column": "temp_max"}],
     "order_by": [{"column": "avg_temp_max", "desc": true}],
     "limit": 1000}

- `filters` take the rows API's operators (`filters.py`); `{"column": c, "op": "isnull"}` means "is null".
- A group is a column name, or `{"column", "bucket"}` with bucket day, week (ISO, from Monday), month,
  quarter or year on a date or timestamp column; a bucket's value is the ISO date of its first day, under
  the column's own name. A column can be grouped once. `{"column", "bin_width": w}` on a number column
  groups into bins of width w (for histograms); a bin's value is its lower bound, `floor(v / w) * w`.
- A measure is `{"fn", "column", "as"}`: count (rows, or non-null values of `column`), count_distinct,
  sum / avg (number columns), median (number, date and timestamp columns), min / max (any column). It is
  named `count`, or `<fn>_<column>`, unless `as` names it. Output names must differ.
- `order_by` names output columns; the groups follow in ascending order, so the answer is deterministic.
  Nulls come last. `limit` defaults to 1000, at most 10000.

Output column types: a group keeps its column's type (`date` for a bucket); count and count_distinct are
`integer`; sum keeps the column's type; avg and median of numbers are `float`, median of dates and
timestamps a `timestamp`; min and max keep the column's type. Values follow `output.py`.
"""

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import QueryError
from .filters import filters_from_json, where_clause
from .output import json_value
from .running import Deadline, fetchall, pooled_connection
from .schema import FLOAT, INTEGER, NUMERIC_TYPES, TEMPORAL_TYPES, TIMESTAMP, Column, Schema
from .source import ParquetSource
from .sql import Fragment

FUNCTIONS = ("count", "count_distinct", "sum", "avg", "min", "max", "median")
BUCKETS = ("day", "week", "month", "quarter", "year")
BODY_KEYS = ("filters", "group_by", "measures", "order_by", "limit")
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10000
DEFAULT_TIMEOUT_S = 30


def _invalid(where: str, message: str, code: str = "invalid_query") -> QueryError:
    return QueryError(code, f"{where}: {message}", {"field": where})


def _list(body: Mapping[str, Any], key: str) -> list[Any]:
    items = body.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise _invalid(key, "give a list.")
    return items


def _object(item: Any, where: str, keys: set[str], required: set[str], shape: str) -> Mapping[str, Any]:
    if not isinstance(item, Mapping) or not required <= set(item) or set(item) - keys:
        raise _invalid(where, f"give an object {shape}.")
    return item


def _name(value: Any, where: str, what: str = "a column name") -> str:
    if not isinstance(value, str) or not value:
        raise _invalid(where, f"{value!r} is not {what}.")
    return value


def _filters(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    normalized = []
    for index, item in enumerate(_list(body, "filters")):
        where = f"filters[{index}]"
        item = _object(item, where, {"column", "op", "value"}, {"column"}, '{"column", "op", "value"}')
        op = item.get("op", "exact")
        if not isinstance(op, str):
            raise _invalid(where, f"{op!r} is not an operator.")
        if op != "isnull" and "value" not in item:
            raise _invalid(where, 'the filter has no "value".')
        value = item.get("value", True)
        normalized.append({"column": _name(item["column"], where), "op": op, "value": value})
    return normalized


def _groups(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    normalized = []
    for index, item in enumerate(_list(body, "group_by")):
        where = f"group_by[{index}]"
        if isinstance(item, str):
            item = {"column": item}
        item = _object(
            item, where, {"column", "bucket", "bin_width"}, {"column"}, '{"column", "bucket"} or a column name'
        )
        bucket = item.get("bucket")
        if bucket is not None and bucket not in BUCKETS:
            raise _invalid(where, f"bucket {bucket!r} is not one of {', '.join(BUCKETS)}.", "invalid_group")
        group = {"bucket": bucket, "column": _name(item["column"], where)}
        if "bin_width" in item:
            group["bin_width"] = _bin_width(item["bin_width"], where, bucket)
        normalized.append(group)
    return normalized


def _bin_width(value: Any, where: str, bucket: Any) -> float | int:
    if bucket is not None:
        raise _invalid(where, "a group takes a bucket or a bin_width, not both.", "invalid_group")
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise _invalid(where, f"bin_width must be a positive number, not {value!r}.", "invalid_group")
    return int(value) if float(value).is_integer() else float(value)


def _measures(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    normalized = []
    for index, item in enumerate(_list(body, "measures")):
        where = f"measures[{index}]"
        item = _object(item, where, {"fn", "column", "as"}, {"fn"}, '{"fn", "column", "as"}')
        fn = item["fn"]
        if fn not in FUNCTIONS:
            raise _invalid(where, f"fn {fn!r} is not one of {', '.join(FUNCTIONS)}.", "invalid_measure")
        column = item.get("column")
        if column is not None or fn != "count":
            column = _name(column, where)
        name = item.get("as")
        if name is None:
            name = "count" if column is None else f"{fn}_{column}"
        normalized.append({"as": _name(name, where, "an output name"), "column": column, "fn": fn})
    return normalized


def _order(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    normalized = []
    for index, item in enumerate(_list(body, "order_by")):
        where = f"order_by[{index}]"
        if isinstance(item, str):
            item = {"column": item}
        item = _object(item, where, {"column", "desc"}, {"column"}, '{"column", "desc"}')
        desc = item.get("desc", False)
        if not isinstance(desc, bool):
            raise _invalid(where, "desc is true or false.")
        normalized.append({"column": _name(item["column"], where, "an output column name"), "desc": desc})
    return normalized


def _limit(body: Mapping[str, Any]) -> int:
    limit = body.get("limit")
    if limit is None:
        return DEFAULT_LIMIT
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise _invalid("limit", f"{limit!r} is not a whole number from 1 to {MAX_LIMIT}.")
    return limit


def normalize_aggregate(body: Any) -> dict[str, Any]:
    """The body in canonical form: every default filled in, measures named, keys sorted.

    Two bodies asking the same question normalize to the same value, so `json.dumps(normalized)` with the
    version is a cache key. The shape is checked here; names and types are checked against the schema by
    aggregate_query.
    """
    if not isinstance(body, Mapping):
        raise _invalid("body", "give a JSON object with filters, group_by, measures, order_by and limit.")
    unknown = sorted(str(key) for key in body if key not in BODY_KEYS)
    if unknown:
        raise _invalid(unknown[0], f"unknown key; the body takes {', '.join(BODY_KEYS)}.")
    normalized = {
        "filters": _filters(body),
        "group_by": _groups(body),
        "limit": _limit(body),
        "measures": _measures(body),
        "order_by": _order(body),
    }
    if not normalized["group_by"] and not normalized["measures"]:
        raise _invalid("measures", "give at least one measure or group.")
    return normalized


def _group_output(schema: Schema, index: int, group: Mapping[str, Any]) -> tuple[str, str, str]:
    where = f"group_by[{index}]"
    column = schema.column(group["column"], where=where)
    bucket = group["bucket"]
    if "bin_width" in group:
        if column.type not in (INTEGER, FLOAT):
            raise QueryError(
                "invalid_group",
                f"{where}: bins need a number column, and {column.name!r} is {column.type}.",
                {"field": where, "column": column.name},
            )
        width = group["bin_width"]  # a validated int or float, so formatting it in is safe
        if column.type == INTEGER and isinstance(width, int):
            return column.name, f"CAST(floor({column.sql} / {width}) * {width} AS BIGINT)", INTEGER
        return column.name, f"floor({column.sql} / {float(width)!r}) * {float(width)!r}", FLOAT
    if bucket is None:
        return column.name, column.sql, column.type
    if column.type not in TEMPORAL_TYPES:
        raise QueryError(
            "invalid_group",
            f"{where}: a {bucket} bucket needs a date or timestamp column, and {column.name!r} is {column.type}.",
            {"field": where, "column": column.name},
        )
    return column.name, f"CAST(date_trunc('{bucket}', {column.sql}) AS DATE)", "date"  # bucket is one of BUCKETS


def _measure_expression(fn: str, column: Column, where: str) -> tuple[str, str]:
    name, type_ = column.sql, column.type
    if fn == "count_distinct":
        return f"count(DISTINCT {name})", INTEGER
    if fn in ("min", "max"):
        return f"{fn}({name})", type_
    if fn == "median" and type_ in TEMPORAL_TYPES:
        return f"median({name})", TIMESTAMP
    if type_ not in NUMERIC_TYPES:
        raise QueryError(
            "invalid_measure",
            f"{where}: {fn} needs a number column, and {column.name!r} is {type_}.",
            {"field": where, "column": column.name, "fn": fn},
        )
    if fn == "sum":
        return f"sum({name})", type_
    if fn == "avg":
        return f"CAST(avg({name}) AS DOUBLE)", FLOAT
    return f"median(CAST({name} AS DOUBLE))", FLOAT  # DECIMAL's median would round to a whole number


def _measure_output(schema: Schema, index: int, measure: Mapping[str, Any]) -> tuple[str, str, str]:
    where = f"measures[{index}]"
    if measure["column"] is None:
        return measure["as"], "count(*)", INTEGER
    column = schema.column(measure["column"], where=where)
    if measure["fn"] == "count":
        return measure["as"], f"count({column.sql})", INTEGER
    expression, type_ = _measure_expression(measure["fn"], column, where)
    return measure["as"], expression, type_


def aggregate_query(
    path: Path, columns: list[dict[str, Any]], body: Any, *, timeout_s: float = DEFAULT_TIMEOUT_S
) -> dict[str, Any]:
    """`{"columns": [{"name", "type"}], "rows": [{...}]}` for the aggregate `body` over the file at `path`.

    Raises QueryError for a body that does not fit the schema, QueryTimeout past `timeout_s`.
    """
    path = Path(path)
    schema = Schema(columns)
    query = normalize_aggregate(body)
    filters = filters_from_json(schema, query["filters"], where="filters")
    groups = [_group_output(schema, i, group) for i, group in enumerate(query["group_by"])]
    measures = [_measure_output(schema, i, measure) for i, measure in enumerate(query["measures"])]
    outputs = groups + measures

    positions: dict[str, int] = {}
    for position, (name, _, _) in enumerate(outputs, start=1):
        if name in positions:
            raise QueryError(
                "duplicate_name",
                f'{name!r} names two output columns: group by a column once, and name measures apart with "as".',
                {"name": name},
            )
        positions[name] = position

    ordering: list[str] = []
    for index, item in enumerate(query["order_by"]):
        if item["column"] not in positions:
            raise QueryError(
                "unknown_column",
                f"order_by[{index}]: {item['column']!r} is not an output column; use one of "
                f"{', '.join(repr(name) for name in positions)}.",
                {"field": f"order_by[{index}]", "column": item["column"]},
            )
        ordering.append(f"{positions[item['column']]} {'DESC' if item['desc'] else 'ASC'} NULLS LAST")
    ordered = {item["column"] for item in query["order_by"]}
    ordering += [f"{positions[name]} ASC NULLS LAST" for name, _, _ in groups if name not in ordered]

    source = ParquetSource(path, schema)
    sql = (
        # Only quoted identifiers and our own function names are formatted in; every value is bound.
        Fragment(f"SELECT {', '.join(expression for _, expression, _ in outputs)} FROM ")  # noqa: S608
        + source.relation(row_id=False)
        + Fragment(" WHERE ")
        + where_clause(filters, None, schema)
    )
    if groups:
        sql += Fragment(f" GROUP BY {', '.join(str(p) for p in range(1, len(groups) + 1))}")
    if ordering:
        sql += Fragment(f" ORDER BY {', '.join(ordering)}")
    sql += Fragment(" LIMIT ?", (query["limit"],))

    with pooled_connection(source.directory) as connection, Deadline(connection, timeout_s):
        fetched = fetchall(connection, sql)
    return {
        "columns": [{"name": name, "type": type_} for name, _, type_ in outputs],
        "rows": [
            {name: json_value(value) for (name, _, _), value in zip(outputs, row, strict=True)} for row in fetched
        ],
    }
