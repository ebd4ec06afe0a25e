"""`ingest_file`: one uploaded file in, one typed Parquet file plus its schema and profile out.

Passes over the data, for a CSV (Excel and JSON are first rewritten into a CSV, Parquet skips to 4):

1. Python streams the bytes once: UTF-8 is validated in place, other encodings transcoded to UTF-8.
2. DuckDB reads every field as text with strict quoting and classifies each value (see column_types);
   malformed lines are collected and the first one is reported with its line number.
3. DuckDB reads the file again and COPYs it to Parquet, casting each column to its inferred type.
4. DuckDB profiles the written Parquet (statistics, value frequencies, histograms).

Everything runs in a sandboxed DuckDB with a memory limit and a spill folder; no step holds the file in
Python memory. Scratch files live in a private folder under `work_dir` and are always removed.
"""

import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from apps.datasets.engine.connection import sandboxed_connection

from . import column_types
from .csv_source import internal_name, raise_first_reject, read_csv_sql
from .detect import detect_container, detect_text_format
from .dialect import sniff_dialect
from .encoding import as_utf8, read_sample
from .errors import IngestError, human_count, human_size
from .headers import clean_names
from .json_rows import json_to_csv
from .limits import IngestLimits
from .parquet_source import map_type, parquet_shape, parquet_types, select_from_parquet_sql
from .profile import profile_parquet
from .result import ColumnInfo, IngestResult
from .sql import identifier
from .writer import atomic_destination, copy_to_parquet
from .xlsx import xlsx_to_csv

Progress = Callable[[float, str, str], None]

# Where each stage starts on the job's progress bar.
DETECTING, DECODING, CONVERTING, INFERRING, WRITING, PROFILING = 0.0, 0.02, 0.1, 0.2, 0.45, 0.8


def _ignore_progress(fraction: float, stage: str, message: str) -> None:
    pass


def ingest_file(
    source: Path,
    destination: Path,
    *,
    limits: IngestLimits = IngestLimits(),  # noqa: B008 - frozen, so sharing the default is safe
    progress: Progress = _ignore_progress,
    work_dir: Path | None = None,
) -> IngestResult:
    """Turn `source` into one Parquet file at `destination`, written atomically; its schema and profile.

    Raises IngestError, with a sentence for the person who sent the file, for anything it refuses; then
    nothing is left at `destination` and no scratch file remains. Running it twice on the same input
    writes the same content.
    """
    source, destination = Path(source).resolve(), Path(destination).resolve()
    work_dir = Path(work_dir).resolve() if work_dir else destination.parent
    destination.parent.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    report = _Reporter(progress)
    report(DETECTING, "Detecting", "Reading the start of the file")

    size = source.stat().st_size
    if size == 0:
        raise IngestError("The file is empty.")
    if size > limits.max_bytes:
        raise IngestError(f"The file is {human_size(size)}; the limit is {human_size(limits.max_bytes)}.")
    with source.open("rb") as file:
        head = file.read(64)
    container = detect_container(source, head)

    scratch = Path(tempfile.mkdtemp(prefix=".ingest-", dir=work_dir))
    try:
        db = sandboxed_connection(
            allowed_directories=sorted({source.parent, destination.parent, work_dir}),
            memory_limit=limits.memory_limit,
            threads=limits.threads,
            temp_directory=scratch / "spill",
        )
        try:
            ingest = _Ingest(db, source, destination, scratch, size, limits, report)
            return ingest.run(container)
        finally:
            db.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


@dataclass
class _Table:
    """What the passes agree on before writing: the FROM clause, and each column's name, type and cast."""

    from_sql: str
    columns: list[ColumnInfo]
    expressions: list[str]
    row_count: int
    from_parquet: bool = False  # a read error while writing is then the input's fault, not ours


