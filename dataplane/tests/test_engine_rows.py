"""The rows API engine: filters, sorting, keyset paging, search, totals and JSON output, checked against Python."""

import base64
import json
import math
import random
import threading
import time
from datetime import date, datetime
from decimal import Decimal

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.engine import QueryError, QueryTimeout, rows_query
from dataplane.engine.running import Deadline, pooled_connection
from dataplane.tests.tables import arrow_table

SCHEMA = [
    {"name": "id", "type": "integer"},
    {"name": "n_int", "type": "integer"},
    {"name": "n_big", "type": "bigint"},
    {"name": "n_float", "type": "float"},
    {"name": "flag", "type": "boolean"},
    {"name": "day", "type": "date"},
    {"name": "moment", "type": "timestamp"},
    {"name": "label", "type": "text"},
]


def write_parquet(path, schema, rows):
    pq.write_table(arrow_table(rows, schema), path, row_group_size=64)
    return path


def make_rows(count=250, seed=42):
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        rows.append(
            {
                "id": i,
                "n_int": rng.choice([None, *range(-5, 5)]),
                "n_big": rng.choice([None, -(10**30), 0, 2**60, 10**37, 5]),
                "n_float": rng.choice([None, math.nan, math.inf, -math.inf, -1.5, 0.0, 2.25, 1e300]),
                "flag": rng.choice([None, True, False]),
                "day": rng.choice([None, date(2020, 1, 1), date(2021, 6, 15), date(1999, 12, 31)]),
                "moment": rng.choice(
                    [None, datetime(2021, 3, 4, 5, 6, 7), datetime(2021, 3, 4, 5, 6, 7, 250), datetime(1970, 1, 1)]
                ),
                "label": rng.choice([None, "", "a", "B", "é", "ä b", 'z"q', "x,y", "Apple pie"]),
            }
        )
    for row in rows:
        if row["n_big"] is not None:
            row["n_big"] = Decimal(row["n_big"])
    return rows


@pytest.fixture
def table(tmp_path):
    rows = make_rows()
    return write_parquet(tmp_path / "v1.parquet", SCHEMA, rows), rows


def all_pages(path, schema, params, size):
    """Every row, following `next` cursors; also checks each page's total."""
    ids, cursor, totals = [], None, set()
    for _ in range(1000):
        query = {**params, "_size": [str(size)]}
        if cursor:
            query["_cursor"] = [cursor]
        page = rows_query(path, schema, query)
        assert len(page["rows"]) <= size
        totals.add(page["total"])
        ids += [row["id"] for row in page["rows"]]
        cursor = page["next"]
        if cursor is None:
            return ids, totals
    raise AssertionError("paging did not end")


def rank(value):
    """Python ordering that matches DuckDB's: NaN sorts above every number."""
    if isinstance(value, float) and math.isnan(value):
        return (1, 0.0)
    return (0, value)


def expected_order(rows, keys):
    """Row ids sorted by (column, desc) keys, nulls last in both directions, ties by file order."""
    ordered = list(rows)
    for name, desc in reversed(keys):
        present = [row for row in ordered if row[name] is not None]
        missing = [row for row in ordered if row[name] is None]
        ordered = sorted(present, key=lambda row: rank(row[name]), reverse=desc) + missing
    return [row["id"] for row in ordered]


