"""A recipe's steps compiled to SQL over a version's inferred Parquet file: one SELECT per step, stacked.

Every stage names its columns internally (`v0`, `v1`, ... plus `row_id` and `keep`), so no column name a
person chose can collide with the engine's own; names are only given back as quoted aliases at the end.
Values from the steps (find text, fill values, formats, filter values) are always bound parameters.

Rows are never removed inside the stack: a filter or dedupe clears the row's `keep` flag instead, so one
aggregate over the last stage counts, for every step at once, the rows it kept (`keep<k>`), the values it
changed (`changed<k>`) and the casts that failed (`failed<k>`). The preview reads those; the version build
(`for_build=True`) leaves them out and turns a failing `on_error: fail` cast into a DuckDB error whose text
names the step, the column and the value.

A cast to text of a column the ingest typed (a float written `1.50`) gives the file's text when the caller
passes it along (`raw_columns`); without it (the preview), the typed value is printed as text.
"""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from . import sql
from .errors import QueryError
from .filters import compile_filter, filters_from_json
from .recipe_derive import derive_columns
from .recipe_stages import CompiledRecipe, CompiledStep, StageColumn, StageSchema
from .recipe_values import (
    DUCKDB_TYPES,
    as_text,
    cast_expression,
    check_format,
    check_regex,
    distinct_count,
    new,
    text_function,
)
from .schema import COLUMN_TYPES, DATE, TEXT, TIMESTAMP
from .sql import Fragment, quote_identifier
from .values import EXPECTED, parse_value

EXAMPLE_CHARACTERS = 80
BUILD_ERROR_PREFIX = "Recipe step failed: "
KEEP, ZERO = Fragment("keep"), Fragment("0")


def _error(number: int, op: str, message: str, **details: Any) -> QueryError:
    return QueryError("invalid_step", f"Step {number} ({op}): {message}", {"step": number, "op": op, **details})


class _Compiler:
    def __init__(self, for_build: bool) -> None:
        self.for_build = for_build
        self.counter = 0
        self.carried: list[str] = []  # counters of earlier steps, passed through every later stage

    def fresh(self) -> str:
        self.counter += 1
        return f"v{self.counter}"

    def find(self, columns: list[StageColumn], name: Any, number: int, op: str, field_name: str) -> StageColumn:
        for column in columns:
            if column.name == name:
                return column
        raise _error(
            number,
            op,
            f"there is no column named {name!r} (the columns at this step: "
            f"{', '.join(repr(c.name) for c in columns[:20])}{', …' if len(columns) > 20 else ''}).",
            column=name,
            field=field_name,
        )

    def stage(
        self,
        before: Fragment,
        columns: list[StageColumn],
        values: Mapping[str, Fragment],
        number: int,
        *,
        keep: Fragment = KEEP,
        changed: Fragment = ZERO,
        failed: Fragment = ZERO,
        outer: Mapping[str, Fragment] | None = None,
    ) -> Fragment:
        """SELECT over `before`: each column from `values` (by internal name) or passed through.

        New values are computed once, in an inner SELECT, as `n_<internal>` (see `new`), so the counters can
        compare them with the old ones without computing them again; `outer` may wrap them once more.
        """
        computed = {name: value for name, value in values.items() if value.text != name}
        if computed:
            news = sql.join((value + Fragment(f" AS n_{name}") for name, value in computed.items()), ", ")
            before = Fragment("SELECT *, ") + news + Fragment(" FROM (") + before + Fragment(f") AS i{number}")
        outer = outer or {}
        items: list[Fragment] = [Fragment("row_id"), Fragment("(") + keep + Fragment(") AS keep")]
        items += [Fragment(name) for name in self.carried]
        for column in columns:
            name = column.internal
            value = outer.get(name) or (new(name) if name in computed else Fragment(name))
            items.append(value + Fragment(f" AS {name}"))
        raws = sorted({c.raw for c in columns if c.raw})
        items += [Fragment(raw) for raw in raws]
        if not self.for_build:
            items += [
                Fragment("(") + keep + Fragment(f") AS keep{number}"),
                Fragment("CASE WHEN keep THEN ") + changed + Fragment(f" ELSE 0 END AS changed{number}"),
                Fragment("CASE WHEN keep THEN ") + failed + Fragment(f" ELSE 0 END AS failed{number}"),
            ]
            self.carried += [f"keep{number}", f"changed{number}", f"failed{number}"]
        return Fragment("SELECT ") + sql.join(items, ", ") + Fragment(" FROM (") + before + Fragment(f") AS s{number}")


