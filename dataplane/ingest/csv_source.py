"""Reading a UTF-8 CSV with DuckDB exactly as written: every field as text, strict RFC 4180 quoting.

Fields come back as VARCHAR named c0..cN; the header line is skipped here because it was read (and
cleaned) in Python. Malformed lines are collected by DuckDB's reject table during the type-inference
pass and turned into one sentence naming the first bad line.
"""

import re
from pathlib import Path

from .errors import IngestError
from .sql import literal

# DuckDB's default; a longer line (one record, quoted newlines included) is refused with its line number.
MAX_LINE_BYTES = 2_097_152


def internal_name(index: int) -> str:
    return f"c{index}"


def read_csv_sql(path: Path, *, delimiter: str, width: int, skip_lines: int = 0, mode: str = "strict") -> str:
    """A `read_csv(...)` call; mode "collect" records malformed lines in `reject_errors` instead of failing,
    "lenient" skips them (for a quick sample)."""
    columns = ", ".join(f"{literal(internal_name(i))}: 'VARCHAR'" for i in range(width))
    options = [
        f"delim = {literal(delimiter)}",
        "quote = '\"'",
        "escape = '\"'",
        "header = true",
        f"skip = {int(skip_lines)}",
        f"columns = {{{columns}}}",
        "auto_detect = false",
        "strict_mode = true",
        "null_padding = false",
        f"max_line_size = {MAX_LINE_BYTES}",
    ]
    if mode == "collect":
        options.append("store_rejects = true")
    elif mode == "lenient":
        options.append("ignore_errors = true")
    return f"read_csv({literal(path)}, {', '.join(options)})"


def raise_first_reject(db, path: Path, header: list[str]) -> None:
    """If the collecting pass met a malformed line, raise an IngestError that names the first one."""
    reject = db.execute(
        "SELECT line, line_byte_position, column_idx, error_type, error_message "
        "FROM reject_errors ORDER BY line, byte_position LIMIT 1"
    ).fetchall()
    if not reject:
        return
    record_number, line_start, column_index, error_type, error_message = reject[0]
    line = physical_line(path, line_start - 1) if line_start else record_number
    width = len(header)
    if error_type in ("TOO MANY COLUMNS", "MISSING COLUMNS"):
        found = re.search(r"Found: (\d+)", error_message or "")
        if found:
            count = int(found.group(1))
            raise IngestError(
                f"Line {line} has {count:,} field{'s' if count != 1 else ''}, but the header has {width:,}."
            )
        more = "more" if error_type == "TOO MANY COLUMNS" else "fewer"
        raise IngestError(f"Line {line} has {more} fields than the header ({width:,}).")
    column = ""
    if column_index and 1 <= column_index <= width:
        column = f', column "{header[column_index - 1].strip() or column_index}"'
    if error_type == "UNQUOTED VALUE":
        raise IngestError(
            f"Line {line}{column}: a quoted value is not closed properly. Inside quotes a quote must be doubled "
            '(""), and the closing quote must be followed by the delimiter or the end of the line.'
        )
    if error_type == "LINE SIZE OVER MAXIMUM":
        raise IngestError(f"Line {line} is longer than {MAX_LINE_BYTES // 1024**2} MB, the most one row may hold.")
    raise IngestError(f"Line {line}{column} could not be read: {(error_message or error_type).strip()}")


def physical_line(path: Path, offset: int) -> int:
    """The 1-based line (as an editor counts them: \\n, \\r\\n or \\r) on which byte `offset` sits."""
    lines, remaining, previous = 1, offset, b""
    with path.open("rb") as file:
        while remaining > 0:
            chunk = file.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            lines += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
            if previous == b"\r" and chunk.startswith(b"\n"):
                lines -= 1  # a \r\n split by the chunk boundary was counted twice
            previous = chunk[-1:]
    return lines
