"""The SQL runner's sandbox grants the input files, not their folders: a file beside an input, a glob over
its folder and DuckDB's virtual columns stay out of reach even for SQL that never went through the guard."""

# ruff: noqa: S608 (the SQL is the attack)

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dataplane.engine.connection import sandboxed_connection
from dataplane.sql import runner
from dataplane.sql.guard import check_statement
from dataplane.sql.guard.rewrite import DatasetSource


@pytest.fixture
def folder(tmp_path):
    pq.write_table(pa.table({"x": [1, 2]}), tmp_path / "v1.parquet")
    pq.write_table(pa.table({"x": [666]}), tmp_path / "v1.inferred.parquet")
    return tmp_path


def budget(tmp_path) -> runner.Budget:
    return runner.Budget(timeout_s=10, memory_limit="256MB", spill_parent=tmp_path)


def test_a_connection_granted_one_file_reads_that_file_only(folder):
    db = sandboxed_connection(allowed_files=[folder / "v1.parquet"])
    assert db.execute(f"SELECT sum(x) FROM read_parquet('{folder}/v1.parquet')").fetchall() == [(3,)]
    for sql in (
        f"SELECT * FROM read_parquet('{folder}/v1.inferred.parquet')",
        f"SELECT * FROM read_parquet('{folder}/*.parquet')",
        f"SELECT * FROM '{folder}/v1.parquet/../v1.inferred.parquet'",
        f"SELECT * FROM glob('{folder}/*')",
        "SET allowed_directories = ['/']",
    ):
        with pytest.raises(Exception, match=r"disabled|lock|Permission"):
            db.execute(sql).fetchall()


def test_the_runner_reads_only_its_files_and_says_no_path(folder, tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    with pytest.raises(runner.RunError) as failed:
        runner.run_rows(
            f"SELECT * FROM read_parquet('{folder}/*.parquet')",
            files=[folder / "v1.parquet"],
            limit=10,
            budget=budget(spill),
        )
    assert str(folder) not in failed.value.message and "<server path>" in failed.value.message


def test_the_bound_statement_offers_only_the_schema_columns(folder, tmp_path):
    spill = tmp_path / "spill"
    spill.mkdir()
    source = DatasetSource(str(folder / "v1.parquet"), ("x",))
    run = {"files": [folder / "v1.parquet"], "limit": 10, "budget": budget(spill)}
    sql = check_statement("SELECT x FROM acme.t ORDER BY x").to_sql({("acme", "t", None): source})
    assert runner.run_rows(sql, **run)["rows"] == [{"x": 1}, {"x": 2}]
    for column in ("filename", "file_row_number", "file_index"):
        sql = check_statement(f"SELECT {column} FROM acme.t").to_sql({("acme", "t", None): source})
        with pytest.raises(runner.RunError) as failed:
            runner.run_rows(sql, **run)
        assert failed.value.code == runner.QUERY_FAILED
        assert str(folder) not in failed.value.message


def test_a_table_name_never_finds_a_python_variable():
    secret_frame = pa.table({"x": [666]})  # DuckDB's Python client would scan it by name if allowed to
    db = sandboxed_connection()
    with pytest.raises(Exception, match="secret_frame"):
        db.execute("SELECT * FROM secret_frame").fetchall()
    assert secret_frame.num_rows == 1
    # external access off already stops it; the setting keeps it so should that ever change
    assert db.execute("SELECT current_setting('python_enable_replacements')").fetchone() == (False,)