def compile_recipe(
    base: Fragment,
    columns: Sequence[Mapping[str, Any]],
    steps: Sequence[Mapping[str, Any]],
    *,
    row_id: str = "file_row_number",
    for_build: bool = False,
    raw_columns: Mapping[str, str] | None = None,
) -> CompiledRecipe:
    """The steps (already shape-checked by recipes.steps.parse_steps) over `base`, a relation holding the
    schema's `columns` under their names, the column `row_id` (the position in the file) and the `raw_columns`
    given ({name: column holding that column's text as written}). Raises QueryError naming the step for a
    missing column or a step that does not fit.
    """
    compiler = _Compiler(for_build)
    raw_columns = raw_columns or {}
    stage_columns: list[StageColumn] = []
    items = [Fragment(f"{row_id} AS row_id"), Fragment("TRUE AS keep")]
    for index, entry in enumerate(columns):
        internal = compiler.fresh()
        raw = f"r{index}" if entry["name"] in raw_columns else None
        stage_columns.append(
            StageColumn(
                entry["name"],
                entry["type"],
                internal=internal,
                original_name=entry.get("original_name") or entry["name"],
                format=entry.get("format"),
                raw=raw,
            )
        )
        items.append(Fragment(f"{quote_identifier(entry['name'])} AS {internal}"))
        if raw:
            items.append(Fragment(f"{quote_identifier(raw_columns[entry['name']])} AS {raw}"))
    start = Fragment("SELECT ") + sql.join(items, ", ") + Fragment(" FROM (") + base + Fragment(") AS base")
    recipe = CompiledRecipe(columns=stage_columns, base=start)
    relation = start
    for number, step in enumerate(steps, start=1):
        compiled, stage_columns = _compile_step(compiler, relation, stage_columns, step, number)
        recipe.steps.append(compiled)
        recipe.has_window = recipe.has_window or step["op"] == "dedupe"
        relation = compiled.relation
    recipe.columns = stage_columns
    return recipe


def _compile_step(
    compiler: _Compiler, before: Fragment, columns: list[StageColumn], step: Mapping[str, Any], number: int
) -> tuple[CompiledStep, list[StageColumn]]:
    op = step["op"]
    values: dict[str, Fragment] = {c.internal: Fragment(c.internal) for c in columns}

    def stage(new_columns, **kwargs) -> Fragment:
        return compiler.stage(before, new_columns, values, number, **kwargs)

    if op == "rename":
        column = compiler.find(columns, step["column"], number, op, "column")
        if step["to"] != column.name and any(c.name == step["to"] for c in columns):
            raise _error(number, op, f"a column named {step['to']!r} exists already.", field="to")
        new_columns = [replace(c, name=step["to"]) if c is column else c for c in columns]
        return CompiledStep(op, stage(new_columns), before), new_columns

    if op == "drop":
        dropped = {compiler.find(columns, name, number, op, "columns").internal for name in step["columns"]}
        new_columns = [c for c in columns if c.internal not in dropped]
        if not new_columns:
            raise _error(number, op, "a recipe cannot drop every column.", field="columns")
        return CompiledStep(op, stage(new_columns), before), new_columns

    if op in ("trim", "case"):
        targets = [compiler.find(columns, name, number, op, "columns") for name in step["columns"]]
        pairs = []
        for column in targets:
            if column.type != TEXT:
                raise _error(number, op, f"{op} works on text columns, and {column.name!r} is {column.type}.")
            values[column.internal] = text_function(op, step, column.internal)
            pairs.append((new(column.internal), column.internal))
        new_columns = [replace(c, raw=None) if c in targets else c for c in columns]
        return CompiledStep(op, stage(new_columns, changed=distinct_count(pairs)), before), new_columns

    if op == "replace":
        column = compiler.find(columns, step["column"], number, op, "column")
        if column.type != TEXT:
            raise _error(number, op, f"replace works on text columns, and {column.name!r} is {column.type}.")
        if step["regex"]:
            check_regex(step["find"], number)
            values[column.internal] = Fragment(
                f"regexp_replace({column.internal}, ?, ?, 'g')", (step["find"], step["with"])
            )
        else:
            values[column.internal] = Fragment(f"replace({column.internal}, ?, ?)", (step["find"], step["with"]))
        new_columns = [replace(c, raw=None) if c is column else c for c in columns]
        changed = distinct_count([(new(column.internal), column.internal)])
        return CompiledStep(op, stage(new_columns, changed=changed), before), new_columns

    if op == "fill":
        column = compiler.find(columns, step["column"], number, op, "column")
        fill = parse_value(column, step["value"], where=f"Step {number} (fill) value")
        empty = f"{column.internal} IS NULL" + (f" OR {column.internal} = ''" if column.type == TEXT else "")
        values[column.internal] = Fragment(
            f"CASE WHEN {empty} THEN CAST(? AS {DUCKDB_TYPES[column.type]}) ELSE {column.internal} END", (fill,)
        )
        new_columns = [replace(c, raw=None) if c is column else c for c in columns]
        changed = distinct_count([(new(column.internal), column.internal)])
        return CompiledStep(op, stage(new_columns, changed=changed), before), new_columns

    if op == "filter":
        schema = StageSchema(columns)
        filters = filters_from_json(schema, step["filters"], where=f"Step {number} (filter)")
        condition = sql.all_of(compile_filter(item) for item in filters)
        keep = Fragment("keep AND coalesce(") + condition + Fragment(", FALSE)")
        return CompiledStep(op, stage(columns, keep=keep), before), columns

    if op == "dedupe":
        names = step["columns"]
        keys = columns if names is None else [compiler.find(columns, n, number, op, "columns") for n in names]
        partition = ", ".join(["keep", *(c.internal for c in keys)])
        keep = Fragment(f"keep AND row_number() OVER (PARTITION BY {partition} ORDER BY row_id) = 1")
        return CompiledStep(op, stage(columns, keep=keep), before), columns

    if op == "split":
        column = compiler.find(columns, step["column"], number, op, "column")
        into = step["into"]
        taken = {c.name for c in columns if c is not column}
        for name in into:
            if name in taken:
                raise _error(number, op, f"a column named {name!r} exists already.", field="into")
        text = column.internal if column.type == TEXT else f"CAST({column.internal} AS VARCHAR)"
        new_columns = []
        for c in columns:
            if c is not column:
                new_columns.append(c)
                continue
            for position, name in enumerate(into, start=1):
                internal = compiler.fresh()
                values[internal] = Fragment(f"nullif(split_part({text}, ?, {position}), '')", (step["separator"],))
                new_columns.append(StageColumn(name, TEXT, internal=internal, original_name=name))
        changed = distinct_count([(new(c.internal), column.internal) for c in new_columns if c not in columns])
        return CompiledStep(op, stage(new_columns, changed=changed), before), new_columns

    if op == "cast":
        return _compile_cast(compiler, before, columns, values, step, number)
    if op == "derive":
        new_columns = derive_columns(columns, values, step, number, fresh=compiler.fresh)
        return CompiledStep(op, stage(new_columns), before), new_columns
    raise _error(number, op, "this step is not available.")


