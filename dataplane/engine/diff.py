"""What changed from one version to another, computed by DuckDB over the two Parquet files.

Two ways to match rows:

- **Keyed** (`key` names one or more columns present in both versions, unique in each): a full outer join
  on the key. A key only in the new version is an added row, only in the old one a removed row; a key in both
  is changed when any common non-key column differs (null equals null), else unchanged. `changed_columns`
  counts, per common column, the matched rows where it differs. One pass over the join gives every count and
  the first keys of each kind; the sampled rows are then read by key.
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
    row_count: int | None = None

    @property
    def schema(self) -> Schema:
        return Schema(self.columns)

    def known_unique(self, key: Sequence[str]) -> bool:
        """Whether the stored (exact) profile already proves the key unique: one of its columns has no nulls
        and as many distinct values as rows (then so has the whole key). Otherwise the diff checks it."""
        if not self.row_count:
            return False
        for name in key:
            profile = self.profile.get(name) or {}
            if profile.get("nulls") == 0 and profile.get("distinct") == self.row_count:
                return True
        return False


def version_diff(
    before: DiffSide,
    after: DiffSide,
    key: Sequence[str] | None = None,
    *,
    sample_size: int = SAMPLE_SIZE,
    memory_limit: str = "1GB",
    temp_directory: Path | None = None,
) -> dict:
    """The difference from `before` to `after`, keyed on `key` or by whole rows when it is empty.

    Raises QueryError for a key column missing from either version (`unknown_column`), too many key columns,
    or a key that is not unique in a version (`key_not_unique`, with an example value).
    """
    schema_a, schema_b = before.schema, after.schema
    key_columns = key_pairs(schema_a, schema_b, list(key or []))
    common = [(c, schema_b.get(c.name)) for c in schema_a if c.name in schema_b]
    directories = {before.path.resolve().parent, after.path.resolve().parent}
    # A whole-row diff holds the rows only one side has; with a temp directory DuckDB spills them to disk.
    db = sandboxed_connection(allowed_directories=directories, memory_limit=memory_limit, temp_directory=temp_directory)
    try:
        for name, side in (("a", before), ("b", after)):
            db.execute(f"CREATE TEMP VIEW {name} AS SELECT * FROM read_parquet({file_literal(side.path)})")  # noqa: S608
        if key_columns:
            checks = (not before.known_unique(list(key)), not after.known_unique(list(key)))
            rows, changed_columns, sample = keyed_diff(db, key_columns, common, schema_a, schema_b, sample_size, checks)
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


def keyed_diff(db, key_columns, common, schema_a: Schema, schema_b: Schema, sample_size: int, checks=(True, True)):
    """`checks` says, for each version, whether the key's uniqueness still has to be checked.

    One pass over the full outer join gives every count and the first `sample_size` keys of each kind (DuckDB's
    `min(key, n)`, the key as a struct so a null key is kept); the sampled rows are then read by key, which
    the Parquet row-group statistics mostly answer without scanning the files again.
    """
    names = [a.name for a, _ in key_columns]
    for position, (table, which) in enumerate((("a", "the first version"), ("b", "the second version"))):
        if checks[position]:
            check_unique(db, table, [pair[position].sql for pair in key_columns], names, which)
    key_names = {a.name for a, _ in key_columns}
    compared = [(a, b) for a, b in common if a.name not in key_names]
    on = " AND ".join(
        f"{comparable('a', ka, kb)} IS NOT DISTINCT FROM {comparable('b', kb, ka)}" for ka, kb in key_columns
    )
    # The key as a struct of its columns (as text where the versions typed one differently), fields k0, k1, ...
    key = ", ".join(
        f"'k{i}': coalesce({comparable('a', ka, kb)}, {comparable('b', kb, ka)})"
        for i, (ka, kb) in enumerate(key_columns)
    )
    flags = "".join(
        f", ({comparable('a', a, b)} IS DISTINCT FROM {comparable('b', b, a)}) AS d{i}"
        for i, (a, b) in enumerate(compared)
    )
    present = unused_name({c.name for c in schema_a} | {c.name for c in schema_b})
    joined = (
        f"SELECT {{{key}}} AS k, a.{present} IS NOT NULL AS in_a, b.{present} IS NOT NULL AS in_b{flags} "  # noqa: S608
        f"FROM (SELECT *, true AS {present} FROM a) a FULL OUTER JOIN (SELECT *, true AS {present} FROM b) b ON {on}"
    )
    changed = "in_a AND in_b AND (" + (" OR ".join(f"d{i}" for i in range(len(compared))) or "false") + ")"
    per_column = "".join(f", count(*) FILTER (in_a AND in_b AND d{i})" for i in range(len(compared)))
    n = int(sample_size)
    found = db.execute(
        "SELECT count(*) FILTER (in_a AND NOT in_b), count(*) FILTER (in_b AND NOT in_a), "  # noqa: S608 (own names)
        f"count(*) FILTER ({changed}), count(*) FILTER (in_a AND in_b), count(*) FILTER (in_a), "
        f"count(*) FILTER (in_b){per_column}, min(k, {n}) FILTER (in_b AND NOT in_a), "
        f"min(k, {n}) FILTER (in_a AND NOT in_b), min(k, {n}) FILTER ({changed}) FROM ({joined})"
    ).fetchone()
    removed, added, changed_count, matched, before, after = found[:6]
    rows = {
        "before": before,
        "after": after,
        "added": added,
        "removed": removed,
        "changed": changed_count,
        "unchanged": matched - changed_count,
    }
    per_column_counts = found[6 : 6 + len(compared)]
    changed_columns = {a.name: count for (a, _), count in zip(compared, per_column_counts, strict=True) if count}
    added_keys, removed_keys, changed_keys = (
        [tuple(k.values()) for k in (keys or [])] for keys in found[6 + len(compared) :]
    )
    rows_a = rows_by_key(db, "a", schema_a, key_columns, 0, removed_keys + changed_keys)
    rows_b = rows_by_key(db, "b", schema_b, key_columns, 1, added_keys + changed_keys)

    def key_dict(values: tuple) -> dict:
        return {name: json_value(v) for name, v in zip(names, values, strict=True)}

    # A key that equality cannot find again (a NaN) is left out of the samples, never an error.
    sample = {
        "added": [rows_b[k] for k in added_keys if k in rows_b],
        "removed": [rows_a[k] for k in removed_keys if k in rows_a],
        "changed": [
            {"key": key_dict(k), "before": rows_a[k], "after": rows_b[k]}
            for k in changed_keys
            if k in rows_a and k in rows_b
        ],
    }
    return rows, changed_columns, sample


def rows_by_key(db, table: str, schema: Schema, key_columns, side: int, keys: list[tuple]) -> dict[tuple, dict]:
    """The rows of one version whose key is one of `keys` (key tuples as the diff's struct holds them)."""
    if not keys:
        return {}
    expressions = [comparable("t", pair[side], pair[1 - side]) for pair in key_columns]
    alternatives, params = [], []
    for values in keys:
        parts = []
        for expression, value in zip(expressions, values, strict=True):
            if value is None:
                parts.append(f"{expression} IS NULL")
            else:
                parts.append(f"{expression} = ?")
                params.append(value)
        alternatives.append("(" + " AND ".join(parts) + ")")
    columns = list(schema)
    selected = ", ".join([*(f"t.{c.sql}" for c in columns), *expressions])
    found = db.execute(
        f"SELECT {selected} FROM {table} t WHERE {' OR '.join(alternatives)}",  # noqa: S608 (values are bound)
        params,
    ).fetchall()
    width = len(columns)
    return {
        tuple(row[width:]): {c.name: json_value(v) for c, v in zip(columns, row[:width], strict=True)} for row in found
    }


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