def test_a_page_has_columns_rows_total_and_json_ready_values(tmp_path):
    rows = [
        {
            "id": 2**53 + 1,
            "n_int": -(2**53) + 1,
            "n_big": Decimal(10**30),
            "n_float": math.nan,
            "flag": True,
            "day": date(2024, 1, 31),
            "moment": datetime(2024, 1, 31, 13, 45, 0, 120000),
            "label": "héllo",
        },
        {
            "id": 1,
            "n_int": None,
            "n_big": Decimal(-5),
            "n_float": -math.inf,
            "flag": None,
            "day": None,
            "moment": datetime(2024, 1, 31, 13, 45),
            "label": None,
        },
        {
            "id": 2,
            "n_int": 3,
            "n_big": None,
            "n_float": 0.1,
            "flag": False,
            "day": date(1, 1, 1),
            "moment": None,
            "label": "",
        },
    ]
    path = write_parquet(tmp_path / "v1.parquet", SCHEMA, rows)

    page = rows_query(path, SCHEMA, {})

    assert page["columns"] == [{"name": c["name"], "type": c["type"]} for c in SCHEMA]
    assert page["total"] == 3
    assert page["next"] is None
    assert page["rows"] == [
        {
            "id": "9007199254740993",
            "n_int": -9007199254740991,
            "n_big": "1000000000000000000000000000000",
            "n_float": None,
            "flag": True,
            "day": "2024-01-31",
            "moment": "2024-01-31T13:45:00.120000",
            "label": "héllo",
        },
        {
            "id": 1,
            "n_int": None,
            "n_big": "-5",
            "n_float": None,
            "flag": None,
            "day": None,
            "moment": "2024-01-31T13:45:00",
            "label": None,
        },
        {
            "id": 2,
            "n_int": 3,
            "n_big": None,
            "n_float": 0.1,
            "flag": False,
            "day": "0001-01-01",
            "moment": None,
            "label": "",
        },
    ]


def test_default_page_is_100_rows_in_file_order(table):
    path, rows = table
    page = rows_query(path, SCHEMA, {})
    assert [row["id"] for row in page["rows"]] == list(range(100))
    assert page["total"] == len(rows)
    assert page["next"]


def test_cursor_pages_through_every_row_once_in_file_order(table):
    path, rows = table
    ids, totals = all_pages(path, SCHEMA, {}, 37)
    assert ids == [row["id"] for row in rows]
    assert totals == {len(rows)}


@pytest.mark.parametrize("column", [c["name"] for c in SCHEMA if c["name"] != "id"])
@pytest.mark.parametrize("desc", [False, True])
def test_sorted_pages_match_python_sort_for_every_type(table, column, desc):
    path, rows = table
    ids, _ = all_pages(path, SCHEMA, {"_sort": [("-" if desc else "") + column]}, 7)
    assert ids == expected_order(rows, [(column, desc)])


@pytest.mark.parametrize(
    "keys",
    [
        [("label", False), ("n_float", True)],
        [("flag", True), ("day", False), ("n_big", True)],
        [("moment", True), ("n_int", False), ("label", True)],
    ],
)
def test_multi_key_sort_pages_match_python(table, keys):
    path, rows = table
    sort = ",".join(("-" if desc else "") + name for name, desc in keys)
    ids, _ = all_pages(path, SCHEMA, {"_sort": [sort]}, 11)
    assert ids == expected_order(rows, keys)


def test_one_page_sorted_and_filtered_with_a_total(table):
    path, rows = table
    page = rows_query(path, SCHEMA, {"_sort": ["-n_int,id"], "flag": ["true"], "_size": ["5"]})
    matching = [row for row in rows if row["flag"] is True]
    assert page["total"] == len(matching)
    assert [row["id"] for row in page["rows"]] == expected_order(matching, [("n_int", True), ("id", False)])[:5]


def compare(op, value, wanted):
    if value is None:
        return False
    return {
        "gt": rank(value) > rank(wanted),
        "gte": rank(value) >= rank(wanted),
        "lt": rank(value) < rank(wanted),
        "lte": rank(value) <= rank(wanted),
    }[op]


