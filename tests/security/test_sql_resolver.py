"""DESIGN.md, "Security rules that every feature keeps": "User-written SQL and expressions reach exactly the
published files of the versions they name, nothing else ... whatever the spelling of a name (quotes, case,
Unicode look-alikes, RECURSIVE). One resolver decides what a name means, and it decides as DuckDB does."

A differential test: for generated statements, the guard's resolver and DuckDB 2.0 itself must agree on which
names are CTEs and which would reach DuckDB's catalog. DuckDB is asked through its bound plan: every name the
statement uses gets a decoy view (in `main` and in the workspace-like schema `acme`) over a table of its own,
and the decoy tables that EXPLAIN (optimizer off, so nothing is pruned) scans are exactly the names DuckDB
bound to its catalog. Those must be exactly the resolver's dataset references. Then the statement the server
would run (datasets replaced, CTEs renamed) must bind in a DuckDB with no catalog objects at all.
"""

# ruff: noqa: S608 (the statements are the test's own grammar)

import contextlib
import itertools
import re

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from dataplane.sql.guard import SqlRefused, check_statement
from dataplane.sql.guard.parsing import parse_one_statement
from dataplane.sql.guard.resolver import fold, resolve_names
from dataplane.sql.guard.rewrite import DatasetSource

# Spellings DuckDB folds together (ASCII case, quotes) and look-alikes it keeps apart.
SPELLINGS = {
    "a": ["a", "A", '"a"', '"A"', '"а"', '"ａ"'],  # Cyrillic а, full-width ａ
    "k": ["k", "K", '"k"', '"\u212a"'],  # Kelvin sign
    "i": ["i", "I", '"ı"', '"İ"'],  # dotless ı, dotted İ
    "t": ["t", '"T"', "recursive_t"],
}
NAMES = [spelling for family in SPELLINGS.values() for spelling in family]
SCHEMAS = ["acme", "ACME", '"acme"']
EXAMPLES = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)


def unquoted(spelling: str) -> str:
    return spelling[1:-1] if spelling.startswith('"') else spelling


def _decoy_database() -> tuple[duckdb.DuckDBPyConnection, dict[str, tuple[str, str]]]:
    db = duckdb.connect()
    db.execute("CREATE SCHEMA decoys; CREATE SCHEMA acme")
    decoys: dict[str, tuple[str, str]] = {}
    for schema in ("main", "acme"):
        for spelling in NAMES:
            name = unquoted(spelling)
            decoy = f"d{len(decoys)}"
            db.execute(f"CREATE TABLE decoys.{decoy} AS SELECT 1 AS v")
            decoys[decoy] = (schema, fold(name))
            with contextlib.suppress(duckdb.CatalogException):  # the same name once folded: one decoy serves all
                db.execute(f'CREATE VIEW {schema}."{name}" AS SELECT v FROM decoys.{decoy}')
    db.execute("PRAGMA disable_optimizer")
    return db, decoys


DECOYS = _decoy_database()  # read only: EXPLAIN binds, it never changes the catalog
PLAIN = duckdb.connect()  # no catalog object at all


def duckdb_catalog_names(sql: str) -> set[tuple[str, str]]:
    """(schema, folded name) of every name DuckDB binds to its catalog, by EXPLAIN over decoy views."""
    db, decoys = DECOYS
    plan = db.execute("EXPLAIN " + sql).fetchall()[0][1]
    return {decoys[d] for d in re.findall(r"decoys\.(d\d+)\b", plan)}


def guard_catalog_names(sql: str) -> set[tuple[str, str]]:
    resolution = resolve_names(parse_one_statement(sql))
    return {(fold(b.node.db) or "main", fold(b.node.name)) for b in resolution.datasets if b.reachable}


@pytest.fixture(scope="module")
def parquet_v(tmp_path_factory):
    path = tmp_path_factory.mktemp("resolver") / "v1.parquet"
    pq.write_table(pa.table({"v": pa.array([1, 2], pa.int32())}), path)
    return str(path)


def assert_agrees(sql: str, parquet_v: str) -> None:
    try:
        duckdb_names = duckdb_catalog_names(sql)
    except duckdb.Error:
        assume(False)  # DuckDB refuses the statement itself: nothing to compare
    try:
        checked = check_statement(sql)
    except SqlRefused as refused:
        pytest.fail(f"the guard refused what DuckDB binds: {refused.message}\n{sql}")
    assert guard_catalog_names(sql) == duckdb_names, sql
    # The statement as the server would run it binds with no catalog object at all.
    sources = {reference.key: DatasetSource(parquet_v, ("v",)) for reference in checked.references}
    PLAIN.execute("EXPLAIN " + checked.to_sql(sources))


# Statements from a small grammar where every relation has one integer column `v`.


