"""`build_version_file`: the recipe's steps over a version's inferred Parquet file, written as its final file.

Runs in the worker right after the ingest, in a sandboxed DuckDB like the ingest's: one COPY of the stacked
steps (engine/recipe.py) to a temporary name, renamed into place only when complete, then the same profile
the ingest computes. A cast to text of a typed column reads the source's written text (raw_text.py), joined
by position. A step that cannot be applied raises RecipeFailed with a sentence naming the step, the column
and an example value; nothing is left at the destination.
"""

import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

import duckdb

from dataplane.engine import isolation
from dataplane.engine.connection import sandboxed_connection
from dataplane.engine.errors import QueryError
from dataplane.engine.recipe import BUILD_ERROR_PREFIX, compile_recipe
from dataplane.engine.sql import Fragment
from dataplane.errors import JobError
from dataplane.ingest.limits import IngestLimits
from dataplane.ingest.profile import profile_parquet
from dataplane.ingest.result import ColumnInfo
from dataplane.ingest.writer import (
    PARQUET_OPTIONS,
    ROW_GROUP_FULL_WIDTH,
    ROW_GROUP_MIN_ROWS,
    ROW_GROUP_ROWS,
    atomic_destination,
)

from .raw_text import raw_text_relation
from .steps import parse_steps


class RecipeFailed(JobError):
    """A step could not be applied to this version; the text says which, where and why."""


@dataclass
class BuiltFile:
    columns: list[dict]
    row_count: int
    profile: dict


def build_version_file(
    *,
    inferred_path: Path,
    destination: Path,
    columns: list[dict],
    steps: list[dict],
    source: Path | None,
    work_dir: Path,
    timeout_s: float,
    limits: IngestLimits = IngestLimits(),  # noqa: B008 - frozen
    children: int = 4,
    warm: int = 1,
) -> BuiltFile:
    """Apply `steps` to the inferred file (schema `columns`); write the result at `destination`.

    The steps carry what a person wrote: a `derive` expression, and `replace` text that can multiply a value's
    length (each "a" of a long value becoming a long text). So the build runs in an isolated child process
    (engine/isolation.py), where the ingest's memory limit holds whatever the steps compute, stopped past
    `timeout_s`; `children` and `warm` size the pool of those processes (the caller's settings)."""
    arguments = {"inferred_path": inferred_path, "destination": destination, "columns": columns, "steps": steps}
    arguments.update(source=source, work_dir=work_dir, limits=limits)
    return _build_isolated(arguments, limits, timeout_s=timeout_s, children=children, warm=warm)


def _refused(code: str, message: str, details) -> RecipeFailed:
    return RecipeFailed(f"The recipe could not be applied: {message}")


def _build_isolated(arguments: dict, limits: IngestLimits, *, timeout_s: float, children: int, warm: int) -> BuiltFile:
    answer = isolation.run(
        "dataplane.recipes.build:build_in_child",
        kwargs=arguments,
        memory_limit=limits.memory_limit,
        timeout_s=timeout_s,
        error=_refused,
        children=children,
        warm=warm,
    )
    if "failed" in answer:
        raise RecipeFailed(answer["failed"])
    return BuiltFile(**answer)


def build_in_child(**arguments) -> dict:
    """The isolated child's side of `build_version_file`: the built file as plain values, or why it failed."""
    try:
        return asdict(_build_version_file_here(**arguments))
    except RecipeFailed as failed:
        return {"failed": str(failed)}


