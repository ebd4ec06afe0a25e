"""JSON (an array of objects) and JSON Lines (one object per line) input, streamed into the canonical CSV.

Columns are the union of the objects' keys in order of first appearance (a first pass collects them);
a missing key is null. Values keep their written form: strings as they are, numbers exactly as written
(so "1.50" or a 30-digit integer reach type inference untouched), true/false, and nested objects or
arrays as their JSON text, verbatim. Only one object is held in memory at a time.
"""

import json
import json.decoder
import json.scanner
from collections.abc import Callable, Iterator
from pathlib import Path

from .canonical_csv import CanonicalCsv
from .errors import IngestError
from .limits import IngestLimits

CHUNK_CHARS = 1 << 20
MAX_OBJECT_CHARS = 64 * 1024**2
_WHITESPACE = json.decoder.WHITESPACE
_scan_value = json.scanner.make_scanner(json.JSONDecoder())
_scan_string = json.decoder.scanstring


class _Malformed(Exception):
    def __init__(self, position: int, reason: str):
        self.position, self.reason = position, reason


def json_to_csv(
    path: Path, target: Path, kind: str, limits: IngestLimits, on_rows: Callable[[int, int], None]
) -> list[str]:
    """Write the objects of `path` ("json" or "jsonl") as the canonical CSV; its header."""
    objects = _array_objects if kind == "json" else _line_objects
    keys: dict[str, int] = {}
    total = 0
    for _, pairs in objects(path):
        total += 1
        for key in pairs:
            if key not in keys:
                keys[key] = len(keys)
                if len(keys) > limits.max_columns:
                    raise IngestError(
                        f"The objects have more than {limits.max_columns:,} different keys; the limit is "
                        f"{limits.max_columns:,} columns."
                    )
    if not keys:
        raise IngestError("The file has no rows: the JSON holds no objects with fields.")
    with CanonicalCsv(target) as out:
        out.write_header(list(keys))
        for _, pairs in objects(path):
            row: list[str | None] = [None] * len(keys)
            for key, value in pairs.items():
                row[keys[key]] = value
            out.write_rows([row])
            if out.rows % 50_000 == 0:
                on_rows(out.rows, total)
    return list(keys)


