"""`ingest_file`: one uploaded file in, one typed Parquet file plus its schema and profile out.

Passes over the data, for a CSV (Excel and JSON are first rewritten into a CSV, Parquet skips to 4):

1. Python streams the bytes once: UTF-8 is validated in place, other encodings transcoded to UTF-8.
2. DuckDB reads the first rows; their values point each column to a type (see inference).
3. DuckDB reads every field as text with strict quoting and COPYs it to Parquet, each column cast to
   that type and every value checked on the way (checked_cast). Only if a value does not fit — or a line
   is malformed, or the file is wide — does a full pass classify every value first (column_types), then
   the copy casts; malformed lines are then collected and the first one is reported with its line number.
   Columns without a value in the first rows are typed afterwards from the written file.
4. DuckDB profiles the written Parquet (statistics, value frequencies, histograms).

Everything runs in a sandboxed DuckDB with a memory limit and a spill folder; no step holds the file in
Python memory. Scratch files live in a private folder under `work_dir` and are always removed.
"""

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from dataplane.engine.connection import sandboxed_connection

from . import checked_cast, column_types, inference
from .csv_source import internal_name, raise_first_reject, read_csv_sql
from .detect import detect_container, detect_text_format
from .dialect import sniff_dialect
from .encoding import as_utf8, read_sample
from .errors import IngestError, human_count, human_size
from .headers import clean_names
from .json_rows import json_to_csv
from .limits import IngestLimits
from .parquet_source import map_type, parquet_row_count, parquet_shape, parquet_types, select_from_parquet_sql
from .profile import profile_parquet
from .result import ColumnInfo, IngestResult
from .sql import identifier, literal
from .temporal import BY_FORMAT
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
    limits: IngestLimits | None = None,  # None: the defaults, DATE_ORDER read from the environment now
    progress: Progress = _ignore_progress,
    work_dir: Path | None = None,
) -> IngestResult:
    """Turn `source` into one Parquet file at `destination`, written atomically; its schema and profile.

    Raises IngestError, with a sentence for the person who sent the file, for anything it refuses; then
    nothing is left at `destination` and no scratch file remains. Running it twice on the same input
    writes the same content.
    """
    limits = limits or IngestLimits()
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
    row_count: int | None  # None: known once written
    from_parquet: bool = False  # a read error while writing is then the input's fault, not ours
    csv: "_CsvSource | None" = None
    sample: inference.Sample | None = None
    proven: bool = False  # the CSV's types come from every value, not from the sample (then checked)


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
        table, profile = self._write(table)
        columns = table.columns
        for column in columns:
            column.nullable = profile[column.name]["nulls"] > 0
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
        csv = _CsvSource(path, delimiter, header, skip_lines)
        sample = inference.sample_plans(self.db, csv.sql("lenient"), internal)
        order = self.limits.date_order
        expected = [checked_cast.expected_type(sample.plans[c], sample.kinds[c], order) for c in internal]
        text = column_types.InferredType("text", column_types.TEXT)
        columns = [_column_info(names[i], header[i], expected[i] or text) for i in range(width)]
        table = _Table(csv.sql(), columns, list(internal), row_count=None, csv=csv, sample=sample)
        typed = sum(1 for guess in expected if guess is not None)
        if not sample.rows or typed > checked_cast.CHECKED_UP_TO:
            return self._inferred_csv_table(table)
        parsed = []
        for i, column in enumerate(internal):
            if expected[i] is None:
                continue
            parse = checked_cast.parse_sql(column, expected[i])
            if parse is not None:
                parsed.append(f"{parse} AS p{i}")
            printing = checked_cast.fast_printing(self.db, expected[i], sample.probes[column])
            failure = f"Column {i + 1} does not fit the type of its first rows."
            table.expressions[i] = checked_cast.checked_cast_sql(
                column, f"p{i}" if parse else None, expected[i], failure, printing
            )
        table.from_sql = f"(SELECT {', '.join(['*', *parsed])} FROM {csv.sql()})"  # noqa: S608 (own SQL)
        return table

    def _inferred_csv_table(self, table: _Table) -> _Table:
        """The table with the types every value proves, from a pass over the whole file (see inference)."""
        csv, plans, order = table.csv, table.sample.plans, self.limits.date_order
        internal = [internal_name(i) for i in range(len(table.columns))]
        known = {column: plan if plan.known else column_types.TEXT_PLAN for column, plan in plans.items()}
        row_count, kinds = inference.full_kinds(self.db, csv.sql("collect"), known)
        raise_first_reject(self.db, csv.path, csv.header)
        if row_count == 0:
            raise IngestError("The file has a header but no rows.")
        columns, expressions = [], []
        for column, info in zip(internal, table.columns, strict=True):
            plan = known[column]
            inferred = column_types.resolve(kinds[column], plan, order) if column in kinds else None
            inferred = inferred or column_types.InferredType("text", column_types.TEXT)
            columns.append(_column_info(info.name, info.original_name, inferred))
            expressions.append(column_types.cast_sql(column, inferred))
        return _Table(csv.sql(), columns, expressions, row_count, csv=csv, sample=table.sample, proven=True)

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
        return _Table(source, columns, expressions, row_count, from_parquet=True, proven=True)

    def _write(self, table: _Table) -> tuple[_Table, dict[str, dict]]:
        with atomic_destination(self.destination) as temporary:
            rows = f"{table.row_count:,} rows" if table.row_count is not None else "every row"
            self.report(WRITING, "Writing Parquet", f"Writing {rows}")
            table = self._copy(table, temporary)
            if table.csv is not None:
                table = self._refine(table, temporary)
            self.report(PROFILING, "Profiling", f"Profiling {len(table.columns):,} columns")
            return table, profile_parquet(self.db, temporary, table.columns, table.row_count)

    def _copy(self, table: _Table, target: Path) -> _Table:
        """Write `table`; a CSV table whose types are still to be proven is retried the exact way if a value
        does not fit. Returns the table as written, with its row count."""
        try:
            copy_to_parquet(self.db, _select_sql(table), target, len(table.columns))
        except duckdb.Error as error:
            target.unlink(missing_ok=True)
            if table.from_parquet:
                raise IngestError(f"The Parquet file could not be read: {error}") from None
            if table.proven:
                raise
            table = self._inferred_csv_table(table)
            self.report(WRITING, "Writing Parquet", f"Writing {table.row_count:,} rows")
            copy_to_parquet(self.db, _select_sql(table), target, len(table.columns))
        if table.row_count is None:
            table.row_count = parquet_row_count(target)
            if table.row_count == 0:
                raise IngestError("The file has a header but no rows.")
        return table

    def _refine(self, table: _Table, target: Path) -> _Table:
        """Type the columns without any value in the sample (written as text), and say which date columns
        had their day/month order assumed, from the written file."""
        source = f"read_parquet({literal(target)})"
        plans = table.sample.plans
        internal = [internal_name(i) for i in range(len(table.columns))]
        unknown = [info.name for column, info in zip(internal, table.columns, strict=True) if not plans[column].known]
        typed = inference.refine(self.db, source, unknown, self.limits.date_order)
        if not table.proven:
            for info in inference.assumed_orders(self.db, source, table.columns, plans):
                info.assumed_order = BY_FORMAT[info.format].order
                info.alternative_format = BY_FORMAT[info.format].swapped
        if not typed:
            return table
        expressions = []
        for position, info in enumerate(table.columns):
            q = identifier(info.name)
            if info.name in typed:
                table.columns[position] = _column_info(info.name, info.original_name, typed[info.name])
                expressions.append(column_types.cast_sql(q, typed[info.name]))
            else:
                expressions.append(q)
        retyped = target.with_name(target.name + ".retyped")
        try:
            select_sql = f"SELECT {_aliased(expressions, table.columns)} FROM {source}"  # noqa: S608 (quoted)
            copy_to_parquet(self.db, select_sql, retyped, len(table.columns))
            os.replace(retyped, target)
        finally:
            retyped.unlink(missing_ok=True)
        return table


