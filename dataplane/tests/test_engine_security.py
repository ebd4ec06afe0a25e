"""Hostile input is an error or a plain string, never SQL; the DuckDB sandbox reads only its directory."""

import base64
import csv
import io
import json

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.engine import (
    QueryError,
    aggregate_query,
    export_stream,
    quote_identifier,
    rows_query,
    sandboxed_connection,
)
from dataplane.engine.running import pooled_connection

PASSWD = "read_csv('/etc/passwd')"
HOSTILE_NAMES = [
    'x"; DROP TABLE t; --',
    PASSWD,
    "a'b",
    '"',
    "; SELECT 1",
    "*",
    "1=1) OR (1",
    "select",
    "$1",
    "?",
]
HOSTILE_VALUES = [
    "'; DROP TABLE x; --",
    PASSWD,
    "' OR '1'='1",
    '" OR ""="',
    "%",
    "_",
    "\\",
    "?",
    "$1",
    "); SELECT * FROM read_parquet('/etc/shadow'); --",
]
SCHEMA = [{"name": "id", "type": "integer"}, {"name": "label", "type": "text"}] + [
    {"name": name, "type": "text"} for name in HOSTILE_NAMES
]


@pytest.fixture
def hostile(tmp_path):
    rows = [
        {"id": i, "label": value, **{name: f"{value}|{name}" for name in HOSTILE_NAMES}}
        for i, value in enumerate([*HOSTILE_VALUES, "plain", "100%", "a_b"])
    ]
    types = {"integer": pa.int64(), "text": pa.string()}
    table = pa.Table.from_pylist(rows, schema=pa.schema([(c["name"], types[c["type"]]) for c in SCHEMA]))
    path = tmp_path / "v1.parquet"
    pq.write_table(table, path)
    return path, rows


def ids(page):
    return [row["id"] for row in page["rows"]]


def test_quote_identifier_always_quotes_and_doubles_quotes():
    assert quote_identifier('x"; DROP TABLE t; --') == '"x""; DROP TABLE t; --"'
    assert quote_identifier("plain") == '"plain"'
    with pytest.raises(ValueError):
        quote_identifier("nul\x00byte")


def test_hostile_column_names_read_filter_sort_and_export_as_plain_names(hostile):
    path, rows = hostile
    page = rows_query(path, SCHEMA, {"_size": ["1000"]})
    assert [column["name"] for column in page["columns"]] == [c["name"] for c in SCHEMA]
    assert page["rows"] == rows

    for name in HOSTILE_NAMES:
        wanted = f"{PASSWD}|{name}"
        assert ids(rows_query(path, SCHEMA, {name: [wanted]})) == [1], name
        escaped = json.dumps({"column": name, "op": "startswith", "value": "'; DROP"})
        assert ids(rows_query(path, SCHEMA, {"_filters": [escaped]})) == [0], name
        by_name = rows_query(path, SCHEMA, {"_sort": [json.dumps([f"-{name}"])], "_cols": [json.dumps([name, "id"])]})
        assert list(by_name["rows"][0]) == [name, "id"]
        assert ids(by_name) == [r["id"] for r in sorted(rows, key=lambda r: r[name], reverse=True)]

    _, _, chunks = export_stream(path, SCHEMA, {}, "csv")
    parsed = list(csv.reader(io.StringIO(b"".join(chunks).decode(), newline="")))
    assert parsed[0] == [c["name"] for c in SCHEMA]
    assert len(parsed) == len(rows) + 1
    _, _, chunks = export_stream(path, SCHEMA, {}, "json")
    assert json.loads(b"".join(chunks)) == rows


