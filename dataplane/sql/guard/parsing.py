"""Parsing user-written SQL once, in DuckDB's dialect, and the node kinds no statement or expression may hold."""

import logging
import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from .errors import SQL_NOT_ALLOWED, SQL_SYNTAX, SqlRefused, position_of, where
from .resolver import fold

DIALECT = "duckdb"
MAX_SQL_LENGTH = 100_000
CALL_HEAD = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*\(")

# Parsed as statements of their own, or as parts that write or reach outside the query.
FORBIDDEN_NODES: tuple[type[exp.Expression], ...] = tuple(
    getattr(exp, name)
    for name in [
        "DDL",
        "DML",
        "Command",
        "Pragma",
        "Set",
        "Copy",
        "Attach",
        "Detach",
        "Install",
        "Use",
        "Describe",
        "Show",
        "Summarize",
        "Into",
        "Placeholder",
        "Parameter",
        "Transaction",
        "Commit",
        "Rollback",
        "Alter",
        "Drop",
        "Create",
        "Insert",
        "Update",
        "Delete",
        "Merge",
        "Export",
        "LoadData",
        "Analyze",
        "Refresh",
        "Cache",
        "Uncache",
        "Grant",
        "Revoke",
        "Kill",
        "Execute",
        "Declare",
    ]
    if hasattr(exp, name)
)

# sqlglot logs a warning whenever it falls back to a raw Command; refusing it is enough.
logging.getLogger("sqlglot").setLevel(logging.ERROR)


def parse_one_statement(sql: str) -> exp.Expression:
    """The single statement in `sql`, or SqlRefused (sql_syntax, or sql_not_allowed for a second one)."""
    if not isinstance(sql, str) or not sql.strip():
        raise SqlRefused(SQL_SYNTAX, "The SQL is empty: write one SELECT statement.")
    if len(sql) > MAX_SQL_LENGTH:
        raise SqlRefused(SQL_SYNTAX, f"The SQL is {len(sql):,} characters long; the limit is {MAX_SQL_LENGTH:,}.")
    try:
        statements = [s for s in sqlglot.parse(sql, read=DIALECT) if s is not None]
    except ParseError as error:
        first = error.errors[0] if error.errors else {}
        details = {}
        if first.get("line"):
            highlight = first.get("highlight") or ""
            details = {"line": first["line"], "column": max(1, first["col"] - len(highlight) + 1)}
        reason = (first.get("description") or str(error)).split(". Line ")[0]
        raise SqlRefused(SQL_SYNTAX, f"The SQL could not be parsed{where(details)}: {reason}.", details) from None
    except TokenError as error:
        raise SqlRefused(SQL_SYNTAX, f"The SQL could not be read: {error}.") from None
    except RecursionError:
        raise SqlRefused(SQL_SYNTAX, "The SQL is nested too deeply to read.") from None
    if not statements:
        raise SqlRefused(SQL_SYNTAX, "The SQL holds no statement: write one SELECT statement.")
    if len(statements) > 1:
        details = position_of(statements[1])
        raise SqlRefused(
            SQL_NOT_ALLOWED,
            f"Only one statement may run; a second one starts{where(details) or ' after the first'}.",
            details,
        )
    return statements[0]


def describe(node: exp.Expression) -> str:
    if isinstance(node, exp.Command):
        return str(node.this).upper()
    if isinstance(node, exp.Into):
        return "SELECT … INTO"
    if isinstance(node, exp.Placeholder | exp.Parameter):
        return "a parameter"
    return node.key.upper()


def function_name(node: exp.Func) -> str | None:
    """The name DuckDB will see for a function node (folded as DuckDB folds it), or None for an operator."""
    if isinstance(node, exp.Anonymous):
        return fold(str(node.name))
    match = CALL_HEAD.match(node.sql(dialect=DIALECT, comments=False))
    return fold(match.group(1)) if match else None


def is_query(node: exp.Expression) -> bool:
    if isinstance(node, exp.Subquery):
        return is_query(node.this)
    return isinstance(node, exp.Select | exp.SetOperation)
