"""What changed from one version to another, computed by DuckDB over the two Parquet files.

Two ways to match rows:

- **Keyed** (`key` names one or more columns present in both versions, unique in each): a full outer join
  on the key. A key only in the new version is an added row, only in the old one a removed row; a key in both
  is changed when any common non-key column differs (null equals null), else unchanged. `changed_columns`
  counts, per common column, the matched rows where it differs. The join is written once into a temporary
  table of keys and difference flags, so the counts, the per-column counts and the samples read it rather
  than joining the files again.
- **Whole rows** (no key): the common columns of each version as multisets (`EXCEPT ALL`). An edited row
  counts once as removed and once as added; `changed` is 0 and `changed_columns` empty.

Only columns present in both versions are compared; a column whose type changed is compared as text. Added or
removed columns are reported in `schema`, not as changed rows. `profile` pairs the two versions' stored
profiles (nulls, distinct, mean, min, max) per column, null where a column is missing on one side.

The answer is the shape of DESIGN.md's diff API; values are JSON-safe as `output.py` makes them. Both files
live in the dataset's folder, the only directory the sandboxed connection may read.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .connection import sandboxed_connection
from .errors import QueryError
from .output import json_value
from .schema import Column, Schema
from .source import GLOB_CHARACTERS
from .sql import quote_identifier

SAMPLE_SIZE = 20
MAX_KEY_COLUMNS = 8
DRIFT_MEASURES = ("nulls", "distinct", "mean", "min", "max")


@dataclass(frozen=True)
class DiffSide:
    """One version as the diff reads it: its file, its schema entries and its stored profile."""

    path: Path
    columns: Sequence[Mapping[str, Any]]
    profile: Mapping[str, Any] = field(default_factory=dict)

    @property
    def schema(self) -> Schema:
        return Schema(self.columns)


def version_diff(
    before: DiffSide,
    after: DiffSide,
    key: Sequence[str] | None = None,
    *,
    sample_size: int = SAMPLE_SIZE,
    memory_limit: str = "1GB",
) -> dict:
    """The difference from `before` to `after`, keyed on `key` or by whole rows when it is empty.

    Raises QueryError for a key column missing from either version (`unknown_column`), too many key columns,
    or a key that is not unique in a version (`key_not_unique`, with an example value).
    """
    schema_a, schema_b = before.schema, after.schema
    key_columns = key_pairs(schema_a, schema_b, list(key or []))
    common = [(c, schema_b.get(c.name)) for c in schema_a if c.name in schema_b]
    directories = {before.path.resolve().parent, after.path.resolve().parent}
    db = sandboxed_connection(allowed_directories=directories, memory_limit=memory_limit)
    try:
        for name, side in (("a", before), ("b", after)):
            db.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet({file_literal(side.path)})")  # noqa: S608
        if key_columns:
            rows, changed_columns, sample = keyed_diff(db, key_columns, common, schema_a, schema_b, sample_size)
        else:
            rows, sample = multiset_diff(db, common, sample_size)
            changed_columns = {}
    finally:
        db.close()
    return {
        "schema": schema_changes(schema_a, schema_b),
        "rows": rows,
        "changed_columns": changed_columns,
        "sample": sample,
        "profile": profile_drift(before, after),
    }


def file_literal(path: Path) -> str:
    """A version's path as a SQL string (a view cannot take a bound value); our own path, never user input."""
    text = str(path.resolve())
    if GLOB_CHARACTERS & set(text) or "\x00" in text:
        raise ValueError(f"{text} holds characters read_parquet would expand.")
    return "'" + text.replace("'", "''") + "'"


def key_pairs(schema_a: Schema, schema_b: Schema, key: list[str]) -> list[tuple[Column, Column]]:
    if len(key) > MAX_KEY_COLUMNS:
        raise QueryError("invalid_key", f"key: at most {MAX_KEY_COLUMNS} columns.", {"parameter": "key"})
    if len(set(key)) != len(key):
        raise QueryError("invalid_key", "key: a column is named twice.", {"parameter": "key"})
    pairs = []
    for name in key:
        if name not in schema_a or name not in schema_b:
            side = "the first version" if name not in schema_a else "the second version"
            raise QueryError(
                "unknown_column",
                f"key: there is no column named {name!r} in {side}.",
                {"column": name, "parameter": "key"},
            )
        pairs.append((schema_a.get(name), schema_b.get(name)))
    return pairs


