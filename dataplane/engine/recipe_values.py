"""The SQL of a recipe step's new values: casts between column types, and the text functions.

Each function returns a Fragment (SQL with bound values) over a stage's internal column names; see recipe.py.
"""

import functools
from typing import Any

import duckdb

from dataplane.ingest.temporal import pattern_for

from . import sql
from .errors import QueryError
from .running import pooled_connection
from .schema import BIGINT, BOOLEAN, DATE, FLOAT, INTEGER, TEXT, TIMESTAMP
from .sql import Fragment
from .values import FALSE_WORDS, TRUE_WORDS

DUCKDB_TYPES = {
    INTEGER: "BIGINT",
    BIGINT: "DECIMAL(38,0)",
    FLOAT: "DOUBLE",
    BOOLEAN: "BOOLEAN",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMP",
    TEXT: "VARCHAR",
}
NUMBER_FORMS = {
    INTEGER: r"[+-]?[0-9]+",
    BIGINT: r"[+-]?[0-9]{1,38}",
    FLOAT: r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?",
}
TRIMMED = " \t\r\n"
TRIMMED_SQL = "' \t\r\n'"  # a literal of our own: spaces, tabs and line breaks


def text_function(op: str, step: dict[str, Any], column: str) -> Fragment:
    if op == "trim":
        return Fragment(f"trim({column}, {TRIMMED_SQL})")
    if step["to"] == "lower":
        return Fragment(f"lower({column})")
    if step["to"] == "upper":
        return Fragment(f"upper({column})")
    # title: each word (split on spaces) gets an upper-case first letter and lower-case others
    return Fragment(
        f"array_to_string(list_transform(string_split({column}, ' '), lambda w: upper(w[1]) || lower(w[2:])), ' ')"
    )


def check_regex(pattern: str, number: int) -> None:
    """A QueryError naming the step unless DuckDB (RE2) compiles `pattern`."""
    problem = _duckdb_refusal("SELECT regexp_matches('', ?)", pattern)
    if problem:
        raise QueryError(
            "invalid_step",
            f"Step {number} (replace): find is not a valid regular expression ({problem}).",
            {"step": number, "op": "replace", "field": "find"},
        )


def check_format(pattern: str, number: int) -> None:
    """A QueryError naming the step unless DuckDB's strptime understands `pattern`."""
    problem = _duckdb_refusal("SELECT try_strptime('', ?)", pattern)
    if problem:
        raise QueryError(
            "invalid_step",
            f"Step {number} (cast): format is not a pattern DuckDB reads ({problem}).",
            {"step": number, "op": "cast", "field": "format"},
        )


@functools.lru_cache(maxsize=1024)
def _duckdb_refusal(query: str, value: str) -> str | None:
    """DuckDB's complaint about `value` in `query` (run on a pooled connection that may read nothing), or None."""
    try:
        with pooled_connection(None) as db:
            db.execute(query, [value]).fetchall()
    except duckdb.Error as error:
        return str(error).splitlines()[0].removeprefix("Invalid Input Error: ")
    return None


def as_text(value: Fragment, type_: str, fmt: str | None = None) -> Fragment:
    if type_ == TEXT:
        return value
    if fmt and type_ in (DATE, TIMESTAMP):
        return Fragment("strftime(") + value + Fragment(", ?)", (fmt,))
    return Fragment("CAST(") + value + Fragment(" AS VARCHAR)")


def cast_expression(column, target: str, step: dict[str, Any]) -> tuple[Fragment, str]:
    """(the converted value, the SQL condition "the value is there to convert") for a cast of `column`."""
    x = column.internal
    if target == column.type and not (target in (DATE, TIMESTAMP) and step.get("format")):
        return Fragment(x), f"{x} IS NOT NULL"
    if target == TEXT:
        if column.raw:
            return Fragment(column.raw), f"{x} IS NOT NULL"
        return as_text(Fragment(x), column.type, column.format), f"{x} IS NOT NULL"
    if column.type == TEXT:
        text = Fragment(f"nullif(trim({x}), '')")  # surrounding spaces (DuckDB's fast default trim)
        present = f"{text.text} IS NOT NULL"
        return _from_text(text, target, step), present
    if column.type in (DATE, TIMESTAMP) and target in (DATE, TIMESTAMP) and step.get("format"):
        # re-reading with a pattern only makes sense from text: print the value back first
        text = as_text(Fragment(x), column.type, column.format)
        return _from_text(text, target, step), f"{x} IS NOT NULL"
    if column.type == FLOAT and target in (INTEGER, BIGINT):
        return Fragment(
            f"CASE WHEN {x} = trunc({x}) THEN TRY_CAST({x} AS {DUCKDB_TYPES[target]}) END"
        ), f"{x} IS NOT NULL"
    return Fragment(f"TRY_CAST({x} AS {DUCKDB_TYPES[target]})"), f"{x} IS NOT NULL"


def _from_text(text: Fragment, target: str, step: dict[str, Any]) -> Fragment:
    if target in NUMBER_FORMS:
        number = text
        if step.get("thousands"):
            number = Fragment("replace(") + number + Fragment(", ?, '')", (step["thousands"],))
        if step.get("decimal") and step["decimal"] != ".":
            number = Fragment("replace(") + number + Fragment(", ?, '.')", (step["decimal"],))
        duck = DUCKDB_TYPES[target]
        return (
            Fragment("CASE WHEN regexp_full_match(")
            + number
            + Fragment(", ?) THEN TRY_CAST(", (NUMBER_FORMS[target],))
            + number
            + Fragment(f" AS {duck}) END")
        )
    if target == BOOLEAN:
        words = Fragment("lower(") + text + Fragment(")")
        trues, falses = sorted(TRUE_WORDS), sorted(FALSE_WORDS)
        return (
            Fragment("CASE WHEN ")
            + words
            + Fragment(f" IN ({', '.join('?' for _ in trues)}) THEN TRUE WHEN ", tuple(trues))
            + words
            + Fragment(f" IN ({', '.join('?' for _ in falses)}) THEN FALSE END", tuple(falses))
        )
    fmt = step.get("format")
    duck = DUCKDB_TYPES[target]
    if not fmt:
        return Fragment("TRY_CAST(") + text + Fragment(f" AS {duck})")
    parsed = Fragment("try_strptime(") + text + Fragment(", ?)", (fmt,))
    pattern = pattern_for(fmt)
    if pattern is not None:  # one of the forms inference reads: as strictly (strptime alone reads "99" as 0099)
        parsed = Fragment("CASE WHEN regexp_full_match(") + text + Fragment(", ?) THEN ", (pattern.regex,))
        parsed += Fragment("try_strptime(") + text + Fragment(", ?) END", (fmt,))
    if "%z" in fmt or "%Z" in fmt:
        parsed = Fragment("timezone('UTC', ") + parsed + Fragment(")")
    return Fragment("CAST(") + parsed + Fragment(f" AS {duck})")


def new(internal: str) -> Fragment:
    """The new value of a column a step changes, inside that step's stage."""
    return Fragment(f"n_{internal}")


def distinct_count(pairs: list[tuple[Fragment, str]]) -> Fragment:
    """How many of (new expression, old column) differ, as an integer expression."""
    if not pairs:
        return Fragment("0")
    return sql.join(
        (Fragment("CAST((") + new + Fragment(f") IS DISTINCT FROM {old} AS INTEGER)") for new, old in pairs), " + "
    )