FILTER_CASES = [
    ("n_int", "exact", "3", lambda v: v == 3),
    ("n_int", "ne", "3", lambda v: v != 3),
    ("n_int", "gt", "-2", lambda v: compare("gt", v, -2)),
    ("n_int", "lte", "+0", lambda v: compare("lte", v, 0)),
    ("n_int", "in", "1,2,-5", lambda v: v in (1, 2, -5)),
    ("n_int", "isnull", "true", lambda v: v is None),
    ("n_int", "isnull", "false", lambda v: v is not None),
    ("n_big", "exact", str(10**37), lambda v: v == 10**37),
    ("n_big", "gte", str(2**60), lambda v: compare("gte", v, 2**60)),
    ("n_big", "lt", "0", lambda v: compare("lt", v, 0)),
    ("n_float", "gt", "0", lambda v: compare("gt", v, 0.0)),
    ("n_float", "lt", "2.25", lambda v: compare("lt", v, 2.25)),
    ("n_float", "exact", "1e300", lambda v: v == 1e300),
    ("n_float", "in", "-1.5,2.25", lambda v: v in (-1.5, 2.25)),
    ("n_float", "ne", "0", lambda v: v is None or v != 0),
    ("flag", "exact", "false", lambda v: v is False),
    ("flag", "ne", "yes", lambda v: v is not True),
    ("day", "gte", "2020-01-01", lambda v: compare("gte", v, date(2020, 1, 1))),
    ("day", "in", "1999-12-31,2021-06-15", lambda v: v in (date(1999, 12, 31), date(2021, 6, 15))),
    ("moment", "gt", "2021-03-04T05:06:07", lambda v: compare("gt", v, datetime(2021, 3, 4, 5, 6, 7))),
    ("moment", "exact", "2021-03-04 05:06:07.000250", lambda v: v == datetime(2021, 3, 4, 5, 6, 7, 250)),
    ("moment", "lt", "2021-03-04T07:06:07+02:00", lambda v: compare("lt", v, datetime(2021, 3, 4, 5, 6, 7))),
    ("label", "exact", "a", lambda v: v == "a"),
    ("label", "exact", "", lambda v: v == ""),
    ("label", "ne", "a", lambda v: v != "a"),
    ("label", "gt", "B", lambda v: compare("gt", v, "B")),
    ("label", "in", "a,é", lambda v: v in ("a", "é")),
    ("label", "contains", "p", lambda v: v is not None and "p" in v),
    ("label", "icontains", "APPLE", lambda v: v is not None and "apple" in v.lower()),
    ("label", "icontains", "É", lambda v: v is not None and "é" in v),
    ("label", "startswith", "A", lambda v: v is not None and v.startswith("A")),
    ("label", "isnull", "1", lambda v: v is None),
]


@pytest.mark.parametrize(("column", "op", "raw", "predicate"), FILTER_CASES)
def test_every_operator_matches_python(table, column, op, raw, predicate):
    path, rows = table
    name = column if op == "exact" else f"{column}__{op}"
    page = rows_query(path, SCHEMA, {name: [raw], "_size": ["1000"]})
    expected = [row["id"] for row in rows if predicate(row[column])]
    assert [row["id"] for row in page["rows"]] == expected
    assert page["total"] == len(expected)


def test_repeated_and_combined_filters_all_apply(table):
    path, rows = table
    page = rows_query(path, SCHEMA, {"n_int__gte": ["-2"], "n_int__lt": ["3"], "label__isnull": ["false"]})
    expected = [r["id"] for r in rows if r["n_int"] is not None and -2 <= r["n_int"] < 3 and r["label"] is not None]
    assert page["total"] == len(expected)
    assert rows_query(path, SCHEMA, {"n_int": ["1", "2"]})["total"] == 0


def test_cols_picks_and_orders_columns(table):
    path, rows = table
    page = rows_query(path, SCHEMA, {"_cols": ["label,id"], "_size": ["2"]})
    assert page["columns"] == [{"name": "label", "type": "text"}, {"name": "id", "type": "integer"}]
    assert page["rows"] == [{"label": rows[0]["label"], "id": 0}, {"label": rows[1]["label"], "id": 1}]
    assert list(page["rows"][0]) == ["label", "id"]


def test_sort_on_a_column_that_is_not_returned_still_pages(table):
    path, rows = table
    ids = []
    cursor = None
    while True:
        params = {"_cols": ["id"], "_sort": ["-label"], "_size": ["9"]}
        if cursor:
            params["_cursor"] = [cursor]
        page = rows_query(path, SCHEMA, params)
        ids += [row["id"] for row in page["rows"]]
        cursor = page["next"]
        if not cursor:
            break
    assert ids == expected_order(rows, [("label", True)])


def test_search_is_case_insensitive_over_text_and_exact_on_numbers(table):
    path, rows = table
    found = rows_query(path, SCHEMA, {"_search": ["aPPle"], "_size": ["1000"]})
    assert [r["id"] for r in found["rows"]] == [r["id"] for r in rows if r["label"] == "Apple pie"]

    number = rows_query(path, SCHEMA, {"_search": ["3"], "_size": ["1000"]})
    expected = [
        r["id"]
        for r in rows
        if r["id"] == 3 or r["n_int"] == 3 or r["n_big"] == 3 or r["n_float"] == 3.0 or "3" in (r["label"] or "")
    ]
    assert [r["id"] for r in number["rows"]] == expected

    fraction = rows_query(path, SCHEMA, {"_search": ["2.25"], "_size": ["1000"]})
    assert [r["id"] for r in fraction["rows"]] == [r["id"] for r in rows if r["n_float"] == 2.25]