def _line_objects(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        for number, line in enumerate(file, start=1):
            if not line.strip():
                continue
            try:
                pairs, end = _parse_object(line, _skip(line, 0))
                if _skip(line, end) != len(line):
                    raise _Malformed(end, "there is more text after the object")
            except _Malformed as error:
                if number == 1:
                    raise IngestError(
                        "The file is neither a JSON array of objects nor JSON Lines (one object per line): "
                        f"line 1 is not a complete JSON object ({error.reason}, column {error.position + 1})."
                    ) from None
                raise IngestError(
                    f"Line {number} is not a JSON object ({error.reason}, column {error.position + 1})."
                ) from None
            yield number, pairs


def _array_objects(path: Path) -> Iterator[tuple[int, dict[str, str | None]]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        stream = _Buffer(file)
        position = stream.skip(0)
        position = stream.expect(position, "[", "the file should start with [")
        position = stream.skip(position)
        item = 0
        if stream.char(position) == "]":
            raise IngestError("The file has no rows: the JSON array is empty.")
        while True:
            item += 1
            position = stream.skip(position)
            line = stream.line_of(position)
            if stream.char(position) != "{":
                raise IngestError(
                    f"Item {item:,} of the JSON array (line {line}) is {stream.describe(position)}, not an object. "
                    "The file should be an array of objects, one per row."
                )
            pairs, position = stream.parse(position, item)
            yield line, pairs
            position = stream.skip(position)
            separator = stream.char(position)
            if separator == "]":
                break
            position = stream.expect(position, ",", f"expected , or ] after item {item:,}")
        position = stream.skip(position + 1)
        if stream.char(position) != "":
            raise IngestError(f"Line {stream.line_of(position)}: there is more text after the end of the JSON array.")


class _Buffer:
    """A sliding window over a text file, growing only as far as the object being parsed needs."""

    def __init__(self, file):
        self.file, self.text, self.start, self.eof = file, "", 0, False  # start: file offset of text[0]
        self.lines_before, self.counted_to = 1, 0  # line number at text[counted_to]

    def _more(self, size: int = CHUNK_CHARS) -> bool:
        if self.eof:
            return False
        chunk = self.file.read(size)
        if not chunk:
            self.eof = True
            return False
        self.text += chunk
        return True

    def _at(self, position: int) -> int:
        index = position - self.start
        while index >= len(self.text) and self._more():
            pass
        return index

    def char(self, position: int) -> str:
        index = self._at(position)
        return self.text[index] if index < len(self.text) else ""

    def skip(self, position: int) -> int:
        while True:
            index = self._at(position)
            end = _WHITESPACE.match(self.text, index).end()
            position = self.start + end
            if end < len(self.text) or not self._more():
                return position

    def expect(self, position: int, char: str, reason: str) -> int:
        if self.char(position) != char:
            raise IngestError(f"The JSON is malformed on line {self.line_of(position)}: {reason}.")
        return position + 1

    def line_of(self, position: int) -> int:
        index = self._at(position)
        self.lines_before += self.text.count("\n", self.counted_to, index)
        self.counted_to = index
        return self.lines_before

    def describe(self, position: int) -> str:
        try:
            value, _ = self._scan(position)
        except _Malformed:
            return "not valid JSON"
        names = {str: "a string", bool: "true or false", int: "a number", float: "a number", list: "an array"}
        return "null" if value is None else names.get(type(value), "a value")

    def _scan(self, position: int):
        index = self._at(position)
        try:
            return _scan_value(self.text, index)
        except StopIteration:
            raise _Malformed(index, "expected a value") from None
        except json.JSONDecodeError as error:
            raise _Malformed(error.pos, error.msg) from None
        except RecursionError:
            raise _Malformed(index, "the value is nested too deeply") from None

    def parse(self, position: int, item: int) -> tuple[dict[str, str | None], int]:
        """The object at `position`, reading further while the window ends inside it."""
        self._drop_before(position)
        index = position - self.start
        while True:
            try:
                pairs, end = _parse_object(self.text, index)
                return pairs, self.start + end
            except _Malformed as error:
                if len(self.text) - index > MAX_OBJECT_CHARS or not self._more(max(CHUNK_CHARS, len(self.text))):
                    line = self.line_of(self.start + min(error.position, len(self.text)))
                    raise IngestError(
                        f"Item {item:,} of the JSON array (line {line}) is not a valid JSON object: {error.reason}."
                    ) from None

    def _drop_before(self, position: int) -> None:
        index = position - self.start
        if index > CHUNK_CHARS:
            self.line_of(position)
            self.text = self.text[index:]
            self.start, self.counted_to = position, 0


def _skip(text: str, index: int) -> int:
    return _WHITESPACE.match(text, index).end()


def _parse_object(text: str, index: int) -> tuple[dict[str, str | None], int]:
    """One JSON object starting at text[index] == "{": its fields as text, and the index after it."""
    if text[index : index + 1] != "{":
        raise _Malformed(index, "expected {")
    pairs: dict[str, str | None] = {}
    index = _skip(text, index + 1)
    if text[index : index + 1] == "}":
        return pairs, index + 1
    while True:
        if text[index : index + 1] != '"':
            raise _Malformed(index, "expected a field name in double quotes")
        try:
            key, index = _scan_string(text, index + 1)
        except json.JSONDecodeError as error:
            raise _Malformed(error.pos, error.msg) from None
        index = _skip(text, index)
        if text[index : index + 1] != ":":
            raise _Malformed(index, "expected : after the field name")
        index = _skip(text, index + 1)
        try:
            value, end = _scan_value(text, index)
        except StopIteration:
            raise _Malformed(index, "expected a value") from None
        except json.JSONDecodeError as error:
            raise _Malformed(error.pos, error.msg) from None
        except RecursionError:
            raise _Malformed(index, "the value is nested too deeply") from None
        pairs[key] = _value_text(value, text[index:end])
        index = _skip(text, end)
        separator = text[index : index + 1]
        if separator == "}":
            return pairs, index + 1
        if separator != ",":
            raise _Malformed(index, "expected , or } after a value")
        index = _skip(text, index + 1)


def _value_text(value, written: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return written  # numbers and nested objects/arrays exactly as written
