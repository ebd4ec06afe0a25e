"""Each recipe step against an independent computation in plain Python, on generated data.

The version build (recipes/build.py) writes the whole result; the preview's counts (rows kept, values
changed, failed casts) are checked against the same Python computation.
"""

import random
import re
from datetime import date, datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.recipes.build import RecipeFailed, build_version_file
from dataplane.recipes.preview import recipe_preview

ROWS = 400
BUILD_TIMEOUT_S = 300  # the app passes the Celery task's limit; a test's own timeout is 300 seconds
WORDS = ["lyon", "Brest", "NICE", "saint-étienne", "le havre", "aix en provence", "", None]


def generated(seed: int = 7) -> tuple[dict, list[dict]]:
    rng = random.Random(seed)

    def maybe(value):
        return None if rng.random() < 0.08 else value

    def padded(word):
        if word is None:
            return None
        return rng.choice(["", " ", "  ", "\t"]) + word + rng.choice(["", " ", "\n", "  "])

    def price():
        whole = rng.randint(0, 2_000_000)
        text = f"{whole:,}".replace(",", ".") if rng.random() < 0.5 else str(whole)
        return f"{text},{rng.randint(0, 99):02d}" if rng.random() < 0.7 else text

    def day():
        if rng.random() < 0.05:
            return rng.choice(["31/02/2021", "2021-01-01", "soon"])
        moment = date(1990, 1, 1).toordinal() + rng.randint(0, 12_000)
        value = date.fromordinal(moment)
        return f"{value.day:02d}/{value.month:02d}/{value.year}" if rng.random() < 0.8 else value.strftime("%-d/%-m/%Y")

    table = {
        "city": [maybe(padded(rng.choice(WORDS))) for _ in range(ROWS)],
        "price": [maybe(price() if rng.random() < 0.97 else "n/a") for _ in range(ROWS)],
        "day": [maybe(day()) for _ in range(ROWS)],
        "count": [maybe(str(rng.randint(-50, 50)) if rng.random() < 0.97 else "4.5") for _ in range(ROWS)],
        "flag": [maybe(rng.choice(["yes", "No", "TRUE", "f", "1", "0", "y", "maybe"])) for _ in range(ROWS)],
        "n": [maybe(rng.randint(0, 20)) for _ in range(ROWS)],
        "tags": [maybe(rng.choice(["a|b|c", "a", "a||c", "x|y", "|z"])) for _ in range(ROWS)],
    }
    schema = [{"name": name, "original_name": name, "type": "text"} for name in table]
    schema[-2]["type"] = "integer"
    return table, schema


@pytest.fixture
def dataset_files(tmp_path):
    table, schema = generated()
    inferred = tmp_path / "v1.inferred.parquet"
    pq.write_table(pa.table({**table, "n": pa.array(table["n"], pa.int64())}), inferred)
    return tmp_path, inferred, table, schema


def build(files, steps):
    folder, inferred, _, schema = files
    built = build_version_file(
        inferred_path=inferred,
        destination=folder / "v1.parquet",
        columns=schema,
        steps=steps,
        source=None,
        work_dir=folder / "work",
        timeout_s=BUILD_TIMEOUT_S,
    )
    return pq.read_table(folder / "v1.parquet").to_pydict(), built


def preview_step(files, steps):
    _, inferred, _, schema = files
    return recipe_preview(inferred, schema, steps)["steps"][-1]


def changed(before, after) -> int:
    return sum(1 for a, b in zip(before, after, strict=True) if a != b)


SPACES = " \t\r\n"


def test_trim(dataset_files):
    table = dataset_files[2]
    expected = [None if v is None else v.strip(SPACES) for v in table["city"]]
    steps = [{"op": "trim", "columns": ["city"]}]
    result, built = build(dataset_files, steps)
    assert result["city"] == expected
    assert preview_step(dataset_files, steps)["values_changed"] == changed(table["city"], expected)
    assert built.row_count == ROWS


@pytest.mark.parametrize("to", ["lower", "upper", "title"])
def test_case(dataset_files, to):
    table = dataset_files[2]

    def title(text: str) -> str:
        return " ".join(word[:1].upper() + word[1:].lower() for word in text.split(" "))

    function = {"lower": str.lower, "upper": str.upper, "title": title}[to]
    expected = [None if v is None else function(v) for v in table["city"]]
    steps = [{"op": "case", "columns": ["city"], "to": to}]
    assert build(dataset_files, steps)[0]["city"] == expected
    assert preview_step(dataset_files, steps)["values_changed"] == changed(table["city"], expected)