@st.composite
def relation(draw, depth: int) -> str:
    kind = draw(st.sampled_from(["name", "name", "qualified", "subquery", "in"] if depth else ["name", "qualified"]))
    if kind == "name":
        return draw(st.sampled_from(NAMES))
    if kind == "qualified":
        return f"{draw(st.sampled_from(SCHEMAS))}.{draw(st.sampled_from(NAMES))}"
    if kind == "subquery":
        return f"({draw(query(depth - 1))}) AS s{draw(st.integers(0, 9))}"
    return f"{draw(st.sampled_from(NAMES))} WHERE v IN ({draw(query(depth - 1))})"


# CTE bodies: where a name stands relative to the UNION that DuckDB may bind as recursive.
SHAPES = {
    "plain": "SELECT v FROM {right}",
    "union_all": "SELECT 1 AS v UNION ALL SELECT v + 1 FROM {right} WHERE v < 3",
    "union": "SELECT 1 AS v UNION SELECT v + 1 FROM {right} WHERE v < 3",
    "left": "SELECT v FROM {right} UNION ALL SELECT 1 AS v",
    "intersect": "SELECT 1 AS v INTERSECT SELECT v FROM {right}",
    "except": "SELECT 1 AS v EXCEPT SELECT v FROM {right}",
    "by_name": "SELECT 1 AS v UNION ALL BY NAME SELECT v FROM {right}",
    "three": "SELECT 1 AS v UNION ALL SELECT v + 1 FROM {right} WHERE v < 3 UNION ALL SELECT 5",
    "parenthesized": "(SELECT 1 AS v UNION ALL SELECT v + 1 FROM {right} WHERE v < 3)",
    "right_nested": "SELECT 1 AS v UNION ALL (SELECT 2 AS v UNION ALL SELECT v FROM {right})",
    "subquery": "SELECT 1 AS v UNION ALL SELECT v FROM (SELECT v FROM {right}) AS r WHERE v < 3",
    "in_subquery": "SELECT 1 AS v UNION ALL SELECT v FROM {other} WHERE v IN (SELECT v FROM {right})",
    "right_with": "SELECT 1 AS v UNION ALL (WITH w AS (SELECT v FROM {right}) SELECT v FROM w)",
    "body_with": "WITH w AS (SELECT v FROM {right}) SELECT 1 AS v UNION ALL SELECT v FROM w",
    "body_with_self": "WITH w AS (SELECT 1 AS v) SELECT v FROM w UNION ALL SELECT v + 1 FROM {right} WHERE v < 3",
}


def cte_body(draw, depth: int, name: str) -> str:
    if depth and draw(st.integers(0, 4)) == 0:
        return draw(query(depth))
    right = draw(st.sampled_from([name, name, name, *NAMES]))
    return SHAPES[draw(st.sampled_from(sorted(SHAPES)))].format(right=right, other=draw(st.sampled_from(NAMES)))


@st.composite
def query(draw, depth: int = 2) -> str:
    select = f"SELECT v FROM {draw(relation(depth))}"
    if draw(st.booleans()):
        select += f" UNION ALL SELECT v FROM {draw(relation(depth))}"
    if depth and draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(NAMES), min_size=1, max_size=3, unique_by=lambda s: fold(unquoted(s))))
        recursive = "RECURSIVE " if draw(st.booleans()) else ""
        materialized = " MATERIALIZED" if draw(st.booleans()) else ""
        ctes = [f"{name} AS{materialized} ({cte_body(draw, depth - 1, name)})" for name in names]
        select = f"WITH {recursive}{', '.join(ctes)} {select}"
    return select


@EXAMPLES
@given(query())
def test_the_guard_binds_every_name_as_duckdb_does(parquet_v, sql):
    assert_agrees(sql, parquet_v)


@pytest.mark.parametrize(("defined", "used"), list(itertools.product(NAMES, NAMES)))
def test_every_spelling_of_a_cte_name_against_every_spelling_of_a_reference(parquet_v, defined, used):
    assert_agrees(f"WITH {defined} AS (SELECT 1 AS v) SELECT v FROM {used}", parquet_v)
    assert_agrees(
        f"WITH RECURSIVE {defined} AS (SELECT 1 AS v UNION ALL SELECT v + 1 FROM {used} WHERE v < 3) "
        f"SELECT v FROM {defined}",
        parquet_v,
    )


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("recursive", ["RECURSIVE ", ""])
def test_every_cte_body_shape_with_and_without_recursive(parquet_v, shape, recursive):
    for defined, used in itertools.product(["a", '"A"', '"а"'], ["a", '"A"', '"а"', "k"]):
        body = SHAPES[shape].format(right=used, other="t")
        assert_agrees(f"WITH {recursive}{defined} AS ({body}) SELECT v FROM {defined}", parquet_v)
