"""Aggregate queries checked against a plain-Python computation on generated data: every measure and bucket."""

import json
import math
import random
from collections import defaultdict
from datetime import date, datetime, timedelta
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.engine import QueryError, aggregate_query, normalize_aggregate
from dataplane.tests.tables import arrow_table

SCHEMA = [
    {"name": "category", "type": "text"},
    {"name": "qty", "type": "integer"},
    {"name": "big", "type": "bigint"},
    {"name": "price", "type": "float"},
    {"name": "day", "type": "date"},
    {"name": "at", "type": "timestamp"},
    {"name": "flag", "type": "boolean"},
]


def maybe(rng, value, none_share=0.1):
    return None if rng.random() < none_share else value


def make_rows(count=3000, seed=11):
    rng = random.Random(seed)
    rows = []
    for _ in range(count):
        rows.append(
            {
                "category": maybe(rng, rng.choice(["alpha", "beta", "gamma", "Δelta"])),
                "qty": maybe(rng, rng.randint(-50, 50)),
                "big": maybe(rng, Decimal(rng.choice([10**30, -(10**29), 7, 2**62]) + rng.randint(0, 9))),
                "price": maybe(rng, round(rng.uniform(-100, 1000), 2)),
                "day": maybe(rng, date(2019, 1, 1) + timedelta(days=rng.randint(0, 4 * 365))),
                "at": maybe(rng, datetime(2020, 1, 1) + timedelta(seconds=rng.randint(0, 3 * 365 * 86400))),
                "flag": maybe(rng, rng.random() < 0.3),
            }
        )
    return rows


def write(path, rows, schema=SCHEMA):
    pq.write_table(arrow_table(rows, schema), path, row_group_size=500)
    return path


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    rows = make_rows()
    return write(tmp_path_factory.mktemp("agg") / "v1.parquet", rows), rows


def python_median(values):
    values = sorted(values)
    if not values:
        return None
    middle = len(values) // 2
    if len(values) % 2:
        low = high = values[middle]
    else:
        low, high = values[middle - 1], values[middle]
    if isinstance(low, date):
        low_moment = low if isinstance(low, datetime) else datetime.combine(low, datetime.min.time())
        high_moment = high if isinstance(high, datetime) else datetime.combine(high, datetime.min.time())
        return (low_moment + (high_moment - low_moment) / 2).isoformat()
    return (float(low) + float(high)) / 2


def python_measure(fn, rows, column):
    if fn == "count" and column is None:
        return len(rows)
    values = [row[column] for row in rows if row[column] is not None]
    if fn == "count":
        return len(values)
    if fn == "count_distinct":
        return len(set(values))
    if not values:
        return None
    if fn == "sum":
        if isinstance(values[0], Decimal):
            return str(sum(int(v) for v in values))  # exact: Decimal arithmetic would round to 28 digits
        return sum(values)
    if fn == "avg":
        return float(sum(Decimal(str(v)) for v in values) / len(values))
    if fn == "median":
        return python_median(values)
    result = min(values) if fn == "min" else max(values)
    if isinstance(result, Decimal):
        return str(result)
    return result.isoformat() if isinstance(result, date) else result


def group_sorted(keys):
    return sorted(keys, key=lambda key: tuple((part is None, part if part is not None else "") for part in key))


def assert_close(actual, expected, where):
    if isinstance(expected, float) and expected is not None:
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-9), where
    else:
        assert actual == expected, where


MEASURES = [
    ("count", None),
    ("count", "price"),
    ("count_distinct", "category"),
    ("count_distinct", "qty"),
    ("sum", "qty"),
    ("sum", "big"),
    ("sum", "price"),
    ("avg", "qty"),
    ("avg", "big"),
    ("avg", "price"),
    ("median", "qty"),
    ("median", "price"),
    ("median", "big"),
    ("median", "day"),
    ("median", "at"),
    ("min", "price"),
    ("max", "qty"),
    ("min", "big"),
    ("max", "day"),
    ("min", "at"),
    ("max", "category"),
    ("min", "flag"),
    ("max", "flag"),
]


def test_every_measure_per_group_matches_python(dataset):
    path, rows = dataset
    body = {
        "group_by": ["category"],
        "measures": [{"fn": fn, **({"column": column} if column else {})} for fn, column in MEASURES],
    }
    answer = aggregate_query(path, SCHEMA, body)

    names = ["category"] + ["count" if c is None else f"{fn}_{c}" for fn, c in MEASURES]
    assert [column["name"] for column in answer["columns"]] == names
    groups = defaultdict(list)
    for row in rows:
        groups[(row["category"],)].append(row)
    keys = group_sorted(groups)
    assert [row["category"] for row in answer["rows"]] == [key[0] for key in keys]
    for row, key in zip(answer["rows"], keys, strict=True):
        for (fn, column), name in zip(MEASURES, names[1:], strict=True):
            assert_close(row[name], python_measure(fn, groups[key], column), f"{key} {name}")


