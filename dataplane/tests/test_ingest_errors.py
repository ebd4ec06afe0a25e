"""Ingest refusals: each bad input gets one sentence a person understands, and nothing is left behind."""

import io
import os
import zipfile

import pytest

from dataplane.ingest import IngestError, IngestLimits

from .test_ingest import ingest_text, refusal, rows, xlsx_bytes

NOT_A_TABLE = "This does not look like a table: it is neither CSV/TSV, Excel (.xlsx), JSON, JSON Lines nor Parquet"


@pytest.mark.parametrize("data", [b"", b"  \r\n\n  ", b"\xef\xbb\xbf"])
def test_empty_file(tmp_path, data):
    assert refusal(tmp_path, data) == "The file is empty."


@pytest.mark.parametrize("data", [b"a,b,c\n", b"a;b;c", b"\xef\xbb\xbfname\r\n"])
def test_header_without_rows(tmp_path, data):
    assert refusal(tmp_path, data) == "The file has a header but no rows."


def test_random_binary_junk(tmp_path):
    junk = bytes(range(256)) * 20
    assert refusal(tmp_path, junk) == NOT_A_TABLE + " (it contains binary data at byte 0)."


def test_nul_bytes_deep_inside_text(tmp_path):
    data = b"a,b\n" + b"1,2\n" * 400_000 + b"3,\x004\n"
    assert refusal(tmp_path, data) == NOT_A_TABLE + f" (it contains binary data at byte {len(data) - 3})."


def test_control_characters(tmp_path):
    data = b"a,b\n" + bytes(range(1, 9)) * 50 + b"\n"
    assert refusal(tmp_path, data) == NOT_A_TABLE + " (it is full of control characters, as binary files are)."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x1f\x8b\x08\x00" + bytes(100), NOT_A_TABLE + " (it is gzip-compressed: decompress it first)."),
        (b"%PDF-1.7\n" + bytes(100), NOT_A_TABLE + " (it is a PDF document)."),
        (b"\x89PNG\r\n\x1a\n" + bytes(100), NOT_A_TABLE + " (it is a PNG image)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100),
         "Old Excel files (.xls) are not supported: save the sheet as .xlsx or CSV."),
    ],
)  # fmt: skip
def test_known_binary_formats_are_named(tmp_path, data, message):
    assert refusal(tmp_path, data) == message


