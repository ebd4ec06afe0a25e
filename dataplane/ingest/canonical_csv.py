"""The CSV that Excel and JSON input are rewritten into, so one reader and one type inference serve all.

UTF-8, comma-delimited, every field quoted, "\\n" between rows. A null is written as an empty field,
which the reader turns back into null, like an empty CSV field.
"""

import csv
from collections.abc import Iterable
from pathlib import Path

DELIMITER = ","


class CanonicalCsv:
    def __init__(self, path: Path):
        self.path = path
        self._file = path.open("w", encoding="utf-8", newline="")
        self._writer = csv.writer(self._file, delimiter=DELIMITER, quoting=csv.QUOTE_ALL, lineterminator="\n")
        self.rows = 0

    def write_header(self, names: list[str]) -> None:
        self._writer.writerow(names)

    def write_rows(self, rows: Iterable[list[str | None]]) -> None:
        for row in rows:
            self._writer.writerow(row)
            self.rows += 1

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> "CanonicalCsv":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
