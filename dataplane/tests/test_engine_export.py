"""Exports: every format streams the same rows the rows API gives, and CSV round-trips text exactly."""

import csv
import io
import json
import math
from datetime import date, datetime
from decimal import Decimal

import pyarrow.parquet as pq
import pytest

from dataplane.engine import QueryError, export_stream, rows_query
from dataplane.tests.tables import arrow_table

SCHEMA = [
    {"name": "id", "type": "integer"},
    {"name": "big", "type": "bigint"},
    {"name": "score", "type": "float"},
    {"name": "ok", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "timestamp"},
    {"name": 'note, "quoted"\nname', "type": "text"},
]
NOTE = SCHEMA[-1]["name"]
TRICKY_TEXT = [
    'he said "hi", then left',
    "line one\nline two",
    "windows\r\nline",
    "lone\rcarriage",
    "",
    "  padded  ",
    ",",
    '"',
    '""',
    "tab\there",
    "ünïcødé ✓ 日本",
    "trailing comma,",
    "=SUM(A1)",
    None,
    "NULL",
    "a;b|c",
]


def table_of(rows, schema=SCHEMA):
    return arrow_table(rows, schema)


def make_rows(count):
    return [
        {
            "id": i,
            "big": Decimal(10**30 + i) if i % 5 else None,
            "score": [0.1, math.nan, 1e20, -2.5, None, math.inf][i % 6],
            "ok": [True, False, None][i % 3],
            "day": date(2020, 1, 1 + i % 28) if i % 4 else None,
            "at": datetime(2021, 5, 6, 7, 8, 9, (i % 2) * 123456) if i % 7 else None,
            NOTE: TRICKY_TEXT[i % len(TRICKY_TEXT)],
        }
        for i in range(count)
    ]


@pytest.fixture
def dataset(tmp_path):
    rows = make_rows(200)
    path = tmp_path / "v1.parquet"
    pq.write_table(table_of(rows), path, row_group_size=50)
    return path, rows


def exported(path, params, fmt, schema=SCHEMA, **options):
    content_type, extension, chunks = export_stream(path, schema, params, fmt, **options)
    return content_type, extension, b"".join(chunks)


def all_rows_api(path, params, schema=SCHEMA):
    """The rows API's answer for the same parameters, every page."""
    rows, cursor = [], None
    while True:
        page = rows_query(path, schema, {**params, "_size": ["1000"], **({"_cursor": [cursor]} if cursor else {})})
        rows += page["rows"]
        cursor = page["next"]
        if not cursor:
            return rows


def test_csv_round_trips_quotes_commas_and_newlines_exactly(tmp_path):
    schema = [{"name": "id", "type": "integer"}, {"name": NOTE, "type": "text"}, {"name": "x,y", "type": "text"}]
    rows = [{"id": i, NOTE: text, "x,y": text} for i, text in enumerate(TRICKY_TEXT)]
    path = tmp_path / "v1.parquet"
    pq.write_table(table_of(rows, schema), path)

    content_type, extension, body = exported(path, {}, "csv", schema, csv_formulas="raw")  # exact, for programs

    assert (content_type, extension) == ("text/csv; charset=utf-8", "csv")
    parsed = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    assert parsed[0] == ["id", NOTE, "x,y"]
    assert parsed[1:] == [[str(i), text or "", text or ""] for i, text in enumerate(TRICKY_TEXT)]
    null_line = TRICKY_TEXT.index(None) + 1
    empty_line = TRICKY_TEXT.index("") + 1
    lines = body.decode().split("\n")
    assert f"{null_line - 1},," in lines  # null is an empty cell
    assert f'{empty_line - 1},"",""' in lines  # an empty string is quoted


