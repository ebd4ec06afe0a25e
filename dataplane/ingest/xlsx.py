"""Excel .xlsx input: the first worksheet, streamed with openpyxl's read-only mode into the canonical CSV.

Cell values become the text that type inference expects: numbers as Python writes them (shortest
round-trip form), booleans as true/false, date cells as YYYY-MM-DD when their number format shows no
time and the time is midnight, else as YYYY-MM-DD hh:mm:ss[.ffffff]. Formulas give their cached value.
The first non-empty row is the header; trailing empty rows are dropped.
"""

import datetime as dt
import re
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from .canonical_csv import CanonicalCsv
from .errors import IngestError, human_size
from .limits import IngestLimits

# Below this, a high compression ratio is harmless (small sheets of repeated values compress very well).
RATIO_CHECK_FROM_BYTES = 50 * 1024**2


def check_zip_bomb(path: Path, limits: IngestLimits) -> None:
    """Refuse before decompressing anything: the zip's directory says how large its parts would become."""
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    expanded = sum(entry.file_size for entry in entries)
    packed = max(1, sum(entry.compress_size for entry in entries))
    if expanded > limits.max_xlsx_uncompressed_bytes:
        raise IngestError(
            f"The .xlsx file would expand to {human_size(expanded)}; the limit is "
            f"{human_size(limits.max_xlsx_uncompressed_bytes)} (a zip bomb?)."
        )
    if expanded > RATIO_CHECK_FROM_BYTES and expanded > limits.max_xlsx_compression_ratio * packed:
        raise IngestError(
            f"The .xlsx file would expand to {human_size(expanded)}, {expanded / packed:,.0f} times its size; "
            f"the limit is {limits.max_xlsx_compression_ratio} times (a zip bomb?)."
        )


def xlsx_to_csv(
    path: Path, target: Path, limits: IngestLimits, on_rows: Callable[[int, int | None], None]
) -> list[str]:
    """Write the first worksheet to `target`; its header."""
    check_zip_bomb(path, limits)
    import openpyxl  # imported here: only .xlsx input pays for it

    # A file object, not the path: given a path, openpyxl insists on an .xlsx file name.
    file = path.open("rb")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it drops, e.g. data validation
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged workbooks
        file.close()
        raise IngestError(f"The .xlsx file could not be read: {error}") from None
    try:
        if not workbook.worksheets:
            raise IngestError("The .xlsx file has no worksheet.")
        sheet = workbook.worksheets[0]
        total = sheet.max_row if isinstance(sheet.max_row, int) else None
        with CanonicalCsv(target) as out:
            return _copy_sheet(sheet, out, limits, lambda done: on_rows(done, total))
    except IngestError:
        raise
    except Exception as error:
        raise IngestError(f"The .xlsx file could not be read: {error}") from None
    finally:
        workbook.close()
        file.close()


def _copy_sheet(sheet, out: CanonicalCsv, limits: IngestLimits, on_rows: Callable[[int], None]) -> list[str]:
    rows = _rows(sheet)
    for _, header in rows:
        texts = [_text(cell) for cell in header]
        if any(text is not None and text.strip() for text in texts):
            break
    else:
        raise IngestError("The file is empty: the first worksheet has no values.")
    width = max(i for i, text in enumerate(texts) if text is not None and text.strip()) + 1
    if width > limits.max_columns:
        raise IngestError(f"The file has {width:,} columns; the limit is {limits.max_columns:,}.")
    header = [text or "" for text in texts[:width]]
    out.write_header(header)
    blank_rows = 0
    for row_number, cells in rows:
        values = [_text(cell) for cell in cells]
        if all(value is None or value == "" for value in values):
            blank_rows += 1  # kept only if a non-empty row follows: trailing empty rows are formatting
            continue
        for position, value in enumerate(values[width:], start=width):
            if value is not None and value != "":
                raise IngestError(
                    f"Row {row_number} has a value in column {_column_letter(position)}, right of the last "
                    f"column with a header ({_column_letter(width - 1)}). Give that column a header."
                )
        if blank_rows:
            out.write_rows([[None] * width] * blank_rows)
            blank_rows = 0
        out.write_rows([values[:width] + [None] * (width - len(values))])
        if out.rows % 10_000 == 0:
            on_rows(out.rows)
    return header


def _rows(sheet) -> Iterator[tuple[int, tuple]]:
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        first = next((cell for cell in cells if getattr(cell, "row", None)), None)
        yield (first.row if first is not None else number), cells


def _text(cell) -> str | None:
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and not _shows_time(getattr(cell, "number_format", "")):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _shows_time(number_format: str | None) -> bool:
    """Whether an Excel number format displays a time of day (hours or seconds; "m" alone is months)."""
    plain = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", number_format or "").lower()
    return "h" in plain or "s" in plain


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters
