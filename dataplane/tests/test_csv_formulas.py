"""CSV downloads are safe to open in a spreadsheet: text cells that would start a formula get a leading ',
numbers stay numbers, and `csv_formulas="raw"` gives programs the exact values."""

import csv
import io

import pyarrow.parquet as pq
import pytest

from dataplane.engine import QueryError, export_stream, neutralised
from dataplane.tests.tables import arrow_table

SCHEMA = [{"name": "n", "type": "integer"}, {"name": "x", "type": "float"}, {"name": "=cmd", "type": "text"}]
TEXTS = ['=HYPERLINK("http://evil")', "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR", "plain", "a=b", None, ""]


@pytest.fixture
def path(tmp_path):
    rows = [{"n": -5 - i, "x": -1.5, "=cmd": text} for i, text in enumerate(TEXTS)]
    path = tmp_path / "v1.parquet"
    pq.write_table(arrow_table(rows, SCHEMA), path)
    return path


def parsed(path, **options):
    _, _, chunks = export_stream(path, SCHEMA, {}, "csv", **options)
    return list(csv.reader(io.StringIO(b"".join(chunks).decode(), newline="")))


def test_text_cells_that_start_a_formula_are_neutralised_and_numbers_are_not(path):
    lines = parsed(path)
    assert lines[0] == ["n", "x", "'=cmd"]
    assert [line[2] for line in lines[1:]] == [
        '\'=HYPERLINK("http://evil")',
        "'+1+1",
        "'-2+3",
        "'@SUM(A1)",
        "'\tTAB",
        "'\rCR",
        "plain",
        "a=b",
        "",
        "",
    ]
    assert [line[0] for line in lines[1:3]] == ["-5", "-6"] and lines[1][1] == "-1.5"


def test_raw_gives_the_exact_values(path):
    lines = parsed(path, csv_formulas="raw")
    assert lines[0] == ["n", "x", "=cmd"]
    assert [line[2] for line in lines[1:]] == [text or "" for text in TEXTS]


def test_other_formats_stay_exact(path):
    _, _, chunks = export_stream(path, SCHEMA, {}, "ndjson")
    assert b'"=cmd":"=HYPERLINK' in b"".join(chunks)


def test_an_unknown_mode_is_refused():
    with pytest.raises(QueryError, match="csv_formulas"):
        export_stream("/nowhere.parquet", SCHEMA, {}, "csv", csv_formulas="off")


def test_neutralised_follows_the_same_rule():
    assert [neutralised(t) for t in ["=1", "+1", "-1", "@a", "\tx", "\rx", "x", ""]] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "'\rx",
        "x",
        "",
    ]
