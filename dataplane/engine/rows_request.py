"""Reading the rows API's query parameters into a RowsRequest. The rules are documented in `rows.py`."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError
from .filters import OPS, Filter, filters_from_json, make_filter
from .schema import Column, Schema
from .values import INTEGER_RE

SIZE, SORT, COLS, SEARCH, CURSOR, FILTERS = "_size", "_sort", "_cols", "_search", "_cursor", "_filters"
OFFSET = "_offset"
ENGINE_PARAMETERS = frozenset({SIZE, SORT, COLS, SEARCH, CURSOR, FILTERS, OFFSET})
MAX_OFFSET = 2**62
DEFAULT_SIZE = 100
MAX_SORT_KEYS = 16


@dataclass(frozen=True)
class SortKey:
    column: Column
    desc: bool = False


@dataclass
class RowsRequest:
    columns: list[Column]
    sort: list[SortKey] = field(default_factory=list)
    filters: list[Filter] = field(default_factory=list)
    search: str | None = None
    size: int = DEFAULT_SIZE
    cursor: str | None = None
    offset: int = 0

    def fingerprint(self) -> str:
        """Identifies what a cursor depends on: sort, filters and search (not the columns or page size)."""
        described = [
            [[key.column.name, key.desc] for key in self.sort],
            sorted(item.key() for item in self.filters),
            self.search,
        ]
        return hashlib.sha256(json.dumps(described, ensure_ascii=False).encode()).hexdigest()[:16]


def param_lists(params: Any) -> list[tuple[str, list[str]]]:
    """(name, values) pairs from a Django QueryDict, a dict of lists, or a dict of single values."""
    if params is None:
        return []
    items = params.lists() if hasattr(params, "lists") else params.items()
    pairs = []
    for name, raw in items:
        values = list(raw) if isinstance(raw, list | tuple) else [raw]
        pairs.append((str(name), [value if isinstance(value, str) else str(value) for value in values]))
    return pairs


def resolve_filter_name(schema: Schema, name: str) -> tuple[str, str]:
    """(column, op) for a query parameter: the whole name if it is a column, else split at the last `__`."""
    if name in schema:
        return name, "exact"
    head, separator, op = name.rpartition("__")
    if separator and op in OPS and head in schema:
        return head, op
    column = head if separator and op in OPS else name
    raise QueryError(
        "unknown_column",
        f"{name}: there is no column named {column!r}. Filter as column=value or column__op=value "
        f"(op in {', '.join(OPS)}); for any other name use _filters.",
        {"parameter": name, "column": column},
    )


def _json(parameter: str, raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        raise QueryError(
            "invalid_parameter", f"{parameter}: {raw!r} is not valid JSON.", {"parameter": parameter}
        ) from None


def _name_list(parameter: str, raw: str) -> list[Any]:
    """A comma-separated list, or a JSON list when the value starts with `[` (for names holding commas)."""
    if raw.startswith("["):
        items = _json(parameter, raw)
        if not isinstance(items, list):
            raise QueryError("invalid_parameter", f"{parameter}: give a JSON list.", {"parameter": parameter})
        return items
    return raw.split(",") if raw else []


def _sort_keys(schema: Schema, raw: str) -> list[SortKey]:
    keys: list[SortKey] = []
    for item in _name_list(SORT, raw):
        if isinstance(item, str):
            desc = item.startswith("-")
            name: Any = item[1:] if desc else item
        elif (
            isinstance(item, Mapping) and set(item) <= {"column", "desc"} and isinstance(item.get("desc", False), bool)
        ):
            name, desc = item.get("column"), item.get("desc", False)
        else:
            raise QueryError(
                "invalid_sort",
                f'{SORT}: {item!r} is not a sort key; use "name", "-name" or {{"column": name, "desc": true}}.',
                {"parameter": SORT},
            )
        if name == "":
            raise QueryError("invalid_sort", f"{SORT}: {raw!r} has an empty column name.", {"parameter": SORT})
        column = schema.column(name, where=SORT)
        if any(key.column == column for key in keys):
            raise QueryError("invalid_sort", f"{SORT}: column {column.name!r} is listed twice.", {"parameter": SORT})
        keys.append(SortKey(column, desc))
    if len(keys) > MAX_SORT_KEYS:
        raise QueryError("invalid_sort", f"{SORT}: at most {MAX_SORT_KEYS} sort keys.", {"parameter": SORT})
    return keys


def _columns(schema: Schema, raw: str) -> list[Column]:
    columns: list[Column] = []
    for name in _name_list(COLS, raw):
        column = schema.column(name, where=COLS)
        if column in columns:
            raise QueryError(
                "invalid_parameter", f"{COLS}: column {column.name!r} is listed twice.", {"parameter": COLS}
            )
        columns.append(column)
    return columns or list(schema)


def _size(raw: str, max_size: int) -> int:
    if not INTEGER_RE.fullmatch(raw) or not 0 <= int(raw) <= max_size:
        raise QueryError(
            "invalid_parameter",
            f"{SIZE}: {raw!r} is not a whole number from 0 to {max_size}.",
            {"parameter": SIZE, "max": max_size},
        )
    return int(raw)


def _offset(raw: str) -> int:
    if not INTEGER_RE.fullmatch(raw) or not 0 <= int(raw) <= MAX_OFFSET:
        raise QueryError(
            "invalid_parameter", f"{OFFSET}: {raw!r} is not a whole number from 0 up.", {"parameter": OFFSET}
        )
    return int(raw)


def parse_rows_request(schema: Schema, params: Any, *, max_size: int) -> RowsRequest:
    request = RowsRequest(columns=list(schema))
    seen: set[str] = set()
    for name, values in param_lists(params):
        if name in ENGINE_PARAMETERS and name != FILTERS:
            if len(values) != 1 or name in seen:
                raise QueryError("invalid_parameter", f"{name}: give it once.", {"parameter": name})
            seen.add(name)
            raw = values[0]
            if name == SIZE:
                request.size = _size(raw, max_size)
            elif name == SORT:
                request.sort = _sort_keys(schema, raw)
            elif name == COLS:
                request.columns = _columns(schema, raw)
            elif name == SEARCH:
                request.search = raw or None
            elif name == OFFSET:
                request.offset = _offset(raw)
            else:
                request.cursor = raw or None
        elif name == FILTERS:
            for raw in values:
                request.filters.extend(filters_from_json(schema, _json(FILTERS, raw), where=FILTERS))
        else:
            column, op = resolve_filter_name(schema, name)
            request.filters.extend(make_filter(schema, column, op, raw, where=name) for raw in values)
    if request.offset and request.cursor:
        raise QueryError(
            "invalid_parameter",
            f"{OFFSET} and {CURSOR} cannot be combined: page with one or the other.",
            {"parameter": OFFSET},
        )
    return request
