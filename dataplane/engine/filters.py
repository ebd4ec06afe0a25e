"""Filters (column, operator, typed value) and the search box, compiled to SQL with bound values.

The same operators serve the rows API (`col__op=v`), its `_filters` escape and the aggregate body's
`filters`. Comparisons follow SQL, except `ne`, which keeps rows whose value is null ("not equal to v").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from . import sql
from .errors import QueryError
from .schema import BIGINT, FLOAT, INTEGER, TEXT, Column, Schema
from .sql import Fragment
from .values import parse_bool, parse_value, try_parse

OPS = ("exact", "ne", "gt", "gte", "lt", "lte", "in", "contains", "icontains", "startswith", "isnull")
TEXT_OPS = frozenset({"contains", "icontains", "startswith"})
COMPARISONS = {"exact": "=", "ne": "IS DISTINCT FROM", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}
MAX_IN_VALUES = 1000
FILTER_KEYS = frozenset({"column", "op", "value"})


@dataclass(frozen=True)
class Filter:
    column: Column
    op: str
    value: Any  # the parsed value; a tuple of them for `in`; a bool for `isnull`

    def key(self) -> tuple[str, str, str]:
        """A stable description, for cursor fingerprints and count caching."""
        return (self.column.name, self.op, repr(self.value))


def make_filter(schema: Schema, column_name: Any, op: Any, raw: Any, *, where: str) -> Filter:
    """A validated filter; `raw` is query-string text or a JSON value, `where` names it in errors."""
    column = schema.column(column_name, where=where)
    if op not in OPS:
        raise QueryError(
            "unknown_operator",
            f"{where}: unknown operator {op!r}; use one of {', '.join(OPS)}.",
            {"parameter": where, "op": op, "operators": list(OPS)},
        )
    if op in TEXT_OPS and column.type != TEXT:
        raise QueryError(
            "invalid_operator",
            f"{where}: {op} works on text columns, and {column.name!r} is {column.type}.",
            {"parameter": where, "column": column.name, "op": op},
        )
    if op == "isnull":
        try:
            return Filter(column, op, parse_bool(raw))
        except ValueError:
            raise QueryError(
                "invalid_value",
                f"{where}: isnull takes true or false, not {raw!r}.",
                {"parameter": where, "column": column.name, "value": raw},
            ) from None
    if raw is None:
        raise QueryError(
            "invalid_value",
            f"{where}: the value is null; use the isnull operator to match missing values.",
            {"parameter": where, "column": column.name},
        )
    if op == "in":
        items = raw.split(",") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple):
            raise QueryError(
                "invalid_value",
                f"{where}: in takes a list of values (comma-separated in a query string).",
                {"parameter": where, "column": column.name, "value": raw},
            )
        if len(items) > MAX_IN_VALUES:
            raise QueryError(
                "invalid_value",
                f"{where}: in takes at most {MAX_IN_VALUES} values, not {len(items)}.",
                {"parameter": where, "column": column.name},
            )
        return Filter(column, op, tuple(parse_value(column, item, where=where) for item in items))
    return Filter(column, op, parse_value(column, raw, where=where))


def filters_from_json(schema: Schema, items: Any, *, where: str) -> list[Filter]:
    """Filters from JSON: one `{"column", "op", "value"}` object or a list of them.

    `op` defaults to exact; `{"column": c, "op": "isnull"}` alone means "c is null".
    """
    if isinstance(items, Mapping):
        items = [items]
    if not isinstance(items, list):
        raise QueryError(
            "invalid_filter",
            f'{where}: give a list of {{"column", "op", "value"}} objects.',
            {"parameter": where},
        )
    filters = []
    for index, item in enumerate(items):
        label = f"{where}[{index}]"
        if not isinstance(item, Mapping) or "column" not in item or set(item) - FILTER_KEYS:
            raise QueryError(
                "invalid_filter",
                f'{label}: a filter is an object with "column", "op" (default exact) and "value".',
                {"parameter": label},
            )
        op = item.get("op", "exact")
        if op != "isnull" and "value" not in item:
            raise QueryError("invalid_filter", f'{label}: the filter has no "value".', {"parameter": label})
        filters.append(make_filter(schema, item["column"], op, item.get("value", True), where=label))
    return filters


def compile_filter(item: Filter) -> Fragment:
    column = item.column.sql
    if item.op in COMPARISONS:
        return Fragment(f"{column} {COMPARISONS[item.op]} ?", (item.value,))
    if item.op == "in":
        if not item.value:
            return sql.FALSE
        return Fragment(f"{column} IN ({', '.join('?' for _ in item.value)})", item.value)
    if item.op == "contains":
        return Fragment(f"contains({column}, ?)", (item.value,))
    if item.op == "icontains":
        return Fragment(f"contains(lower({column}), lower(?))", (item.value,))
    if item.op == "startswith":
        return Fragment(f"starts_with({column}, ?)", (item.value,))
    return Fragment(f"{column} IS NULL" if item.value else f"{column} IS NOT NULL")


def search_condition(schema: Schema, text: str) -> Fragment:
    """Rows where some text column contains `text` (any case), or a number column equals it when it is a number."""
    conditions = [Fragment(f"contains(lower({c.sql}), lower(?))", (text,)) for c in schema.text_columns]
    for column in schema:
        if column.type in (INTEGER, BIGINT, FLOAT):
            number = try_parse(column.type, text)
            if number is not None:
                conditions.append(Fragment(f"{column.sql} = ?", (number,)))
    return sql.any_of(conditions)


def where_clause(filters: Sequence[Filter], search: str | None, schema: Schema) -> Fragment:
    conditions: Iterable[Fragment] = [compile_filter(item) for item in filters]
    if search:
        conditions = [*conditions, search_condition(schema, search)]
    return sql.all_of(conditions)
