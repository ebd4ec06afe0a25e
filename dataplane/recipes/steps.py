"""The recipe's steps as JSON: their vocabulary (DESIGN.md, "Column types and recipes") and shape checks.

`parse_steps` checks what can be checked without the data: known ops, required fields and their JSON types,
defaults filled in. Whether a named column exists (and has a type the step works on) is checked as the
engine compiles the steps over a schema (engine/recipe.py), since earlier steps rename, add and drop columns.
Every refusal is a QueryError whose message starts with "Step n (op)", so the API's 400 names the step.
"""

from typing import Any

from dataplane.engine.errors import QueryError
from dataplane.engine.schema import COLUMN_TYPES

OPS = ("rename", "cast", "drop", "trim", "case", "replace", "fill", "filter", "dedupe", "split", "derive")
CASES = ("lower", "upper", "title")
ON_ERROR = ("fail", "null")
MAX_STEPS = 100
MAX_NAME_LENGTH = 200

# field: (JSON types accepted, required, default)
_TEXT, _LIST, _BOOL = (str,), (list,), (bool,)
FIELDS: dict[str, dict[str, tuple[tuple[type, ...], bool, Any]]] = {
    "rename": {"column": (_TEXT, True, None), "to": (_TEXT, True, None)},
    "cast": {
        "column": (_TEXT, True, None),
        "type": (_TEXT, True, None),
        "format": ((str, type(None)), False, None),
        "decimal": ((str, type(None)), False, None),
        "thousands": ((str, type(None)), False, None),
        "on_error": (_TEXT, False, "fail"),
    },
    "drop": {"columns": (_LIST, True, None)},
    "trim": {"columns": (_LIST, True, None)},
    "case": {"columns": (_LIST, True, None), "to": (_TEXT, True, None)},
    "replace": {
        "column": (_TEXT, True, None),
        "find": (_TEXT, True, None),
        "with": (_TEXT, False, ""),
        "regex": (_BOOL, False, False),
    },
    "fill": {"column": (_TEXT, True, None), "value": ((str, int, float, bool), True, None)},
    "filter": {"filters": (_LIST, True, None)},
    "dedupe": {"columns": ((list, type(None)), False, None)},
    "split": {"column": (_TEXT, True, None), "separator": (_TEXT, True, None), "into": (_LIST, True, None)},
    "derive": {"column": (_TEXT, True, None), "expression": (_TEXT, True, None)},
}


def step_label(number: int, op: Any) -> str:
    return f"Step {number} ({op})" if isinstance(op, str) and op in OPS else f"Step {number}"


def step_error(number: int, op: Any, message: str, **details: Any) -> QueryError:
    return QueryError("invalid_step", f"{step_label(number, op)}: {message}", {"step": number, "op": op, **details})


def parse_steps(raw: Any) -> list[dict]:
    """The steps with defaults filled in, or a QueryError naming the first step at fault (numbered from 1)."""
    if not isinstance(raw, list):
        raise QueryError("invalid_recipe", "steps must be a list of step objects.", {"field": "steps"})
    if len(raw) > MAX_STEPS:
        raise QueryError("invalid_recipe", f"A recipe has at most {MAX_STEPS} steps.", {"field": "steps"})
    return [_parse_step(number, item) for number, item in enumerate(raw, start=1)]


def _parse_step(number: int, item: Any) -> dict:
    if not isinstance(item, dict):
        raise step_error(number, None, 'a step is an object with an "op".')
    op = item.get("op")
    if op not in OPS:
        raise step_error(number, op, f"unknown op {op!r}; use one of {', '.join(OPS)}.", field="op")
    fields = FIELDS[op]
    unknown = sorted(set(item) - set(fields) - {"op"})
    if unknown:
        raise step_error(number, op, f"unknown field {unknown[0]!r}.", field=unknown[0])
    step: dict[str, Any] = {"op": op}
    for name, (types, required, default) in fields.items():
        if name not in item:
            if required:
                raise step_error(number, op, f'the step needs "{name}".', field=name)
            step[name] = default
            continue
        value = item[name]
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool) and int in types):
            raise step_error(number, op, f'"{name}" has the wrong type.', field=name)
        step[name] = value
    _check_values(number, step)
    return step


def _names(number: int, op: str, field: str, value: list, *, new: bool = False) -> None:
    if not value:
        raise step_error(number, op, f'"{field}" lists no column.', field=field)
    for name in value:
        if not isinstance(name, str) or not name:
            raise step_error(number, op, f'"{field}" must list column names.', field=field)
        if new:
            check_new_name(number, op, field, name)
    if len(set(value)) != len(value):
        raise step_error(number, op, f'"{field}" names a column twice.', field=field)


def check_new_name(number: int, op: str, field: str, name: str) -> None:
    if not name.strip() or "\x00" in name or len(name) > MAX_NAME_LENGTH:
        raise step_error(
            number, op, f"{name!r} is not a usable column name (1 to {MAX_NAME_LENGTH} characters).", field=field
        )


def _check_values(number: int, step: dict) -> None:
    op = step["op"]
    if op == "rename":
        check_new_name(number, op, "to", step["to"])
    elif op == "cast":
        if step["type"] not in COLUMN_TYPES:
            raise step_error(number, op, f"unknown type {step['type']!r}; use one of {', '.join(COLUMN_TYPES)}.")
        if step["on_error"] not in ON_ERROR:
            raise step_error(number, op, 'on_error is "fail" or "null".', field="on_error")
        if step["format"] is not None and step["type"] not in ("date", "timestamp"):
            raise step_error(number, op, "format applies to date and timestamp casts.", field="format")
        if step["format"] is not None and "%" not in step["format"]:
            raise step_error(number, op, "format is a strptime pattern such as %d/%m/%Y.", field="format")
        for field in ("decimal", "thousands"):
            if step[field] is not None:
                if step["type"] not in ("integer", "bigint", "float"):
                    raise step_error(number, op, f"{field} applies to number casts.", field=field)
                if len(step[field]) != 1 or step[field].isalnum() or step[field] in "+-":
                    raise step_error(number, op, f"{field} is one separator character such as , or .", field=field)
        if step["decimal"] is not None and step["decimal"] == step["thousands"]:
            raise step_error(number, op, "decimal and thousands separators must differ.", field="thousands")
    elif op in ("drop", "trim", "case"):
        _names(number, op, "columns", step["columns"])
        if op == "case" and step["to"] not in CASES:
            raise step_error(number, op, f"to is one of {', '.join(CASES)}.", field="to")
    elif op == "replace":
        if step["find"] == "":
            raise step_error(number, op, "find must not be empty.", field="find")
    elif op == "filter":
        if not step["filters"]:
            raise step_error(number, op, "filters lists no condition.", field="filters")
    elif op == "dedupe":
        if step["columns"] is not None:
            _names(number, op, "columns", step["columns"])
    elif op == "split":
        if step["separator"] == "":
            raise step_error(number, op, "separator must not be empty.", field="separator")
        _names(number, op, "into", step["into"], new=True)
