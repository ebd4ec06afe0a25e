"""DESIGN.md, "Security rules that every feature keeps": "User-written SQL and expressions reach exactly the
published files of the versions they name, nothing else: no other file, folder, catalog view or setting,
whatever the spelling of a name (quotes, case, Unicode look-alikes, RECURSIVE) ... No answer ever carries a
server path."

Each finding of the red team, replayed over HTTP against the live server: a recursive CTE whose name is a glob
of the dataset's folder (reaching pre-recipe `*.inferred.parquet` files), catalog views through a CTE that
names itself, a CTE named with a look-alike letter, and DuckDB's virtual `filename` column.
"""

# ruff: noqa: S608 (the SQL is the attack)

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings

from apps.datasets.recipe_inputs import recipe_inputs_dir

SECRET = "pre-recipe secret"


def answer_of(client, statement: str) -> tuple[int, dict, str]:
    response = client.post("/api/v1/sql/", json={"sql": statement, "workspace": "acme"})
    return response.status_code, response.json(), response.text


def assert_no_server_path(text: str) -> None:
    data_dir = str(Path(settings.DATA_DIR).resolve())
    assert data_dir not in text and str(settings.DATA_DIR) not in text
    assert ".parquet" not in text and "recipe-inputs" not in text


@pytest.fixture
def weather_with_pre_recipe_files(make_dataset, workspace):
    """A dataset whose pre-recipe files exist both where they live now and, as an old leftover, beside v1."""
    dataset = make_dataset(workspace, title="Weather")
    secret = pa.table({"date": [SECRET], "weather": [SECRET], "temp_max": [0.0], "station": [SECRET]})
    for folder in (recipe_inputs_dir(settings.DATA_DIR, dataset.pk), dataset.current_version.path.parent):
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(secret, folder / "v1.inferred.parquet")
    return dataset


def test_a_recursive_cte_named_as_a_glob_of_the_dataset_folder_reads_nothing(
    bearer, owner, weather_with_pre_recipe_files
):
    client = bearer(owner)
    version_file = weather_with_pre_recipe_files.current_version.path.resolve()
    for folder in (version_file.parent, recipe_inputs_dir(settings.DATA_DIR, weather_with_pre_recipe_files.pk)):
        glob = f"{folder.resolve()}/*.parquet"
        for statement in (
            f'WITH RECURSIVE "{glob}" AS (SELECT * FROM "{glob}") SELECT * FROM "{glob}"',
            f'WITH RECURSIVE "{glob}" AS (SELECT * FROM "{glob}" UNION ALL SELECT * FROM "{glob}") SELECT 1',
            f"WITH RECURSIVE g AS (SELECT * FROM '{glob}' UNION ALL SELECT * FROM g) SELECT * FROM g",
            f"SELECT * FROM '{folder.resolve()}/v1.inferred.parquet'",
        ):
            status, body, text = answer_of(client, statement)
            assert status == 400, body
            assert body["error"]["code"] == "sql_unknown_table"
            assert SECRET not in text
    # the published data still answers
    status, body, text = answer_of(client, "SELECT count(*) AS n FROM weather")
    assert (status, body["rows"]) == (200, [{"n": 4}])
    assert_no_server_path(text)


@pytest.mark.parametrize("view", ["pg_settings", "duckdb_databases", "duckdb_settings", "information_schema.tables"])
@pytest.mark.parametrize("recursive", ["", "RECURSIVE "])
def test_a_cte_that_names_itself_does_not_reach_a_catalog_view(bearer, owner, make_dataset, workspace, view, recursive):
    make_dataset(workspace, title="Weather")
    name = view.split(".")[-1]
    status, body, text = answer_of(
        bearer(owner), f"WITH {recursive}{name} AS (SELECT * FROM {view}) SELECT * FROM {name}"
    )
    assert status == 400, body
    assert body["error"]["code"] == "sql_unknown_table"
    assert_no_server_path(text)


@pytest.mark.parametrize(
    "statement",
    [
        'WITH "duc\u212adb_databases" AS (SELECT 1 AS x) SELECT * FROM duckdb_databases',  # Kelvin sign
        'WITH "duc\u212adb_settings" AS (SELECT 1 AS x) SELECT * FROM DUCKDB_SETTINGS',
        'WITH "pg_\u0455ettings" AS (SELECT 1 AS x) SELECT * FROM pg_settings',  # Cyrillic dze
        'WITH "ｐｇ_settings" AS (SELECT 1 AS x) SELECT * FROM pg_settings',  # full-width letters
        'WITH "weather" AS (SELECT 1 AS x) SELECT * FROM "pg_settıngs"',  # dotless ı
    ],
)
def test_a_look_alike_cte_name_does_not_hide_a_catalog_name(bearer, owner, make_dataset, workspace, statement):
    make_dataset(workspace, title="Weather")
    status, body, text = answer_of(bearer(owner), statement)
    assert status == 400, body
    assert body["error"]["code"] == "sql_unknown_table"
    assert_no_server_path(text)


@pytest.mark.parametrize("column", ["filename", "file_row_number", "file_index", '"FILENAME"'])
def test_the_virtual_columns_of_a_file_scan_are_unreachable(bearer, owner, make_dataset, workspace, column):
    make_dataset(workspace, title="Weather")
    client = bearer(owner)
    for statement in (
        f"SELECT {column} FROM weather",
        f"SELECT w.{column} FROM acme.weather AS w",
        f'SELECT {column} FROM "acme"."weather@1"',
        f"WITH x AS (SELECT * FROM weather) SELECT {column} FROM x",
    ):
        status, body, text = answer_of(client, statement)
        assert status == 400, body
        assert body["error"]["code"] == "query_failed"
        assert_no_server_path(text)
    status, body, text = answer_of(client, "SELECT * FROM weather LIMIT 1")
    assert [c["name"] for c in body["columns"]] == ["date", "weather", "temp_max", "station"]


def test_a_real_column_named_filename_still_answers(bearer, owner, make_dataset, workspace):
    columns = [{"name": "filename", "original_name": "filename", "type": "text", "nullable": False}]
    make_dataset(workspace, title="Files", table={"filename": ["report.pdf"]}, columns=columns)
    status, body, text = answer_of(bearer(owner), "SELECT filename FROM files")
    assert (status, body["rows"]) == (200, [{"filename": "report.pdf"}])
    assert_no_server_path(text)


def test_an_error_from_duckdb_carries_no_server_path(bearer, owner, make_dataset, workspace):
    make_dataset(workspace, title="Weather")
    client = bearer(owner)
    for statement in (
        "SELECT nope FROM weather",
        "SELECT CAST(weather AS INTEGER) FROM weather",
        "SELECT * FROM weather w JOIN weather w ON true",
    ):
        status, body, text = answer_of(client, statement)
        assert status == 400, body
        assert_no_server_path(text)
