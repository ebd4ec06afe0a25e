"""The rows API: one page of a version's rows, filtered, sorted and searched, with an exact total.

Parameters (a Django QueryDict or a dict of lists; every value is text):

``_size``      rows per page, default 100, at most ``max_size`` (1000); 0 answers only the total.
``_sort``      ``a,-b``: columns in order, ``-`` for descending. Nulls come last in both directions; ties
               are broken by file order, so paging is stable.
``_cols``      ``a,b``: the columns to return, in that order (default: all, in file order).
``_search``    text: rows where any text column contains it (case-insensitive), or where a number column
               equals it when it is a number.
``_cursor``    the ``next`` value of the previous page (see below).
``_offset``    skip this many rows first (0-based): random access for a scrolling grid. Scripts walking
               the whole result should follow ``next`` instead; it stays cheap however deep it goes.
``_filters``   the escape form for filters, below. May be given several times.
anything else  a filter.

A ``_sort`` or ``_cols`` value that starts with ``[`` is read as a JSON list, for names holding commas:
``_cols=["Revenue, USD","city"]``, ``_sort=["-Revenue, USD"]``; a ``_sort`` item may also be
``{"column": "-x", "desc": false}`` for a column whose name starts with ``-``.

Filters and column names
------------------------
Any column name is legal in a dataset (spaces, unicode, ``__``, a leading underscore, quotes, ``;``), so a
filter parameter is read against the version's schema, in this order:

1. The whole parameter name is a column: ``name=value`` means ``exact``. ``_id=7`` filters a column named
   ``_id``; ``größe (cm)=3`` a column named ``größe (cm)``; ``a__b=1`` a column named ``a__b``.
2. Otherwise it is split at its LAST ``__``; if the suffix is an operator and the prefix a column, that is
   the filter: ``a__b__gte=1`` is ``gte`` on column ``a__b``.
3. Otherwise it is an error naming the parameter (never silently ignored).

Operators: ``exact ne gt gte lt lte in contains icontains startswith isnull``. ``in`` takes a
comma-separated list, ``isnull`` takes ``true`` or ``false``; ``contains``, ``icontains`` and ``startswith``
apply to text columns. ``ne`` keeps nulls. A value is converted to the column's type (integers, numbers,
``true``/``false``, ``2024-01-31``, ``2024-01-31T13:45:00``) or refused with an error naming the column.
The same parameter given twice applies both filters.

The escape form works for every name and operator, including names the rules above cannot express (a
column called ``_sort``, or ``a__gt`` when a column ``a`` exists too, or ``in`` values holding commas):
``_filters`` is a JSON list of ``{"column": name, "op": op, "value": value}`` objects (``op`` defaults
to ``exact``; one object alone is accepted too), the same shape as the aggregate API's ``filters``::

    _filters=[{"column": "_sort", "op": "gte", "value": 3}, {"column": "a, b", "op": "in", "value": ["x,y", "z"]}]

Names starting with ``_`` other than the seven above are read as filters today, but new engine parameters
would take that form, so scripts should reach such columns through ``_filters``.

Paging
------
Pages are keyset pages, so page 40,000 costs what page 1 costs: rows are ordered by the sort keys and then
by the row's position in the file (DuckDB's ``file_row_number``), and ``next`` (None on the last page) is an
opaque cursor holding the last row's sort values and position. The caller passes it back as ``_cursor``
with the same sort, filters and search, or gets an ``invalid_cursor`` error.

Output: ``{"columns": [{"name", "type"}], "rows": [{name: value}], "total": int, "next": str | None}``
with values made JSON-safe as ``output.py`` says. ``total`` counts every row matching the filters and
search; counts are remembered per (file, filters) since a version never changes.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import sql
from .counts import row_counts
from .cursor import decode_cursor, encode_cursor
from .errors import QueryError
from .filters import where_clause
from .output import json_value
from .rows_request import RowsRequest, SortKey, parse_rows_request
from .running import Deadline, fetchall, pooled_connection
from .schema import TEXT, Column, Schema
from .source import ParquetSource
from .sql import Fragment

MAX_SIZE = 1000


def order_by(sort: list[SortKey], row_id: str) -> str:
    keys = [f"{key.column.sql} {'DESC' if key.desc else 'ASC'} NULLS LAST" for key in sort]
    return ", ".join([*keys, f"{row_id} ASC"])


def after_cursor(sort: list[SortKey], values: list[Any], row_id_value: int, row_id: str) -> Fragment:
    """Rows that come after (values, row id) in `order_by` order, with nulls last in both directions."""
    alternatives = []
    ties: list[Fragment] = []
    for key, value in zip(sort, values, strict=True):
        column = key.column.sql
        if value is not None:  # after a null only nulls follow, and those are ties
            later = Fragment(f"{column} {'<' if key.desc else '>'} ? OR {column} IS NULL", (value,))
            alternatives.append(sql.all_of([*ties, later]))
            ties.append(Fragment(f"{column} = ?", (value,)))
        else:
            ties.append(Fragment(f"{column} IS NULL"))
    alternatives.append(sql.all_of([*ties, Fragment(f"{row_id} > ?", (row_id_value,))]))
    return sql.any_of(alternatives)


def select_rows(source: ParquetSource, columns: list[Column], request: RowsRequest, condition: Fragment) -> Fragment:
    """The page's `columns`, then its sort values and row id, in page order (one row more than the page)."""
    selected = [column.sql for column in columns] + [key.column.sql for key in request.sort]
    return (
        Fragment(f"SELECT {', '.join([*selected, source.row_id])} FROM ")  # noqa: S608 (quoted identifiers only)
        + source.relation()
        + Fragment(" WHERE ")
        + condition
        + Fragment(
            f" ORDER BY {order_by(request.sort, source.row_id)} LIMIT ? OFFSET ?", (request.size + 1, request.offset)
        )
    )