def _compile_cast(
    compiler: _Compiler,
    before: Fragment,
    columns: list[StageColumn],
    values: dict[str, Fragment],
    step: Mapping[str, Any],
    number: int,
) -> tuple[CompiledStep, list[StageColumn]]:
    op = "cast"
    column = compiler.find(columns, step["column"], number, op, "column")
    target = step["type"]
    if target not in COLUMN_TYPES:
        raise _error(number, op, f"unknown type {target!r}.", field="type")
    source = column.internal
    if step.get("format"):
        check_format(step["format"], number)
    converted, present = cast_expression(column, target, step)
    failed = Fragment(f"({present}) AND (") + converted + Fragment(") IS NULL")
    # inside the stage, n_<source> holds the result (a cast to the same type changes nothing and cannot fail)
    unchanged = converted.text == source
    failed_now = Fragment("FALSE") if unchanged else Fragment(f"({present}) AND n_{source} IS NULL")
    values[source] = converted
    outer = {}
    if compiler.for_build and step["on_error"] == "fail" and not unchanged:
        expected = EXPECTED[target] + (f" in the format {step['format']}" if step.get("format") else "")
        prefix = f"{BUILD_ERROR_PREFIX}Step {number} (cast): column {column.name!r} has the value "
        suffix = f", which is not {expected}. Change the step, or set on_error to null."
        example = f"left(CAST({source} AS VARCHAR), {EXAMPLE_CHARACTERS})"
        outer[source] = (
            Fragment("CASE WHEN keep AND ")
            + failed_now
            + Fragment(f" THEN error(? || '\"' || {example} || '\"' || ?) ELSE n_{source} END", (prefix, suffix))
            + Fragment(f"::{DUCKDB_TYPES[target]}")
        )
    keeps_format = target in (DATE, TIMESTAMP)
    new_column = replace(
        column,
        type=target,
        format=(step.get("format") if keeps_format else None),
        raw=column.raw if target == column.type else None,
    )
    new_columns = [new_column if c is column else c for c in columns]
    text_of_new = as_text(Fragment(source) if unchanged else new(source), target, new_column.format)
    text_of_old = Fragment(column.raw) if column.raw else as_text(Fragment(source), column.type, column.format)
    changed = (
        Fragment("CAST((") + text_of_new + Fragment(") IS DISTINCT FROM (") + text_of_old + Fragment(") AS INTEGER)")
    )
    relation = compiler.stage(
        before,
        new_columns,
        values,
        number,
        changed=changed,
        failed=Fragment("CAST(") + failed_now + Fragment(" AS INTEGER)"),
        outer=outer,
    )
    from_text = source if column.type == TEXT and target in (DATE, TIMESTAMP) else None
    return (
        CompiledStep(
            op,
            relation,
            before,
            failed_condition=failed,
            failed_value=source,
            cast_from_text=from_text,
            raw_used=column.raw if target == TEXT and column.type != TEXT else None,
        ),
        new_columns,
    )
