"""Ingest: every accepted format and encoding, read back from the written Parquet and checked exactly.

Helpers at the top are shared by the other test_ingest_* modules.
"""

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.ingest import IngestError, IngestResult, ingest_file


def ingest_bytes(tmp_path: Path, data: bytes, **options) -> tuple[IngestResult, Path]:
    """Ingest `data` saved under a name without extension, so only the content can tell the format."""
    source = tmp_path / "upload" / "source"
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    destination = tmp_path / "data" / "v1.parquet"
    result = ingest_file(source, destination, work_dir=tmp_path / "work", **options)
    return result, destination


def ingest_text(tmp_path: Path, text: str, encoding: str = "utf-8", **options) -> tuple[IngestResult, Path]:
    return ingest_bytes(tmp_path, text.encode(encoding), **options)


def refusal(tmp_path: Path, data: bytes, **options) -> str:
    """The IngestError message for `data`, after checking that nothing was left behind."""
    with pytest.raises(IngestError) as caught:
        ingest_bytes(tmp_path, data, **options)
    assert not (tmp_path / "data" / "v1.parquet").exists()
    assert list((tmp_path / "data").iterdir()) == [] if (tmp_path / "data").exists() else True
    assert list((tmp_path / "work").iterdir()) == [] if (tmp_path / "work").exists() else True
    return str(caught.value)


def rows(destination: Path) -> list[dict]:
    return pq.read_table(destination).to_pylist()


def values(destination: Path, name: str) -> list:
    return pq.read_table(destination, columns=[name]).column(name).to_pylist()


def types(result: IngestResult) -> dict[str, str]:
    return {column.name: column.type for column in result.columns}


def parquet_types(destination: Path) -> dict[str, str]:
    schema = pq.read_schema(destination)
    return {name: str(schema.field(name).type) for name in schema.names}


# --- CSV dialects -----------------------------------------------------------------------------------------

TRICKY_CSV = (
    "id,name,note\r\n"
    '1,"Smith, John","He said ""hi"""\r\n'
    '2,"multi\r\nline",plain\r\n'
    '3,5" screen,"a\nb, ""c"""\r\n'
    "4,,\r\n"
)


def test_quoted_fields_survive_exactly(tmp_path):
    result, destination = ingest_text(tmp_path, TRICKY_CSV)
    assert (result.format, result.encoding, result.delimiter, result.row_count) == ("csv", "utf-8", ",", 4)
    assert rows(destination) == [
        {"id": 1, "name": "Smith, John", "note": 'He said "hi"'},
        {"id": 2, "name": "multi\r\nline", "note": "plain"},
        {"id": 3, "name": '5" screen', "note": 'a\nb, "c"'},
        {"id": 4, "name": None, "note": None},
    ]


@pytest.mark.parametrize(("delimiter", "file_format"), [(",", "csv"), (";", "csv"), ("\t", "tsv"), ("|", "csv")])
def test_delimiter_is_sniffed(tmp_path, delimiter, file_format):
    # The other candidates appear inside values, quoted or not, and must not confuse the sniffer.
    lines = [
        ["city", "amount", "remark"],
        ["Paris", "1.5", '"a, b; c"'],
        ["Oslo", "2", '"x|y"'],
        ["Rome", "-3.25", "semi;colon" if delimiter != ";" else "comma,here"],
    ]
    text = "\n".join(delimiter.join(line) for line in lines) + "\n"
    result, destination = ingest_text(tmp_path, text)
    assert (result.format, result.delimiter) == (file_format, delimiter)
    assert types(result) == {"city": "text", "amount": "float", "remark": "text"}
    assert values(destination, "amount") == [1.5, 2.0, -3.25]
    assert values(destination, "remark")[:2] == ["a, b; c", "x|y"]


def test_single_column_file(tmp_path):
    result, destination = ingest_text(tmp_path, "name\nAda\nGrace\n")
    assert result.row_count == 2
    assert values(destination, "name") == ["Ada", "Grace"]


