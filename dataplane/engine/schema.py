"""A version's schema as the engine sees it: ordered, typed columns looked up by exact name."""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .errors import QueryError
from .sql import quote_identifier

INTEGER = "integer"  # BIGINT
BIGINT = "bigint"  # DECIMAL(38,0)
FLOAT = "float"  # DOUBLE
BOOLEAN = "boolean"
DATE = "date"
TIMESTAMP = "timestamp"  # TIMESTAMP without time zone
TEXT = "text"

COLUMN_TYPES = (INTEGER, BIGINT, FLOAT, BOOLEAN, DATE, TIMESTAMP, TEXT)
NUMERIC_TYPES = frozenset({INTEGER, BIGINT, FLOAT})
TEMPORAL_TYPES = frozenset({DATE, TIMESTAMP})


@dataclass(frozen=True)
class Column:
    name: str
    type: str

    @property
    def sql(self) -> str:
        return quote_identifier(self.name)

    def describe(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


class Schema:
    """The columns of one version, in file order. Names are matched exactly (case, spaces and all)."""

    def __init__(self, columns: Iterable[Mapping[str, Any]]) -> None:
        self.columns: list[Column] = []
        self._by_name: dict[str, Column] = {}
        for entry in columns:
            name, type_ = entry.get("name"), entry.get("type")
            if not isinstance(name, str) or "\x00" in name:
                raise ValueError(f"Schema column name {name!r} is not a usable name.")
            if type_ not in COLUMN_TYPES:
                raise ValueError(f"Schema column {name!r} has unknown type {type_!r}.")
            if name in self._by_name:
                raise ValueError(f"Schema names column {name!r} twice.")
            column = Column(name, type_)
            self.columns.append(column)
            self._by_name[name] = column

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def __iter__(self) -> Iterator[Column]:
        return iter(self.columns)

    def get(self, name: str) -> Column | None:
        return self._by_name.get(name)

    def column(self, name: Any, *, where: str) -> Column:
        """The column called `name`, or a QueryError saying which parameter named an unknown column."""
        column = self._by_name.get(name) if isinstance(name, str) else None
        if column is None:
            raise QueryError(
                "unknown_column",
                f"{where}: there is no column named {name!r}.",
                {"column": name, "parameter": where},
            )
        return column

    @property
    def text_columns(self) -> list[Column]:
        return [column for column in self.columns if column.type == TEXT]
