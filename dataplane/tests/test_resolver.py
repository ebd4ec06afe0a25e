"""The name resolver's rules, one DuckDB 2.0 behaviour each (tests/security/test_sql_resolver.py checks the
same against DuckDB's bound plans): which names are CTEs, which are datasets, folded as DuckDB folds them."""

import pytest

from dataplane.sql.guard import SQL_SYNTAX, SqlRefused, check_statement
from dataplane.sql.guard.parsing import parse_one_statement
from dataplane.sql.guard.resolver import fold, resolve_names


def meaning(sql: str) -> list[str]:
    """Each table name in the order written: `cte:<n>` (the n-th CTE defined) or `ds:<name>`."""
    resolution = resolve_names(parse_one_statement(sql))
    return [f"cte:{b.cte.index}" if b.cte else f"ds:{fold(b.node.name)}" for b in resolution.bindings]


RULES = [
    # a CTE's own body never sees it, RECURSIVE or not, unless it recurses through a UNION's right operand
    ("WITH a AS (SELECT * FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT * FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT 1 v UNION ALL SELECT v + 1 FROM a WHERE v < 3) SELECT * FROM a", ["cte:0", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT 1 v UNION SELECT v + 1 FROM a WHERE v < 3) SELECT * FROM a", ["cte:0", "cte:0"]),
    ("WITH a AS (SELECT 1 v UNION ALL SELECT v + 1 FROM a WHERE v < 3) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT * FROM a UNION ALL SELECT 1) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT 1 v INTERSECT SELECT v FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT 1 v EXCEPT SELECT v FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE a AS (SELECT 1 v UNION ALL BY NAME SELECT v FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    # only the top union's right operand: in ((1 ∪ a) ∪ 5) the name is in the left one
    (
        "WITH RECURSIVE a AS (SELECT 1 v UNION ALL SELECT v FROM a UNION ALL SELECT 5) SELECT * FROM a",
        ["ds:a", "cte:0"],
    ),
    ("WITH RECURSIVE a AS (SELECT 1 v UNION ALL (SELECT 2 UNION ALL SELECT v FROM a)) SELECT * FROM a", ["cte:0"] * 2),
    ("WITH RECURSIVE a AS ((SELECT 1 v UNION ALL SELECT v FROM a WHERE v < 3)) SELECT * FROM a", ["cte:0"] * 2),
    # deeper in the right operand too, unless a nearer WITH shadows it
    ("WITH RECURSIVE a AS (SELECT 1 v UNION ALL SELECT v FROM (SELECT * FROM a) s) SELECT 1", ["cte:0"]),
    (
        "WITH RECURSIVE a AS (SELECT 1 v UNION ALL (WITH b AS (SELECT * FROM a) SELECT * FROM b)) SELECT 1",
        ["cte:0", "cte:1"],
    ),
    (
        "WITH RECURSIVE a AS (SELECT 1 v UNION ALL (WITH a AS (SELECT 2 v) SELECT * FROM a)) SELECT * FROM a",
        ["cte:1", "cte:0"],
    ),
    # the body's own WITH: its CTEs do not see the recursive name, the right operand sees both, self nearer
    (
        "WITH RECURSIVE a AS (WITH b AS (SELECT * FROM a) SELECT 1 v UNION ALL SELECT v FROM b) SELECT * FROM a",
        ["ds:a", "cte:1", "cte:0"],
    ),
    (
        "WITH RECURSIVE a AS (WITH a AS (SELECT 5 v) SELECT * FROM a UNION ALL SELECT v FROM a) SELECT 1",
        ["cte:1", "cte:0"],
    ),
    # siblings: earlier ones only, RECURSIVE or not
    ("WITH a AS (SELECT 1 v), b AS (SELECT * FROM a) SELECT * FROM b", ["cte:0", "cte:1"]),
    ("WITH b AS (SELECT * FROM a), a AS (SELECT 1 v) SELECT * FROM b", ["ds:a", "cte:0"]),
    ("WITH RECURSIVE b AS (SELECT * FROM a), a AS (SELECT 1 v) SELECT * FROM b", ["ds:a", "cte:0"]),
    (
        "WITH a AS (WITH b AS (SELECT * FROM c) SELECT * FROM b), c AS (SELECT 1 v) SELECT * FROM a",
        ["ds:c", "cte:1", "cte:0"],
    ),
    # nesting: an inner WITH sees outer CTEs, shadows them, and is invisible outside its query
    ("WITH a AS (SELECT 1 v) SELECT * FROM (WITH a AS (SELECT * FROM a) SELECT * FROM a)", ["cte:0", "cte:1"]),
    ("SELECT * FROM (WITH a AS (SELECT 1 v) SELECT * FROM a) s, a", ["cte:0", "ds:a"]),
    ("(WITH a AS (SELECT 1 v) SELECT * FROM a) UNION ALL SELECT * FROM a", ["cte:0", "ds:a"]),
    ("WITH a AS (SELECT 1 v) SELECT * FROM a UNION ALL SELECT * FROM a", ["cte:0", "cte:0"]),
    ("WITH a AS (SELECT 1 v) SELECT (SELECT v FROM a), 1 IN (SELECT v FROM a)", ["cte:0", "cte:0"]),
    ("WITH a AS MATERIALIZED (SELECT * FROM a) SELECT * FROM a", ["ds:a", "cte:0"]),
    # qualified names are never CTEs
    ("WITH a AS (SELECT 1 v) SELECT * FROM main.a, acme.a", ["ds:a", "ds:a"]),
    # ASCII folding only, quoted or not
    ('WITH A AS (SELECT 1 v) SELECT * FROM "a", a, "A"', ["cte:0"] * 3),
    ('WITH "\u212a" AS (SELECT 1 v) SELECT * FROM k', ["ds:k"]),  # Kelvin sign
    ('WITH k AS (SELECT 1 v) SELECT * FROM "\u212a"', ["ds:\u212a"]),
    ('WITH "ı" AS (SELECT 1 v) SELECT * FROM i', ["ds:i"]),  # dotless i
    ('WITH "I" AS (SELECT 1 v) SELECT * FROM "ı"', ["ds:ı"]),
    ('WITH "Ä" AS (SELECT 1 v) SELECT * FROM "ä"', ["ds:ä"]),
    ('WITH "ａ" AS (SELECT 1 v) SELECT * FROM a', ["ds:a"]),  # full-width a
    ('WITH "а" AS (SELECT 1 v) SELECT * FROM a', ["ds:a"]),  # Cyrillic a
    ('WITH "ß" AS (SELECT 1 v) SELECT * FROM ss', ["ds:ss"]),
]


@pytest.mark.parametrize(("sql", "expected"), RULES)
def test_each_name_means_what_duckdb_binds(sql, expected):
    assert meaning(sql) == expected


def test_fold_is_ascii_only():
    assert fold("WeAtHeR") == "weather"
    assert fold("\u212a\u0130ÄＡА") == "\u212a\u0130ÄＡА"


def test_a_with_that_names_one_cte_twice_is_refused():
    with pytest.raises(SqlRefused) as refused:
        check_statement("WITH a AS (SELECT 1), A AS (SELECT 2) SELECT * FROM a")
    assert refused.value.code == SQL_SYNTAX
    assert [r.dataset for r in check_statement('WITH "Ä" AS (SELECT 1), "ä" AS (SELECT 2) SELECT 1').references] == []


def test_names_in_an_unused_cte_are_unreachable_but_still_dataset_references():
    sql = "WITH unused AS (SELECT * FROM x), used AS (SELECT * FROM y) SELECT * FROM used"
    bindings = resolve_names(parse_one_statement(sql)).bindings
    assert [(fold(b.node.name), b.reachable) for b in bindings] == [("x", False), ("y", True), ("used", True)]
    assert [r.dataset for r in check_statement(sql).references] == ["x", "y"]


def test_look_alike_names_stay_apart_from_datasets():
    # a Kelvin-sign CTE does not hide the ASCII name: it is a dataset name, as DuckDB would look it up
    checked = check_statement('WITH "\u212aelvin" AS (SELECT 1) SELECT * FROM kelvin')
    assert [r.key for r in checked.references] == [(None, "kelvin", None)]
    checked = check_statement('SELECT * FROM "ACME"."\u212aelvin@2"')
    assert [r.key for r in checked.references] == [("acme", "\u212aelvin", 2)]


def test_time_travel_and_hints_on_a_table_are_refused():
    with pytest.raises(SqlRefused):
        check_statement("SELECT * FROM acme.weather AT (VERSION => 1)")
