"""Ingest type inference: decided over the whole file, and a value never changes on the way in."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest

from .test_ingest import ingest_text, types, values


def single_column(tmp_path, cells: list[str]) -> tuple[str, list]:
    """The inferred type and the stored values of a one-column CSV holding `cells`."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([["value", "id"], *([cell, i] for i, cell in enumerate(cells))])
    result, destination = ingest_text(tmp_path, text.getvalue())
    return types(result)["value"], values(destination, "value")


@pytest.mark.parametrize(
    ("cells", "expected_type", "expected_values"),
    [
        (["1", "-2", "0", ""], "integer", [1, -2, 0, None]),
        (["9223372036854775807", "-9223372036854775808"], "integer", [2**63 - 1, -(2**63)]),
        (["9223372036854775808", "1"], "bigint", [Decimal(2**63), Decimal(1)]),
        (["12345678901234567890", "-98765432109876543210"], "bigint",
         [Decimal("12345678901234567890"), Decimal("-98765432109876543210")]),
        (["9" * 38], "bigint", [Decimal("9" * 38)]),
        (["9" * 39], "text", ["9" * 39]),
        (["1.5", "-.25", "2.", "1e3", "7", "-0.0"], "float", [1.5, -0.25, 2.0, 1000.0, 7.0, -0.0]),
        (["true", "FALSE", "True", ""], "boolean", [True, False, True, None]),
        (["2024-02-29", "1999-12-31"], "date", [dt.date(2024, 2, 29), dt.date(1999, 12, 31)]),
        (["hello", "12"], "text", ["hello", "12"]),
        (["", ""], "text", [None, None]),
    ],
)  # fmt: skip
def test_column_types(tmp_path, cells, expected_type, expected_values):
    assert single_column(tmp_path, cells) == (expected_type, expected_values)


@pytest.mark.parametrize(
    "cells",
    [
        ["00501", "12345"],  # zip codes keep their leading zeros
        ["007", "8"],
        ["+5", "6"],
        ["1_000", "2"],
        [" 7", "8"],
        ["7 ", "8"],
        ["-0", "1"],
        ["0x10", "1"],
        ["1,5", "2"],
        ["00.5", "1.5"],
        ["inf", "1.5"],
        ["1e999", "1.5"],
        ["1.5", "9007199254740993"],  # a float column would round this integer: stays text
        ["2023-02-29", "2024-01-01"],  # not a real date
        ["2024-1-5", "2024-01-01"],
        ["2024-01-02T03:04:05.1234567", "2024-01-02T03:04:05"],  # nanoseconds would be cut
        ["yes", "maybe"],
        ["yes", "1"],  # boolean words never mix with numbers
        ["1", "true"],
        ["2024-01-01", "5"],
    ],
)
def test_values_that_do_not_fit_keep_the_column_as_text_verbatim(tmp_path, cells):
    assert single_column(tmp_path, cells) == ("text", cells)


def test_timestamps_are_normalised_to_utc(tmp_path):
    cells = [
        "2024-01-02T03:04:05Z",
        "2024-01-02 03:04:05+02:00",
        "2024-01-02T03:04:05-0130",
        "2024-01-02T03:04:05+05",
        "2024-01-02 03:04",
        "2024-01-02T03:04:05.123456",
        "2024-06-30",
    ]
    assert single_column(tmp_path, cells) == (
        "timestamp",
        [
            dt.datetime(2024, 1, 2, 3, 4, 5),
            dt.datetime(2024, 1, 2, 1, 4, 5),
            dt.datetime(2024, 1, 2, 4, 34, 5),
            dt.datetime(2024, 1, 1, 22, 4, 5),
            dt.datetime(2024, 1, 2, 3, 4),
            dt.datetime(2024, 1, 2, 3, 4, 5, 123456),
            dt.datetime(2024, 6, 30),
        ],
    )


def test_null_tokens_are_null_in_typed_columns_only(tmp_path):
    text = "n,label\n1,NA\nNA,null\n,N/A\nNULL,x\n5,\n"
    result, destination = ingest_text(tmp_path, text)
    assert types(result) == {"n": "integer", "label": "text"}
    assert values(destination, "n") == [1, None, None, None, 5]
    assert values(destination, "label") == ["NA", "null", "N/A", "x", None]


def test_a_column_of_only_null_tokens_stays_text(tmp_path):
    assert single_column(tmp_path, ["NA", "", "NULL"]) == ("text", ["NA", None, "NULL"])


def test_inference_covers_the_whole_file_not_a_sample(tmp_path):
    # The sample of the first rows says "integer"; the last row says otherwise.
    cells = [str(i) for i in range(10_000)] + ["10000.5"]
    kind, stored = single_column(tmp_path, cells)
    assert kind == "float"
    assert stored[-1] == 10000.5
    cells = [str(i) for i in range(10_000)] + ["n/a?"]
    kind, stored = single_column(tmp_path, cells)
    assert kind == "text"
    assert stored[:3] == ["0", "1", "2"]
    assert stored[-1] == "n/a?"


def test_a_column_empty_in_the_sample_is_still_inferred(tmp_path):
    cells = [""] * 5_000 + ["2024-01-01", "2024-01-02T10:00:00"]
    kind, stored = single_column(tmp_path, cells)
    assert kind == "timestamp"
    assert stored[-2:] == [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2, 10)]


def test_nullable_reflects_the_data(tmp_path):
    result, _ = ingest_text(tmp_path, "a,b\n1,\n2,x\n")
    assert {c.name: c.nullable for c in result.columns} == {"a": False, "b": True}


def test_header_clean_up_keeps_the_original_names(tmp_path):
    result, destination = ingest_text(tmp_path, " Name ,,name,Name,a_2,a,a, ,x\n1,2,3,4,5,6,7,8,9\n")
    assert [(c.name, c.original_name) for c in result.columns] == [
        ("Name", " Name "),
        ("column_2", ""),
        ("name_2", "name"),
        ("Name_3", "Name"),
        ("a_2", "a_2"),
        ("a", "a"),
        ("a_3", "a"),
        ("column_8", " "),
        ("x", "x"),
    ]
    assert list(values(destination, "Name_3")) == [4]


def test_text_keeps_every_character(tmp_path):
    cells = ["  padded  ", "tab\there", "back\\slash", "emoji 🎉", "'single'", "ümlaut", 'a "quote"', "line\nbreak"]
    assert single_column(tmp_path, cells) == ("text", cells)
