"""Which kind of file this is, judged from its first bytes and never from its name."""

import json
import json.scanner
import zipfile
from pathlib import Path

from .errors import NOT_A_TABLE, IngestError

PARQUET_MAGIC = b"PAR1"
ZIP_MAGIC = b"PK\x03\x04"

# Files people often upload by mistake, named so the refusal can say what the file is.
KNOWN_BINARY = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Old Excel files (.xls) are not supported: save the sheet as .xlsx or CSV."),
    (b"\x1f\x8b", NOT_A_TABLE[:-1] + " (it is gzip-compressed: decompress it first)."),
    (b"%PDF", NOT_A_TABLE[:-1] + " (it is a PDF document)."),
    (b"PK\x05\x06", NOT_A_TABLE[:-1] + " (it is an empty zip archive)."),
    (b"\x89PNG", NOT_A_TABLE[:-1] + " (it is a PNG image)."),
    (b"\xff\xd8\xff", NOT_A_TABLE[:-1] + " (it is a JPEG image)."),
    (b"SQLite format 3\x00", NOT_A_TABLE[:-1] + " (it is an SQLite database)."),
)
_scan_json_value = json.scanner.make_scanner(json.JSONDecoder())


def detect_container(path: Path, head: bytes) -> str:
    """ "parquet", "xlsx" or "text"; anything else is refused here."""
    if head.startswith(PARQUET_MAGIC):
        with path.open("rb") as file:
            file.seek(-4, 2)
            if file.read(4) != PARQUET_MAGIC:
                raise IngestError("The Parquet file is incomplete or damaged: it does not end with the Parquet marker.")
        return "parquet"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError) as error:
            raise IngestError(f"The file is a damaged zip archive, so it cannot be read as .xlsx ({error}).") from None
        if "xl/workbook.xml" in names:
            return "xlsx"
        raise IngestError(NOT_A_TABLE[:-1] + " (it is a zip archive, but not an Excel workbook).")
    for magic, message in KNOWN_BINARY:
        if head.startswith(magic):
            raise IngestError(message)
    return "text"


def detect_text_format(sample: str) -> str:
    """ "json", "jsonl" or "csv" from the first characters of decoded text."""
    text = sample.lstrip("\ufeff \t\r\n")
    if text.startswith("{"):
        return "jsonl"
    if text.startswith("["):
        # A JSON array starts with "[" and a JSON value followed by "," or "]"; "[Name],[Age]" is a CSV header.
        rest = text[1:].lstrip(" \t\r\n")
        if rest.startswith(("{", "]")):
            return "json"
        try:
            _, end = _scan_json_value(rest, 0)
        except (StopIteration, ValueError, RecursionError):
            return "csv"
        if rest[end:].lstrip(" \t\r\n")[:1] in (",", "]"):
            return "json"
    return "csv"