def test_hostile_names_group_and_measure_in_aggregates(hostile):
    path, _ = hostile
    body = {
        "group_by": [HOSTILE_NAMES[0]],
        "measures": [
            {"fn": "count", "as": PASSWD},
            {"fn": "max", "column": HOSTILE_NAMES[4], "as": "'; DROP TABLE x; --"},
        ],
        "filters": [{"column": "label", "op": "icontains", "value": PASSWD.upper()}],
        "order_by": [{"column": PASSWD, "desc": True}],
    }
    answer = aggregate_query(path, SCHEMA, body)
    assert [c["name"] for c in answer["columns"]] == [HOSTILE_NAMES[0], PASSWD, "'; DROP TABLE x; --"]
    assert answer["rows"] == [
        {HOSTILE_NAMES[0]: f"{PASSWD}|{HOSTILE_NAMES[0]}", PASSWD: 1, "'; DROP TABLE x; --": f"{PASSWD}|; SELECT 1"}
    ]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_hostile_filter_values_match_only_themselves(hostile, value):
    path, rows = hostile
    literal = [r["id"] for r in rows if r["label"] == value]
    assert ids(rows_query(path, SCHEMA, {"label": [value]})) == literal
    assert ids(rows_query(path, SCHEMA, {"label__contains": [value]})) == [r["id"] for r in rows if value in r["label"]]
    assert ids(rows_query(path, SCHEMA, {"label__startswith": [value]})) == [
        r["id"] for r in rows if r["label"].startswith(value)
    ]
    assert rows_query(path, SCHEMA, {"_search": [value]})["total"] == sum(
        1 for r in rows if any(value.lower() in str(v).lower() for k, v in r.items() if k != "id")
    )
    with pytest.raises(QueryError) as caught:
        rows_query(path, SCHEMA, {"id": [value]})
    assert caught.value.code == "invalid_value"


def test_like_wildcards_are_literal_characters(hostile):
    path, rows = hostile
    assert ids(rows_query(path, SCHEMA, {"label__contains": ["%"]})) == [4, 11]
    assert ids(rows_query(path, SCHEMA, {"label__icontains": ["_"]})) == [r["id"] for r in rows if "_" in r["label"]]
    assert ids(rows_query(path, SCHEMA, {"label__startswith": ["_"]})) == [5]


@pytest.mark.parametrize(
    "sort", ["id; SELECT 1", "id DESC", "id) --", "-id, 1", "1", PASSWD + ";", "id NULLS FIRST", 'id"', "(SELECT 1)"]
)
def test_hostile_sort_keys_are_unknown_columns(hostile, sort):
    path, _ = hostile
    with pytest.raises(QueryError) as caught:
        rows_query(path, SCHEMA, {"_sort": [sort]})
    assert caught.value.code in ("unknown_column", "invalid_sort")


def encode(payload):
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def decode(token):
    return json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        "!!!",
        "eyJ",
        "a" * 70000,
        "'; DROP TABLE x; --",
        base64.urlsafe_b64encode(b"not json").decode(),
        encode([1, 2, 3]),
        encode({"v": 1, "f": "x", "k": [], "r": 1}),
        encode({"v": 2, "k": [], "r": 1}),
    ],
)
def test_garbage_cursors_are_query_errors(hostile, cursor):
    path, _ = hostile
    with pytest.raises(QueryError) as caught:
        rows_query(path, SCHEMA, {"_cursor": [cursor]})
    assert caught.value.code == "invalid_cursor"


def test_tampered_cursors_are_rejected_or_just_move_the_page(hostile):
    path, rows = hostile
    by_id = rows_query(path, SCHEMA, {"_sort": ["-id"], "_size": ["2"]})["next"]
    payload = decode(by_id)
    for tampered in ("'; DROP TABLE x; --", PASSWD, 1.5, True, "7", [1], {"a": 1}):
        with pytest.raises(QueryError) as caught:
            rows_query(path, SCHEMA, {"_sort": ["-id"], "_cursor": [encode({**payload, "k": [tampered]})]})
        assert caught.value.code == "invalid_cursor"
    for row_id in (-1, "1; DROP", 2**64, True):
        with pytest.raises(QueryError):
            rows_query(path, SCHEMA, {"_sort": ["-id"], "_cursor": [encode({**payload, "r": row_id})]})
    with pytest.raises(QueryError):
        rows_query(path, SCHEMA, {"_sort": ["-id"], "_cursor": [encode({**payload, "k": [5, 6]})]})
    after_five = rows_query(path, SCHEMA, {"_sort": ["-id"], "_cursor": [encode({**payload, "k": [5], "r": 5})]})
    assert ids(after_five) == [4, 3, 2, 1, 0]
    after_null = rows_query(path, SCHEMA, {"_sort": ["-id"], "_cursor": [encode({**payload, "k": [None]})]})
    assert ids(after_null) == []  # nulls sort last, and id has none

    by_label = decode(rows_query(path, SCHEMA, {"_sort": ["label"], "_size": ["1"]})["next"])
    moved = rows_query(path, SCHEMA, {"_sort": ["label"], "_cursor": [encode({**by_label, "k": [PASSWD], "r": 1})]})
    assert ids(moved) == [r["id"] for r in sorted(rows, key=lambda r: r["label"]) if r["label"] > PASSWD]