def test_csv_values_of_every_type(dataset):
    path, _ = dataset
    _, _, body = exported(path, {"id__in": ["1,2,3"]}, "csv")
    parsed = list(csv.reader(io.StringIO(body.decode(), newline="")))
    assert parsed[0] == [c["name"] for c in SCHEMA]
    assert parsed[1] == [
        "1",
        str(10**30 + 1),
        "nan",
        "false",
        "2020-01-02",
        "2021-05-06T07:08:09.123456",
        TRICKY_TEXT[1],
    ]
    assert parsed[2][:6] == ["2", str(10**30 + 2), "1e+20", "", "2020-01-03", "2021-05-06T07:08:09"]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"_sort": ["-score,id"]},
        {"ok": ["true"], "_cols": [json.dumps([NOTE, "id"])]},
        {"_search": ["LINE"], "_sort": ["-day"]},
        {"_filters": [json.dumps({"column": NOTE, "op": "contains", "value": '"'})]},
        {"_size": ["3"], "_cursor": ["ignored"], "id__lt": ["150"]},
    ],
)
def test_json_and_ndjson_hold_exactly_the_rows_api_rows(dataset, params):
    path, _ = dataset
    expected = all_rows_api(path, {k: v for k, v in params.items() if k not in ("_size", "_cursor")})

    content_type, extension, body = exported(path, params, "json")
    assert (content_type, extension) == ("application/json", "json")
    assert json.loads(body) == expected

    content_type, extension, body = exported(path, params, "ndjson")
    assert (content_type, extension) == ("application/x-ndjson", "ndjson")
    lines = body.decode().split("\n")
    assert lines[-1] == ""
    assert [json.loads(line) for line in lines[:-1]] == expected


def test_json_keeps_key_order_and_conventions(dataset):
    path, _ = dataset
    _, _, body = exported(path, {"id": ["1"]}, "json")
    assert body.decode().startswith('[\n{"id":1,"big":"1000000000000000000000000000001","score":null,')
    _, _, body = exported(path, {"id": ["-1"]}, "json")
    assert json.loads(body) == []


def test_parquet_export_keeps_types_and_values(dataset):
    path, rows = dataset
    content_type, extension, body = exported(path, {"_sort": ["-id"], "ok__isnull": ["false"]}, "parquet")
    assert (content_type, extension) == ("application/vnd.apache.parquet", "parquet")
    table = pq.read_table(io.BytesIO(body))
    expected = table_of([row for row in reversed(rows) if row["ok"] is not None])
    assert table.schema.names == expected.schema.names
    assert table.schema.types == expected.schema.types
    assert _same_with_nan(table, expected)


def _same_with_nan(left, right):
    def clean(value):
        return "NaN" if isinstance(value, float) and math.isnan(value) else value

    return [{k: clean(v) for k, v in row.items()} for row in left.to_pylist()] == [
        {k: clean(v) for k, v in row.items()} for row in right.to_pylist()
    ]


def test_empty_exports_are_valid_files(dataset):
    path, _ = dataset
    nothing = {"id__gt": ["100000"]}
    assert json.loads(exported(path, nothing, "json")[2]) == []
    assert exported(path, nothing, "ndjson")[2] == b""
    assert list(csv.reader(io.StringIO(exported(path, nothing, "csv")[2].decode()))) == [[c["name"] for c in SCHEMA]]
    assert pq.read_table(io.BytesIO(exported(path, nothing, "parquet")[2])).num_rows == 0


def test_exports_stream_in_many_chunks(tmp_path):
    rows = make_rows(300_000)
    path = tmp_path / "v1.parquet"
    pq.write_table(table_of(rows), path)
    for fmt in ("csv", "json", "ndjson", "parquet"):
        _, _, chunks = export_stream(path, SCHEMA, {}, fmt)
        sizes = [len(chunk) for chunk in chunks]
        assert len(sizes) >= 4, fmt  # batch by batch, never one blob
        assert max(sizes) < sum(sizes) / 2, fmt


def test_bad_parameters_fail_before_any_byte_and_bad_format_is_refused(dataset):
    path, _ = dataset
    with pytest.raises(QueryError) as caught:
        export_stream(path, SCHEMA, {"nope": ["1"]}, "csv")
    assert caught.value.code == "unknown_column"
    with pytest.raises(QueryError) as caught:
        export_stream(path, SCHEMA, {}, "xlsx")
    assert caught.value.code == "invalid_format"
    assert "xlsx" in caught.value.message


def test_a_reader_that_stops_early_leaves_no_spill_directory(dataset, tmp_path):
    path, _ = dataset
    spill = tmp_path / "spill"
    spill.mkdir()
    _, _, chunks = export_stream(path, SCHEMA, {"_sort": ["-id"]}, "ndjson", spill_directory=spill)
    assert next(chunks).startswith(b'{"id":199,')
    assert len(list(spill.iterdir())) == 1  # the export's private spill directory, while it runs
    chunks.close()
    assert list(spill.iterdir()) == []
