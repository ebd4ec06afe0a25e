"""The version's Parquet file as a SQL relation, with a stable row id for keyset paging."""

from dataclasses import dataclass
from pathlib import Path

from .schema import Schema
from .sql import Fragment, quote_identifier

FILE_ROW_NUMBER = "file_row_number"
GLOB_CHARACTERS = frozenset("*?[]{}")


@dataclass(frozen=True)
class ParquetSource:
    """`read_parquet` over one file (path bound as a value); `row_id` is the row's position in the file.

    DuckDB's `file_row_number` is the row id, and costs nothing. It is asked for with the option rather than
    used as a virtual column: DuckDB 2.0's top-N late materialization fails with an internal error when a
    query filters on the virtual column. A file that has a real column with that name cannot have the
    option, so then the row id is numbered in file order by a window instead (slower, still exact).
    """

    path: Path
    schema: Schema

    def __post_init__(self) -> None:
        if GLOB_CHARACTERS & set(str(self.path)):
            raise ValueError(f"{self.path} holds glob characters, which read_parquet would expand.")

    @property
    def directory(self) -> Path:
        return self.path.resolve().parent

    @property
    def cheap_row_id(self) -> bool:
        """Whether the row id costs nothing (DuckDB's) rather than a window over the whole file."""
        return FILE_ROW_NUMBER not in self.schema

    @property
    def row_id(self) -> str:
        if self.cheap_row_id:
            return FILE_ROW_NUMBER
        taken = {column.name for column in self.schema}
        name = "datamill_row_id"
        while name in taken:
            name = f"_{name}"
        return quote_identifier(name)

    def relation(self, *, row_id: bool = True) -> Fragment:
        """The file as a relation; with `row_id`, `self.row_id` names each row's position in the file."""
        scan = "read_parquet(?, hive_partitioning = false)"
        path = (str(self.path.resolve()),)
        if not row_id:
            return Fragment(scan, path)
        if self.cheap_row_id:
            return Fragment("read_parquet(?, hive_partitioning = false, file_row_number = true)", path)
        numbered = f"(SELECT *, row_number() OVER () - 1 AS {self.row_id} FROM {scan})"  # noqa: S608 (own names)
        return Fragment(numbered, path)
