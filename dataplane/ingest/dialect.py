"""Which delimiter a CSV uses, and its header, decided from the first megabyte of text."""

import csv
import io
import re
from dataclasses import dataclass

from .errors import IngestError

DELIMITERS = (",", ";", "\t", "|")
SNIFF_RECORDS = 200


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    header: list[str]
    skip_lines: int  # blank lines before the header, which DuckDB is told to skip


_LEADING_BLANK_LINES = re.compile(r"(?:[ \t]*(?:\r\n|\r|\n))*")


def sniff_dialect(sample: str, complete: bool) -> Dialect:
    """The candidate delimiter that splits the header into the most fields, consistently over the next rows.

    Quotes are honoured while counting, so a comma inside a quoted field does not count. A file where no
    candidate splits anything is a one-column table.
    """
    blank = _LEADING_BLANK_LINES.match(sample).group()
    skip_lines = blank.count("\n") + blank.count("\r") - blank.count("\r\n")
    sample = sample[len(blank) :]
    best: tuple | None = None
    for rank, delimiter in enumerate(DELIMITERS):
        records = _records(sample, delimiter, complete)
        if not records:
            raise IngestError("The file is empty.")
        width = len(records[0])
        rows = [record for record in records[1:] if record]
        consistent = sum(1 for record in rows if len(record) == width) / len(rows) if rows else 1.0
        score = (width > 1, consistent == 1.0, consistent, width, -rank)
        if best is None or score > best[0]:
            best = (score, delimiter, records[0])
    assert best is not None
    return Dialect(delimiter=best[1], header=best[2], skip_lines=skip_lines)


def _records(sample: str, delimiter: str, complete: bool, limit: int = SNIFF_RECORDS) -> list[list[str]]:
    """Up to `limit` records, leaving out one that the end of an incomplete sample may have cut."""
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', doublequote=True)
    records: list[list[str]] = []
    try:
        for record in reader:
            records.append(record)
            if len(records) > limit:
                break
    except csv.Error as error:
        if not records:
            raise IngestError(f"The header line could not be read: {error}.") from None
        # Else a quote left open by the end of the sample; the DuckDB pass reports real errors by line.
    if not complete and len(records) <= limit:
        records = records[:-1] if len(records) > 1 else records
    return records[:limit]