def rows_by_id(source: ParquetSource, columns: list[Column], row_ids: list[int]) -> Fragment:
    selected = ", ".join([*(column.sql for column in columns), source.row_id])
    return (
        Fragment(f"SELECT {selected} FROM ")  # noqa: S608 (quoted identifiers only; values are bound)
        + source.relation()
        + Fragment(f" WHERE {source.row_id} IN ({', '.join('?' for _ in row_ids)})", tuple(row_ids))
    )


def sort_values_of(connection: Any, source: ParquetSource, request: RowsRequest, row_id_value: int) -> list[Any]:
    """The sort values of the row at `row_id_value`, for a cursor too long to carry them."""
    if not request.sort:
        return []
    found = fetchall(connection, rows_by_id(source, [key.column for key in request.sort], [row_id_value]))
    if not found:
        raise QueryError("invalid_cursor", "_cursor: it points at no row of this version.", {"parameter": "_cursor"})
    return list(found[0][:-1])


def in_two_steps(source: ParquetSource, request: RowsRequest) -> bool:
    """Whether the page is found by sort keys first, then fetched by row id (see `fetch_page`)."""
    return bool(request.sort) and source.cheap_row_id and not set(request.columns) <= {k.column for k in request.sort}


def select_keys_and_total(source: ParquetSource, request: RowsRequest, where: Fragment) -> Fragment:
    """The first page's (total, sort values..., row id): the matching rows are read once for both."""
    keys = ", ".join([*(key.column.sql for key in request.sort), source.row_id])
    # Only quoted identifiers are formatted in; every value is bound.
    order = order_by(request.sort, source.row_id)
    top = f") SELECT (SELECT count(*) FROM matching), {keys} FROM matching ORDER BY {order}"  # noqa: S608
    return (
        Fragment(f"WITH matching AS MATERIALIZED (SELECT {keys} FROM ")  # noqa: S608
        + source.relation()
        + Fragment(" WHERE ")
        + where
        + Fragment(f"{top} LIMIT ? OFFSET ?", (request.size + 1, request.offset))
    )


@dataclass
class Page:
    rows: list[tuple[Any, ...]]  # (column values..., sort values..., row id)
    more: bool
    total: int | None = None  # when it was counted on the way


