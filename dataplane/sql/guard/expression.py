"""`check_expression`: one scalar SQL expression over a row's columns, for the recipe's `derive` step.

The expression is parsed as the only item of a SELECT list and must stay one value per row: no FROM, no
subquery, no aggregate or window, no table, only `functions.ALLOWED_IN_EXPRESSIONS`, and only the row's
columns; names fold as DuckDB folds them (ASCII only, `resolver.fold`), and the statement guard's resolver
finds no table name in it. The answer is the expression generated back from the tree with every column quoted
under its exact name, so a caller embeds it as `(<answer>) AS "new column"` and nothing else can come along.
"""

from sqlglot import exp

from .errors import SQL_NOT_ALLOWED, SQL_SYNTAX, UNKNOWN_COLUMN, SqlRefused, position_of, where
from .functions import ALLOWED_IN_EXPRESSIONS
from .parsing import DIALECT, FORBIDDEN_NODES, describe, function_name, parse_one_statement
from .resolver import fold, resolve_names

PREFIX = "SELECT "
SELECT_PARTS = {"expressions"}


def _lambda_parameters(node: exp.Expression) -> set[str]:
    names: set[str] = set()
    parent = node.parent
    while parent is not None:
        if isinstance(parent, exp.Lambda):
            names.update(fold(param.name) for param in parent.expressions)
        parent = parent.parent
    return names


def _shifted(details: dict) -> dict:
    """Positions in the expression as the caller wrote it, not in the SELECT wrapped around it."""
    details = dict(details)
    if "start" in details:
        details["start"], details["end"] = details["start"] - len(PREFIX), details["end"] - len(PREFIX)
    if details.get("line") == 1:
        details["column"] = max(1, details["column"] - len(PREFIX))
    return details


def _refuse(code: str, message: str, node: exp.Expression | None = None, **extra) -> SqlRefused:
    details = _shifted(position_of(node)) if node is not None else {}
    return SqlRefused(code, message.format(at=where(details)), {**details, **extra})


def _column(node: exp.Column, columns: list[str]) -> exp.Expression:
    if node.table:
        raise _refuse(SQL_NOT_ALLOWED, "The column {at} names a table; use the column's name alone.", node)
    name = node.name
    if name in columns:
        return exp.column(name, quoted=True)
    quoted = isinstance(node.this, exp.Identifier) and node.this.quoted
    matches = [] if quoted else [c for c in columns if fold(c) == fold(name)]
    if len(matches) == 1:
        return exp.column(matches[0], quoted=True)
    raise _refuse(UNKNOWN_COLUMN, f"There is no column named {name!r}{{at}}.", node, name=name)


def check_expression(expression: str, columns: list[str]) -> str:
    """The checked expression as SQL to embed, or SqlRefused naming what was refused and where."""
    if not isinstance(expression, str) or not expression.strip():
        raise SqlRefused(SQL_SYNTAX, "The expression is empty.")
    try:
        tree = parse_one_statement(PREFIX + expression)
    except SqlRefused as refused:
        details = _shifted(refused.details)
        message = refused.message.replace("The SQL", "The expression")
        if "line" in refused.details:  # the message's position was counted in the wrapped SELECT
            message = message.replace(where(refused.details), where(details))
        raise SqlRefused(refused.code, message, details) from None
    if not isinstance(tree, exp.Select) or set(k for k, v in tree.args.items() if v) != SELECT_PARTS:
        raise SqlRefused(
            SQL_NOT_ALLOWED, "Write one expression over the row's columns, without FROM, WHERE or a query."
        )
    if len(tree.expressions) != 1:
        raise _refuse(
            SQL_NOT_ALLOWED, "Write exactly one expression{at}; a comma starts a second one.", tree.expressions[1]
        )
    value = tree.expressions[0]
    if isinstance(value, exp.Alias):
        raise _refuse(SQL_NOT_ALLOWED, "The expression{at} has an alias; its column's name is given separately.", value)
    if names := resolve_names(value).bindings:  # the statement guard's resolver: no name reaches a table
        raise _refuse(
            SQL_NOT_ALLOWED, "A query or table{at} is not allowed in an expression over one row.", names[0].node
        )
    for node in value.walk():
        if isinstance(node, FORBIDDEN_NODES):
            raise _refuse(SQL_NOT_ALLOWED, f"{describe(node)}{{at}} is not allowed in an expression.", node)
        if isinstance(node, exp.Query | exp.Table | exp.Star):
            raise _refuse(SQL_NOT_ALLOWED, "A query or table{at} is not allowed in an expression over one row.", node)
        if isinstance(node, exp.AggFunc | exp.Window):
            raise _refuse(
                SQL_NOT_ALLOWED, "An aggregate or window{at} is not allowed: the expression sees one row.", node
            )
        if isinstance(node, exp.Func) and (name := function_name(node)) and name not in ALLOWED_IN_EXPRESSIONS:
            raise _refuse(SQL_NOT_ALLOWED, f"The function {name}(){{at}} is not allowed.", node, function=name)

    def quote_columns(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and fold(node.name) not in _lambda_parameters(node):
            return _column(node, columns)
        return node

    return value.transform(quote_columns).sql(dialect=DIALECT, comments=False)
