"""Which type a text column has, decided from the *kind* of every one of its values, written as SQL.

Each value gets a kind bit; a column's kinds are OR-ed together over every row and the union decides
its type. A column gets a type only if every non-empty value has that type's exact written form:

- integer: -?[1-9][0-9]* or 0, fitting signed 64 bits (BIGINT). No "+5", "1_000", " 7" or "007": those
  stay text, so codes with leading zeros are kept as written.
- bigint: the same form up to 38 digits (DECIMAL(38,0)); never through a float.
- float: decimal or scientific notation ("1.5", "-.5", "2.", "1e-3"), finite (DOUBLE). Mixed with
  integers it stays float, unless an integer beyond 2^53 would lose digits: then the column stays text.
- Numbers with thousands separators ("1,234,567.89", "-3,000": a comma between every three digits left
  of the point) count as the number without them, when every value of the column has that grouped form
  or the plain one ("12.5" fits; "3,5" and "1,23" do not, so such a column stays text).
- boolean: true/false, yes/no, t/f, y/n in any case; never 0/1 (those are integers).
- date: YYYY-MM-DD that is a real date.
- timestamp: YYYY-MM-DD, "T" or a space, hh:mm[:ss[.ffffff]], optional Z or ±hh[:mm] offset; values with
  an offset are converted to UTC, values without one are kept as written (TIMESTAMP without time zone).
  A column that mixes dates and timestamps is a timestamp column (a date is its midnight).
- a date or timestamp in one of the other written forms of `temporal` (`2012/01/31`, `31.01.2012`,
  `Jan 31 2012 3:04 PM`): every value of the column with the same pattern, which becomes the column's
  `format`. When the only patterns that fit are the two day/month orders of one form, the setting
  DATE_ORDER picks one and the column says that the order was assumed.
- text: everything else, byte for byte.

Nulls: an empty field is null. The tokens in NULL_TOKENS also count as null, but only in a column that
gets another type thanks to that; in a text column they stay exactly as written.

What to check for each column is a `Plan` (see inference): the families a sample of the first rows
points to, or the few date patterns that fit every value of that sample.
"""

import re
from dataclasses import dataclass

from .sql import literal
from .temporal import Pattern, preferred_first

NULL_TOKENS = ("NA", "N/A", "n/a", "NULL", "null", "None", "NaN", "nan", "#N/A")
TRUE_WORDS, FALSE_WORDS = ("true", "t", "yes", "y"), ("false", "f", "no", "n")

NULL, INT53, INT64, INT128, FLOAT, BOOLEAN, DATE, TIMESTAMP, TIMESTAMP_OFFSET, TEXT, TOKEN, GROUPED = (
    0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024,
)  # fmt: skip
# Pattern k of a column's plan that a value does not fit sets bit PATTERN_MISS << k.
PATTERN_MISS, MAX_PATTERNS = 2048, 16
NUMBERS = INT53 | INT64 | INT128 | FLOAT
TEMPORALS = DATE | TIMESTAMP | TIMESTAMP_OFFSET
MAX_EXACT_FLOAT_INTEGER = 2**53

INTEGER_FORM = r"0|-?[1-9][0-9]{0,37}"  # 38 digits: what DECIMAL(38,0) holds
# A float has a decimal point or an exponent; plain digits are integers (or text, like "-0" or "007").
FLOAT_FORM = r"-?((0|[1-9][0-9]*)\.[0-9]*|\.[0-9]+|(0|[1-9][0-9]*)(\.[0-9]*)?[eE][-+]?[0-9]+)"
GROUPED_FORM = r"-?[1-9][0-9]{0,2}(,[0-9]{3})+(\.[0-9]+)?"
DATE_FORM = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
TIME_FORM = r"[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
TIMESTAMP_FORM = DATE_FORM + TIME_FORM + "Z?"
TIMESTAMP_OFFSET_FORM = DATE_FORM + TIME_FORM + r"[-+][0-9]{2}(:?[0-9]{2})?"

FAMILIES = ("numeric", "boolean", "temporal")


