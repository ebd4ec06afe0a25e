"""Whole-file type inference for text columns, written as SQL so DuckDB does it in one parallel pass.

Each value gets a *kind* bit; a column's kinds are OR-ed together over every row and the union decides
its type. A column gets a type only if every non-empty value has that type's exact written form:

- integer: -?[1-9][0-9]* or 0, fitting signed 64 bits (BIGINT). No "+5", "1_000", " 7" or "007": those
  stay text, so codes with leading zeros are kept as written.
- bigint: the same form up to 38 digits (DECIMAL(38,0)); never through a float.
- float: decimal or scientific notation ("1.5", "-.5", "2.", "1e-3"), finite (DOUBLE). Mixed with
  integers it stays float, unless an integer beyond 2^53 would lose digits: then the column stays text.
- boolean: true / false in any case.
- date: YYYY-MM-DD that is a real date.
- timestamp: YYYY-MM-DD, "T" or a space, hh:mm[:ss[.ffffff]], optional Z or ±hh[:mm] offset; values with
  an offset are converted to UTC, values without one are kept as written (TIMESTAMP without time zone).
  A column that mixes dates and timestamps is a timestamp column (a date is its midnight).
- text: everything else, byte for byte.

Nulls: an empty field is null. The tokens in NULL_TOKENS also count as null, but only in a column that
gets another type thanks to that; in a text column they stay exactly as written.

To keep the pass cheap, a sample of the first rows picks each column's *family* (numeric, boolean,
temporal); the full pass then only checks that family, and any value outside it marks the column text.
A column whose sample already shows text is not checked at all.
"""

from dataclasses import dataclass

from .sql import literal

SAMPLE_ROWS, SAMPLE_MIN_ROWS, SAMPLE_VALUES = 2048, 256, 500_000  # fewer rows for very wide files
# One CASE per column is fastest for a few columns; past this many, DuckDB's per-expression cost (and the
# memory of a compiled regular expression per column) makes one CASE over the unnested values cheaper.
COLUMNAR_UP_TO = 32

NULL_TOKENS = ("NA", "N/A", "n/a", "NULL", "null", "None", "NaN", "nan", "#N/A")

NULL, INT53, INT64, INT128, FLOAT, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_OFFSET, TEXT, TOKEN = (
    0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512,
)  # fmt: skip
MAX_EXACT_FLOAT_INTEGER = 2**53

INTEGER_FORM = r"0|-?[1-9][0-9]{0,37}"  # 38 digits: what DECIMAL(38,0) holds
# A float has a decimal point or an exponent; plain digits are integers (or text, like "-0" or "007").
FLOAT_FORM = r"-?((0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?[eE][-+]?[0-9]+)"
DATE_FORM = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME_FORM = r"[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
TIMESTAMP_FORM = DATE_FORM + TIME_FORM + "Z?"
TIMESTAMP_OFFSET_FORM = DATE_FORM + TIME_FORM + r"[-+][0-9]{2}(:?[0-9]{2})?"

FAMILIES = ("numeric", "boolean", "temporal")


def _matches(column: str, form: str) -> str:
    return f"regexp_full_match({column}, {literal(form)})"


# The cheapest exact test goes first: DuckDB prints BIGINT and DATE canonically, so a value that survives
# the round trip text -> type -> text unchanged has exactly the accepted form. Regular expressions are only
# reached by values that fail it (floats, big integers, timestamps).


def _numeric(c: str) -> list[str]:
    return [
        f"WHEN CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c} THEN "
        f"CASE WHEN TRY_CAST({c} AS BIGINT) BETWEEN -{MAX_EXACT_FLOAT_INTEGER} AND {MAX_EXACT_FLOAT_INTEGER} "
        f"THEN {INT53} ELSE {INT64} END",
        f"WHEN {_matches(c, FLOAT_FORM)} AND isfinite(TRY_CAST({c} AS DOUBLE)) THEN {FLOAT}",
        f"WHEN {_matches(c, INTEGER_FORM)} THEN {INT128}",
    ]


def _boolean(c: str) -> list[str]:
    return [f"WHEN lower({c}) IN ('true', 'false') THEN {BOOLEAN}"]


def _temporal(c: str) -> list[str]:
    return [
        f"WHEN length({c}) = 10 AND CAST(TRY_CAST({c} AS DATE) AS VARCHAR) = {c} THEN {DATE}",
        f"WHEN {_matches(c, TIMESTAMP_FORM)} AND TRY_CAST({c} AS TIMESTAMP) IS NOT NULL THEN {TIMESTAMP}",
        f"WHEN {_matches(c, TIMESTAMP_OFFSET_FORM)} AND TRY_CAST({c} AS TIMESTAMPTZ) IS NOT NULL "
        f"THEN {TIMESTAMP_OFFSET}",
    ]


_CHECKS = {"numeric": _numeric, "boolean": _boolean, "temporal": _temporal}


def kind_sql(column: str, families: tuple[str, ...] = FAMILIES) -> str:
    """A CASE giving one value's kind; only `families` are tried, anything else is TEXT."""
    tokens = ", ".join(literal(token) for token in NULL_TOKENS)
    whens = [f"WHEN {column} IS NULL THEN {NULL}"]
    for family in families:
        whens += _CHECKS[family](column)
    whens.append(f"WHEN {column} IN ({tokens}) THEN {TOKEN}")
    return "CASE " + " ".join(whens) + f" ELSE {TEXT} END"