def comparable(alias: str, column: Column, other: Column) -> str:
    """The column as compared with its counterpart: as text when the two versions typed it differently."""
    expression = f"{alias}.{column.sql}"
    return expression if column.type == other.type else f"CAST({expression} AS VARCHAR)"


def schema_changes(schema_a: Schema, schema_b: Schema) -> dict:
    return {
        "added": [c.name for c in schema_b if c.name not in schema_a],
        "removed": [c.name for c in schema_a if c.name not in schema_b],
        "type_changed": [
            {"name": c.name, "from": c.type, "to": schema_b.get(c.name).type}
            for c in schema_a
            if c.name in schema_b and schema_b.get(c.name).type != c.type
        ],
    }


def check_unique(db, table: str, key_sql: list[str], names: list[str], which: str) -> None:
    keys = ", ".join(key_sql)
    duplicate = db.execute(
        f"SELECT {keys}, count(*) FROM {table} GROUP BY ALL HAVING count(*) > 1 LIMIT 1"  # noqa: S608 (own names)
    ).fetchone()
    if duplicate is not None:
        example = {name: json_value(value) for name, value in zip(names, duplicate[:-1], strict=True)}
        raise QueryError(
            "key_not_unique",
            f"key: the key is not unique in {which}; {example} appears {duplicate[-1]:,} times. "
            "Choose columns whose values identify each row.",
            {"parameter": "key", "version": which, "example": example, "count": duplicate[-1]},
        )


def keyed_diff(db, key_columns, common, schema_a: Schema, schema_b: Schema, sample_size: int):
    names = [a.name for a, _ in key_columns]
    check_unique(db, "a", [a.sql for a, _ in key_columns], names, "the first version")
    check_unique(db, "b", [b.sql for _, b in key_columns], names, "the second version")
    key_names = {a.name for a, _ in key_columns}
    compared = [(a, b) for a, b in common if a.name not in key_names]
    on = " AND ".join(
        f"{comparable('a', ka, kb)} IS NOT DISTINCT FROM {comparable('b', kb, ka)}" for ka, kb in key_columns
    )
    # The key as one text-typed-where-needed value per column, under positional names k0, k1, ...
    keys = ", ".join(
        f"coalesce({comparable('a', ka, kb)}, {comparable('b', kb, ka)}) AS k{i}"
        for i, (ka, kb) in enumerate(key_columns)
    )
    flags = "".join(
        f", ({comparable('a', a, b)} IS DISTINCT FROM {comparable('b', b, a)}) AS d{i}"
        for i, (a, b) in enumerate(compared)
    )
    present = unused_name({c.name for c in schema_a} | {c.name for c in schema_b})
    db.execute(
        f"CREATE TEMP TABLE j AS SELECT {keys}, a.{present} IS NOT NULL AS in_a, "  # noqa: S608 (own names)
        f"b.{present} IS NOT NULL AS in_b{flags} "
        f"FROM (SELECT *, true AS {present} FROM a) a FULL OUTER JOIN (SELECT *, true AS {present} FROM b) b ON {on}"
    )
    any_changed = " OR ".join(f"d{i}" for i in range(len(compared))) or "false"
    per_column = "".join(f", count(*) FILTER (in_a AND in_b AND d{i})" for i in range(len(compared)))
    counts = db.execute(
        "SELECT count(*) FILTER (in_a AND NOT in_b), count(*) FILTER (in_b AND NOT in_a), "  # noqa: S608 (own names)
        f"count(*) FILTER (in_a AND in_b AND ({any_changed})), count(*) FILTER (in_a AND in_b){per_column} FROM j"
    ).fetchone()
    removed, added, changed, matched = counts[:4]
    rows = {
        "before": row_count(db, "a"),
        "after": row_count(db, "b"),
        "added": added,
        "removed": removed,
        "changed": changed,
        "unchanged": matched - changed,
    }
    changed_columns = {a.name: count for (a, _), count in zip(compared, counts[4:], strict=True) if count}
    order = ", ".join(f"k{i}" for i in range(len(key_columns)))
    key_list = ", ".join(f"k{i}" for i in range(len(key_columns)))

    def sample_keys(condition: str) -> str:
        return f"SELECT {key_list} FROM j WHERE {condition} ORDER BY {order} NULLS FIRST LIMIT {int(sample_size)}"  # noqa: S608

    def rows_for(table: str, schema: Schema, condition: str, pairs_side: int) -> list[tuple[dict, dict]]:
        """(key, row) for the sampled keys, from one version's table, in key order."""
        match = " AND ".join(
            f"{comparable('t', pair[pairs_side], pair[1 - pairs_side])} IS NOT DISTINCT FROM s.k{i}"
            for i, pair in enumerate(key_columns)
        )
        columns = [c for c in schema]
        selected = ", ".join([*(f"t.{c.sql}" for c in columns), *(f"s.k{i}" for i in range(len(key_columns)))])
        found = db.execute(
            f"SELECT {selected} FROM ({sample_keys(condition)}) s JOIN {table} t ON {match} "  # noqa: S608
            f"ORDER BY {', '.join(f's.k{i}' for i in range(len(key_columns)))} NULLS FIRST"
        ).fetchall()
        width = len(columns)
        return [
            (
                dict(zip(names, (json_value(v) for v in row[width:]), strict=True)),
                {c.name: json_value(v) for c, v in zip(columns, row[:width], strict=True)},
            )
            for row in found
        ]

    added_rows = [row for _, row in rows_for("b", schema_b, "in_b AND NOT in_a", 1)]
    removed_rows = [row for _, row in rows_for("a", schema_a, "in_a AND NOT in_b", 0)]
    changed_condition = f"in_a AND in_b AND ({any_changed})"
    befores = rows_for("a", schema_a, changed_condition, 0)
    afters = rows_for("b", schema_b, changed_condition, 1)
    changed_rows = [
        {"key": key, "before": old, "after": new} for (key, old), (_, new) in zip(befores, afters, strict=True)
    ]
    db.execute("DROP TABLE j")
    return rows, changed_columns, {"added": added_rows, "removed": removed_rows, "changed": changed_rows}