def test_output_types_follow_the_measure(dataset):
    path, _ = dataset
    body = {
        "group_by": ["flag", {"column": "day", "bucket": "year"}],
        "measures": [{"fn": fn, **({"column": column} if column else {})} for fn, column in MEASURES],
    }
    types = {column["name"]: column["type"] for column in aggregate_query(path, SCHEMA, body)["columns"]}
    assert types["flag"] == "boolean"
    assert types["day"] == "date"
    assert types["count"] == types["count_price"] == types["count_distinct_category"] == "integer"
    assert (types["sum_qty"], types["sum_big"], types["sum_price"]) == ("integer", "bigint", "float")
    assert types["avg_big"] == types["median_qty"] == types["median_big"] == "float"
    assert types["median_day"] == types["median_at"] == "timestamp"
    assert (types["min_big"], types["max_day"], types["max_category"], types["min_flag"]) == (
        "bigint",
        "date",
        "text",
        "boolean",
    )


def bucket_start(value, bucket):
    day = value.date() if isinstance(value, datetime) else value
    if bucket == "day":
        return day
    if bucket == "week":
        return day - timedelta(days=day.weekday())
    if bucket == "month":
        return day.replace(day=1)
    if bucket == "quarter":
        return day.replace(month=3 * ((day.month - 1) // 3) + 1, day=1)
    return day.replace(month=1, day=1)


@pytest.mark.parametrize("bucket", ["day", "week", "month", "quarter", "year"])
@pytest.mark.parametrize("column", ["day", "at"])
def test_time_buckets_match_python(dataset, bucket, column):
    path, rows = dataset
    body = {
        "group_by": [{"column": column, "bucket": bucket}],
        "measures": [{"fn": "count"}, {"fn": "sum", "column": "qty"}, {"fn": "max", "column": "price"}],
        "limit": 10000,
    }
    answer = aggregate_query(path, SCHEMA, body)

    groups = defaultdict(list)
    for row in rows:
        groups[(None if row[column] is None else bucket_start(row[column], bucket),)].append(row)
    keys = group_sorted(groups)
    assert answer["columns"][0] == {"name": column, "type": "date"}
    assert [row[column] for row in answer["rows"]] == [None if k[0] is None else k[0].isoformat() for k in keys]
    for row, key in zip(answer["rows"], keys, strict=True):
        assert row["count"] == len(groups[key])
        assert row["sum_qty"] == python_measure("sum", groups[key], "qty")
        assert row["max_price"] == python_measure("max", groups[key], "price")


def test_filters_groups_order_and_limit_together(dataset):
    path, rows = dataset
    body = {
        "filters": [
            {"column": "price", "op": "gte", "value": 100},
            {"column": "category", "op": "in", "value": ["alpha", "beta", "Δelta"]},
            {"column": "at", "op": "isnull", "value": False},
            {"column": "flag", "op": "ne", "value": "true"},
        ],
        "group_by": ["category", {"column": "at", "bucket": "quarter"}],
        "measures": [{"fn": "avg", "column": "price", "as": "mean price"}, {"fn": "count"}],
        "order_by": [{"column": "mean price", "desc": True}],
        "limit": 5,
    }
    answer = aggregate_query(path, SCHEMA, body)

    kept = [
        r
        for r in rows
        if r["price"] is not None
        and r["price"] >= 100
        and r["category"] in ("alpha", "beta", "Δelta")
        and r["at"] is not None
        and r["flag"] is not True
    ]
    groups = defaultdict(list)
    for row in kept:
        groups[(row["category"], bucket_start(row["at"], "quarter").isoformat())].append(row)
    expected = sorted(
        ((key, python_measure("avg", members, "price"), len(members)) for key, members in groups.items()),
        key=lambda item: (-item[1], item[0]),
    )[:5]
    assert [(r["category"], r["at"]) for r in answer["rows"]] == [item[0] for item in expected]
    for row, (_, mean, count) in zip(answer["rows"], expected, strict=True):
        assert row["mean price"] == pytest.approx(mean)
        assert row["count"] == count


def test_no_group_gives_one_row_even_when_nothing_matches(dataset):
    path, rows = dataset
    everything = aggregate_query(path, SCHEMA, {"measures": [{"fn": "count"}, {"fn": "sum", "column": "big"}]})
    assert everything["rows"] == [{"count": len(rows), "sum_big": python_measure("sum", rows, "big")}]
    nothing = aggregate_query(
        path,
        SCHEMA,
        {
            "filters": [{"column": "qty", "op": "gt", "value": 1000}],
            "measures": [{"fn": "count"}, {"fn": "avg", "column": "qty"}],
        },
    )
    assert nothing["rows"] == [{"count": 0, "avg_qty": None}]


def test_groups_alone_list_distinct_values(dataset):
    path, _ = dataset
    answer = aggregate_query(path, SCHEMA, {"group_by": ["flag"]})
    assert answer == {
        "columns": [{"name": "flag", "type": "boolean"}],
        "rows": [{"flag": False}, {"flag": True}, {"flag": None}],
    }


def test_non_finite_and_huge_results_are_json_safe(tmp_path):
    schema = [{"name": "g", "type": "text"}, {"name": "x", "type": "float"}, {"name": "n", "type": "integer"}]
    rows = [
        {"g": "a", "x": math.inf, "n": 2**62},
        {"g": "a", "x": 1.0, "n": 2**62},
        {"g": "b", "x": math.nan, "n": 1},
    ]
    path = write(tmp_path / "v1.parquet", rows, schema)
    body = {"group_by": ["g"], "measures": [{"fn": "avg", "column": "x"}, {"fn": "sum", "column": "n"}]}
    assert aggregate_query(path, schema, body)["rows"] == [
        {"g": "a", "avg_x": None, "sum_n": str(2**63)},
        {"g": "b", "avg_x": None, "sum_n": 1},
    ]


@pytest.mark.parametrize(
    ("body", "code", "words"),
    [
        ({"measures": [{"fn": "sum", "column": "nope"}]}, "unknown_column", ["measures[0]", "'nope'"]),
        ({"measures": [{"fn": "sum", "column": "category"}]}, "invalid_measure", ["sum", "'category'", "text"]),
        ({"measures": [{"fn": "avg", "column": "day"}]}, "invalid_measure", ["avg", "'day'"]),
        ({"measures": [{"fn": "median", "column": "flag"}]}, "invalid_measure", ["median"]),
        ({"measures": [{"fn": "mode", "column": "qty"}]}, "invalid_measure", ["'mode'"]),
        ({"measures": [{"fn": "sum"}]}, "invalid_query", ["measures[0]", "None"]),
        ({"measures": [{"fn": "count", "colum": "qty"}]}, "invalid_query", ["measures[0]"]),
        ({"group_by": [{"column": "qty", "bucket": "month"}]}, "invalid_group", ["month", "'qty'", "integer"]),
        ({"group_by": [{"column": "day", "bucket": "decade"}]}, "invalid_group", ["decade"]),
        ({"group_by": ["nope"]}, "unknown_column", ["group_by[0]"]),
        ({"group_by": [5]}, "invalid_query", ["group_by[0]"]),
        (
            {"group_by": ["day", {"column": "day", "bucket": "year"}]},
            "duplicate_name",
            ["'day'"],
        ),
        ({"measures": [{"fn": "count"}, {"fn": "count"}]}, "duplicate_name", ["'count'", '"as"']),
        (
            {"group_by": ["qty"], "measures": [{"fn": "count", "as": "qty"}]},
            "duplicate_name",
            ["'qty'"],
        ),
        (
            {"measures": [{"fn": "count"}], "order_by": [{"column": "qty"}]},
            "unknown_column",
            ["order_by[0]", "'count'"],
        ),
        ({"measures": [{"fn": "count"}], "order_by": [{"column": "count", "desc": "yes"}]}, "invalid_query", ["desc"]),
        ({"measures": [{"fn": "count"}], "limit": 10001}, "invalid_query", ["limit", "10000"]),
        ({"measures": [{"fn": "count"}], "limit": 0}, "invalid_query", ["limit"]),
        ({"measures": [{"fn": "count"}], "limit": True}, "invalid_query", ["limit"]),
        ({"measures": [{"fn": "count"}], "having": []}, "invalid_query", ["having", "unknown key"]),
        ({}, "invalid_query", ["at least one"]),
        ({"measures": {"fn": "count"}}, "invalid_query", ["measures", "list"]),
        ([], "invalid_query", ["body"]),
        (
            {"filters": [{"column": "qty", "op": "gt", "value": "many"}], "measures": [{"fn": "count"}]},
            "invalid_value",
            ["filters[0]", "'qty'"],
        ),
        (
            {"filters": [{"column": "qty", "op": "near", "value": 1}], "measures": [{"fn": "count"}]},
            "unknown_operator",
            ["near"],
        ),
        ({"filters": [{"column": "qty", "op": "gt"}], "measures": [{"fn": "count"}]}, "invalid_query", ["value"]),
    ],
)
def test_bodies_that_do_not_fit_the_schema_are_clear_errors(dataset, body, code, words):
    path, _ = dataset
    with pytest.raises(QueryError) as caught:
        aggregate_query(path, SCHEMA, body)
    assert caught.value.code == code
    for word in words:
        assert word in caught.value.message


def test_normalize_fills_defaults_names_measures_and_sorts_keys():
    normalized = normalize_aggregate(
        {
            "measures": [{"fn": "avg", "column": "temp_max"}, {"fn": "count"}],
            "group_by": ["weather", {"bucket": "month", "column": "date"}],
            "order_by": [{"column": "avg_temp_max"}],
        }
    )
    assert normalized == {
        "filters": [],
        "group_by": [{"bucket": None, "column": "weather"}, {"bucket": "month", "column": "date"}],
        "limit": 1000,
        "measures": [
            {"as": "avg_temp_max", "column": "temp_max", "fn": "avg"},
            {"as": "count", "column": None, "fn": "count"},
        ],
        "order_by": [{"column": "avg_temp_max", "desc": False}],
    }
    assert list(normalized) == sorted(normalized)
    assert all(list(item) == sorted(item) for key in normalized if key != "limit" for item in normalized[key])


def test_equivalent_bodies_normalize_to_the_same_cache_key():
    first = {
        "filters": [{"column": "weather", "value": "rain"}],
        "group_by": ["weather"],
        "measures": [{"fn": "avg", "column": "temp_max"}],
        "order_by": ["avg_temp_max"],
    }
    second = {
        "limit": 1000,
        "order_by": [{"desc": False, "column": "avg_temp_max"}],
        "measures": [{"as": "avg_temp_max", "column": "temp_max", "fn": "avg"}],
        "group_by": [{"column": "weather", "bucket": None}],
        "filters": [{"op": "exact", "value": "rain", "column": "weather"}],
    }
    assert json.dumps(normalize_aggregate(first)) == json.dumps(normalize_aggregate(second))
    assert normalize_aggregate(first) != normalize_aggregate({**first, "limit": 10})


def test_a_normalized_body_normalizes_to_itself_and_runs_the_same(dataset):
    path, _ = dataset
    body = {
        "filters": [{"column": "flag", "op": "isnull"}],
        "group_by": ["category", {"column": "day", "bucket": "week"}],
        "measures": [{"fn": "count"}, {"fn": "median", "column": "price", "as": "typical"}],
        "order_by": [{"column": "typical", "desc": True}],
        "limit": 20,
    }
    normalized = normalize_aggregate(body)
    assert normalize_aggregate(normalized) == normalized
    assert aggregate_query(path, SCHEMA, normalized) == aggregate_query(path, SCHEMA, body)


def test_bin_width_groups_numbers_into_histogram_bins(tmp_path):
    import pyarrow.parquet as pq

    from dataplane.engine import QueryError, aggregate_query

    path = tmp_path / "v1.parquet"
    pq.write_table(pa.table({"t": [0.5, 2.4, 2.5, 7.1, -0.1], "n": [1, 9, 10, 19, 25]}), path)
    columns = [{"name": "t", "type": "float"}, {"name": "n", "type": "integer"}]
    floats = aggregate_query(
        path, columns, {"group_by": [{"column": "t", "bin_width": 2.5}], "measures": [{"fn": "count"}]}
    )
    assert floats["rows"] == [
        {"t": -2.5, "count": 1},
        {"t": 0.0, "count": 2},
        {"t": 2.5, "count": 1},
        {"t": 5.0, "count": 1},
    ]
    ints = aggregate_query(
        path, columns, {"group_by": [{"column": "n", "bin_width": 10}], "measures": [{"fn": "count"}]}
    )
    assert ints["columns"][0] == {"name": "n", "type": "integer"}
    assert ints["rows"] == [{"n": 0, "count": 2}, {"n": 10, "count": 2}, {"n": 20, "count": 1}]
    for bad in (0, -1, "5", True):
        with pytest.raises(QueryError, match="bin_width"):
            aggregate_query(path, columns, {"group_by": [{"column": "t", "bin_width": bad}]})