@pytest.mark.parametrize("regex", [False, True])
def test_replace(dataset_files, regex):
    table = dataset_files[2]
    find, replacement = ("[aeiou]+", "_") if regex else ("e", "E")
    expected = [
        None if v is None else (re.sub(find, replacement, v) if regex else v.replace(find, replacement))
        for v in table["city"]
    ]
    steps = [{"op": "replace", "column": "city", "find": find, "with": replacement, "regex": regex}]
    assert build(dataset_files, steps)[0]["city"] == expected
    assert preview_step(dataset_files, steps)["values_changed"] == changed(table["city"], expected)


def test_fill_text_and_number(dataset_files):
    table = dataset_files[2]
    expected_city = ["(none)" if v in (None, "") else v for v in table["city"]]
    expected_n = [-1 if v is None else v for v in table["n"]]
    steps = [{"op": "fill", "column": "city", "value": "(none)"}, {"op": "fill", "column": "n", "value": -1}]
    result = build(dataset_files, steps)[0]
    assert (result["city"], result["n"]) == (expected_city, expected_n)
    assert preview_step(dataset_files, steps)["values_changed"] == changed(table["n"], expected_n)


def number(text: str | None, decimal: str, thousands: str | None):
    """The independent reading of a number with separators (casts ignore surrounding spaces): None when
    empty, "fail" when not a number."""
    if text is None or not text.strip(" "):
        return None
    text = text.strip(" ")
    if thousands:
        text = text.replace(thousands, "")
    text = text.replace(decimal, ".")
    if not re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", text):
        return "fail"
    return float(text)


def test_cast_decimal_commas_to_float(dataset_files):
    table = dataset_files[2]
    read = [number(v, ",", ".") for v in table["price"]]
    failures = sorted({v for v, r in zip(table["price"], read, strict=True) if r == "fail"})
    steps = [{"op": "cast", "column": "price", "type": "float", "decimal": ",", "thousands": ".", "on_error": "null"}]
    result, built = build(dataset_files, steps)
    assert result["price"] == [None if r == "fail" else r for r in read]
    assert next(c for c in built.columns if c["name"] == "price")["type"] == "float"
    answer = preview_step(dataset_files, steps)
    assert answer["errors"] == sum(r == "fail" for r in read) > 0
    assert answer["error_examples"] == failures[:5]


def test_cast_fails_the_build_naming_step_column_and_value(dataset_files):
    steps = [
        {"op": "trim", "columns": ["city"]},
        {"op": "cast", "column": "price", "type": "float", "decimal": ",", "thousands": "."},
    ]
    with pytest.raises(RecipeFailed) as failure:
        build(dataset_files, steps)
    assert str(failure.value).startswith("Step 2 (cast): column 'price' has the value \"n/a\", which is not a number")
    assert not (dataset_files[0] / "v1.parquet").exists()


def test_cast_to_date_with_a_format(dataset_files):
    table = dataset_files[2]

    def read(text):
        if text is None:
            return None
        try:
            return datetime.strptime(text, "%d/%m/%Y").date()
        except ValueError:
            return "fail"

    expected = [read(v) for v in table["day"]]
    steps = [{"op": "cast", "column": "day", "type": "date", "format": "%d/%m/%Y", "on_error": "null"}]
    result, built = build(dataset_files, steps)
    assert result["day"] == [None if e == "fail" else e for e in expected]
    column = next(c for c in built.columns if c["name"] == "day")
    assert (column["type"], column["format"]) == ("date", "%d/%m/%Y")
    answer = preview_step(dataset_files, steps)
    assert answer["errors"] == sum(e == "fail" for e in expected)
    assert set(answer["error_examples"]) <= {"31/02/2021", "2021-01-01", "soon"}
    assert answer["formats"] == []  # the column mixes forms: no single pattern fits every value


def test_cast_to_integer_and_boolean(dataset_files):
    table = dataset_files[2]

    def integer(text):
        if text is None:
            return None
        return int(text) if re.fullmatch(r"[+-]?[0-9]+", text.strip(" ")) else None

    def boolean(text):
        if text is None:
            return None
        word = text.strip(" ").lower()
        return (
            True
            if word in {"true", "t", "yes", "y", "1"}
            else False
            if word in {"false", "f", "no", "n", "0"}
            else None
        )

    steps = [
        {"op": "cast", "column": "count", "type": "integer", "on_error": "null"},
        {"op": "cast", "column": "flag", "type": "boolean", "on_error": "null"},
    ]
    result = build(dataset_files, steps)[0]
    assert result["count"] == [integer(v) for v in table["count"]]
    assert result["flag"] == [boolean(v) for v in table["flag"]]


