"""The guard alone: what it refuses, with which code, and where; what it lets through and how it rewrites."""

import pytest

from dataplane.sql.guard import SQL_NOT_ALLOWED, SQL_SYNTAX, SQL_UNKNOWN_TABLE, SqlRefused, check_statement
from dataplane.sql.guard.rewrite import DatasetSource

REFUSED = [
    # file and URL readers, of any path, in FROM and in the select list
    ("SELECT * FROM read_csv('/etc/passwd')", SQL_NOT_ALLOWED, "read_csv"),
    ("SELECT * FROM read_csv_auto('data/x.csv')", SQL_NOT_ALLOWED, "read_csv_auto"),
    ("SELECT * FROM read_parquet('var/data/datasets/x/v1.parquet')", SQL_NOT_ALLOWED, "read_parquet"),
    ("SELECT * FROM read_json_auto('https://example.com/x.json')", SQL_NOT_ALLOWED, "read_json_auto"),
    ("SELECT * FROM read_text('/etc/hostname')", SQL_NOT_ALLOWED, "read_text"),
    ("SELECT * FROM read_blob('/etc/hostname')", SQL_NOT_ALLOWED, "read_blob"),
    ("SELECT * FROM parquet_scan('x.parquet')", SQL_NOT_ALLOWED, "parquet_scan"),
    ("SELECT * FROM parquet_metadata('x.parquet')", SQL_NOT_ALLOWED, "parquet_metadata"),
    ("SELECT * FROM glob('/*')", SQL_NOT_ALLOWED, "glob"),
    ("SELECT * FROM sniff_csv('/etc/passwd')", SQL_NOT_ALLOWED, "sniff_csv"),
    ("SELECT * FROM query('SELECT 1')", SQL_NOT_ALLOWED, "query"),
    ("SELECT (SELECT count(*) FROM read_csv('/etc/passwd'))", SQL_NOT_ALLOWED, "read_csv"),
    ("SELECT read_text('/etc/passwd')", SQL_NOT_ALLOWED, "read_text"),
    # a replacement scan: a quoted file name as a table
    ("SELECT * FROM '/etc/passwd'", SQL_UNKNOWN_TABLE, "/etc/passwd"),
    ("SELECT * FROM 'https://example.com/x.parquet'", SQL_UNKNOWN_TABLE, "example.com"),
    # settings, environment and catalog readers
    ("SELECT getenv('HOME')", SQL_NOT_ALLOWED, "getenv"),
    ("SELECT current_setting('allowed_directories')", SQL_NOT_ALLOWED, "current_setting"),
    ("SELECT * FROM duckdb_settings()", SQL_NOT_ALLOWED, "duckdb_settings"),
    ("SELECT * FROM duckdb_extensions()", SQL_NOT_ALLOWED, "duckdb_extensions"),
    ("SELECT * FROM pragma_version()", SQL_NOT_ALLOWED, "pragma_version"),
    ("SELECT getvariable('x')", SQL_NOT_ALLOWED, "getvariable"),
    ("SELECT json_execute_serialized_sql('{}')", SQL_NOT_ALLOWED, "json_execute_serialized_sql"),
    ("SELECT * FROM information_schema.tables", SQL_UNKNOWN_TABLE, "information_schema"),
    ("SELECT * FROM duckdb_tables", SQL_UNKNOWN_TABLE, "duckdb_tables"),
    # statements other than one SELECT
    ("ATTACH '/tmp/x.db' AS x", SQL_NOT_ALLOWED, "ATTACH"),
    ("DETACH x", SQL_NOT_ALLOWED, "DETACH"),
    ("COPY (SELECT 1) TO '/tmp/x.csv'", SQL_NOT_ALLOWED, "COPY"),
    ("PRAGMA version", SQL_NOT_ALLOWED, "PRAGMA"),
    ("SET enable_external_access = true", SQL_NOT_ALLOWED, "SET"),
    ("RESET lock_configuration", SQL_NOT_ALLOWED, ""),
    ("INSTALL httpfs", SQL_NOT_ALLOWED, "INSTALL"),
    ("LOAD httpfs", SQL_NOT_ALLOWED, "LOAD"),
    ("CREATE TABLE t AS SELECT 1", SQL_NOT_ALLOWED, "CREATE"),
    ("CREATE MACRO m() AS 1", SQL_NOT_ALLOWED, ""),
    ("INSERT INTO t VALUES (1)", SQL_NOT_ALLOWED, "INSERT"),
    ("CALL pragma_version()", SQL_NOT_ALLOWED, "CALL"),
    ("SELECT * INTO t FROM range(3)", SQL_NOT_ALLOWED, "INTO"),
    ("DESCRIBE SELECT 1", SQL_NOT_ALLOWED, "DESCRIBE"),
    ("EXPORT DATABASE '/tmp/x'", SQL_SYNTAX, ""),
    # a second statement hidden behind comments or string tricks
    ("SELECT 1; ATTACH '/tmp/x.db'", SQL_NOT_ALLOWED, "second"),
    ("SELECT 1 /* harmless */; COPY (SELECT 1) TO '/tmp/x.csv'", SQL_NOT_ALLOWED, "second"),
    ("SELECT ';' ; SET threads = 1", SQL_NOT_ALLOWED, "second"),
    ("SELECT 'it''s'; LOAD httpfs", SQL_NOT_ALLOWED, "second"),
    ("SELECT $$;$$; INSTALL httpfs", SQL_NOT_ALLOWED, "second"),
    ("SELECT 1 -- comment\n; PRAGMA version", SQL_NOT_ALLOWED, "second"),
    ("SELECT 'unterminated", SQL_SYNTAX, ""),
    ("SELEC 1", SQL_SYNTAX, ""),
    ("", SQL_SYNTAX, "empty"),
    ("SELECT ?", SQL_NOT_ALLOWED, "parameter"),
    ('SELECT * FROM "a"."b"."c"', SQL_UNKNOWN_TABLE, '"a"."b"."c"'),
]