def test_search_combines_with_filters_and_paging(table):
    path, rows = table
    ids, totals = all_pages(path, SCHEMA, {"_search": ["A"], "flag": ["true"], "_sort": ["day"]}, 4)
    matching = [r for r in rows if r["flag"] is True and "a" in (r["label"] or "").lower()]
    assert ids == expected_order(matching, [("day", False)])
    assert totals == {len(matching)}


def test_size_zero_gives_only_the_total(table):
    path, rows = table
    page = rows_query(path, SCHEMA, {"_size": ["0"], "flag": ["false"]})
    assert page["rows"] == []
    assert page["next"] is None
    assert page["total"] == sum(1 for r in rows if r["flag"] is False)


WEIRD = [
    {"name": "id", "type": "integer"},
    {"name": "a__b", "type": "integer"},
    {"name": "a", "type": "integer"},
    {"name": "a__gt", "type": "integer"},
    {"name": "_private", "type": "text"},
    {"name": "_sort", "type": "text"},
    {"name": "größe (cm)", "type": "float"},
    {"name": "Revenue, USD", "type": "integer"},
    {"name": "-neg", "type": "integer"},
    {"name": "[x", "type": "integer"},
]


@pytest.fixture
def weird(tmp_path):
    rows = [
        {
            "id": i,
            "a__b": i % 3,
            "a": i,
            "a__gt": 10 - i,
            "_private": f"p{i % 2}",
            "_sort": f"s{i % 4}",
            "größe (cm)": 150.0 + i,
            "Revenue, USD": i * 100,
            "-neg": -i,
            "[x": i % 2,
        }
        for i in range(10)
    ]
    return write_parquet(tmp_path / "v1.parquet", WEIRD, rows), rows


def ids_of(page):
    return [row["id"] for row in page["rows"]]


def test_filter_names_whole_name_first_then_last_double_underscore(weird):
    path, _ = weird
    assert ids_of(rows_query(path, WEIRD, {"a__b": ["1"]})) == [1, 4, 7]
    assert ids_of(rows_query(path, WEIRD, {"a__b__gte": ["2"]})) == [2, 5, 8]
    assert ids_of(rows_query(path, WEIRD, {"a__gt": ["8"]})) == [2]  # the column a__gt, not a > 8
    assert ids_of(rows_query(path, WEIRD, {"a__gt__lt": ["3"]})) == [8, 9]
    assert ids_of(rows_query(path, WEIRD, {"a__lte": ["1"]})) == [0, 1]
    assert ids_of(rows_query(path, WEIRD, {"_private": ["p1"]})) == [1, 3, 5, 7, 9]
    assert ids_of(rows_query(path, WEIRD, {"größe (cm)__gte": ["158"]})) == [8, 9]
    assert ids_of(rows_query(path, WEIRD, {"Revenue, USD__in": ["100,300"]})) == [1, 3]


def test_the_filters_escape_reaches_every_name_and_operator(weird):
    path, _ = weird
    escaped = '[{"column": "_sort", "op": "exact", "value": "s3"}, {"column": "a", "op": "gt", "value": 5}]'
    assert ids_of(rows_query(path, WEIRD, {"_filters": [escaped]})) == [7]
    single = '{"column": "a__gt", "value": "1"}'
    assert ids_of(rows_query(path, WEIRD, {"_filters": [single]})) == [9]
    listed = '{"column": "Revenue, USD", "op": "in", "value": [0, 900]}'
    assert ids_of(rows_query(path, WEIRD, {"_filters": [listed, '{"column": "id", "op": "lt", "value": 5}']})) == [0]
    assert ids_of(rows_query(path, WEIRD, {"_filters": ['{"column": "_private", "op": "isnull"}']})) == []