def test_blank_lines_before_the_header_are_skipped(tmp_path):
    result, destination = ingest_text(tmp_path, "\r\n\r\na,b\r\n1,2\r\n")
    assert [c.original_name for c in result.columns] == ["a", "b"]
    assert rows(destination) == [{"a": 1, "b": 2}]


def test_file_without_final_newline(tmp_path):
    _, destination = ingest_text(tmp_path, "a,b\n1,x\n2,y")
    assert rows(destination) == [{"a": 1, "b": "x"}, {"a": 2, "b": "y"}]


# --- Encodings --------------------------------------------------------------------------------------------

UNICODE_CSV = "name,city,price\nRené,Zürich,€ 5\nÅsa,Malmö,“quoted”\n"


@pytest.mark.parametrize(
    ("encoding", "data", "reported"),
    [
        ("utf-8", UNICODE_CSV.encode("utf-8"), "utf-8"),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + UNICODE_CSV.encode("utf-8"), "utf-8-sig"),
        ("utf-16 LE", b"\xff\xfe" + UNICODE_CSV.encode("utf-16-le"), "utf-16"),
        ("utf-16 BE", b"\xfe\xff" + UNICODE_CSV.encode("utf-16-be"), "utf-16"),
        ("windows-1252", UNICODE_CSV.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_are_decoded(tmp_path, encoding, data, reported):
    result, destination = ingest_bytes(tmp_path, data)
    assert result.encoding == reported
    assert [c.name for c in result.columns] == ["name", "city", "price"]
    assert rows(destination) == [
        {"name": "René", "city": "Zürich", "price": "€ 5"},
        {"name": "Åsa", "city": "Malmö", "price": "“quoted”"},
    ]


def test_excel_unicode_text_export(tmp_path):
    # Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated, CRLF.
    data = b"\xff\xfe" + 'name\tqty\r\nÅsa\t3\r\n"a\tb"\t4\r\n'.encode("utf-16-le")
    result, destination = ingest_bytes(tmp_path, data)
    assert (result.format, result.encoding, result.delimiter) == ("tsv", "utf-16", "\t")
    assert rows(destination) == [{"name": "Åsa", "qty": 3}, {"name": "a\tb", "qty": 4}]


def test_latin1_text_with_accents_is_read_as_windows_1252(tmp_path):
    result, destination = ingest_bytes(tmp_path, "word\ncafé\nnaïve\n".encode("latin-1"))
    assert result.encoding == "cp1252"
    assert values(destination, "word") == ["café", "naïve"]


def test_utf8_character_split_by_the_read_chunk_is_still_utf8(tmp_path):
    # "é" is two bytes; put it across the 1 MiB boundary at which the checker reads.
    filler = "x" * ((1 << 20) - len("text\n") - 1)
    result, destination = ingest_text(tmp_path, f"text\n{filler}é\nend\n")
    assert result.encoding == "utf-8"
    assert values(destination, "text") == [filler + "é", "end"]


def test_large_windows_1252_file_is_transcoded_in_chunks(tmp_path):
    lines = [f"{i},Café n°{i} – €{i}" for i in range(60_000)]  # about 1.6 MB: several chunks
    result, destination = ingest_bytes(tmp_path, ("id,label\n" + "\n".join(lines) + "\n").encode("cp1252"))
    assert result.encoding == "cp1252"
    assert result.row_count == 60_000
    labels = values(destination, "label")
    assert labels[0] == "Café n°0 – €0"
    assert labels[-1] == "Café n°59999 – €59999"


# --- Excel ------------------------------------------------------------------------------------------------


def xlsx_bytes(rows_: list[list], number_formats: dict[str, str] | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows_:
        sheet.append(row)
    for cell, number_format in (number_formats or {}).items():
        sheet[cell].number_format = number_format
    workbook.create_sheet("ignored").append(["only the first sheet counts"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_first_sheet_with_typed_cells(tmp_path):
    data = xlsx_bytes(
        [
            ["id", "name", "zip", "price", "paid", "day", "at", "big"],
            [1, "Ann", "00501", 2.5, True, dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30, 15), 2**40],
            [2, 'Bo, "Jr"\nII', "02134", 3, False, dt.datetime(2024, 3, 2), dt.datetime(2024, 3, 2), 5],
            [3, None, "10001", -0.125, None, None, dt.datetime(2024, 3, 3, 0, 0, 0, 500000), None],
        ],
        number_formats={"F2": "yyyy-mm-dd", "F3": "yyyy-mm-dd", "G3": "yyyy-mm-dd hh:mm:ss"},
    )
    result, destination = ingest_bytes(tmp_path, data)
    assert (result.format, result.encoding, result.delimiter, result.row_count) == ("xlsx", None, None, 3)
    assert types(result) == {
        "id": "integer",
        "name": "text",
        "zip": "text",
        "price": "float",
        "paid": "boolean",
        "day": "date",
        "at": "timestamp",
        "big": "integer",
    }
    assert rows(destination) == [
        {
            "id": 1, "name": "Ann", "zip": "00501", "price": 2.5, "paid": True, "day": dt.date(2024, 3, 1),
            "at": dt.datetime(2024, 3, 1, 9, 30, 15), "big": 2**40,
        },
        {
            "id": 2, "name": 'Bo, "Jr"\nII', "zip": "02134", "price": 3.0, "paid": False, "day": dt.date(2024, 3, 2),
            "at": dt.datetime(2024, 3, 2), "big": 5,
        },
        {
            "id": 3, "name": None, "zip": "10001", "price": -0.125, "paid": None, "day": None,
            "at": dt.datetime(2024, 3, 3, 0, 0, 0, 500000), "big": None,
        },
    ]  # fmt: skip


def test_xlsx_trailing_empty_rows_are_dropped_but_inner_ones_kept(tmp_path):
    data = xlsx_bytes([["a", "b"], [1, "x"], [None, None], [2, "y"], [None, None], [None, None]])
    result, destination = ingest_bytes(tmp_path, data)
    assert result.row_count == 3
    assert values(destination, "a") == [1, None, 2]


# --- JSON -------------------------------------------------------------------------------------------------


def test_json_array_of_objects(tmp_path):
    text = """[
      {"id": 1, "name": "Ann", "score": 1.50, "tags": ["a", "b"], "ok": true, "zip": "00501"},
      {"id": 2, "name": "Bo", "score": 2, "extra": {"k": [1, 2.0]}, "ok": false, "zip": "12345"},
      {"id": 12345678901234567890, "name": null, "score": -1e3, "ok": null}
    ]"""
    result, destination = ingest_text(tmp_path, text)
    assert (result.format, result.encoding, result.delimiter) == ("json", "utf-8", None)
    assert [c.name for c in result.columns] == ["id", "name", "score", "tags", "ok", "zip", "extra"]
    assert types(result) == {
        "id": "bigint",
        "name": "text",
        "score": "float",
        "tags": "text",
        "ok": "boolean",
        "zip": "text",
        "extra": "text",
    }
    assert rows(destination) == [
        {"id": Decimal(1), "name": "Ann", "score": 1.5, "tags": '["a", "b"]', "ok": True, "zip": "00501",
         "extra": None},
        {"id": Decimal(2), "name": "Bo", "score": 2.0, "tags": None, "ok": False, "zip": "12345",
         "extra": '{"k": [1, 2.0]}'},
        {"id": Decimal("12345678901234567890"), "name": None, "score": -1000.0, "tags": None, "ok": None,
         "zip": None, "extra": None},
    ]  # fmt: skip


def test_json_lines(tmp_path):
    text = '{"a": 1, "b": "x"}\r\n\r\n{"b": "y\\nz", "c": [1]}\n{"a": 3}'
    result, destination = ingest_text(tmp_path, text)
    assert result.format == "jsonl"
    assert types(result) == {"a": "integer", "b": "text", "c": "text"}
    assert rows(destination) == [
        {"a": 1, "b": "x", "c": None},
        {"a": None, "b": "y\nz", "c": "[1]"},
        {"a": 3, "b": None, "c": None},
    ]


def test_large_json_array_streams_across_chunks(tmp_path):
    items = [{"id": i, "text": f"item {i} " + "é" * 40, "nested": {"i": i}} for i in range(30_000)]
    result, destination = ingest_text(tmp_path, json.dumps(items, indent=2, ensure_ascii=False))
    assert result.row_count == 30_000
    assert values(destination, "id") == list(range(30_000))
    assert values(destination, "nested")[29_999] == '{\n      "i": 29999\n    }'


# --- Parquet ----------------------------------------------------------------------------------------------


def parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()


def test_parquet_types_are_mapped_not_guessed(tmp_path):
    table = pa.table(
        {
            "small": pa.array([1, -2], pa.int8()),
            "unsigned": pa.array([2**64 - 1, 0], pa.uint64()),
            "money": pa.array([Decimal("1.25"), Decimal("-3.50")], pa.decimal128(10, 2)),
            "whole": pa.array([Decimal("12345678901234567890123"), Decimal(0)], pa.decimal128(30, 0)),
            "ratio": pa.array([0.5, None], pa.float32()),
            "flag": pa.array([True, False]),
            "day": pa.array([dt.date(2020, 1, 1), None]),
            "at_utc": pa.array([dt.datetime(2024, 1, 1, 12), None], pa.timestamp("ns", tz="Europe/Paris")),
            "code": pa.array(["00501", "x"]),
            "items": pa.array([[1, 2], []]),
            "point": pa.array([{"x": 1}, {"x": 2}]),
        }
    )
    result, destination = ingest_bytes(tmp_path, parquet_bytes(table))
    assert (result.format, result.encoding, result.delimiter, result.row_count) == ("parquet", None, None, 2)
    assert types(result) == {
        "small": "integer",
        "unsigned": "bigint",
        "money": "float",
        "whole": "bigint",
        "ratio": "float",
        "flag": "boolean",
        "day": "date",
        "at_utc": "timestamp",
        "code": "text",
        "items": "text",
        "point": "text",
    }
    assert rows(destination) == [
        {"small": 1, "unsigned": Decimal(2**64 - 1), "money": 1.25, "whole": Decimal("12345678901234567890123"),
         "ratio": 0.5, "flag": True, "day": dt.date(2020, 1, 1), "at_utc": dt.datetime(2024, 1, 1, 12),
         "code": "00501", "items": "[1,2]", "point": '{"x":1}'},
        {"small": -2, "unsigned": Decimal(0), "money": -3.5, "whole": Decimal(0), "ratio": None, "flag": False,
         "day": None, "at_utc": None, "code": "x", "items": "[]", "point": '{"x":2}'},
    ]  # fmt: skip


def test_parquet_with_duplicate_and_blank_names(tmp_path):
    table = pa.Table.from_arrays([pa.array([1]), pa.array(["a"]), pa.array([2.5])], names=["x", "x", " "])
    result, destination = ingest_bytes(tmp_path, parquet_bytes(table))
    assert [(c.name, c.original_name) for c in result.columns] == [("x", "x"), ("x_2", "x"), ("column_3", " ")]
    assert rows(destination) == [{"x": 1, "x_2": "a", "column_3": 2.5}]


# --- Parquet output ---------------------------------------------------------------------------------------


def test_parquet_column_types(tmp_path):
    text = "i,b,f,flag,d,ts,t\n1,12345678901234567890,1.5,true,2024-01-01,2024-01-01T10:00:00,x\n"
    _, destination = ingest_text(tmp_path, text)
    assert parquet_types(destination) == {
        "i": "int64",
        "b": "decimal128(38, 0)",
        "f": "double",
        "flag": "bool",
        "d": "date32[day]",
        "ts": "timestamp[us]",
        "t": "string",
    }


def test_result_to_dict_is_json_ready(tmp_path):
    result, _ = ingest_text(tmp_path, "a,b,c\n1,2024-01-01,99999999999999999999\n2,2024-02-01,1\n")
    data = json.loads(json.dumps(result.to_dict(), allow_nan=False))
    assert data["columns"][0] == {
        "name": "a", "original_name": "a", "type": "integer", "nullable": False, "format": None,
    }  # fmt: skip
    assert data["profile"]["c"]["max"] == "99999999999999999999"
    assert data["profile"]["b"]["min"] == "2024-01-01"