@pytest.mark.parametrize(("sql", "code", "words"), REFUSED)
def test_refused_with_the_right_code_and_a_message_naming_it(sql, code, words):
    if code == SQL_UNKNOWN_TABLE:
        # Either refused here, or a name that only resolution can refuse (test_api runs those through the API).
        try:
            checked = check_statement(sql)
        except SqlRefused as refused:
            assert refused.code == code and words in refused.message, refused.message
        else:
            assert words in checked.references[0].text, sql
        return
    with pytest.raises(SqlRefused) as refused:
        check_statement(sql)
    assert refused.value.code == code, (sql, refused.value.message)
    assert words.lower() in refused.value.message.lower(), refused.value.message


def test_a_refusal_says_where():
    with pytest.raises(SqlRefused) as refused:
        check_statement("SELECT region,\n       getenv('HOME')\nFROM sales")
    assert refused.value.details["line"] == 2
    assert refused.value.details["column"] == 8
    assert "line 2, column 8" in refused.value.message


def test_syntax_errors_say_where():
    with pytest.raises(SqlRefused) as refused:
        check_statement("SELECT a FROM t WHERE (")
    assert refused.value.code == SQL_SYNTAX
    assert refused.value.details["line"] == 1


def test_allowed_statements_and_their_tables():
    checked = check_statement(
        """
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3),
             rainy AS (SELECT * FROM acme.weather WHERE weather = 'rain')
        SELECT s.city, count(*) AS days, median(r.temp_max), row_number() OVER () AS k
        FROM rainy r JOIN "acme"."stations@2" s USING (station), n, range(3) t(x), unnest([1, 2]) u(y)
        GROUP BY s.city
        """
    )
    assert [r.key for r in checked.references] == [("acme", "weather", None), ("acme", "stations", 2)]


def test_the_rewrite_reads_the_versions_files_and_drops_comments():
    checked = check_statement("SELECT acme.weather.temp_max /* ; ATTACH */ FROM acme.weather JOIN stations s ON true")
    sql = checked.to_sql(
        {
            ("acme", "weather", None): DatasetSource("/data/w.parquet", ("temp_max", "date")),
            (None, "stations", None): DatasetSource("/data/s.parquet", ("station",)),
        }
    )
    assert sql == (
        'SELECT weather.temp_max FROM (SELECT "temp_max", "date" FROM READ_PARQUET(\'/data/w.parquet\')) AS "weather" '
        "JOIN (SELECT \"station\" FROM READ_PARQUET('/data/s.parquet')) AS s ON TRUE"
    )


def test_a_cte_name_out_of_its_scope_is_a_table_again():
    checked = check_statement("SELECT * FROM (WITH c AS (SELECT 1) SELECT * FROM c) x, c")
    assert [r.key for r in checked.references] == [(None, "c", None)]


def test_ctes_are_scoped_as_duckdb_scopes_them():
    self_reference = check_statement('WITH "/etc/passwd" AS (SELECT * FROM "/etc/passwd") SELECT * FROM "/etc/passwd"')
    assert [r.dataset for r in self_reference.references] == ["/etc/passwd"]  # a table name: sql_unknown_table
    forward = check_statement("WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a, b")
    assert [r.dataset for r in forward.references] == ["b"]
    recursive = check_statement(
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3) SELECT * FROM t"
    )
    assert recursive.references == []


def test_the_generated_sql_is_checked_again_before_it_runs():
    from dataplane.sql.guard.rewrite import verify_generated

    source = DatasetSource("/data/w.parquet", ("x",))
    verify_generated("SELECT * FROM (SELECT \"x\" FROM READ_PARQUET('/data/w.parquet')) AS w", [source])
    for sql in (
        "SELECT * FROM READ_PARQUET('/data/w.parquet') AS w",
        "SELECT * FROM (SELECT * FROM READ_PARQUET('/data/w.parquet')) AS w",
        "SELECT * FROM (SELECT \"x\" FROM READ_PARQUET('/etc/passwd')) AS w",
        "SELECT * FROM (SELECT \"x\" FROM READ_PARQUET('/data/w.parquet', union_by_name = TRUE)) AS w",
        "SELECT * FROM weather",
        "WITH c AS (SELECT 1) SELECT * FROM c",
        "SELECT getenv('HOME')",
    ):
        with pytest.raises(SqlRefused):
            verify_generated(sql, [source])