def test_sort_and_cols_accept_json_lists_for_names_with_commas(weird):
    path, _ = weird
    page = rows_query(
        path, WEIRD, {"_cols": ['["Revenue, USD", "id"]'], "_sort": ['["-Revenue, USD"]'], "_size": ["2"]}
    )
    assert page["rows"] == [{"Revenue, USD": 900, "id": 9}, {"Revenue, USD": 800, "id": 8}]
    ascending = rows_query(path, WEIRD, {"_sort": ['[{"column": "-neg", "desc": false}]'], "_size": ["1"]})
    assert ids_of(ascending) == [9]
    assert ids_of(rows_query(path, WEIRD, {"_sort": ["-_sort,id"], "_size": ["3"]})) == [3, 7, 2]
    assert ids_of(rows_query(path, WEIRD, {"_sort": ['["[x", "-id"]'], "_size": ["2"]})) == [8, 6]


@pytest.mark.parametrize(
    ("params", "code", "words"),
    [
        ({"n_int": ["abc"]}, "invalid_value", ["n_int", "'abc'", "whole number"]),
        ({"n_int": ["1.5"]}, "invalid_value", ["n_int"]),
        ({"n_int": [str(2**63)]}, "invalid_value", ["n_int"]),
        ({"n_big": [str(10**38)]}, "invalid_value", ["n_big"]),
        ({"n_float__gt": ["nan"]}, "invalid_value", ["n_float__gt", "number"]),
        ({"day": ["2020-13-01"]}, "invalid_value", ["day", "date"]),
        ({"day": ["2020-01-01T00:00"]}, "invalid_value", ["day"]),
        ({"moment__lt": ["yesterday"]}, "invalid_value", ["moment__lt", "timestamp"]),
        ({"flag": ["maybe"]}, "invalid_value", ["flag", "true or false"]),
        ({"n_int__in": ["1,x"]}, "invalid_value", ["n_int__in"]),
        ({"n_int__isnull": ["perhaps"]}, "invalid_value", ["isnull"]),
        ({"n_int__contains": ["1"]}, "invalid_operator", ["contains", "text"]),
        ({"nope": ["1"]}, "unknown_column", ["'nope'", "_filters"]),
        ({"nope__gt": ["1"]}, "unknown_column", ["'nope'"]),
        ({"n_int__between": ["1"]}, "unknown_column", ["n_int__between"]),
        ({"_bogus": ["1"]}, "unknown_column", ["_bogus"]),
        ({"_sort": ["nope"]}, "unknown_column", ["_sort", "'nope'"]),
        ({"_sort": ["id,-id"]}, "invalid_sort", ["twice"]),
        ({"_sort": ["id,"]}, "invalid_sort", ["empty"]),
        ({"_sort": ["[1]"]}, "invalid_sort", ["_sort"]),
        ({"_cols": ["id,nope"]}, "unknown_column", ["_cols"]),
        ({"_cols": ["[not json"]}, "invalid_parameter", ["_cols", "JSON"]),
        ({"_size": ["1001"]}, "invalid_parameter", ["_size", "1000"]),
        ({"_size": ["-1"]}, "invalid_parameter", ["_size"]),
        ({"_size": ["ten"]}, "invalid_parameter", ["_size"]),
        ({"_size": ["1", "2"]}, "invalid_parameter", ["once"]),
        ({"_filters": ["{"]}, "invalid_parameter", ["_filters", "JSON"]),
        ({"_filters": ['{"column": "id"}']}, "invalid_filter", ["value"]),
        ({"_filters": ['{"column": "id", "value": 1, "extra": 2}']}, "invalid_filter", ["_filters[0]"]),
        ({"_filters": ['{"column": "id", "op": "exact", "value": null}']}, "invalid_value", ["isnull"]),
        ({"_filters": ['{"column": "label", "value": 5}']}, "invalid_value", ["label", "text"]),
        ({"_filters": ['{"column": "id", "op": "in", "value": 5}']}, "invalid_value", ["list"]),
        ({"_filters": ['{"column": "id", "op": "like", "value": 5}']}, "unknown_operator", ["like"]),
        ({"_filters": ['"x"']}, "invalid_filter", ["_filters"]),
    ],
)
def test_bad_parameters_are_query_errors_naming_the_culprit(table, params, code, words):
    path, _ = table
    with pytest.raises(QueryError) as caught:
        rows_query(path, SCHEMA, params)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message
    assert isinstance(caught.value, ValueError)