@pytest.mark.parametrize(
    "params",
    [
        {"_cols": [PASSWD + "x"]},
        {"_sort": [f"id,{PASSWD}x"]},
        {PASSWD + "x": ["1"]},
        {"_filters": [json.dumps({"column": PASSWD + "x", "value": "1"})]},
        {"_filters": [json.dumps({"column": "label", "op": PASSWD, "value": "1"})]},
        {"_size": [PASSWD]},
        {"id__in": [PASSWD]},
    ],
)
def test_a_file_read_in_any_parameter_position_is_a_query_error(hostile, params):
    path, _ = hostile
    with pytest.raises(QueryError):
        rows_query(path, SCHEMA, params)


@pytest.mark.parametrize(
    "body",
    [
        {"measures": [{"fn": "count", "column": PASSWD + "x"}]},
        {"measures": [{"fn": PASSWD, "column": "id"}]},
        {"group_by": [{"column": "id", "bucket": PASSWD}]},
        {"group_by": [PASSWD + "x"]},
        {"measures": [{"fn": "count"}], "order_by": [{"column": PASSWD}]},
        {"measures": [{"fn": "count"}], "filters": [{"column": "id", "value": PASSWD}]},
        {"measures": [{"fn": "count"}], "filters": [{"column": "id", "op": PASSWD, "value": 1}]},
        {"measures": [{"fn": "count"}], "limit": PASSWD},
    ],
)
def test_a_file_read_in_any_aggregate_position_is_a_query_error(hostile, body):
    path, _ = hostile
    with pytest.raises(QueryError):
        aggregate_query(path, SCHEMA, body)


def test_a_file_read_as_a_value_is_just_text(hostile):
    path, rows = hostile  # every row holds the text in its column named after it
    assert ids(rows_query(path, SCHEMA, {"label": [PASSWD]})) == [1]
    assert ids(rows_query(path, SCHEMA, {"_search": [PASSWD], "_cols": ["id"]})) == [r["id"] for r in rows]
    answer = aggregate_query(
        path, SCHEMA, {"measures": [{"fn": "count", "as": PASSWD}], "filters": [{"column": "label", "value": PASSWD}]}
    )
    assert answer["rows"] == [{PASSWD: 1}]


@pytest.fixture
def two_directories(tmp_path):
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    inside.mkdir()
    outside.mkdir()
    for directory in (inside, outside):
        pq.write_table(pa.table({"x": [1, 2]}), directory / "v1.parquet")
    (outside / "secret.csv").write_text("secret\n42\n")
    return inside, outside


def test_the_sandbox_reads_inside_its_directory_only(two_directories):
    inside, outside = two_directories
    db = sandboxed_connection(allowed_directories=[inside])
    try:
        assert db.execute("SELECT sum(x) FROM read_parquet(?)", [str(inside / "v1.parquet")]).fetchall() == [(3,)]
        refused = [
            ("SELECT * FROM read_parquet(?)", [str(outside / "v1.parquet")]),
            ("SELECT * FROM read_parquet(?)", [str(inside / ".." / "outside" / "v1.parquet")]),
            ("SELECT * FROM read_csv(?)", [str(outside / "secret.csv")]),
            ("SELECT * FROM read_csv('/etc/passwd')", []),
            ("SELECT * FROM read_text('/etc/hostname')", []),
            ("COPY (SELECT 1) TO '/tmp/datamill-escape.csv'", []),
            ("ATTACH '/tmp/datamill-escape.duckdb'", []),
            ("SET enable_external_access = true", []),
            ("SET allowed_directories = ['/']", []),
            ("RESET lock_configuration", []),
            ("INSTALL httpfs", []),
            ("LOAD httpfs", []),
        ]
        for statement, params in refused:
            with pytest.raises(duckdb.Error):
                db.execute(statement, params).fetchall()
    finally:
        db.close()


def test_the_engine_connection_for_one_directory_cannot_read_another(two_directories):
    inside, outside = two_directories
    with pooled_connection(inside) as first, pytest.raises(duckdb.Error):
        first.execute("SELECT * FROM read_parquet(?)", [str(outside / "v1.parquet")]).fetchall()
    with pooled_connection(inside) as again:  # the same pooled connection, no looser after the refusal
        assert again is first
        assert again.execute("SELECT count(*) FROM read_parquet(?)", [str(inside / "v1.parquet")]).fetchall() == [(2,)]
        with pytest.raises(duckdb.Error):
            again.execute("SELECT * FROM read_csv(?)", [str(outside / "secret.csv")]).fetchall()
