"""The date and timestamp patterns Datamill reads, named once as strptime-style strings DuckDB understands.

A pattern is a DuckDB `strptime` format (`"%Y/%m/%d"`, `"%d/%m/%Y %H:%M"`, `"%b %d %Y"`) together with the
regular expression of its exact written form. DuckDB's strptime alone is lenient (it skips blanks, reads
`99` as the year 99, `1` as month 1); a value fits a pattern only if it has the pattern's written form *and*
strptime reads it, which also rejects dates that do not exist (`2021/02/30`).

The forms:
- dates: year first (`2000-01-31`, `2000/01/31`, `2000.01.31`), day or month first (`31/01/2000`,
  `01/31/2000`, `31-01-2000`, `01-31-2000`, `31.01.2000`: dots are always day first), English month names,
  abbreviated or full, in any case (`Jan 31 2000`, `Jan 31, 2000`, `January 31 2000`, `31 Jan 2000`,
  `31-Jan-2000`). Years have four digits; days and months one or two.
- timestamps: a date, a space (or `T` after a year-first date), then `hh:mm`, `hh:mm:ss` or
  `hh:mm:ss.ffffff` (1 to 6 digits), either 24-hour with an optional `Z` or `±hh[[:]mm]` offset, or 12-hour
  followed by `AM`/`PM` (any case, with or without a space).

Patterns with `iso=True` are the ISO forms the exact type inference already reads without a pattern (their
schema `format` is null); they are listed so that a cast can propose them too.
"""

import re
from dataclasses import dataclass

from .sql import identifier, literal

ORDERS = ("MDY", "DMY")
DEFAULT_ORDER = "MDY"
# A few values are enough to rule most patterns out in Python before DuckDB checks every value.
PROBE_VALUES = 20

_FIELDS = {
    "%Y": "[0-9]{4}",
    "%m": "[0-9]{1,2}",
    "%d": "[0-9]{1,2}",
    "%b": "[A-Za-z]{3}",
    "%B": "[A-Za-z]{3,9}",
    "%H": "[0-9]{1,2}",
    "%I": "[0-9]{1,2}",
    "%M": "[0-9]{2}",
    "%S": "[0-9]{2}",
    "%f": "[0-9]{1,6}",
    "%p": "[AaPp][Mm]",
    "%z": "[-+][0-9]{2}(:?[0-9]{2})?",
}


@dataclass(frozen=True)
class Pattern:
    format: str  # the strptime format
    regex: str  # the written form, matched whole
    kind: str  # "date" or "timestamp"
    order: str | None  # "MDY" or "DMY" for numeric day/month-first dates; None when the order is not in doubt
    iso: bool = False
    offset: bool = False  # carries a UTC offset (%z): read as TIMESTAMPTZ and converted to UTC

    @property
    def swapped(self) -> str | None:
        """The same pattern with day and month exchanged (for an order that was assumed), or None."""
        if self.order is None:
            return None
        return self.format.replace("%d", "\0").replace("%m", "%d").replace("\0", "%m")

    def sql(self, value: str) -> str:
        """The TIMESTAMP (or DATE) that `value`, an SQL expression known to fit, is read as."""
        return self.typed(f"strptime({value}, {literal(self.format)})")

    def parse_sql(self, value: str) -> str:
        """What DuckDB's strptime reads `value` as under this pattern, or null (TIMESTAMPTZ with an offset)."""
        return f"try_strptime({value}, {literal(self.format)})"

    def typed(self, parsed: str) -> str:
        """The column's value from `parsed`, what strptime read under this pattern."""
        if self.offset:
            parsed = f"timezone('UTC', {parsed})"
        return f"CAST({parsed} AS DATE)" if self.kind == "date" else parsed

    def printings(self) -> list[str]:
        """strftime formats that print a value back in this pattern's written form: with and without the
        zero padding of days, months and hours (a value printed back unchanged has the written form)."""
        variants = [self.format]
        for field in ("%d", "%m", "%H", "%I"):
            if field in self.format:
                variants += [variant.replace(field, field[0] + "-" + field[1]) for variant in variants]
        return variants

    def fits_sql(self, value: str) -> str:
        """SQL that is true when `value` (an SQL expression, not null) fits this pattern."""
        return (
            f"(regexp_full_match({value}, {literal(self.regex)}) "
            f"AND try_strptime({value}, {literal(self.format)}) IS NOT NULL)"
        )


def _regex(strptime_format: str) -> str:
    parts = re.split(r"(%[A-Za-z])", strptime_format)
    return "".join(_FIELDS[part] if part in _FIELDS else re.escape(part) for part in parts if part)


