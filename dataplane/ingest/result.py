"""What an ingest produced: the schema and profile that go into the version's metadata."""

from dataclasses import asdict, dataclass, field

COLUMN_TYPES = ("integer", "bigint", "float", "boolean", "date", "timestamp", "text")


# Schema keys present only on a column whose day/month order was assumed (see column_types).
ASSUMED_ORDER_KEYS = ("assumed_order", "alternative_format")


@dataclass
class ColumnInfo:
    name: str
    original_name: str
    type: str
    nullable: bool
    format: str | None = None  # the strptime pattern a date or timestamp column was read with; None for ISO
    assumed_order: str | None = None  # "MDY" or "DMY" when every value read both ways and DATE_ORDER chose
    alternative_format: str | None = None  # then the pattern of the other order

    def to_dict(self) -> dict:
        entry = asdict(self)
        if self.assumed_order is None:
            for key in ASSUMED_ORDER_KEYS:
                del entry[key]
        return entry


@dataclass
class IngestResult:
    format: str
    encoding: str | None
    delimiter: str | None
    row_count: int
    columns: list[ColumnInfo] = field(default_factory=list)
    profile: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """JSON-ready: the profile is built from JSON-safe values already."""
        data = asdict(self)
        data["columns"] = [column.to_dict() for column in self.columns]
        return data