def test_filter(dataset_files):
    table = dataset_files[2]
    keep = [
        n is not None and n >= 10 and city is not None and "e" in city
        for n, city in zip(table["n"], table["city"], strict=True)
    ]
    steps = [
        {
            "op": "filter",
            "filters": [{"column": "n", "op": "gte", "value": 10}, {"column": "city", "op": "contains", "value": "e"}],
        }
    ]
    result, built = build(dataset_files, steps)
    assert result["n"] == [n for n, k in zip(table["n"], keep, strict=True) if k]
    assert built.row_count == sum(keep)
    assert preview_step(dataset_files, steps)["rows_after"] == sum(keep)


@pytest.mark.parametrize("columns", [None, ["tags"], ["tags", "n"]])
def test_dedupe_keeps_the_first_of_each(dataset_files, columns):
    table = dataset_files[2]
    names = columns or list(table)
    seen, keep = set(), []
    for i in range(ROWS):
        key = tuple(table[name][i] for name in names)
        keep.append(key not in seen)
        seen.add(key)
    steps = [{"op": "dedupe", "columns": columns}]
    result = build(dataset_files, steps)[0]
    for name in table:
        assert result[name] == [v for v, k in zip(table[name], keep, strict=True) if k]
    assert preview_step(dataset_files, steps)["rows_after"] == sum(keep)


def test_split(dataset_files):
    table = dataset_files[2]

    def part(text, index):
        if text is None:
            return None
        parts = text.split("|")
        return parts[index] if index < len(parts) and parts[index] != "" else None

    steps = [{"op": "split", "column": "tags", "separator": "|", "into": ["first", "second"]}]
    result, built = build(dataset_files, steps)
    assert result["first"] == [part(v, 0) for v in table["tags"]]
    assert result["second"] == [part(v, 1) for v in table["tags"]]
    assert [c["name"] for c in built.columns] == ["city", "price", "day", "count", "flag", "n", "first", "second"]


def test_rename_and_drop(dataset_files):
    table = dataset_files[2]
    steps = [{"op": "rename", "column": "n", "to": "number"}, {"op": "drop", "columns": ["price", "day"]}]
    result, built = build(dataset_files, steps)
    assert list(result) == ["city", "count", "flag", "number", "tags"]
    assert result["number"] == table["n"]
    assert next(c for c in built.columns if c["name"] == "number")["original_name"] == "n"


def test_steps_compose_in_order(dataset_files):
    """trim, then upper, then dedupe on the cleaned value, then a filter: each sees the previous one's output."""
    table = dataset_files[2]
    cleaned = [None if v is None else v.strip(SPACES).upper() for v in table["city"]]
    seen, rows = set(), []
    for i, value in enumerate(cleaned):
        if value not in seen:
            seen.add(value)
            rows.append(i)
    kept = [i for i in rows if cleaned[i] not in (None, "")]
    steps = [
        {"op": "trim", "columns": ["city"]},
        {"op": "case", "columns": ["city"], "to": "upper"},
        {"op": "dedupe", "columns": ["city"]},
        {
            "op": "filter",
            "filters": [
                {"column": "city", "op": "ne", "value": ""},
                {"column": "city", "op": "isnull", "value": False},
            ],
        },
    ]
    result = build(dataset_files, steps)[0]
    assert result["city"] == [cleaned[i] for i in kept]
    assert result["n"] == [table["n"][i] for i in kept]
    counts = recipe_preview(dataset_files[1], dataset_files[3], steps)["steps"]
    assert [s["rows_after"] for s in counts] == [ROWS, ROWS, len(rows), len(kept)]


def test_hostile_names_and_values_stay_data(tmp_path):
    """Column names and step values with quotes and SQL reach DuckDB only quoted or bound."""
    name = 'a"; DROP TABLE x; --'
    inferred = tmp_path / "v1.inferred.parquet"
    pq.write_table(pa.table({name: ["it's", "'; SELECT 1; --"]}), inferred)
    schema = [{"name": name, "original_name": name, "type": "text"}]
    steps = [
        {"op": "replace", "column": name, "find": "'", "with": "\"'"},
        {"op": "rename", "column": name, "to": "b'\""},
        {"op": "fill", "column": "b'\"", "value": "x'); --"},
    ]
    build_version_file(
        inferred_path=inferred, destination=tmp_path / "v1.parquet", columns=schema, steps=steps, source=None,
        work_dir=tmp_path / "work", timeout_s=BUILD_TIMEOUT_S,
    )  # fmt: skip
    assert pq.read_table(tmp_path / "v1.parquet").to_pydict() == {"b'\"": ["it\"'s", "\"'; SELECT 1; --"]}
