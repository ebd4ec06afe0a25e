"""check_expression: one scalar expression over a row's columns (the recipe's derive step)."""

import pytest

from dataplane.sql.guard import SQL_NOT_ALLOWED, SQL_SYNTAX, SqlRefused, check_expression

COLUMNS = ["temp_max", "Station Name", "weather"]


def test_columns_are_quoted_by_their_exact_names():
    assert check_expression("temp_max * 9 / 5 + 32", COLUMNS) == '"temp_max" * 9 / 5 + 32'
    assert check_expression('upper("Station Name")', COLUMNS) == 'UPPER("Station Name")'
    assert check_expression("WEATHER = 'rain'", COLUMNS) == "\"weather\" = 'rain'"
    assert check_expression("list_transform([1, 2], x -> x + temp_max)", COLUMNS) == (
        'LIST_TRANSFORM([1, 2], LAMBDA x : x + "temp_max")'
    )


@pytest.mark.parametrize(
    ("expression", "code", "words"),
    [
        ("sum(temp_max)", SQL_NOT_ALLOWED, "aggregate"),
        ("row_number() OVER ()", SQL_NOT_ALLOWED, "window"),
        ("temp_max + (SELECT 1)", SQL_NOT_ALLOWED, "query"),
        ("getenv('HOME')", SQL_NOT_ALLOWED, "getenv"),
        ("read_text('/etc/passwd')", SQL_NOT_ALLOWED, "read_text"),
        ("temp_max FROM read_csv('/etc/passwd')", SQL_NOT_ALLOWED, "FROM"),
        ("1; ATTACH 'x'", SQL_NOT_ALLOWED, "one statement"),
        ("temp_max AS t", SQL_NOT_ALLOWED, "alias"),
        ("temp_max, weather", SQL_NOT_ALLOWED, "exactly one"),
        ("nope + 1", "unknown_column", "nope"),
        ("w.temp_max", SQL_NOT_ALLOWED, "table"),
        ("temp_max +", SQL_SYNTAX, "expression"),
        ("", SQL_SYNTAX, "empty"),
    ],
)
def test_refusals(expression, code, words):
    with pytest.raises(SqlRefused) as refused:
        check_expression(expression, COLUMNS)
    assert refused.value.code == code, refused.value.message
    assert words.lower() in refused.value.message.lower(), refused.value.message


def test_positions_are_in_the_expression_as_written():
    with pytest.raises(SqlRefused) as refused:
        check_expression("temp_max + getenv('x')", COLUMNS)
    assert refused.value.details["column"] == 12
    assert refused.value.details["start"] == 11


@pytest.mark.parametrize(
    "expression",
    [
        "temp_max IN (SELECT * FROM pg_settings)",
        "EXISTS (WITH RECURSIVE x AS (SELECT * FROM x) SELECT 1 FROM x)",
        '(WITH "\u212a" AS (SELECT 1) SELECT 1 FROM k)',
        "main.pg_settings.name",
    ],
)
def test_no_expression_reaches_a_table_however_it_is_spelled(expression):
    with pytest.raises(SqlRefused) as refused:
        check_expression(expression, COLUMNS)
    assert refused.value.code == SQL_NOT_ALLOWED


def test_column_names_fold_as_duckdb_folds_them():
    assert check_expression("TEMP_MAX", COLUMNS) == '"temp_max"'
    with pytest.raises(SqlRefused) as refused:
        check_expression("\u212aelvin", ["kelvin"])  # the Kelvin sign is not a k to DuckDB
    assert refused.value.code == "unknown_column"
    with pytest.raises(SqlRefused):
        check_expression("weather_\u0131d", ["weather_id"])  # nor is a dotless ı an i
