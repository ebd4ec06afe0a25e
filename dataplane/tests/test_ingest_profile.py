"""The ingest profile, checked against the same numbers computed in plain Python."""

import csv
import datetime as dt
import io
import json
import math
import random
import statistics
from collections import Counter
from itertools import pairwise

import pytest

from .test_ingest import ingest_text
from .test_ingest import values as values_of


def python_top(cells: list) -> list[dict]:
    counts = Counter(cell for cell in cells if cell is not None)
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [{"value": value, "count": count} for value, count in ordered[:10]]


@pytest.fixture(scope="module")
def sample():
    """Columns of seeded random data, as Python values, and the profile the ingest computed for them."""
    generator = random.Random(20240601)
    size = 5_000
    data = {
        "n": [generator.choice([None, *range(-50, 200)]) for _ in range(size)],
        "x": [None if generator.random() < 0.1 else round(generator.uniform(-1000, 1000), 3) for _ in range(size)],
        "d": [dt.date(2020, 1, 1) + dt.timedelta(days=generator.randrange(0, 1500)) for _ in range(size)],
        "ts": [dt.datetime(2024, 1, 1) + dt.timedelta(seconds=generator.randrange(0, 10**7)) for _ in range(size)],
        "t": [generator.choice(["red", "green", "blue", "teal", "x" * 3, None]) for _ in range(size)],
        "b": [generator.choice([True, False, None]) for _ in range(size)],
        "big": [generator.choice([10**20, 10**20 + 1, -(10**25)]) for _ in range(size)],
    }
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(data)
    for row in zip(*data.values(), strict=True):
        writer.writerow(
            ["" if v is None else ("true" if v is True else "false" if v is False else str(v).replace(" ", "T"))
             for v in row]
        )  # fmt: skip
    return data, text.getvalue()


@pytest.fixture
def profile(tmp_path, sample):
    result, _ = ingest_text(tmp_path, sample[1])
    assert {c.name: c.type for c in result.columns} == {
        "n": "integer", "x": "float", "d": "date", "ts": "timestamp", "t": "text", "b": "boolean", "big": "bigint",
    }  # fmt: skip
    json.dumps(result.profile, allow_nan=False)  # JSON-ready, never NaN
    return result.profile


def test_counts_and_extremes_for_every_column(profile, sample):
    data, _ = sample
    for name, cells in data.items():
        present = [cell for cell in cells if cell is not None]
        stats = profile[name]
        assert stats["count"] == len(present), name
        assert stats["nulls"] == len(cells) - len(present), name
        assert stats["distinct"] == len(set(present)), name
    assert (profile["n"]["min"], profile["n"]["max"]) == (-50, 199)
    assert profile["x"]["min"] == min(c for c in data["x"] if c is not None)
    assert profile["d"]["min"] == min(data["d"]).isoformat()
    assert profile["ts"]["max"] == max(data["ts"]).isoformat()
    assert (profile["t"]["min"], profile["t"]["max"]) == ("blue", "xxx")
    assert (profile["b"]["min"], profile["b"]["max"]) == (False, True)
    assert (profile["big"]["min"], profile["big"]["max"]) == (str(-(10**25)), str(10**20 + 1))


@pytest.mark.parametrize("name", ["n", "x"])
def test_numeric_statistics(profile, sample, name):
    present = [cell for cell in sample[0][name] if cell is not None]
    q1, median, q3 = statistics.quantiles(present, n=4, method="inclusive")
    stats = profile[name]
    assert stats["mean"] == pytest.approx(statistics.fmean(present), rel=1e-11)
    assert stats["std"] == pytest.approx(statistics.stdev(present), rel=1e-9)
    assert (stats["q1"], stats["median"], stats["q3"]) == (
        pytest.approx(q1, rel=1e-12),
        pytest.approx(median, rel=1e-12),
        pytest.approx(q3, rel=1e-12),
    )


def test_big_integer_statistics_are_exact_strings(profile, sample):
    stats = profile["big"]
    assert stats["median"] == str(statistics.median_low(sorted(sample[0]["big"])))
    assert stats["mean"] == pytest.approx(statistics.fmean(sample[0]["big"]), rel=1e-9)


def test_top_values_with_ties_broken_by_value(profile, sample):
    data, _ = sample
    assert profile["t"]["top"] == python_top(data["t"])
    assert profile["n"]["top"] == python_top(data["n"])
    assert profile["b"]["top"] == python_top(data["b"])
    assert profile["d"]["top"] == [
        {"value": item["value"].isoformat(), "count": item["count"]} for item in python_top(data["d"])
    ]
    assert profile["big"]["top"] == [
        {"value": str(item["value"]), "count": item["count"]} for item in python_top(data["big"])
    ]