def fetch_page(
    connection: Any, source: ParquetSource, request: RowsRequest, condition: Fragment, *, count: bool = False
) -> Page:
    """The page's rows and whether more follow; with `count` (a first page), also the total.

    With a sort, DuckDB's top-N decodes every selected column of every matching row. So a sorted page is
    found in two steps: the top-N over the sort columns and row id alone, then the page's rows fetched by
    row id, which reads only the row groups holding them. On the 5-million-row benchmark this is as fast as
    one query when the page is scattered over the whole file, and 2-3x faster when its rows cluster (a sort
    that follows file order, ties broken by position). Pages in file order take one query. Counting in the
    first step saves a second pass over the filter columns; it is done for sorts on fixed-width columns,
    whose keys are cheap to hold for every matching row.
    """
    size, width = request.size, len(request.columns)
    if not in_two_steps(source, request):
        fetched = fetchall(connection, select_rows(source, request.columns, request, condition))
        return Page(fetched[:size], len(fetched) > size)
    total = None
    if count:
        counted = fetchall(connection, select_keys_and_total(source, request, condition))
        total = counted[0][0] if counted else 0
        keys = [row[1:] for row in counted]
    else:
        keys = fetchall(connection, select_rows(source, [], request, condition))
    page_ids = [key[-1] for key in keys[:size]]
    found = {row[-1]: row[:width] for row in fetchall(connection, rows_by_id(source, request.columns, page_ids))}
    return Page([(*found[key[-1]], *key) for key in keys[:size]], len(keys) > size, total)


def rows_query(
    path: Path,
    columns: list[dict[str, Any]],
    params: Mapping[str, list[str]] | Any,
    *,
    max_size: int = MAX_SIZE,
    timeout_s: float = 10,
) -> dict[str, Any]:
    """One page of rows of the Parquet file at `path` whose schema is `columns`, as the module docstring says.

    Raises QueryError (a ValueError) for any parameter it cannot honour, QueryTimeout past `timeout_s`.
    """
    path = Path(path)
    schema = Schema(columns)
    request = parse_rows_request(schema, params, max_size=min(max_size, MAX_SIZE))
    source = ParquetSource(path, schema)
    where = where_clause(request.filters, request.search, schema)
    cursor = None
    if request.cursor is not None:
        cursor = decode_cursor(request.cursor, request.fingerprint(), [key.column for key in request.sort])
    count_key = row_counts.key(path, where)
    total = row_counts.get(count_key)

    count_along = (
        total is None
        and cursor is None
        and bool(request.filters or request.search)  # without them the count is read from the file's footer
        and in_two_steps(source, request)
        and all(key.column.type != TEXT for key in request.sort)
    )
    page = Page([], more=False)
    with pooled_connection(source.directory) as connection, Deadline(connection, timeout_s):
        if request.size:
            condition = where
            if cursor is not None:
                values, row_id_value = cursor
                if values is None:
                    values = sort_values_of(connection, source, request, row_id_value)
                condition = sql.all_of([where, after_cursor(request.sort, values, row_id_value, source.row_id)])
            elif request.offset and not (request.sort or request.filters or request.search):
                # In file order with nothing filtered, row ids are 0..n-1: jump there instead of skipping rows.
                condition = Fragment(f"{source.row_id} >= ?", (request.offset,))
                request.offset = 0
            page = fetch_page(connection, source, request, condition, count=count_along)
            if page.total is not None:
                total = page.total
                row_counts.put(count_key, total)
        if total is None:
            total = fetchall(
                connection,
                Fragment("SELECT count(*) FROM ") + source.relation(row_id=False) + Fragment(" WHERE ") + where,
            )[0][0]
            row_counts.put(count_key, total)

    width = len(request.columns)
    last = page.rows[-1] if page.more else None
    next_cursor = encode_cursor(request.fingerprint(), last[width:-1], last[-1]) if last else None
    return {
        "columns": [column.describe() for column in request.columns],
        "rows": [
            {column.name: json_value(value) for column, value in zip(request.columns, row[:width], strict=True)}
            for row in page.rows
        ],
        "total": total,
        "next": next_cursor,
    }