def _column_info(name: str, original_name: str, inferred: column_types.InferredType) -> ColumnInfo:
    return ColumnInfo(
        name,
        original_name,
        inferred.type,
        nullable=True,
        format=inferred.format,
        assumed_order=inferred.assumed_order,
        alternative_format=inferred.alternative,
    )


def _aliased(expressions: list[str], columns: list[ColumnInfo]) -> str:
    return ", ".join(
        f"{expression} AS {identifier(column.name)}" for expression, column in zip(expressions, columns, strict=True)
    )


def _select_sql(table: _Table) -> str:
    return f"SELECT {_aliased(table.expressions, table.columns)} FROM {table.from_sql}"  # noqa: S608 (quoted)


@dataclass(frozen=True)
class _CsvSource:
    path: Path
    delimiter: str
    header: list[str]
    skip_lines: int

    def sql(self, mode: str = "strict") -> str:
        width = len(self.header)
        return read_csv_sql(self.path, delimiter=self.delimiter, width=width, skip_lines=self.skip_lines, mode=mode)


class _Reporter:
    """Passes progress on when the stage changes or the bar moves by at least 1%, never backwards."""

    def __init__(self, progress: Progress):
        self.progress, self.fraction, self.stage = progress, -1.0, ""

    def __call__(self, fraction: float, stage: str, message: str) -> None:
        fraction = max(fraction, self.fraction)
        if stage != self.stage or fraction - self.fraction >= 0.01 or fraction == 1.0:
            self.fraction, self.stage = fraction, stage
            self.progress(fraction, stage, message)
