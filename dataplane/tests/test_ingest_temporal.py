"""The named date and timestamp patterns, and which of them fit a column's values."""

import duckdb
import pytest

from dataplane.ingest import temporal


@pytest.fixture
def db():
    connection = duckdb.connect()
    yield connection
    connection.close()


def column(db, cells: list[str | None]) -> str:
    db.execute("CREATE OR REPLACE TABLE cells (value VARCHAR)")
    db.executemany("INSERT INTO cells VALUES (?)", [[cell] for cell in cells])
    return "cells"


@pytest.mark.parametrize(
    ("cells", "expected"),
    [
        (["2012/01/01", "2012/12/31"], ["%Y/%m/%d"]),
        (["2012.01.01"], ["%Y.%m.%d"]),
        (["31/01/2000", "1/2/2000"], ["%d/%m/%Y"]),
        (["01/31/2000", "2/1/2000"], ["%m/%d/%Y"]),
        (["1/2/2000", "3/4/2001"], ["%m/%d/%Y", "%d/%m/%Y"]),  # every value ambiguous: both, MDY first
        (["31.12.2000"], ["%d.%m.%Y"]),
        (["31-12-2000"], ["%d-%m-%Y"]),
        (["Jan 1 2000", "dec 31 2009", "SEP 9 2001"], ["%b %d %Y"]),
        (["January 1, 2000", "march 3, 2001"], ["%B %d, %Y"]),
        (["01-Jan-2000", "1-FEB-2001"], ["%d-%b-%Y"]),
        (["1 Jan 2000"], ["%d %b %Y"]),
        (["2010/01/01 00:00", "2010/01/01 23:59"], ["%Y/%m/%d %H:%M"]),
        (["1/13/2000 3:04 PM", "1/14/2000 12:00 am"], ["%m/%d/%Y %I:%M %p"]),
        (["2000/01/02 03:04:05.5", "2000/01/02 03:04:05.123456"], ["%Y/%m/%d %H:%M:%S.%f"]),
        (["2000/01/02 03:04:05+02:00", "2000/01/02 03:04:05-0130"], ["%Y/%m/%d %H:%M:%S%z"]),
        (["2000/01/02T03:04:05Z"], ["%Y/%m/%dT%H:%M:%SZ"]),
        (["2000-01-02"], ["%Y-%m-%d"]),
        (["2021/02/30", "2021/02/28"], []),  # not a real date
        (["2012/01/01", "2012-01-02"], []),  # two patterns
        (["Jan 1 2000", "January 2 2000"], []),
        ([" 2012/01/01"], []),  # DuckDB's strptime would skip the blank; the written form does not
        (["99/01/01"], []),
        (["Jan  1 2000"], []),
        (["hello"], []),
    ],
)
def test_fitting_formats(db, cells, expected):
    assert temporal.fitting_formats(db, column(db, cells), "value") == expected


def test_empty_values_are_ignored_and_an_empty_column_fits_nothing(db):
    assert temporal.fitting_formats(db, column(db, ["2012/01/01", None, ""]), "value") == ["%Y/%m/%d"]
    assert temporal.fitting_formats(db, column(db, [None, ""]), "value") == []


def test_the_preferred_order_comes_first_for_ambiguous_columns(db):
    cells = column(db, ["1/2/2000", "3/4/2001"])
    assert temporal.fitting_formats(db, cells, "value", order="DMY") == ["%d/%m/%Y", "%m/%d/%Y"]


def test_every_pattern_reads_its_own_written_form(db):
    # Each pattern's regular expression and DuckDB's strptime agree on a value written in that form.
    samples = {"%Y": "2001", "%m": "02", "%d": "03", "%b": "Feb", "%B": "February", "%H": "04", "%I": "04",
               "%M": "05", "%S": "06", "%f": "789", "%p": "PM", "%z": "+01:00"}  # fmt: skip
    for pattern in temporal.PATTERNS:
        value = pattern.format
        for field, written in samples.items():
            value = value.replace(field, written)
        assert pattern in temporal.candidates([value]), pattern.format
        fits = db.execute(f"SELECT {pattern.fits_sql('$value')}", {"value": value}).fetchone()[0]
        assert fits, (pattern.format, value)


def test_swapped_exchanges_day_and_month():
    assert temporal.BY_FORMAT["%d/%m/%Y %H:%M"].swapped == "%m/%d/%Y %H:%M"
    assert temporal.BY_FORMAT["%Y/%m/%d"].swapped is None


def test_normalize_order():
    assert temporal.normalize_order("dmy") == "DMY"
    assert temporal.normalize_order(None) == "MDY"
    with pytest.raises(ValueError, match="MDY or DMY"):
        temporal.normalize_order("YMD")