def family_of(sample_kinds: int) -> tuple[str, ...] | None:
    """Which families the full pass must check, given the kinds seen in the sample; None: text already."""
    kinds = sample_kinds & ~TOKEN
    if kinds & TEXT:
        return None
    if kinds == NULL:
        return FAMILIES
    found = tuple(
        family
        for family, bits in (
            ("numeric", INT53 | INT64 | INT128 | FLOAT),
            ("boolean", BOOLEAN),
            ("temporal", DATE | TIMESTAMP | TIMESTAMP_OFFSET),
        )
        if kinds & bits
    )
    return found if len(found) == 1 else None


def infer_kinds(db, *, sample_source: str, full_source: str, columns: list[str]) -> tuple[int, list[int]]:
    """(row count, kinds of each column) over every row of `full_source`; the sample comes from the first rows
    of `sample_source`. Both are FROM clauses yielding VARCHAR columns named `columns`."""
    sample_rows = max(SAMPLE_MIN_ROWS, min(SAMPLE_ROWS, SAMPLE_VALUES // max(1, len(columns))))
    first_rows = f"(SELECT * FROM {sample_source} LIMIT {sample_rows})"  # noqa: S608 (own SQL)
    sample = _kinds_by_column(db, first_rows, dict.fromkeys(columns, FAMILIES))
    families = {column: family_of(sample.get(column, (0, NULL))[1] or NULL) for column in columns}
    checked = {column: family for column, family in families.items() if family is not None}
    if not checked:
        row_count = db.execute(f"SELECT count(*) FROM {full_source}").fetchall()[0][0]  # noqa: S608 (own SQL)
        return row_count, [TEXT] * len(columns)
    if len(checked) <= COLUMNAR_UP_TO:
        selects = ", ".join(f"bit_or({kind_sql(column, family)})" for column, family in checked.items())
        row = db.execute(f"SELECT count(*), {selects} FROM {full_source}").fetchall()[0]  # noqa: S608 (own SQL)
        row_count, found = row[0], dict(zip(checked, row[1:], strict=True))
    else:
        by_column = _kinds_by_column(db, full_source, checked)
        row_count = next(iter(by_column.values()))[0] if by_column else 0
        found = {column: kinds for column, (_, kinds) in by_column.items()}
    return row_count, [found.get(column) or NULL if column in checked else TEXT for column in columns]


def _kinds_by_column(db, source: str, families: dict[str, tuple[str, ...]]) -> dict[str, tuple[int, int]]:
    """{column: (rows, kinds)} from the values of `families`' columns unnested into one column.

    Columns are ordered by family, so one CASE on the value's position picks the family's checks.
    """
    order = sorted(families, key=lambda column: families[column])  # stable: equal families end up adjacent
    whens = [
        f"WHEN i <= {position} THEN {kind_sql('value', families[column])}"
        for position, column in enumerate(order)
        if position + 1 == len(order) or families[order[position + 1]] != families[column]
    ]
    rows = db.execute(
        f"SELECT i, count(*), bit_or(CASE {' '.join(whens)} END) FROM ("  # noqa: S608 (own SQL)
        f"SELECT unnest([{', '.join(order)}]) AS value, unnest(range({len(order)})) AS i FROM {source}"
        ") GROUP BY i"
    ).fetchall()
    return {order[i]: (count, kinds) for i, count, kinds in rows}


@dataclass(frozen=True)
class InferredType:
    type: str
    kinds: int  # every kind seen, so the cast knows whether offsets or null tokens need handling


def decide(kinds: int) -> str:
    """The column type for the union of its values' kinds."""
    kinds &= ~TOKEN
    if kinds == NULL or kinds & TEXT:
        return "text"
    if kinds & ~(INT53 | INT64) == 0:
        return "integer"
    if kinds & ~(INT53 | INT64 | INT128) == 0:
        return "bigint"
    if kinds & ~(INT53 | FLOAT) == 0:
        return "float"
    if kinds == BOOLEAN:
        return "boolean"
    if kinds == DATE:
        return "date"
    if kinds & ~(DATE | TIMESTAMP | TIMESTAMP_OFFSET) == 0:
        return "timestamp"
    return "text"


DUCKDB_TYPES = {
    "integer": "BIGINT",
    "bigint": "DECIMAL(38,0)",
    "float": "DOUBLE",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "text": "VARCHAR",
}


def cast_sql(column: str, inferred: InferredType) -> str:
    """The expression turning the text column into its inferred type, value for value."""
    kind = inferred.type
    if kind == "text":
        return column
    if kind == "boolean":
        value = f"(lower({column}) = 'true')"
    elif kind == "timestamp" and inferred.kinds & TIMESTAMP_OFFSET:
        value = (
            f"CASE WHEN {_matches(column, TIMESTAMP_OFFSET_FORM)} "
            f"THEN timezone('UTC', CAST({column} AS TIMESTAMPTZ)) ELSE CAST({column} AS TIMESTAMP) END"
        )
    else:
        value = f"CAST({column} AS {DUCKDB_TYPES[kind]})"
    if inferred.kinds & TOKEN:
        tokens = ", ".join(literal(token) for token in NULL_TOKENS)
        value = f"CASE WHEN {column} IN ({tokens}) THEN NULL ELSE {value} END"
    return value