def test_integer_histogram(profile, sample):
    present = [cell for cell in sample[0]["n"] if cell is not None]
    low, high = min(present), max(present)
    width = math.ceil((high - low + 1) / 20)
    expected = Counter((value - low) // width for value in present)
    histogram = profile["n"]["histogram"]
    assert [b["count"] for b in histogram] == [expected[i] for i in range(len(histogram))]
    assert [b["start"] for b in histogram] == [low + i * width for i in range(len(histogram))]
    assert histogram[-1]["end"] == high
    assert sum(b["count"] for b in histogram) == len(present)


def test_float_histogram(profile, sample):
    present = [cell for cell in sample[0]["x"] if cell is not None]
    low, high = min(present), max(present)
    width = (high - low) / 20
    expected = Counter(min(math.floor((value - low) / width), 19) for value in present)
    histogram = profile["x"]["histogram"]
    assert len(histogram) == 20
    assert [b["count"] for b in histogram] == [expected[i] for i in range(20)]
    assert (histogram[0]["start"], histogram[-1]["end"]) == (low, high)


def test_date_and_timestamp_histograms(profile, sample):
    for name in ("d", "ts"):
        histogram = profile[name]["histogram"]
        assert 10 <= len(histogram) <= 20
        assert sum(b["count"] for b in histogram) == len(sample[0][name])
        assert histogram[0]["start"] == profile[name]["min"]
        assert histogram[-1]["end"] == profile[name]["max"]
        assert all(a["end"] == b["start"] for a, b in pairwise(histogram))
    days = [(value - dt.date(2020, 1, 1)).days for value in sample[0]["d"]]
    low = min(days)
    width = math.ceil((max(days) - low + 1) / 20)
    assert [b["count"] for b in profile["d"]["histogram"]] == [
        sum(1 for day in days if (day - low) // width == i) for i in range(len(profile["d"]["histogram"]))
    ]


def test_text_and_boolean_columns_have_no_numeric_statistics(profile):
    for name in ("t", "b"):
        assert not {"mean", "std", "q1", "median", "q3", "histogram"} & set(profile[name])


def test_a_single_value_column(tmp_path):
    result, _ = ingest_text(tmp_path, "v,w\n7,\n7,\n")
    stats = result.profile["v"]
    assert stats | {"top": None} == {
        "count": 2, "nulls": 0, "distinct": 1, "min": 7, "max": 7, "mean": 7.0, "std": 0.0,
        "q1": 7.0, "median": 7.0, "q3": 7.0, "histogram": [{"start": 7, "end": 7, "count": 2}], "top": None,
    }  # fmt: skip
    assert result.profile["w"] == {"count": 0, "nulls": 2, "distinct": 0, "min": None, "max": None, "top": []}


def test_wide_tables_take_the_batched_paths_with_the_same_results(tmp_path):
    # Past 32 columns, type checks and value counts run over unnested columns; results must not change.
    generator = random.Random(7)
    width, size = 70, 600
    kinds = ["integer", "text", "float", "date", "boolean"]
    data: dict[str, list] = {}
    for i in range(width):
        kind = kinds[i % len(kinds)]
        make = {
            "integer": lambda: generator.randrange(-5, 30),
            "text": lambda: generator.choice(["a", "b", "007", "x y"]),
            "float": lambda: generator.choice([0.5, 1.25, -3.0]),
            "date": lambda: dt.date(2024, 1, generator.randrange(1, 29)),
            "boolean": lambda: generator.choice([True, False]),
        }[kind]
        data[f"c{i}"] = [make() for _ in range(size)]
    data["c0"][-1] = "late text"  # beyond the sample: c0 must end up text, with every value as written
    data["c5"] = [None] * (size - 1) + [123]  # empty in the sample: still inferred
    lines = [",".join(data)]
    for row in zip(*data.values(), strict=True):
        lines.append(",".join("" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in row))
    result, destination = ingest_text(tmp_path, "\n".join(lines) + "\n")
    expected_types = {f"c{i}": kinds[i % len(kinds)] for i in range(width)} | {"c0": "text", "c5": "integer"}
    assert {c.name: c.type for c in result.columns} == expected_types
    assert values_of(destination, "c0") == [str(v) for v in data["c0"]]
    assert values_of(destination, "c5")[-1] == 123
    for name, cells in data.items():
        shown = {
            "text": str, "float": float, "date": dt.date.isoformat, "integer": int, "boolean": bool,
        }[expected_types[name]]  # fmt: skip
        present = [shown(cell) for cell in cells if cell is not None]
        assert result.profile[name]["distinct"] == len(set(present)), name
        assert result.profile[name]["top"] == python_top(present), name


def test_integer_extremes_profile(tmp_path):
    result, _ = ingest_text(tmp_path, "v\n9223372036854775807\n-9223372036854775808\n0\n")
    stats = result.profile["v"]
    assert (stats["min"], stats["max"]) == (-(2**63), 2**63 - 1)
    assert sum(b["count"] for b in stats["histogram"]) == 3
    assert stats["histogram"][-1]["end"] == 2**63 - 1
