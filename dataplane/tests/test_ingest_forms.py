"""Dates, timestamps, grouped numbers and boolean words as people write them, each read exactly or not at all."""

import csv
import datetime as dt
import io
import json

import pytest

from dataplane.ingest import IngestLimits, inference

from .test_ingest import ingest_bytes, ingest_text, values, xlsx_bytes


def csv_text(cells: list[str], name: str = "value") -> str:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([[name, "id"], *([cell, i] for i, cell in enumerate(cells))])
    return text.getvalue()


def single_column(tmp_path, cells: list[str], **options):
    """The column's schema entry and its stored values."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    result, destination = ingest_text(tmp_path, csv_text(cells), **options)
    column = result.columns[0]
    return column, values(destination, "value")


D = dt.date
T = dt.datetime


@pytest.mark.parametrize(
    ("cells", "expected_type", "expected_format", "expected_values"),
    [
        (["2012/01/01", "2012/12/31"], "date", "%Y/%m/%d", [D(2012, 1, 1), D(2012, 12, 31)]),
        (["2012.01.01", "2012.1.2"], "date", "%Y.%m.%d", [D(2012, 1, 1), D(2012, 1, 2)]),
        (["31/01/2000", "1/2/2000"], "date", "%d/%m/%Y", [D(2000, 1, 31), D(2000, 2, 1)]),
        (["01/31/2000", "2/1/2000"], "date", "%m/%d/%Y", [D(2000, 1, 31), D(2000, 2, 1)]),
        (["31.01.2000", "01.02.2000"], "date", "%d.%m.%Y", [D(2000, 1, 31), D(2000, 2, 1)]),
        (["31-01-2000", "01-02-2000"], "date", "%d-%m-%Y", [D(2000, 1, 31), D(2000, 2, 1)]),
        (["Jan 1 2000", "feb 29 2000", "DEC 31 1999"], "date", "%b %d %Y",
         [D(2000, 1, 1), D(2000, 2, 29), D(1999, 12, 31)]),
        (["1 Jan 2000", "15 mar 2001"], "date", "%d %b %Y", [D(2000, 1, 1), D(2001, 3, 15)]),
        (["January 1, 2000", "MARCH 15, 2001"], "date", "%B %d, %Y", [D(2000, 1, 1), D(2001, 3, 15)]),
        (["01-Jan-2000", "15-Mar-2001"], "date", "%d-%b-%Y", [D(2000, 1, 1), D(2001, 3, 15)]),
        (["2010/01/01 00:00", "2010/01/01 23:59"], "timestamp", "%Y/%m/%d %H:%M",
         [T(2010, 1, 1), T(2010, 1, 1, 23, 59)]),
        (["2010/01/01 00:00:01", "2010/12/01 13:14:15"], "timestamp", "%Y/%m/%d %H:%M:%S",
         [T(2010, 1, 1, 0, 0, 1), T(2010, 12, 1, 13, 14, 15)]),
        (["13/01/2010 00:00:01.5", "14/01/2010 13:14:15.123456"], "timestamp", "%d/%m/%Y %H:%M:%S.%f",
         [T(2010, 1, 13, 0, 0, 1, 500000), T(2010, 1, 14, 13, 14, 15, 123456)]),
        (["1/13/2000 3:04 PM", "1/14/2000 12:00 am", "1/15/2000 12:30 PM"], "timestamp", "%m/%d/%Y %I:%M %p",
         [T(2000, 1, 13, 15, 4), T(2000, 1, 14, 0, 0), T(2000, 1, 15, 12, 30)]),
        (["Jan 13 2000 3:04:05pm", "jan 14 2000 11:59:59AM"], "timestamp", "%b %d %Y %I:%M:%S%p",
         [T(2000, 1, 13, 15, 4, 5), T(2000, 1, 14, 11, 59, 59)]),
        (["2000/01/02 03:04:05+02:00", "2000/01/02 03:04:05-0130", "2000/01/02 03:04:05+05"], "timestamp",
         "%Y/%m/%d %H:%M:%S%z", [T(2000, 1, 2, 1, 4, 5), T(2000, 1, 2, 4, 34, 5), T(2000, 1, 1, 22, 4, 5)]),
        (["2000/01/02T03:04:05Z", "2000/01/03T03:04:05Z"], "timestamp", "%Y/%m/%dT%H:%M:%SZ",
         [T(2000, 1, 2, 3, 4, 5), T(2000, 1, 3, 3, 4, 5)]),
        (["2024-01-31", "2024-02-29"], "date", None, [D(2024, 1, 31), D(2024, 2, 29)]),  # ISO: no pattern
    ],
)  # fmt: skip
def test_written_forms(tmp_path, cells, expected_type, expected_format, expected_values):
    column, stored = single_column(tmp_path, cells)
    assert (column.type, column.format, column.assumed_order) == (expected_type, expected_format, None)
    assert stored == expected_values


@pytest.mark.parametrize(
    "cells",
    [
        ["2021/02/30", "2021/02/28"],  # not a real date
        ["31/02/2000", "13/01/2000"],
        ["2012/01/01", "2012-01-02"],  # two patterns in one column
        ["01/02/2000", "2000/01/02"],
        ["Jan 1 2000", "January 2 2000"],  # abbreviated and full month names
        ["2012/01/01", "2012/01/01 10:00"],  # dates and timestamps of one pattern family
        ["1/13/2000 3:04 PM", "1/14/2000 15:04"],  # 12- and 24-hour clocks
        ["1/13/2000 13:04 PM"],
        [" 2012/01/01", "2012/01/02"],  # blanks around a value are kept, so the column stays text
        ["12/01/99", "12/01/98"],  # two-digit years
        ["Jan  1 2000"],
        ["Sept 1 2000"],
        ["2012/01/01", "soon"],
    ],
)
def test_values_that_do_not_all_fit_one_pattern_stay_text_verbatim(tmp_path, cells):
    column, stored = single_column(tmp_path, cells)
    assert (column.type, column.format) == ("text", None)
    assert stored == cells


def test_an_ambiguous_column_takes_the_date_order_setting_and_says_so(tmp_path):
    cells = ["01/02/2000", "03/04/2000", "12/11/2010"]
    column, stored = single_column(tmp_path, cells)
    assert (column.type, column.format, column.assumed_order, column.alternative_format) == (
        "date", "%m/%d/%Y", "MDY", "%d/%m/%Y",
    )  # fmt: skip
    assert stored == [D(2000, 1, 2), D(2000, 3, 4), D(2010, 12, 11)]
    column, stored = single_column(tmp_path / "dmy", cells, limits=IngestLimits(date_order="DMY"))
    assert (column.type, column.format, column.assumed_order, column.alternative_format) == (
        "date", "%d/%m/%Y", "DMY", "%m/%d/%Y",
    )  # fmt: skip
    assert stored == [D(2000, 2, 1), D(2000, 4, 3), D(2010, 11, 12)]


def test_date_order_comes_from_the_environment_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("DATE_ORDER", "dmy")
    column, _ = single_column(tmp_path, ["01/02/2000 10:00", "03/04/2000 11:00"])
    assert (column.type, column.format, column.assumed_order) == ("timestamp", "%d/%m/%Y %H:%M", "DMY")
    monkeypatch.setenv("DATE_ORDER", "YMD")
    with pytest.raises(ValueError, match="MDY or DMY"):
        IngestLimits()


def test_the_schema_entry_names_the_alternative_only_when_the_order_was_assumed(tmp_path):
    result, _ = ingest_text(tmp_path, "a,b,c\n01/02/2000,13/02/2000,2000-01-02\n03/04/2000,01/02/2000,2000-01-03\n")
    entries = json.loads(json.dumps(result.to_dict()))["columns"]
    assert entries[0] == {
        "name": "a", "original_name": "a", "type": "date", "nullable": False, "format": "%m/%d/%Y",
        "assumed_order": "MDY", "alternative_format": "%d/%m/%Y",
    }  # fmt: skip
    assert entries[1] == {"name": "b", "original_name": "b", "type": "date", "nullable": False, "format": "%d/%m/%Y"}
    assert entries[2]["format"] is None and "assumed_order" not in entries[2]


@pytest.mark.parametrize("order", ["MDY", "DMY"])
def test_one_value_beyond_the_sample_decides_the_order_for_the_whole_column(tmp_path, order):
    # The first rows read both ways; a late day above 12 (or month above 12) settles it either way.
    ambiguous = [f"{m:02d}/{d:02d}/2001" for m in range(1, 13) for d in range(1, 13)] * 20
    assert len(ambiguous) > inference.SAMPLE_ROWS
    limits = IngestLimits(date_order=order)
    column, stored = single_column(tmp_path / "dmy", [*ambiguous, "25/12/2001"], limits=limits)
    assert (column.type, column.format, column.assumed_order) == ("date", "%d/%m/%Y", None)
    assert stored[0] == D(2001, 1, 1) and stored[12] == D(2001, 1, 2) and stored[-1] == D(2001, 12, 25)
    column, stored = single_column(tmp_path / "mdy", [*ambiguous, "12/25/2001"], limits=limits)
    assert (column.type, column.format, column.assumed_order) == ("date", "%m/%d/%Y", None)
    assert stored[12] == D(2001, 2, 1) and stored[-1] == D(2001, 12, 25)


def test_a_late_value_in_another_form_keeps_the_whole_column_text(tmp_path):
    cells = [f"2001/01/{d:02d}" for d in range(1, 29)] * 100 + ["2001-01-01"]
    column, stored = single_column(tmp_path, cells)
    assert column.type == "text"
    assert stored == cells


def test_a_column_empty_in_the_sample_still_finds_its_pattern(tmp_path):
    cells = [""] * 5_000 + ["Jan 1 2000", "Feb 2 2000"]
    column, stored = single_column(tmp_path, cells)
    assert (column.type, column.format) == ("date", "%b %d %Y")
    assert stored[-2:] == [D(2000, 1, 1), D(2000, 2, 2)] and stored[0] is None
    cells = [""] * 5_000 + ["1,234", "-5"]
    column, stored = single_column(tmp_path / "grouped", cells)
    assert column.type == "integer" and stored[-2:] == [1234, -5]


def test_null_tokens_are_null_in_a_date_column(tmp_path):
    column, stored = single_column(tmp_path, ["2012/01/01", "NA", "", "n/a", "2012/01/03"])
    assert (column.type, column.format, column.nullable) == ("date", "%Y/%m/%d", True)
    assert stored == [D(2012, 1, 1), None, None, None, D(2012, 1, 3)]


# --- Numbers with thousands separators ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected_type", "expected_values"),
    [
        (["1,234,567.89", "-3,000", "12.5", ""], "float", [1234567.89, -3000.0, 12.5, None]),
        (["1,234", "-3,000", "5", "999"], "integer", [1234, -3000, 5, 999]),
        (["9,223,372,036,854,775,807", "1"], "integer", [2**63 - 1, 1]),
        (["1,000", "NA"], "integer", [1000, None]),
    ],
)
def test_grouped_numbers(tmp_path, cells, expected_type, expected_values):
    column, stored = single_column(tmp_path, cells)
    assert (column.type, column.format) == (expected_type, None)
    assert stored == expected_values


@pytest.mark.parametrize(
    "cells",
    [
        ["3,5", "1,234"],  # a decimal comma
        ["1,23", "4"],
        ["1,2345", "1,234"],
        ["01,234", "1,234"],
        ["1,234", "1,234,56"],
        ["1,234.5.6"],
        ["+1,234"],
        ["1,234", "1.234,5"],
        [",123"],
    ],
)
def test_values_not_in_the_grouped_form_keep_the_column_text(tmp_path, cells):
    column, stored = single_column(tmp_path, cells)
    assert column.type == "text"
    assert stored == cells


def test_a_late_grouped_value_still_counts(tmp_path):
    # The first rows have no separator; the checked write meets one and the whole file is read again.
    cells = [str(i) for i in range(5_000)] + ["12,345"]
    column, stored = single_column(tmp_path, cells)
    assert column.type == "integer"
    assert stored[-1] == 12345 and stored[:3] == [0, 1, 2]


# --- Booleans ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["yes", "no", "YES", "No", ""], [True, False, True, False, None]),
        (["y", "n", "Y", "N"], [True, False, True, False]),
        (["t", "f", "T", "F"], [True, False, True, False]),
        (["true", "False", "yes", "n"], [True, False, True, False]),
    ],
)
def test_boolean_words(tmp_path, cells, expected):
    column, stored = single_column(tmp_path, cells)
    assert column.type == "boolean"
    assert stored == expected


def test_zero_and_one_stay_integers(tmp_path):
    column, stored = single_column(tmp_path, ["0", "1", "1"])
    assert column.type == "integer" and stored == [0, 1, 1]
    column, stored = single_column(tmp_path / "mixed", ["yes", "0"])
    assert column.type == "text" and stored == ["yes", "0"]


# --- Late surprises: the checked write falls back to reading every value first -----------------------


@pytest.mark.parametrize(
    ("late", "expected_type", "expected_last"),
    [
        ("10000.5", "float", 10000.5),
        ("9007199254740993", "integer", 9007199254740993),
        ("99999999999999999999", "bigint", None),
        ("n/a?", "text", "n/a?"),
        ("NA", "integer", None),
    ],
)
def test_the_whole_file_decides_not_the_sample(tmp_path, late, expected_type, expected_last):
    cells = [str(i) for i in range(10_000)] + [late]
    column, stored = single_column(tmp_path, cells)
    assert column.type == expected_type
    if expected_type == "bigint":
        assert str(stored[-1]) == late
    else:
        assert stored[-1] == expected_last


def test_a_late_timestamp_in_a_date_column_makes_it_a_timestamp_column(tmp_path):
    cells = [f"2024-01-{d:02d}" for d in range(1, 29)] * 100 + ["2024-02-01T10:30:00+01:00"]
    column, stored = single_column(tmp_path, cells)
    assert column.type == "timestamp"
    assert stored[0] == T(2024, 1, 1) and stored[-1] == T(2024, 2, 1, 9, 30)


# --- Excel ------------------------------------------------------------------------------------------------


def test_xlsx_date_cells_are_dates_and_timestamps_whatever_their_display_format(tmp_path):
    data = xlsx_bytes(
        [
            ["day", "at", "written"],
            [dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 1, 9, 30), "01/03/2024"],
            [dt.datetime(2024, 12, 31), dt.datetime(2024, 12, 31, 23, 59, 59), "31/12/2024"],
            [None, dt.datetime(2025, 1, 1), None],
        ],
        number_formats={"A2": "dd/mm/yyyy", "A3": "mmm d, yyyy", "B2": "m/d/yy h:mm", "B3": "dd.mm.yyyy hh:mm:ss",
                        "B4": "yyyy-mm-dd hh:mm"},
    )  # fmt: skip
    result, destination = ingest_bytes(tmp_path, data)
    columns = {column.name: (column.type, column.format) for column in result.columns}
    assert columns == {"day": ("date", None), "at": ("timestamp", None), "written": ("date", "%d/%m/%Y")}
    assert values(destination, "day") == [D(2024, 3, 1), D(2024, 12, 31), None]
    assert values(destination, "at") == [T(2024, 3, 1, 9, 30), T(2024, 12, 31, 23, 59, 59), T(2025, 1, 1)]
    assert values(destination, "written") == [D(2024, 3, 1), D(2024, 12, 31), None]


def test_json_strings_in_written_date_forms(tmp_path):
    data = json.dumps([{"when": "Jan 5 2020", "n": "1,500"}, {"when": "Feb 6 2020", "n": "2"}]).encode()
    result, destination = ingest_bytes(tmp_path, data)
    columns = {c.name: (c.type, c.format) for c in result.columns}
    assert columns == {"when": ("date", "%b %d %Y"), "n": ("integer", None)}
    assert values(destination, "when") == [D(2020, 1, 5), D(2020, 2, 6)]
    assert values(destination, "n") == [1500, 2]