def _iso_regex(strptime_format: str) -> str:
    """ISO writes months, days and hours with two digits."""
    return _regex(strptime_format).replace("[0-9]{1,2}", "[0-9]{2}")


def _dates() -> list[tuple[str, str | None, bool]]:
    """(format, order, year first) of every date form."""
    dates = [("%Y-%m-%d", None, True), ("%Y/%m/%d", None, True), ("%Y.%m.%d", None, True)]
    for separator in ("/", "-"):
        dates += [(f"%m{separator}%d{separator}%Y", "MDY", False), (f"%d{separator}%m{separator}%Y", "DMY", False)]
    dates.append(("%d.%m.%Y", None, False))
    for month in ("%b", "%B"):
        dates += [
            (f"{month} %d %Y", None, False),
            (f"{month} %d, %Y", None, False),
            (f"%d {month} %Y", None, False),
            (f"%d-{month}-%Y", None, False),
        ]
    return dates


def _times() -> list[tuple[str, bool]]:
    """(time format, has an offset) of every time form."""
    times = []
    for clock in ("%H:%M", "%H:%M:%S", "%H:%M:%S.%f"):
        times += [(clock, False), (clock + "Z", False), (clock + "%z", True)]
    for clock in ("%I:%M", "%I:%M:%S", "%I:%M:%S.%f"):
        times += [(clock + " %p", False), (clock + "%p", False)]
    return times


def _patterns() -> list[Pattern]:
    patterns = []
    for date, order, _ in _dates():
        iso = date == "%Y-%m-%d"
        patterns.append(Pattern(date, _iso_regex(date) if iso else _regex(date), "date", order, iso))
    for date, order, year_first in _dates():
        for separator in (" ", "T") if year_first else (" ",):
            for time, offset in _times():
                strptime_format = f"{date}{separator}{time}"
                iso = date == "%Y-%m-%d" and "%I" not in time
                regex = _iso_regex(strptime_format) if iso else _regex(strptime_format)
                patterns.append(Pattern(strptime_format, regex, "timestamp", order, iso, offset))
    return patterns


PATTERNS: tuple[Pattern, ...] = tuple(_patterns())
BY_FORMAT: dict[str, Pattern] = {pattern.format: pattern for pattern in PATTERNS}
_COMPILED = [(pattern, re.compile(pattern.regex)) for pattern in PATTERNS]


def pattern_for(strptime_format: str) -> Pattern | None:
    return BY_FORMAT.get(strptime_format)


def candidates(values: list[str], *, include_iso: bool = True) -> list[Pattern]:
    """The patterns whose written form every one of `values` has (strptime not checked), in list order."""
    return [
        pattern
        for pattern, compiled in _COMPILED
        if (include_iso or not pattern.iso) and all(compiled.fullmatch(value) for value in values)
    ]


def preferred_first(patterns: list[Pattern], order: str = DEFAULT_ORDER) -> list[Pattern]:
    """Most specific first: a pattern whose day/month order is `order` before its swapped twin."""
    return sorted(patterns, key=lambda pattern: pattern.order is not None and pattern.order != order)


def fitting_formats(db, values_sql: str, column: str, *, order: str = DEFAULT_ORDER) -> list[str]:
    """The strptime formats under which every non-empty value of text column `column` of `values_sql` (a
    FROM clause: a table name, `read_parquet(...)` or a parenthesised subquery) parses, most specific first.

    Empty means null or ''. When both day/month orders fit (every value ambiguous), the one of `order`
    comes first. A column without any non-empty value fits no pattern.
    """
    q = f"CAST({identifier(column)} AS VARCHAR)"
    probe = db.execute(
        f"SELECT DISTINCT {q} FROM {values_sql} WHERE {q} IS NOT NULL AND {q} <> '' LIMIT {PROBE_VALUES}"  # noqa: S608
    ).fetchall()
    found = candidates([str(row[0]) for row in probe])
    if not found:
        return []
    checks = ", ".join(f"bool_and({pattern.fits_sql(q)})" for pattern in found)
    row = db.execute(
        f"SELECT {checks} FROM {values_sql} WHERE {q} IS NOT NULL AND {q} <> ''"  # noqa: S608 (own SQL, quoted)
    ).fetchall()[0]
    fitting = [pattern for pattern, fits in zip(found, row, strict=True) if fits]
    return [pattern.format for pattern in preferred_first(fitting, order)]


def normalize_order(value: str | None) -> str:
    """ "MDY" or "DMY" from a setting (any case); anything else is a ValueError."""
    order = (value or DEFAULT_ORDER).strip().upper()
    if order not in ORDERS:
        raise ValueError(f"DATE_ORDER must be MDY or DMY, not {value!r}.")
    return order