def test_max_size_is_configurable_but_never_above_1000(table):
    path, _ = table
    with pytest.raises(QueryError):
        rows_query(path, SCHEMA, {"_size": ["51"]}, max_size=50)
    with pytest.raises(QueryError):
        rows_query(path, SCHEMA, {"_size": ["1001"]}, max_size=5000)


def test_a_cursor_only_works_with_the_query_that_made_it(table):
    path, _ = table
    cursor = rows_query(path, SCHEMA, {"_sort": ["label"], "_size": ["5"]})["next"]
    assert rows_query(path, SCHEMA, {"_sort": ["label"], "_size": ["20"], "_cursor": [cursor]})["rows"]
    assert rows_query(path, SCHEMA, {"_sort": ["label"], "_cols": ["id"], "_cursor": [cursor]})["rows"]
    for other in (
        {"_sort": ["-label"]},
        {"_sort": ["label"], "flag": ["true"]},
        {"_sort": ["label"], "_search": ["a"]},
    ):
        with pytest.raises(QueryError) as caught:
            rows_query(path, SCHEMA, {**other, "_cursor": [cursor]})
        assert caught.value.code == "invalid_cursor"


def test_a_column_named_file_row_number_does_not_break_paging(tmp_path):
    schema = [{"name": "file_row_number", "type": "text"}, {"name": "id", "type": "integer"}]
    rows = [{"file_row_number": f"r{i % 3}", "id": i} for i in range(50)]
    path = write_parquet(tmp_path / "v1.parquet", schema, rows)
    ids, totals = all_pages(path, schema, {}, 8)
    assert ids == list(range(50))
    assert totals == {50}
    ids, _ = all_pages(path, schema, {"_sort": ["-file_row_number"]}, 8)
    assert ids == expected_order(rows, [("file_row_number", True)])
    assert rows_query(path, schema, {"file_row_number": ["r1"]})["total"] == 17


def test_totals_are_cached_per_file_and_filter(table, monkeypatch):
    from dataplane.engine import rows as rows_module

    path, rows = table
    first = rows_query(path, SCHEMA, {"flag": ["true"], "_size": ["1"]})
    calls = []
    original = rows_module.fetchall
    monkeypatch.setattr(rows_module, "fetchall", lambda c, q: calls.append(q.text) or original(c, q))
    again = rows_query(path, SCHEMA, {"flag": ["true"], "_size": ["2"], "_sort": ["-id"]})
    assert again["total"] == first["total"] == sum(1 for r in rows if r["flag"] is True)
    assert not any("count(*)" in text for text in calls)


def test_a_slow_query_is_interrupted_with_a_timeout_error(tmp_path):
    path = tmp_path / "big.parquet"
    with duckdb.connect() as db:
        db.execute(
            "COPY (SELECT i AS id, md5(i::VARCHAR) AS a, md5((i * 7)::VARCHAR) AS b FROM range(3000000) t(i)) "
            "TO ? (FORMAT parquet)",
            [str(path)],
        )
    schema = [{"name": "id", "type": "integer"}, {"name": "a", "type": "text"}, {"name": "b", "type": "text"}]
    with pytest.raises(QueryTimeout) as caught:
        rows_query(path, schema, {"_search": ["zz9"], "_sort": ["-a,b"]}, timeout_s=0.02)
    assert caught.value.code == "timeout"
    assert "0.02 seconds" in caught.value.message
    assert rows_query(path, schema, {"_size": ["1"]})["total"] == 3_000_000  # the thread's next query is fine


def test_the_deadline_interrupts_only_while_its_block_runs(tmp_path):
    with pooled_connection(tmp_path) as connection, pytest.raises(QueryTimeout), Deadline(connection, 0.05):
        connection.execute("SELECT count(*) FROM range(1000000000000) a, range(10) b").fetchall()
    with pooled_connection(tmp_path) as connection:
        with Deadline(connection, 0.01):
            assert connection.execute("SELECT 42").fetchall() == [(42,)]
        time.sleep(0.05)  # the timer's moment passes after the block ended: nothing is interrupted
        assert connection.execute("SELECT 43").fetchall() == [(43,)]


