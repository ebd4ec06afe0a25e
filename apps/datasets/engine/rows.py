"""The rows API: one page of a version's rows, filtered, sorted and searched, with an exact total.

Parameters (a Django QueryDict or a dict of lists; every value is text):

``_size``      rows per page, default 100, at most ``max_size`` (1000); 0 answers only the total.
``_sort``      ``a,-b``: columns in order, ``-`` for descending. Nulls come last in both directions; ties
               are broken by file order, so paging is stable.
``_cols``      ``a,b``: the columns to return, in that order (default: all, in file order).
``_search``    text: rows where any text column contains it (case-insensitive), or where a number column
               equals it when it is a number.
``_cursor``    the ``next`` value of the previous page (see below).
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

Names starting with ``_`` other than the six above are read as filters today, but new engine parameters
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
from pathlib import Path
from typing import Any

from . import sql
from .counts import row_counts
from .cursor import decode_cursor, encode_cursor
from .filters import where_clause
from .output import json_value
from .rows_request import RowsRequest, SortKey, parse_rows_request
from .running import Deadline, fetchall, pooled_connection
from .schema import Schema
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


def page_query(source: ParquetSource, request: RowsRequest, where: Fragment, size: int) -> Fragment:
    condition = where
    if request.cursor is not None:
        values, row_id_value = decode_cursor(
            request.cursor, request.fingerprint(), [key.column for key in request.sort]
        )
        condition = sql.all_of([where, after_cursor(request.sort, values, row_id_value, source.row_id)])
    selected = [column.sql for column in request.columns] + [key.column.sql for key in request.sort]
    select = ", ".join([*selected, source.row_id])
    return (
        Fragment(f"SELECT {select} FROM ")  # noqa: S608 (quoted identifiers only; values are bound)
        + source.relation()
        + Fragment(" WHERE ")
        + condition
        + Fragment(f" ORDER BY {order_by(request.sort, source.row_id)} LIMIT ?", (size + 1,))
    )


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
    page = page_query(source, request, where, request.size) if request.size else None
    count_key = row_counts.key(path, where)
    total = row_counts.get(count_key)

    fetched: list[tuple[Any, ...]] = []
    with pooled_connection(source.directory) as connection, Deadline(connection, timeout_s):
        if page is not None:
            fetched = fetchall(connection, page)
        if total is None:
            total = fetchall(
                connection,
                Fragment("SELECT count(*) FROM ") + source.relation(row_id=False) + Fragment(" WHERE ") + where,
            )[0][0]
            row_counts.put(count_key, total)

    width = len(request.columns)
    next_cursor = None
    if len(fetched) > request.size:
        last = fetched[request.size - 1]
        next_cursor = encode_cursor(request.fingerprint(), last[width:-1], last[-1])
    return {
        "columns": [column.describe() for column in request.columns],
        "rows": [
            {column.name: json_value(value) for column, value in zip(request.columns, row[:width], strict=True)}
            for row in fetched[: request.size]
        ],
        "total": total,
        "next": next_cursor,
    }
