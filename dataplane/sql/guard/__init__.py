"""The SQL guard: what user-written SQL may do, checked on sqlglot's parse tree before anything runs.

- `check_statement(sql)` (statement.py): one SELECT, allowed functions only, tables as dataset names.
- `resolve_names(tree)` (resolver.py): the one resolver deciding, as DuckDB's binder does, which table names
  are CTEs and which are datasets; `rewrite.py` turns the checked tree into the SQL DuckDB runs.
- `check_expression(expression, columns)` (expression.py): one scalar expression over a row's columns.
- `SqlRefused` (errors.py): the refusal, with its API code and the position in the text.
"""

from .errors import SQL_NOT_ALLOWED, SQL_SYNTAX, SQL_UNKNOWN_TABLE, SqlRefused
from .expression import check_expression
from .statement import CheckedStatement, TableReference, check_statement

__all__ = [
    "SQL_NOT_ALLOWED",
    "SQL_SYNTAX",
    "SQL_UNKNOWN_TABLE",
    "CheckedStatement",
    "SqlRefused",
    "TableReference",
    "check_expression",
    "check_statement",
]