def test_zip_that_is_not_a_workbook(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    assert refusal(tmp_path, buffer.getvalue()) == NOT_A_TABLE + " (it is a zip archive, but not an Excel workbook)."


def test_undecodable_text(tmp_path):
    # 0x81 is undefined in Windows-1252, and the bytes are not UTF-8 either.
    data = b"name,city\nRen\xe9,Z\xfcrich\nx,\x81\n"
    assert refusal(tmp_path, data) == (
        "The text could not be decoded: it is not UTF-8, UTF-16 or Windows-1252 (byte 0x81 at offset 24)."
    )


def test_utf8_with_a_broken_byte_is_not_mistaken_for_windows_1252(tmp_path):
    data = "name\nRené\n".encode() + b"bad \xff here\n"
    assert refusal(tmp_path, data) == (
        "The text could not be decoded: it looks like UTF-8, but byte 0xFF at offset 15 is not valid UTF-8."
    )


def test_broken_utf16(tmp_path):
    data = b"\xff\xfe" + "a\n1\n".encode("utf-16-le") + b"\x00\xd8" + "\n".encode("utf-16-le")
    assert refusal(tmp_path, data) == (
        "The text could not be decoded: it is marked as UTF-16, but is not valid UTF-16 "
        "(illegal UTF-16 surrogate at offset 10)."
    )


def test_ragged_row_names_the_line_and_the_counts(tmp_path):
    # The quoted newline makes record 3 span lines 3-4, so the bad record is on line 6 of the file.
    text = 'a,b,c,d\r\n1,2,3,4\r\n5,"six\r\nsix",7,8\r\n9,10,11,12\r\n13,14,15,16,17\r\n18,19,20,21\r\n'
    assert refusal(tmp_path, text.encode()) == "Line 6 has 5 fields, but the header has 4."


def test_short_row(tmp_path):
    data = b"a,b,c\n1,2,3\n" * 1 + b"4,5,6\n" * 50_000 + b"7,8\n"
    assert refusal(tmp_path, data) == f"Line {50_003} has 2 fields, but the header has 3."


def test_single_field_row_in_a_semicolon_file(tmp_path):
    assert refusal(tmp_path, b"a;b\n1;2\nlonely\n") == "Line 3 has 1 field, but the header has 2."


def test_unclosed_quote(tmp_path):
    message = refusal(tmp_path, b'id,text\n1,"fine"\n2,"never closed\n3,x\n')
    assert message.startswith('Line 3, column "text": a quoted value is not closed properly.')


def test_text_after_a_closing_quote(tmp_path):
    message = refusal(tmp_path, b'id,text\n1,"a"b\n')
    assert message.startswith('Line 2, column "text": a quoted value is not closed properly.')


def test_line_longer_than_the_reader_allows(tmp_path):
    data = b"a,b\n1,x\n2," + b"y" * 3_000_000 + b"\n"
    assert refusal(tmp_path, data) == "Line 3 is longer than 2 MB, the most one row may hold."


def test_file_over_the_size_limit(tmp_path):
    data = b"a\n" + b"1\n" * 1_000_000
    message = refusal(tmp_path, data, limits=IngestLimits(max_bytes=1024**2))
    assert message == "The file is 1.9 MB; the limit is 1.0 MB."


def test_too_many_columns(tmp_path):
    header = ",".join(f"c{i}" for i in range(2345))
    data = f"{header}\n{','.join('1' * 2345)}\n".encode()
    assert refusal(tmp_path, data) == "The file has 2,345 columns; the limit is 2,000."


def test_column_limit_is_configurable(tmp_path):
    assert refusal(tmp_path, b"a,b,c\n1,2,3\n", limits=IngestLimits(max_columns=2)) == (
        "The file has 3 columns; the limit is 2."
    )


# --- Excel ------------------------------------------------------------------------------------------------


def zip_with(entries: dict[str, bytes | int]) -> bytes:
    """A zip archive; an int entry is that many zero bytes, written in pieces."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            if isinstance(content, int):
                with archive.open(name, "w") as entry:
                    for _ in range(content // 2**20):
                        entry.write(bytes(2**20))
            else:
                archive.writestr(name, content)
    return buffer.getvalue()


def test_xlsx_over_the_uncompressed_limit(tmp_path):
    data = zip_with({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": 3 * 2**20})
    message = refusal(tmp_path, data, limits=IngestLimits(max_xlsx_uncompressed_bytes=2**20))
    assert message == "The .xlsx file would expand to 3.0 MB; the limit is 1.0 MB (a zip bomb?)."


def test_xlsx_zip_bomb_by_compression_ratio(tmp_path):
    data = zip_with({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": 64 * 2**20})
    message = refusal(tmp_path, data)
    assert message.startswith("The .xlsx file would expand to 64.0 MB, ")
    assert message.endswith(" times its size; the limit is 100 times (a zip bomb?).")


def test_damaged_xlsx(tmp_path):
    data = zip_with({"xl/workbook.xml": b"<not really a workbook", "[Content_Types].xml": b"<Types/>"})
    assert refusal(tmp_path, data).startswith("The .xlsx file could not be read: ")


def test_xlsx_value_outside_the_header(tmp_path):
    data = xlsx_bytes([["a", "b"], [1, 2], [3, 4, "stray"]])
    assert refusal(tmp_path, data) == (
        "Row 3 has a value in column C, right of the last column with a header (B). Give that column a header."
    )


def test_empty_worksheet(tmp_path):
    assert refusal(tmp_path, xlsx_bytes([])) == "The file is empty: the first worksheet has no values."


# --- JSON -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[1, 2, 3]", "Item 1 of the JSON array (line 1) is a number, not an object. The file should be an array "
         "of objects, one per row."),
        ('[\n  {"a": 1},\n  "text"\n]', "Item 2 of the JSON array (line 3) is a string, not an object. The file "
         "should be an array of objects, one per row."),
        ("[]", "The file has no rows: the JSON array is empty."),
        ("[{}, {}]", "The file has no rows: the JSON holds no objects with fields."),
        ('[{"a": 1},\n {"a": }]', "Item 2 of the JSON array (line 2) is not a valid JSON object: expected a value."),
        ('[{"a": 1},\n{"a": 2}\n', "The JSON is malformed on line 3: expected , or ] after item 2."),
        ('[{"a": 1}] trailing', "Line 1: there is more text after the end of the JSON array."),
        ('{\n  "a": 1\n}', "The file is neither a JSON array of objects nor JSON Lines (one object per line): line 1 "
         "is not a complete JSON object (expected a field name in double quotes, column 3)."),
        ('{"a": 1}\n{"a": 2}\n{"a" 3}\n', "Line 3 is not a JSON object (expected : after the field name, column 6)."),
        ('{"a": 1}\n[1]\n', "Line 2 is not a JSON object (expected {, column 1)."),
    ],
)  # fmt: skip
def test_json_that_is_not_an_array_of_objects(tmp_path, text, message):
    assert refusal(tmp_path, text.encode()) == message


# --- Parquet ----------------------------------------------------------------------------------------------


def test_truncated_parquet(tmp_path):
    assert refusal(tmp_path, b"PAR1" + os.urandom(200)) == (
        "The Parquet file is incomplete or damaged: it does not end with the Parquet marker."
    )


def test_damaged_parquet(tmp_path):
    assert refusal(tmp_path, b"PAR1" + bytes(200) + b"PAR1").startswith("The Parquet file could not be read: ")


# --- Nothing is left behind -------------------------------------------------------------------------------


def test_a_failed_ingest_leaves_an_existing_destination_alone(tmp_path):
    _, destination = ingest_text(tmp_path, "a,b\n1,2\n")
    before = destination.read_bytes()
    with pytest.raises(IngestError, match="Line 3 has 3 fields"):
        ingest_text(tmp_path, "a,b\n2,3\n4,5,6\n")
    assert destination.read_bytes() == before
    assert rows(destination) == [{"a": 1, "b": 2}]
    assert sorted(p.name for p in destination.parent.iterdir()) == ["v1.parquet"]
    assert list((tmp_path / "work").iterdir()) == []
