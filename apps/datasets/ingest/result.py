"""What an ingest produced: the schema and profile that go into the version's metadata."""

from dataclasses import asdict, dataclass, field

COLUMN_TYPES = ("integer", "bigint", "float", "boolean", "date", "timestamp", "text")


@dataclass
class ColumnInfo:
    name: str
    original_name: str
    type: str
    nullable: bool


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
        return asdict(self)