def test_a_pooled_connection_serves_later_threads_but_never_two_at_once(tmp_path):
    # Under ASGI each request's view runs in a new thread: the next request must find the connection ready.
    used = []

    def query():
        with pooled_connection(tmp_path) as connection:
            used.append(connection)
            assert connection.execute("SELECT 1").fetchall() == [(1,)]

    for _ in range(2):
        thread = threading.Thread(target=query)
        thread.start()
        thread.join()
    assert used[0] is used[1]

    with pooled_connection(tmp_path) as held:  # checked out here: another thread gets one of its own
        thread = threading.Thread(target=query)
        thread.start()
        thread.join()
        assert used[2] is not held


def test_a_sort_on_long_text_keeps_cursors_short_and_paging_exact(tmp_path):
    schema = [{"name": "id", "type": "integer"}, {"name": "essay", "type": "text"}]
    rng = random.Random(3)
    rows = [{"id": i, "essay": rng.choice("abc") * 3000 + str(rng.randint(0, 5))} for i in range(60)]
    path = write_parquet(tmp_path / "v1.parquet", schema, rows)
    first = rows_query(path, schema, {"_sort": ["-essay"], "_size": ["7"]})
    assert len(first["next"]) < 200  # the row id alone, not 3,000 characters of text
    ids, _ = all_pages(path, schema, {"_sort": ["-essay"]}, 7)
    assert ids == expected_order(rows, [("essay", True)])


def test_a_row_id_cursor_pointing_past_the_file_is_refused(tmp_path):
    schema = [{"name": "id", "type": "integer"}, {"name": "essay", "type": "text"}]
    path = write_parquet(tmp_path / "v1.parquet", schema, [{"id": i, "essay": "x" * 2000} for i in range(5)])
    cursor = rows_query(path, schema, {"_sort": ["essay"], "_size": ["2"]})["next"]
    payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert "k" not in payload
    forged = base64.urlsafe_b64encode(json.dumps({**payload, "r": 99}).encode()).decode()
    with pytest.raises(QueryError) as caught:
        rows_query(path, schema, {"_sort": ["essay"], "_cursor": [forged.rstrip("=")]})
    assert caught.value.code == "invalid_cursor"


@pytest.mark.parametrize("sort", ["-n_float,id", "label", "-day", ""])
def test_first_page_totals_are_exact_with_and_without_matches(table, sort):
    path, rows = table
    some = rows_query(path, SCHEMA, {"_sort": [sort], "flag": ["true"], "_size": ["10"]})
    assert some["total"] == sum(1 for r in rows if r["flag"] is True)
    assert len(some["rows"]) == 10
    none = rows_query(path, SCHEMA, {"_sort": [sort], "n_int__gt": ["100"]})
    assert (none["rows"], none["total"], none["next"]) == ([], 0, None)


def test_offset_gives_random_access_pages(tmp_path):
    import pyarrow.parquet as pq

    from dataplane.engine import QueryError, rows_query

    path = tmp_path / "v1.parquet"
    pq.write_table(pa.table({"n": list(range(1000)), "odd": [i % 2 == 1 for i in range(1000)]}), path)
    columns = [{"name": "n", "type": "integer"}, {"name": "odd", "type": "boolean"}]
    page = rows_query(path, columns, {"_offset": ["500"], "_size": ["3"]})
    assert [row["n"] for row in page["rows"]] == [500, 501, 502]
    assert page["total"] == 1000
    sorted_page = rows_query(path, columns, {"_offset": ["10"], "_size": ["2"], "_sort": ["-n"], "odd": ["true"]})
    assert [row["n"] for row in sorted_page["rows"]] == [979, 977]
    assert sorted_page["total"] == 500
    following = rows_query(
        path, columns, {"_cursor": [sorted_page["next"]], "_size": ["2"], "_sort": ["-n"], "odd": ["true"]}
    )
    assert [row["n"] for row in following["rows"]] == [975, 973]
    with pytest.raises(QueryError, match="_offset"):
        rows_query(path, columns, {"_offset": ["-1"]})