class _Ingest:
    def __init__(self, db, source: Path, destination: Path, scratch: Path, size: int, limits, report):
        # Results are always fetched whole: a half-read result keeps its query open, and DuckDB then
        # discards what that query wrote (such as the reject table) when the next one starts.
        self.db, self.source, self.destination, self.scratch = db, source, destination, scratch
        self.size, self.limits, self.report = size, limits, report

    def run(self, container: str) -> IngestResult:
        encoding = delimiter = None
        if container == "parquet":
            file_format, table = "parquet", self._parquet_table()
        elif container == "xlsx":
            file_format = "xlsx"
            target = self.scratch / "sheet.csv"

            self.report(DECODING, "Reading the worksheet", "Opening the workbook")
            header = xlsx_to_csv(self.source, target, self.limits, self._on_rows("Reading the worksheet", DECODING))
            table = self._csv_table(target, ",", header, skip_lines=0)
        else:
            text = as_utf8(self.source, self.scratch, self._on_decoded_bytes)
            encoding = text.encoding
            sample, complete = read_sample(text.path)
            if not sample.strip():
                raise IngestError("The file is empty.")
            file_format = detect_text_format(sample)
            if file_format in ("json", "jsonl"):
                target = self.scratch / "objects.csv"
                self.report(CONVERTING, "Reading JSON", "Collecting the fields")
                on_rows = self._on_rows("Reading JSON", CONVERTING)
                header = json_to_csv(text.path, target, file_format, self.limits, on_rows)
                table = self._csv_table(target, ",", header, skip_lines=0)
            else:
                dialect = sniff_dialect(sample, complete)
                delimiter = dialect.delimiter
                file_format = "tsv" if delimiter == "\t" else "csv"
                table = self._csv_table(text.path, delimiter, dialect.header, dialect.skip_lines)
        profile = self._write(table)
        columns = [
            ColumnInfo(c.name, c.original_name, c.type, nullable=profile[c.name]["nulls"] > 0) for c in table.columns
        ]
        self.report(1.0, "Done", f"{table.row_count:,} rows, {len(columns):,} columns")
        return IngestResult(
            format=file_format,
            encoding=encoding,
            delimiter=delimiter,
            row_count=table.row_count,
            columns=columns,
            profile=profile,
        )

    def _on_decoded_bytes(self, done: int) -> None:
        share = done / self.size if self.size else 1.0
        message = f"{human_size(done)} of {human_size(self.size)} checked"
        self.report(DECODING + (CONVERTING - DECODING) * share, "Decoding", message)

    def _on_rows(self, stage: str, start: float) -> Callable[[int, int | None], None]:
        def on_rows(done: int, total: int | None) -> None:
            share = min(done / total, 1.0) if total else 0.0
            self.report(start + (INFERRING - start) * share, stage, f"{done:,} rows read")

        return on_rows

    def _check_width(self, width: int) -> None:
        if width > self.limits.max_columns:
            raise IngestError(
                f"The file has {human_count(width)} columns; the limit is {human_count(self.limits.max_columns)}."
            )

    def _csv_table(self, path: Path, delimiter: str, header: list[str], skip_lines: int) -> _Table:
        self._check_width(len(header))
        names = clean_names(header)
        width = len(header)
        self.report(INFERRING, "Inferring types", f"Checking every value of {width:,} columns")
        internal = [internal_name(i) for i in range(width)]
        row_count, kinds = column_types.infer_kinds(
            self.db,
            sample_source=read_csv_sql(path, delimiter=delimiter, width=width, skip_lines=skip_lines, mode="lenient"),
            full_source=read_csv_sql(path, delimiter=delimiter, width=width, skip_lines=skip_lines, mode="collect"),
            columns=internal,
        )
        raise_first_reject(self.db, path, header)
        if row_count == 0:
            raise IngestError("The file has a header but no rows.")
        columns, expressions = [], []
        for i in range(width):
            inferred = column_types.InferredType(column_types.decide(kinds[i]), kinds[i])
            columns.append(ColumnInfo(names[i], header[i], inferred.type, nullable=True))
            expressions.append(column_types.cast_sql(internal[i], inferred))
        strict = read_csv_sql(path, delimiter=delimiter, width=width, skip_lines=skip_lines)
        return _Table(strict, columns, expressions, row_count)

    def _parquet_table(self) -> _Table:
        originals, row_count = parquet_shape(self.source)
        self._check_width(len(originals))
        if row_count == 0:
            raise IngestError("The file has columns but no rows.")
        self.report(INFERRING, "Reading the schema", f"{len(originals):,} columns")
        try:
            types = parquet_types(self.db, self.source)
        except duckdb.Error as error:
            raise IngestError(f"The Parquet file could not be read: {error}") from None
        if len(types) != len(originals):
            raise IngestError("The Parquet file could not be read: its columns do not match its schema.")
        names = clean_names([str(name) for name in originals])
        internal = [internal_name(i) for i in range(len(originals))]
        columns, expressions = [], []
        for i, duckdb_type in enumerate(types):
            kind, template = map_type(duckdb_type)
            columns.append(ColumnInfo(names[i], str(originals[i]), kind, nullable=True))
            expressions.append(template.format(c=internal[i]))
        source = select_from_parquet_sql(self.source, internal)
        return _Table(source, columns, expressions, row_count, from_parquet=True)

    def _write(self, table: _Table) -> dict[str, dict]:
        selects = ", ".join(
            f"{expression} AS {identifier(column.name)}"
            for expression, column in zip(table.expressions, table.columns, strict=True)
        )
        with atomic_destination(self.destination) as temporary:
            self.report(WRITING, "Writing Parquet", f"Writing {table.row_count:,} rows")
            try:
                select_sql = f"SELECT {selects} FROM {table.from_sql}"  # noqa: S608 (quoted identifiers only)
                copy_to_parquet(self.db, select_sql, temporary, len(table.columns))
            except duckdb.Error as error:
                if table.from_parquet:
                    raise IngestError(f"The Parquet file could not be read: {error}") from None
                raise
            self.report(PROFILING, "Profiling", f"Profiling {len(table.columns):,} columns")
            return profile_parquet(self.db, temporary, table.columns, table.row_count)


class _Reporter:
    """Passes progress on when the stage changes or the bar moves by at least 1%, never backwards."""

    def __init__(self, progress: Progress):
        self.progress, self.fraction, self.stage = progress, -1.0, ""

    def __call__(self, fraction: float, stage: str, message: str) -> None:
        fraction = max(fraction, self.fraction)
        if stage != self.stage or fraction - self.fraction >= 0.01 or fraction == 1.0:
            self.fraction, self.stage = fraction, stage
            self.progress(fraction, stage, message)