def _build_version_file_here(
    *,
    inferred_path: Path,
    destination: Path,
    columns: list[dict],
    steps: list[dict],
    source: Path | None,
    work_dir: Path,
    limits: IngestLimits,
) -> BuiltFile:
    try:
        parsed = parse_steps(steps)
        # A first compilation finds which typed columns a cast turns back into text: only those are re-read.
        typed = {c["name"]: c["name"] for c in columns if c["type"] != "text"}
        positions = compile_recipe(Fragment("x"), columns, parsed, raw_columns=typed).raw_positions
    except QueryError as error:
        raise RecipeFailed(f"The recipe does not fit this version: {error.message}") from None
    work_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".recipe-", dir=work_dir))
    try:
        directories = {inferred_path.parent.resolve(), destination.parent.resolve(), work_dir.resolve()}
        if source is not None:
            directories.add(source.parent.resolve())
        db = sandboxed_connection(
            allowed_directories=sorted(directories),
            memory_limit=limits.memory_limit,
            threads=limits.threads,
            temp_directory=scratch / "spill",
        )
        try:
            return _build(db, inferred_path, destination, columns, parsed, source, positions, scratch, limits)
        finally:
            db.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _raw_names(columns: list[dict], positions: set[int]) -> dict[int, str]:
    taken = {c["name"] for c in columns}
    names = {}
    for position in positions:
        name = f"datamill_written_{position}"
        while name in taken:
            name = f"_{name}"
        names[position] = name
    return names


def _build(db, inferred_path, destination, columns, steps, source, positions, scratch, limits) -> BuiltFile:
    base = Fragment("read_parquet(?, file_row_number = true)", (str(inferred_path.resolve()),))
    raw_columns: dict[str, str] = {}
    if positions and source is not None:
        names = _raw_names(columns, positions)
        raw = raw_text_relation(source, scratch, names, limits)
        if raw is not None:
            base = Fragment("(SELECT * FROM ") + base + Fragment(f" AS typed POSITIONAL JOIN {raw} AS written)")
            raw_columns = {columns[position]["name"]: name for position, name in names.items()}
    try:
        recipe = compile_recipe(base, columns, steps, for_build=True, raw_columns=raw_columns)
    except QueryError as error:
        raise RecipeFailed(f"The recipe does not fit this version: {error.message}") from None
    width = len(recipe.columns)
    group = max(ROW_GROUP_MIN_ROWS, min(ROW_GROUP_ROWS, ROW_GROUP_ROWS * ROW_GROUP_FULL_WIDTH // max(1, width)))
    infos = [ColumnInfo(c.name, c.original_name, c.type, nullable=True) for c in recipe.columns]
    with atomic_destination(destination) as temporary:
        query = recipe.output()
        copy = Fragment("COPY (") + query + Fragment(f") TO ? ({PARQUET_OPTIONS}, ROW_GROUP_SIZE {group})")
        try:
            db.execute(copy.text, [*copy.params, str(temporary)])
        except duckdb.Error as error:
            text = str(error)
            if BUILD_ERROR_PREFIX in text:  # a failing cast, in the words the compiled step gave it
                raise RecipeFailed(text.split(BUILD_ERROR_PREFIX, 1)[1].strip()) from None
            raise RecipeFailed(f"The recipe could not be applied: {text.splitlines()[0]}") from None
        row_count = db.execute("SELECT count(*) FROM read_parquet(?)", [str(temporary)]).fetchone()[0]
        if row_count == 0:
            raise RecipeFailed("The recipe's steps keep no rows of this file; a version needs at least one.")
        profile = profile_parquet(db, temporary, infos, row_count)
    schema = [
        {
            **_inferred_extras(columns, c),
            "name": c.name,
            "original_name": c.original_name,
            "type": c.type,
            "nullable": profile.get(c.name, {}).get("nulls", 0) > 0,
            "format": c.format,
        }
        for c in recipe.columns
    ]
    return BuiltFile(columns=schema, row_count=row_count, profile=profile)


def _inferred_extras(columns: list[dict], column) -> dict:
    """What inference said about a column that no step retyped (such as an assumed day/month order)."""
    for entry in columns:
        same_origin = entry.get("original_name", entry["name"]) == column.original_name
        if same_origin and entry["type"] == column.type and entry.get("format") == column.format:
            return {key: value for key, value in entry.items() if key not in ("name", "nullable")}
    return {}
