"""The only way Datamill opens DuckDB: sandboxed to named directories or files, bounded in memory."""

from collections.abc import Iterable
from pathlib import Path

import duckdb

DEFAULT_MEMORY_LIMIT = "1GB"


def sandboxed_connection(
    *,
    allowed_directories: Iterable[Path | str] = (),
    allowed_files: Iterable[Path | str] = (),
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int | None = None,
    temp_directory: Path | str | None = None,
    progress: bool = False,
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB that can read and write only under `allowed_directories` and the `allowed_files`
    themselves (DuckDB's `allowed_paths`: exactly those files, not their folders, no glob over them).

    Order matters: directories and files are allowed first, then external access is switched off, then the
    configuration is locked so no later statement can loosen it. With `progress`, DuckDB tracks
    `query_progress()` for another thread to read (printing nothing).
    """
    db = duckdb.connect(":memory:")
    directories = [str(Path(d).resolve()) + "/" for d in allowed_directories]
    if temp_directory is not None:
        directories.append(str(Path(temp_directory).resolve()) + "/")
        db.execute("SET temp_directory = ?", [str(temp_directory)])
    db.execute("SET allowed_directories = ?", [directories])
    db.execute("SET allowed_paths = ?", [[str(Path(f).resolve()) for f in allowed_files]])
    db.execute("SET memory_limit = ?", [memory_limit])
    if threads:
        db.execute(f"SET threads = {int(threads)}")
    if progress:
        db.execute("SET enable_progress_bar = true")
        db.execute("SET enable_progress_bar_print = false")
    db.execute("SET python_enable_replacements = false")  # no table name ever finds a Python variable
    db.execute("SET enable_external_access = false")
    db.execute("SET autoinstall_known_extensions = false")
    db.execute("SET autoload_known_extensions = false")
    db.execute("SET lock_configuration = true")
    return db
