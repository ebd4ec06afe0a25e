"""The optimistic write: each column cast to the type its sample points to, checked value by value.

A completed write has checked every value: the cast raises an error for any value whose kind would give
the column another type, or another cast (a float in an integer column, a thousands separator the
sample did not have, a date that the pattern does not read). The ingest then falls back to inferring
from every value first (see inference).

Each value is parsed once, in an inner projection (`parse_sql`); the check (`checked_cast_sql`) first
tries a cheap proof that the value has the exact written form — DuckDB prints the parsed value back as
the very same text — and only the values that fail it pay for the exact kind test of column_types.
"""

from . import column_types as ct
from .sql import literal
from .temporal import PATTERNS, preferred_first

# Which kinds may appear beside those of the sample without changing the column's type or its cast.
_ALLOWED = {
    "integer": ct.INT53 | ct.INT64,
    "bigint": ct.INT53 | ct.INT64 | ct.INT128,
    "float": ct.INT53 | ct.FLOAT,
    "boolean": ct.BOOLEAN,
    "date": ct.DATE,
    "timestamp": ct.DATE | ct.TIMESTAMP,
}
# Past this many typed columns, one pass computing every column's kinds over unnested values, then plain casts,
# is cheaper than a checked cast per column (each with its own compiled regular expressions).
CHECKED_UP_TO = 32
_PARSE = {"integer": "BIGINT", "bigint": "BIGINT", "float": "DOUBLE", "date": "DATE", "timestamp": "TIMESTAMP"}
# ISO timestamps printed back: DuckDB reads them all with one cast, so any of these written forms may do.
_ISO_TIMESTAMPS = [p for p in PATTERNS if p.iso and p.kind == "timestamp" and not p.offset and "%I" not in p.format]


def expected_type(plan: ct.Plan, sample_kinds: int, order: str) -> ct.InferredType | None:
    """The type the whole column will have if every value fits what the sample shows; None: text."""
    if plan.text or not plan.known:
        return None
    if plan.patterns:
        pattern = preferred_first(list(plan.patterns), order)[0]
        return ct.InferredType(pattern.kind, ct.TOKEN, pattern)
    kind = ct.decide(sample_kinds)
    return None if kind == "text" else ct.InferredType(kind, sample_kinds | ct.TOKEN)


def parse_sql(column: str, expected: ct.InferredType) -> str | None:
    """The value parsed once for the check, or None when the check needs no parse."""
    if expected.pattern is not None:
        return expected.pattern.parse_sql(column)
    if expected.type in _PARSE and not expected.kinds & (ct.GROUPED | ct.TIMESTAMP_OFFSET):
        return f"TRY_CAST({column} AS {_PARSE[expected.type]})"
    return None


def fast_printing(db, expected: ct.InferredType, probe: str | None) -> str | None:
    """For a timestamp or pattern column: the strftime format that prints `probe` (a value of the sample)
    back as written, if any; values that print back the same way pass the cheap check."""
    if probe is None:
        return None
    if expected.pattern is not None:
        if expected.pattern.offset:
            return None
        candidates = [(expected.pattern, printing) for printing in expected.pattern.printings()]
    elif expected.type == "timestamp" and not expected.kinds & ct.TIMESTAMP_OFFSET:
        candidates = [(pattern, pattern.format) for pattern in _ISO_TIMESTAMPS]
    else:
        return None
    printed = ", ".join(
        f"strftime(try_strptime($probe, {literal(pattern.format)}), {literal(printing)})"
        for pattern, printing in candidates
    )
    row = db.execute(f"SELECT [{printed}]", {"probe": probe}).fetchall()[0][0]
    return next((printing for (_, printing), shown in zip(candidates, row, strict=True) if shown == probe), None)


def checked_cast_sql(
    column: str, parsed: str | None, expected: ct.InferredType, failure: str, printing: str | None = None
) -> str:
    """The cast of `expected`, raising `failure` for a value that would give the column another type or
    cast. `parsed` names the inner projection of `parse_sql`; `printing` comes from `fast_printing`."""
    whens = []
    pattern = expected.pattern
    if pattern is not None:
        if printing is not None:
            whens.append(f"WHEN strftime({parsed}, {literal(printing)}) = {column} THEN {pattern.typed(parsed)}")
        whens.append(f"WHEN {column} IS NULL THEN NULL")
        fits = f"regexp_full_match({column}, {literal(pattern.regex)}) AND {parsed} IS NOT NULL"
        whens.append(f"WHEN {fits} THEN {pattern.typed(parsed)}")
        whens.append(f"WHEN {ct.is_token_sql(column)} THEN NULL")
    else:
        if parsed is not None:
            whens.append(_fast_when(column, parsed, expected, printing))
        whens.append(f"WHEN {column} IS NULL THEN NULL")
        allowed = _ALLOWED[expected.type] | (expected.kinds & (ct.GROUPED | ct.TIMESTAMP_OFFSET)) | ct.TOKEN
        kind = ct.kind_sql(column, ct.Plan(ct.family_of(expected.kinds) or ()))
        whens.append(f"WHEN ({kind}) & {~allowed} = 0 THEN {ct.cast_sql(column, expected)}")
    return f"CASE {' '.join(whens)} ELSE error({literal(failure)}) END"


def _fast_when(column: str, parsed: str, expected: ct.InferredType, printing: str | None) -> str:
    kind = expected.type
    if kind in ("integer", "bigint"):
        value = parsed if kind == "integer" else f"CAST({parsed} AS DECIMAL(38,0))"
        return f"WHEN CAST({parsed} AS VARCHAR) = {column} THEN {value}"
    if kind == "float":  # DuckDB prints finite doubles in the accepted float form
        return f"WHEN CAST({parsed} AS VARCHAR) = {column} AND isfinite({parsed}) THEN {parsed}"
    if kind == "date":  # four-digit years only
        return f"WHEN length({column}) = 10 AND CAST({parsed} AS VARCHAR) = {column} THEN {parsed}"
    if printing is not None:  # timestamp, written in one ISO form
        in_range = f"{parsed} BETWEEN TIMESTAMP '0001-01-01' AND TIMESTAMP '9999-12-31 23:59:59.999999'"
        return f"WHEN strftime({parsed}, {literal(printing)}) = {column} AND {in_range} THEN {parsed}"
    return "WHEN false THEN NULL"
