"""The source's fields as written, for a recipe that casts a column the ingest typed back to text.

The ingest keeps only typed values (`1.50` becomes the float 1.5), so a cast to text reads the field again
from the version's kept source, the way the ingest read it: the same container and format detection, the same
UTF-8 text, the same CSV reading, every field as VARCHAR in file order. The recipe then joins those columns
to the inferred file by position (both hold the rows in file order). Only the columns such a cast needs are
read, and only when a recipe has such a cast.

A Parquet source has no written text: its typed values are printed instead (None is returned).
"""

from pathlib import Path

from dataplane.ingest.csv_source import internal_name, read_csv_sql
from dataplane.ingest.detect import detect_container, detect_text_format
from dataplane.ingest.dialect import sniff_dialect
from dataplane.ingest.encoding import as_utf8, read_sample
from dataplane.ingest.json_rows import json_to_csv
from dataplane.ingest.limits import IngestLimits
from dataplane.ingest.sql import identifier
from dataplane.ingest.xlsx import xlsx_to_csv


def _ignore(*args) -> None:
    pass


def raw_text_relation(
    source: Path,
    scratch: Path,
    positions: dict[int, str],
    limits: IngestLimits = IngestLimits(),  # noqa: B008
) -> str | None:
    """A SELECT of the source's fields at `positions` (0-based) as text, each named as `positions` says;
    None for a Parquet source. Scratch files (transcoded text, a worksheet as CSV) go to `scratch`."""
    with source.open("rb") as file:
        head = file.read(64)
    container = detect_container(source, head)
    if container == "parquet":
        return None
    if container == "xlsx":
        path = scratch / "raw-sheet.csv"
        header = xlsx_to_csv(source, path, limits, _ignore)
        delimiter, skip_lines = ",", 0
    else:
        text = as_utf8(source, scratch, _ignore)
        sample, complete = read_sample(text.path)
        file_format = detect_text_format(sample)
        if file_format in ("json", "jsonl"):
            path = scratch / "raw-objects.csv"
            header = json_to_csv(text.path, path, file_format, limits, _ignore)
            delimiter, skip_lines = ",", 0
        else:
            dialect = sniff_dialect(sample, complete)
            path, header, delimiter, skip_lines = text.path, dialect.header, dialect.delimiter, dialect.skip_lines
    reader = read_csv_sql(path, delimiter=delimiter, width=len(header), skip_lines=skip_lines)
    items = ", ".join(f"{internal_name(i)} AS {identifier(name)}" for i, name in sorted(positions.items()))
    return f"(SELECT {items} FROM {reader})"  # noqa: S608 (quoted names, a path we made)