@dataclass(frozen=True)
class Plan:
    """What the full pass checks for one column: `families` of kinds, or else date `patterns` (at most
    MAX_PATTERNS). Neither: the column is text already. `known` is False when the sample had no value."""

    families: tuple[str, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    known: bool = True

    @property
    def text(self) -> bool:
        return not self.families and not self.patterns


TEXT_PLAN = Plan()
UNKNOWN_PLAN = Plan(FAMILIES, known=False)


def _matches(column: str, form: str) -> str:
    return f"regexp_full_match({column}, {literal(form)})"


def one_of_sql(value: str, words: tuple[str, ...], *, any_case: bool = False) -> str:
    """Whether `value` is one of `words`, as a regular expression: DuckDB turns a long IN list (and a
    list_contains of constants) into a join that runs for every row, even inside a CASE branch that
    almost no row reaches."""
    alternatives = "|".join(re.escape(word) for word in words)
    return _matches(value, f"(?i){alternatives}" if any_case else alternatives)


def is_token_sql(value: str) -> str:
    return one_of_sql(value, NULL_TOKENS)


# The cheapest exact test goes first: DuckDB prints BIGINT and DATE canonically, so a value that survives
# the round trip text -> type -> text unchanged has exactly the accepted form. Regular expressions are only
# reached by values that fail it (floats, big integers, grouped numbers, timestamps).


def _plain_numeric(c: str) -> list[str]:
    return [
        f"WHEN CAST(TRY_CAST({c} AS BIGINT) AS VARCHAR) = {c} THEN "
        f"CASE WHEN TRY_CAST({c} AS BIGINT) BETWEEN -{MAX_EXACT_FLOAT_INTEGER} AND {MAX_EXACT_FLOAT_INTEGER} "
        f"THEN {INT53} ELSE {INT64} END",
        f"WHEN {_matches(c, FLOAT_FORM)} AND isfinite(TRY_CAST({c} AS DOUBLE)) THEN {FLOAT}",
        f"WHEN {_matches(c, INTEGER_FORM)} THEN {INT128}",
    ]


def _numeric(c: str) -> list[str]:
    ungrouped = f"replace({c}, ',', '')"
    plain = " ".join(_plain_numeric(ungrouped))
    return [*_plain_numeric(c), f"WHEN {_matches(c, GROUPED_FORM)} THEN {GROUPED} | CASE {plain} ELSE {TEXT} END"]


def _boolean(c: str) -> list[str]:
    return [f"WHEN {one_of_sql(c, TRUE_WORDS + FALSE_WORDS, any_case=True)} THEN {BOOLEAN}"]


def _temporal(c: str) -> list[str]:
    return [
        f"WHEN length({c}) = 10 AND CAST(TRY_CAST({c} AS DATE) AS VARCHAR) = {c} THEN {DATE}",
        f"WHEN {_matches(c, TIMESTAMP_FORM)} AND TRY_CAST({c} AS TIMESTAMP) IS NOT NULL THEN {TIMESTAMP}",
        f"WHEN {_matches(c, TIMESTAMP_OFFSET_FORM)} AND TRY_CAST({c} AS TIMESTAMPTZ) IS NOT NULL "
        f"THEN {TIMESTAMP_OFFSET}",
    ]


_CHECKS = {"numeric": _numeric, "boolean": _boolean, "temporal": _temporal}


def kind_sql(column: str, plan: Plan) -> str:
    """A CASE giving one value's kind under `plan`; anything outside its families is TEXT."""
    if plan.patterns:
        misses = " | ".join(
            f"CASE WHEN {pattern.fits_sql(column)} THEN 0 ELSE {PATTERN_MISS << k} END"
            for k, pattern in enumerate(plan.patterns)
        )
        return f"CASE WHEN {column} IS NULL THEN {NULL} WHEN {is_token_sql(column)} THEN {TOKEN} ELSE {misses} END"
    whens = [f"WHEN {column} IS NULL THEN {NULL}"]
    for family in plan.families:
        whens += _CHECKS[family](column)
    whens.append(f"WHEN {is_token_sql(column)} THEN {TOKEN}")
    return "CASE " + " ".join(whens) + f" ELSE {TEXT} END"


def family_of(sample_kinds: int) -> tuple[str, ...] | None:
    """Which families the full pass must check, given the kinds seen in the sample; None: not one family."""
    kinds = sample_kinds & ~(TOKEN | GROUPED)
    if kinds & TEXT:
        return None
    if kinds == NULL:
        return FAMILIES
    found = tuple(
        family for family, bits in (("numeric", NUMBERS), ("boolean", BOOLEAN), ("temporal", TEMPORALS)) if kinds & bits
    )
    return found if len(found) == 1 else None


@dataclass(frozen=True)
class InferredType:
    type: str
    kinds: int  # every kind seen, so the cast knows whether offsets, separators or null tokens need handling
    pattern: Pattern | None = None  # the non-ISO date pattern every value was read with
    assumed_order: str | None = None  # "MDY" or "DMY" when both day/month orders fit every value
    alternative: str | None = None  # then the other order's pattern

    @property
    def format(self) -> str | None:
        return self.pattern.format if self.pattern else None


def decide(kinds: int) -> str:
    """The column type for the union of its values' kinds (patterns aside)."""
    kinds &= ~(TOKEN | GROUPED)
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
    if kinds & ~TEMPORALS == 0:
        return "timestamp"
    return "text"


def resolve(kinds: int, plan: Plan, order: str) -> InferredType:
    """The column's type, from the kinds of every value under `plan`; `order` breaks a day/month tie."""
    if not plan.patterns:
        return InferredType(decide(kinds), kinds)
    # A plan has patterns only for a column with values, so no miss bit at all means every value fits.
    fitting = [pattern for k, pattern in enumerate(plan.patterns) if not kinds & (PATTERN_MISS << k)]
    if not fitting:
        return InferredType("text", TEXT)
    fitting = preferred_first(fitting, order)
    chosen, twin = fitting[0], next((p for p in fitting[1:] if p.format == fitting[0].swapped), None)
    if twin is not None:
        return InferredType(chosen.kind, kinds & TOKEN, chosen, chosen.order, twin.format)
    return InferredType(chosen.kind, kinds & TOKEN, chosen)


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
    if inferred.pattern is not None:
        value = inferred.pattern.sql(column)
    elif kind == "boolean":
        value = one_of_sql(column, TRUE_WORDS, any_case=True)
    elif kind == "timestamp" and inferred.kinds & TIMESTAMP_OFFSET:
        value = (
            f"CASE WHEN {_matches(column, TIMESTAMP_OFFSET_FORM)} "
            f"THEN timezone('UTC', CAST({column} AS TIMESTAMPTZ)) ELSE CAST({column} AS TIMESTAMP) END"
        )
    elif inferred.kinds & GROUPED:
        value = f"CAST(replace({column}, ',', '') AS {DUCKDB_TYPES[kind]})"
    else:
        value = f"CAST({column} AS {DUCKDB_TYPES[kind]})"
    if inferred.kinds & TOKEN:
        value = f"CASE WHEN {is_token_sql(column)} THEN NULL ELSE {value} END"
    return value
