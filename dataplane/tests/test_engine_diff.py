"""Version diffs from the engine, checked against an independent pandas computation."""

import random

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.engine import QueryError
from dataplane.engine.diff import DiffSide, version_diff

COLUMNS_A = [
    {"name": "id", "type": "integer"},
    {"name": "city", "type": "text"},
    {"name": "price", "type": "float"},
    {"name": "zip", "type": "integer"},
    {"name": "old_note", "type": "text"},
]
COLUMNS_B = [
    {"name": "id", "type": "integer"},
    {"name": "city", "type": "text"},
    {"name": "price", "type": "float"},
    {"name": "zip", "type": "text"},  # retyped: compared as text
    {"name": "new_flag", "type": "boolean"},
]


def make_versions(folder, rows=3000, seed=7):
    """Two versions: some rows edited (one or two cells, nulls included), some removed, some added, and
    duplicates of whole rows so the multiset comparison has something to count."""
    rng = random.Random(seed)
    cities = ["Lyon", "Brest", "Nantes", None]
    a = {"id": [], "city": [], "price": [], "zip": [], "old_note": []}
    for i in range(rows):
        a["id"].append(i)
        a["city"].append(rng.choice(cities))
        a["price"].append(None if rng.random() < 0.05 else round(rng.uniform(0, 100), 2))
        a["zip"].append(rng.randrange(10000, 10100))
        a["old_note"].append("x")
    b = {"id": [], "city": [], "price": [], "zip": [], "new_flag": []}
    for i in range(rows):
        if rng.random() < 0.03:
            continue  # removed
        city, price = a["city"][i], a["price"][i]
        roll = rng.random()
        if roll < 0.05:
            city = rng.choice(cities)
        elif roll < 0.08:
            price = None if price is not None else 1.5
        elif roll < 0.10:
            price, city = (price or 0) + 1, "Paris"
        b["id"].append(i)
        b["city"].append(city)
        b["price"].append(price)
        b["zip"].append(str(a["zip"][i]))
        b["new_flag"].append(rng.random() < 0.5)
    for i in range(rows, rows + 40):  # added
        b["id"].append(i)
        b["city"].append("Lille")
        b["price"].append(float(i))
        b["zip"].append("59000")
        b["new_flag"].append(True)
    path_a, path_b = folder / "v1.parquet", folder / "v2.parquet"
    schema_a = pa.schema(
        [
            ("id", pa.int64()),
            ("city", pa.string()),
            ("price", pa.float64()),
            ("zip", pa.int64()),
            ("old_note", pa.string()),
        ]
    )
    schema_b = pa.schema(
        [
            ("id", pa.int64()),
            ("city", pa.string()),
            ("price", pa.float64()),
            ("zip", pa.string()),
            ("new_flag", pa.bool_()),
        ]
    )
    pq.write_table(pa.table(a, schema=schema_a), path_a)
    pq.write_table(pa.table(b, schema=schema_b), path_b)
    return DiffSide(path_a, COLUMNS_A), DiffSide(path_b, COLUMNS_B)


def differs(left: pd.Series, right: pd.Series) -> pd.Series:
    """Cell by cell, null equal to null."""
    both_null = left.isna() & right.isna()
    return ~both_null & ((left != right) | left.isna() | right.isna())


