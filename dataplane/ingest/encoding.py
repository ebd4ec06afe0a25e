"""Turn accepted text encodings into UTF-8 for DuckDB, streaming, so memory stays flat whatever the size.

UTF-8 (with or without BOM) is only checked and read in place. UTF-16 (with BOM) and Windows-1252 are
transcoded chunk by chunk into the scratch folder. Text that is none of these is refused with the offset
of the first byte that does not fit. Windows-1252 stands in for Latin-1: it agrees on every printable
Latin-1 character and also has the euro sign and curly quotes that real Latin-1 exports contain.
"""

import codecs
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import NOT_A_TABLE, IngestError

CHUNK_BYTES = 1 << 20
SAMPLE_BYTES = 1 << 20
# Ordinary text has none of these; binary files are full of them.
CONTROL_CHARACTERS = frozenset(chr(code) for code in range(32)) - set("\t\n\r\f\v")


@dataclass(frozen=True)
class Utf8Text:
    path: Path  # UTF-8, possibly starting with a BOM (DuckDB skips it)
    encoding: str  # what the source was written in: "utf-8", "utf-8-sig", "utf-16" or "cp1252"


class _NotUtf8(Exception):
    def __init__(self, offset: int, byte: int, saw_utf8: bool):
        self.offset, self.byte, self.saw_utf8 = offset, byte, saw_utf8


def binary_data_error(offset: int) -> IngestError:
    return IngestError(NOT_A_TABLE[:-1] + f" (it contains binary data at byte {offset}).")


def as_utf8(source: Path, scratch: Path, on_bytes: Callable[[int], None]) -> Utf8Text:
    """The source as a UTF-8 file: the source itself when it already is one, else a transcoded copy."""
    with source.open("rb") as file:
        head = file.read(4)
    if head.startswith(codecs.BOM_UTF8):
        try:
            _check_utf8(source, on_bytes)
        except _NotUtf8 as error:
            raise _broken_utf8(error) from None
        return Utf8Text(source, "utf-8-sig")
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Utf8Text(_transcode(source, scratch / "text-utf8.csv", "utf-16", on_bytes), "utf-16")
    try:
        _check_utf8(source, on_bytes)
        return Utf8Text(source, "utf-8")
    except _NotUtf8 as error:
        if error.saw_utf8:
            raise _broken_utf8(error) from None
    return Utf8Text(_transcode(source, scratch / "text-utf8.csv", "cp1252", on_bytes), "cp1252")


def read_sample(path: Path) -> tuple[str, bool]:
    """The first MB of a UTF-8 file as text, and whether that is the whole file."""
    with path.open("rb") as file:
        data = file.read(SAMPLE_BYTES + 1)
    complete = len(data) <= SAMPLE_BYTES
    text = codecs.getincrementaldecoder("utf-8")().decode(data[:SAMPLE_BYTES], final=complete)
    if text.startswith("\ufeff"):
        text = text[1:]
    controls = sum(1 for char in text if char in CONTROL_CHARACTERS)
    if controls > len(text) / 100:
        raise IngestError(NOT_A_TABLE[:-1] + " (it is full of control characters, as binary files are).")
    return text, complete


def _check_utf8(path: Path, on_bytes: Callable[[int], None]) -> None:
    """Raise _NotUtf8 at the first byte that is not UTF-8; IngestError at a NUL byte."""
    offset, pending, saw_utf8 = 0, b"", False
    with path.open("rb") as file:
        while chunk := file.read(CHUNK_BYTES):
            if (nul := chunk.find(b"\0")) >= 0:
                raise binary_data_error(offset + nul)
            if pending or not chunk.isascii():
                data, start = pending + chunk, offset - len(pending)
                pending = b""
                try:
                    data.decode("utf-8")
                    saw_utf8 = True
                except UnicodeDecodeError as error:
                    valid = data[: error.start]
                    saw_utf8 = saw_utf8 or not valid.isascii()
                    if error.reason != "unexpected end of data" or error.end != len(data):
                        raise _NotUtf8(start + error.start, data[error.start], saw_utf8) from None
                    pending = data[error.start :]  # a character cut by the chunk boundary
            offset += len(chunk)
            on_bytes(offset)
    if pending:
        raise _NotUtf8(offset - len(pending), pending[0], saw_utf8)


def _broken_utf8(error: _NotUtf8) -> IngestError:
    return IngestError(
        f"The text could not be decoded: it looks like UTF-8, but byte 0x{error.byte:02X} at offset {error.offset} "
        "is not valid UTF-8."
    )


def _transcode(source: Path, target: Path, encoding: str, on_bytes: Callable[[int], None]) -> Path:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with source.open("rb") as file, target.open("w", encoding="utf-8", newline="") as out:
        while True:
            chunk = file.read(CHUNK_BYTES)
            held_back = len(decoder.getstate()[0])
            try:
                text = decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as error:
                position = offset - held_back + error.start
                if encoding == "utf-16":
                    raise IngestError(
                        f"The text could not be decoded: it is marked as UTF-16, but is not valid UTF-16 "
                        f"({error.reason} at offset {position})."
                    ) from None
                raise IngestError(
                    f"The text could not be decoded: it is not UTF-8, UTF-16 or Windows-1252 "
                    f"(byte 0x{error.object[error.start]:02X} at offset {position})."
                ) from None
            if (nul := text.find("\0")) >= 0:
                raise binary_data_error(offset + nul * (2 if encoding == "utf-16" else 1))  # about, for UTF-16
            out.write(text)
            if not chunk:
                return target
            offset += len(chunk)
            on_bytes(offset)
