"""What a compiled recipe is made of: its stages' columns, each step's SQL, and the whole stack's output."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .errors import QueryError
from .schema import Column
from .sql import Fragment, quote_identifier


@dataclass(frozen=True)
class StageColumn(Column):
    """A column of one stage: its name and type for people, its internal name for the SQL."""

    internal: str = ""
    original_name: str = ""
    format: str | None = None
    raw: str | None = None  # internal name of the column's text as written in the file, when known

    @property
    def sql(self) -> str:
        return self.internal


class StageSchema:
    """What `filters_from_json` needs of a schema: columns by the names people gave them."""

    def __init__(self, columns: Sequence[StageColumn]) -> None:
        self.by_name = {column.name: column for column in columns}

    def column(self, name: Any, *, where: str) -> StageColumn:
        column = self.by_name.get(name) if isinstance(name, str) else None
        if column is None:
            raise QueryError(
                "unknown_column", f"{where}: there is no column named {name!r}.", {"column": name, "step_field": where}
            )
        return column


@dataclass
class CompiledStep:
    op: str
    relation: Fragment  # the stage after this step: row_id, keep, v..., and the counters of every step so far
    before: Fragment  # the stage this step read
    failed_condition: Fragment | None = None  # over `before`: rows where this cast fails
    failed_value: str | None = None  # internal name (in `before`) of the value that failed
    cast_from_text: str | None = None  # for a text -> date/timestamp cast: the internal name of its text column
    raw_used: str | None = None  # for a cast to text that gives the written text: the raw column it reads


@dataclass
class CompiledRecipe:
    columns: list[StageColumn]
    steps: list[CompiledStep] = field(default_factory=list)
    base: Fragment = field(default_factory=lambda: Fragment(""))
    has_window: bool = False

    @property
    def raw_positions(self) -> set[int]:
        """Positions (in the input schema) of the columns whose written text some step reads."""
        return {int(step.raw_used[1:]) for step in self.steps if step.raw_used}

    @property
    def last(self) -> Fragment:
        return self.steps[-1].relation if self.steps else self.base

    def output(self, *, limit: int | None = None) -> Fragment:
        """The kept rows of the last stage, columns under their names, in file order."""
        items = ", ".join(f"{c.internal} AS {quote_identifier(c.name)}" for c in self.columns)
        query = Fragment(f"SELECT {items} FROM (") + self.last + Fragment(") AS out WHERE keep")  # noqa: S608
        if self.has_window:  # a window loses file order; without one, the scan keeps it
            query += Fragment(" ORDER BY row_id")
        if limit is not None:
            query += Fragment(f" LIMIT {int(limit)}")
        return query

    def counters(self) -> Fragment:
        """One row: for each step, rows kept, values changed and failed casts."""
        parts = []
        for k in range(1, len(self.steps) + 1):
            parts += [f"count_if(keep{k})", f"coalesce(sum(changed{k}), 0)", f"coalesce(sum(failed{k}), 0)"]
        return Fragment(f"SELECT {', '.join(parts) or 'count(*)'} FROM (") + self.last + Fragment(") AS out")  # noqa: S608
