"""The recipe's `derive` step: one scalar SQL expression over the row, checked by the SQL guard.

The guard (`dataplane.sql.guard.check_expression`) refuses anything but one value per row made of the row's
columns and allowed functions, and answers the expression with every column quoted under its exact name;
here those names become the stage's internal columns. The new column is text, as the expression's value is
written: a following `cast` step gives it another type, with the cast's checks and error handling.
"""

from sqlglot import exp, parse_one

from dataplane.sql.guard import SqlRefused, check_expression

from .errors import QueryError
from .recipe_stages import StageColumn
from .schema import TEXT
from .sql import Fragment


def derive_value(expression: str, columns, number: int) -> Fragment:
    """The step's value over the stage `columns` (StageColumns), or QueryError naming the step and what was refused."""
    try:
        checked = check_expression(expression, [column.name for column in columns])
    except SqlRefused as refused:
        details = {"step": number, "op": "derive", "field": "expression", **refused.details}
        raise QueryError("invalid_step", f"Step {number} (derive): {refused.message}", details) from None
    internal = {column.name: column.internal for column in columns}

    def to_internal(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Column) and not node.table and node.name in internal:
            return exp.column(internal[node.name])
        return node

    compiled = parse_one(checked, read="duckdb").transform(to_internal).sql(dialect="duckdb")
    return Fragment(f"CAST(({compiled}) AS VARCHAR)")


def derive_columns(columns: list[StageColumn], values: dict, step: dict, number: int, *, fresh) -> list[StageColumn]:
    """The stage's columns after the step: `step["column"]` replaced, or added at the end, as text."""
    existing = next((column for column in columns if column.name == step["column"]), None)
    internal = existing.internal if existing else fresh()
    values[internal] = derive_value(step["expression"], columns, number)
    derived = StageColumn(step["column"], TEXT, internal=internal, original_name=step["column"])
    return [derived if column is existing else column for column in columns] + ([] if existing else [derived])