def test_keyed_diff_matches_pandas(tmp_path):
    before, after = make_versions(tmp_path)
    answer = version_diff(before, after, ["id"])

    a, b = pd.read_parquet(before.path), pd.read_parquet(after.path)
    a["zip"] = a["zip"].astype(str)  # the retyped column, compared as text
    merged = a.merge(b, on="id", how="outer", suffixes=("_a", "_b"), indicator=True)
    both = merged[merged["_merge"] == "both"]
    per_column = {c: differs(both[f"{c}_a"], both[f"{c}_b"]) for c in ("city", "price", "zip")}
    changed_mask = per_column["city"] | per_column["price"] | per_column["zip"]

    assert answer["rows"] == {
        "before": len(a),
        "after": len(b),
        "added": int((merged["_merge"] == "right_only").sum()),
        "removed": int((merged["_merge"] == "left_only").sum()),
        "changed": int(changed_mask.sum()),
        "unchanged": int((~changed_mask).sum()),
    }
    assert answer["rows"]["changed"] > 100 and answer["rows"]["removed"] > 30
    expected_columns = {c: int(mask.sum()) for c, mask in per_column.items() if mask.sum()}
    assert answer["changed_columns"] == expected_columns
    assert answer["schema"] == {
        "added": ["new_flag"],
        "removed": ["old_note"],
        "type_changed": [{"name": "zip", "from": "integer", "to": "text"}],
    }
    # Samples: the first 20 by key, with whole rows from each side.
    changed_ids = sorted(both.loc[changed_mask, "id"])[:20]
    assert [row["key"] for row in answer["sample"]["changed"]] == [{"id": i} for i in changed_ids]
    first = answer["sample"]["changed"][0]
    row_a = a[a["id"] == changed_ids[0]].iloc[0]
    assert first["before"]["city"] == (None if pd.isna(row_a["city"]) else row_a["city"])
    assert set(first["before"]) == {"id", "city", "price", "zip", "old_note"}
    assert set(first["after"]) == {"id", "city", "price", "zip", "new_flag"}
    added_ids = sorted(merged.loc[merged["_merge"] == "right_only", "id"])[:20]
    assert [row["id"] for row in answer["sample"]["added"]] == added_ids
    removed_ids = sorted(merged.loc[merged["_merge"] == "left_only", "id"])[:20]
    assert [row["id"] for row in answer["sample"]["removed"]] == removed_ids