def unused_name(taken: set[str]) -> str:
    name = "datamill_present"
    while name in taken:
        name = f"_{name}"
    return quote_identifier(name)


def row_count(db, table: str) -> int:
    return db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (own table names)


def multiset_diff(db, common, sample_size: int):
    if not common:
        before, after = row_count(db, "a"), row_count(db, "b")
        rows = {"before": before, "after": after, "added": after, "removed": before, "changed": 0, "unchanged": 0}
        return rows, {"added": [], "removed": [], "changed": []}
    side_a = ", ".join(f"{comparable('a', a, b)} AS {quote_identifier(a.name)}" for a, b in common)
    side_b = ", ".join(f"{comparable('b', b, a)} AS {quote_identifier(a.name)}" for a, b in common)
    db.execute(f"CREATE TEMP TABLE added AS SELECT {side_b} FROM b EXCEPT ALL SELECT {side_a} FROM a")  # noqa: S608
    db.execute(f"CREATE TEMP TABLE removed AS SELECT {side_a} FROM a EXCEPT ALL SELECT {side_b} FROM b")  # noqa: S608
    before, after = row_count(db, "a"), row_count(db, "b")
    added, removed = row_count(db, "added"), row_count(db, "removed")
    names = [a.name for a, _ in common]

    def sample(table: str) -> list[dict]:
        found = db.execute(f"SELECT * FROM {table} ORDER BY ALL NULLS FIRST LIMIT {int(sample_size)}").fetchall()  # noqa: S608
        return [{name: json_value(v) for name, v in zip(names, row, strict=True)} for row in found]

    sample_rows = {"added": sample("added"), "removed": sample("removed"), "changed": []}
    rows = {
        "before": before,
        "after": after,
        "added": added,
        "removed": removed,
        "changed": 0,
        "unchanged": before - removed,
    }
    db.execute("DROP TABLE added")
    db.execute("DROP TABLE removed")
    return rows, sample_rows


def profile_drift(before: DiffSide, after: DiffSide) -> dict:
    names = [c["name"] for c in after.columns] + [
        c["name"] for c in before.columns if c["name"] not in {d["name"] for d in after.columns}
    ]
    drift = {}
    for name in names:
        a, b = before.profile.get(name) or {}, after.profile.get(name) or {}
        drift[name] = {measure: [json_value(a.get(measure)), json_value(b.get(measure))] for measure in DRIFT_MEASURES}
    return drift