def multiset(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    return frame[columns].astype(object).where(frame[columns].notna(), None).value_counts(dropna=False)


def test_whole_row_diff_matches_pandas_multisets(tmp_path):
    before, after = make_versions(tmp_path)
    a, b = pd.read_parquet(before.path), pd.read_parquet(after.path)
    # Duplicate whole rows: a multiset counts each copy.
    extra = a.iloc[:5]
    a = pd.concat([a, extra, extra.iloc[:2]], ignore_index=True)
    pq.write_table(pa.Table.from_pandas(a, preserve_index=False), before.path)

    answer = version_diff(before, after, None)

    a["zip"] = a["zip"].astype(str)
    common = ["id", "city", "price", "zip"]
    counts = pd.concat([multiset(a, common).rename("a"), multiset(b, common).rename("b")], axis=1).fillna(0)
    removed = int((counts["a"] - counts["b"]).clip(lower=0).sum())
    added = int((counts["b"] - counts["a"]).clip(lower=0).sum())
    assert answer["rows"] == {
        "before": len(a),
        "after": len(b),
        "added": added,
        "removed": removed,
        "changed": 0,
        "unchanged": len(a) - removed,
    }
    assert removed > added - 40  # edits count once removed and once added
    assert answer["changed_columns"] == {}
    assert answer["sample"]["changed"] == []
    assert len(answer["sample"]["added"]) == 20
    assert set(answer["sample"]["added"][0]) == set(common)


def test_null_keys_match_each_other(tmp_path):
    pq.write_table(pa.table({"k": [1, None], "v": ["a", "b"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"k": [1, None], "v": ["a", "c"]}), tmp_path / "b.parquet")
    columns = [{"name": "k", "type": "integer"}, {"name": "v", "type": "text"}]
    answer = version_diff(DiffSide(tmp_path / "a.parquet", columns), DiffSide(tmp_path / "b.parquet", columns), ["k"])
    assert answer["rows"]["changed"] == 1 and answer["rows"]["added"] == 0
    assert answer["sample"]["changed"] == [
        {"key": {"k": None}, "before": {"k": None, "v": "b"}, "after": {"k": None, "v": "c"}}
    ]


def test_a_key_that_is_not_unique_is_refused_with_an_example(tmp_path):
    pq.write_table(pa.table({"k": [1, 2, 2], "v": ["a", "b", "c"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"k": [1, 2], "v": ["a", "b"]}), tmp_path / "b.parquet")
    columns = [{"name": "k", "type": "integer"}, {"name": "v", "type": "text"}]
    with pytest.raises(QueryError, match="not unique in the first version") as caught:
        version_diff(DiffSide(tmp_path / "a.parquet", columns), DiffSide(tmp_path / "b.parquet", columns), ["k"])
    assert caught.value.code == "key_not_unique"
    assert caught.value.details["example"] == {"k": 2}


def test_an_unknown_key_column_is_refused(tmp_path):
    before, after = make_versions(tmp_path, rows=10)
    with pytest.raises(QueryError, match="no column named 'old_note' in the second version"):
        version_diff(before, after, ["old_note"])


def test_profile_drift_pairs_the_stored_profiles(tmp_path):
    before, after = make_versions(tmp_path, rows=10)
    before = DiffSide(before.path, before.columns, {"city": {"nulls": 2, "distinct": 3, "mean": None}})
    after = DiffSide(after.path, after.columns, {"city": {"nulls": 0, "distinct": 4}, "new_flag": {"nulls": 0}})
    drift = version_diff(before, after, ["id"])["profile"]
    assert drift["city"] == {
        "nulls": [2, 0],
        "distinct": [3, 4],
        "mean": [None, None],
        "min": [None, None],
        "max": [None, None],
    }
    assert drift["new_flag"]["nulls"] == [None, 0]
    assert list(drift) == ["id", "city", "price", "zip", "new_flag", "old_note"]


def test_a_profile_that_proves_the_key_unique_skips_the_check_and_a_wrong_one_is_not_trusted_blindly(tmp_path):
    pq.write_table(pa.table({"k": [1, 2, 3], "v": ["a", "b", "c"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"k": [1, 2, 2], "v": ["a", "b", "c"]}), tmp_path / "b.parquet")
    columns = [{"name": "k", "type": "integer"}, {"name": "v", "type": "text"}]
    unique = {"k": {"nulls": 0, "distinct": 3}}
    before = DiffSide(tmp_path / "a.parquet", columns, unique, row_count=3)
    # Version b's profile says 2 distinct values in 3 rows: not proven unique, so it is checked, and refused.
    after = DiffSide(tmp_path / "b.parquet", columns, {"k": {"nulls": 0, "distinct": 2}}, row_count=3)
    with pytest.raises(QueryError, match="not unique in the second version"):
        version_diff(before, after, ["k"])
    assert before.known_unique(["k"]) and before.known_unique(["v", "k"])
    assert not after.known_unique(["k"]) and not after.known_unique(["k", "v"])


def test_float_keys_with_nan_and_retyped_keys_do_not_break_the_samples(tmp_path):
    pq.write_table(pa.table({"k": [1.5, float("nan"), 3.0], "v": ["a", "b", "c"]}), tmp_path / "a.parquet")
    pq.write_table(pa.table({"k": ["1.5", "nan", "4.0"], "v": ["x", "b", "d"]}), tmp_path / "b.parquet")
    before = DiffSide(tmp_path / "a.parquet", [{"name": "k", "type": "float"}, {"name": "v", "type": "text"}])
    after = DiffSide(tmp_path / "b.parquet", [{"name": "k", "type": "text"}, {"name": "v", "type": "text"}])
    answer = version_diff(before, after, ["k"])
    assert answer["schema"]["type_changed"] == [{"name": "k", "from": "float", "to": "text"}]
    assert answer["rows"]["changed"] == 1  # 1.5: a → x, the key compared as text
    assert answer["sample"]["changed"][0]["key"] == {"k": "1.5"}
