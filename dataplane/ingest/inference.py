"""The passes of type inference over a source of text columns (see column_types for the rules).

1. A sample of the first rows gives each column a `Plan`: the one family of kinds its values show, or —
   for a column whose values are no number, boolean or ISO date — the date patterns that fit every value
   of the sample (a pattern that fits every value of the file fits those too, so none is missed). A column
   the sample already shows as text is not checked again; one without any value in the sample is unknown.
2. The whole file then proves the type. The ingest first tries the cheap way: it writes the Parquet
   file with the type the sample points to, each cast raising an error for a value that does not fit
   (`checked_cast`); a write that completes has checked every value. If it fails (or the file is wide), the
   exact way runs: one pass computes every column's kinds (`full_kinds`), then the write casts.
3. Columns unknown in the sample are written as text and inferred afterwards from the Parquet file
   (`refine`): only those columns are read, and the file is rewritten only if one of them gets a type.
"""

from dataclasses import dataclass

from . import column_types as ct
from . import temporal
from .sql import identifier

SAMPLE_ROWS, SAMPLE_MIN_ROWS, SAMPLE_VALUES = 2048, 256, 500_000  # fewer rows for very wide files
# One CASE per column is fastest for a few columns; past this many, DuckDB's per-expression cost (and the
# memory of a compiled regular expression per column) makes one CASE over the unnested values cheaper.
COLUMNAR_UP_TO = 32


@dataclass
class Sample:
    rows: int
    plans: dict[str, ct.Plan]
    kinds: dict[str, int]
    probes: dict[str, str | None]  # the smallest value of each column that is not a null token


def sample_rows(width: int) -> int:
    return max(SAMPLE_MIN_ROWS, min(SAMPLE_ROWS, SAMPLE_VALUES // max(1, width)))


def sample_plans(db, source: str, columns: list[str], *, limit: int | None = None) -> Sample:
    """Each column's plan from the first rows of `source` (a FROM clause of VARCHAR columns `columns`)."""
    first_rows = f"(SELECT * FROM {source} LIMIT {limit or sample_rows(len(columns))})"  # noqa: S608 (own SQL)
    found = _kinds_by_column(db, first_rows, dict.fromkeys(columns, ct.Plan(ct.FAMILIES)), probe=True)
    rows = max((count for count, _, _ in found.values()), default=0)
    plans, kinds, probes, candidates = {}, {}, {}, {}
    for column in columns:
        _, column_kinds, probe = found.get(column, (0, ct.NULL, None))
        probes[column] = probe[0] if probe else None
        kinds[column] = column_kinds or ct.NULL
        families = ct.family_of(kinds[column])
        if kinds[column] & ~ct.TOKEN == ct.NULL:
            plans[column] = ct.UNKNOWN_PLAN
        elif families is not None:
            plans[column] = ct.Plan(families)
        elif kinds[column] & ~ct.TOKEN == ct.TEXT and probe:
            candidates[column] = temporal.candidates([value for value in probe if value is not None], include_iso=False)
            plans[column] = ct.TEXT_PLAN
        else:
            plans[column] = ct.TEXT_PLAN
    plans.update(_fitting_patterns(db, first_rows, {c: found for c, found in candidates.items() if found}))
    return Sample(rows, plans, kinds, probes)


def _fitting_patterns(db, source: str, candidates: dict[str, list[temporal.Pattern]]) -> dict[str, ct.Plan]:
    """The plan of each column: the candidate patterns that every value of `source` fits."""
    if not candidates:
        return {}
    checks, layout = [], []
    for column, patterns in candidates.items():
        for pattern in patterns[: ct.MAX_PATTERNS]:
            checks.append(f"bool_and({column} IS NULL OR {ct.is_token_sql(column)} OR {pattern.fits_sql(column)})")
            layout.append((column, pattern))
    row = db.execute(f"SELECT {', '.join(checks)} FROM {source}").fetchall()[0]  # noqa: S608 (own SQL)
    fitting: dict[str, list[temporal.Pattern]] = {column: [] for column in candidates}
    for (column, pattern), fits in zip(layout, row, strict=True):
        if fits:
            fitting[column].append(pattern)
    return {
        column: ct.Plan(patterns=tuple(patterns)) if patterns else ct.TEXT_PLAN for column, patterns in fitting.items()
    }


def full_kinds(db, source: str, plans: dict[str, ct.Plan]) -> tuple[int, dict[str, int]]:
    """(row count, kinds of every column with something to check) over every row of `source`."""
    checked = {column: plan for column, plan in plans.items() if not plan.text}
    if not checked:
        return db.execute(f"SELECT count(*) FROM {source}").fetchall()[0][0], {}  # noqa: S608 (own SQL)
    if len(checked) <= COLUMNAR_UP_TO:
        selects = ", ".join(f"bit_or({ct.kind_sql(column, plan)})" for column, plan in checked.items())
        row = db.execute(f"SELECT count(*), {selects} FROM {source}").fetchall()[0]  # noqa: S608 (own SQL)
        return row[0], {column: kinds or ct.NULL for column, kinds in zip(checked, row[1:], strict=True)}
    by_column = _kinds_by_column(db, source, checked)
    row_count = next(iter(by_column.values()))[0] if by_column else 0
    return row_count, {
        column: by_column[column][1] or ct.NULL if column in by_column else ct.NULL for column in checked
    }


def _kinds_by_column(
    db, source: str, plans: dict[str, ct.Plan], *, probe: bool = False
) -> dict[str, tuple[int, int, list | None]]:
    """{column: (rows, kinds, probe)} from the values of the columns unnested into one column; `probe` adds
    the smallest and largest value that is not a null token (for proposing date patterns).

    Columns are ordered by plan, so one CASE on the value's position picks the plan's checks.
    """
    first_of = {plan: position for position, plan in reversed(list(enumerate(plans.values())))}
    order = sorted(plans, key=lambda column: first_of[plans[column]])  # stable: equal plans end up adjacent
    whens = [
        f"WHEN i <= {position} THEN {ct.kind_sql('value', plans[column])}"
        for position, column in enumerate(order)
        if position + 1 == len(order) or plans[order[position + 1]] != plans[column]
    ]
    extra = ""
    if probe:
        not_token = f"FILTER (WHERE NOT {ct.is_token_sql('value')})"
        extra = f", [min(value) {not_token}, max(value) {not_token}]"
    rows = db.execute(
        f"SELECT i, count(*), bit_or(CASE {' '.join(whens)} END){extra} FROM ("  # noqa: S608 (own SQL)
        f"SELECT unnest([{', '.join(order)}]) AS value, unnest(range({len(order)})) AS i FROM {source}"
        ") GROUP BY i"
    ).fetchall()
    return {order[row[0]]: (row[1], row[2], row[3] if probe else None) for row in rows}


def refine(db, source: str, columns: list[str], order: str) -> dict[str, ct.InferredType]:
    """The types of `columns` (text in `source`, a FROM clause) that turn out not to be text, from a sample
    of each one's first values and then all of them."""
    plans: dict[str, ct.Plan] = {}
    for column in columns:
        q = identifier(column)
        first_values = f"(SELECT {q} FROM {source} WHERE {q} IS NOT NULL LIMIT {SAMPLE_ROWS})"  # noqa: S608
        sample = sample_plans(db, first_values, [q], limit=SAMPLE_ROWS)
        plan = sample.plans[q]
        if not sample.rows:
            continue  # no value at all: text
        if not plan.known:  # only null tokens among the first values: check every family
            plans[q] = ct.Plan(ct.FAMILIES)
        elif not plan.text:
            plans[q] = plan
    if not plans:
        return {}
    _, kinds = full_kinds(db, source, plans)
    typed = {}
    for column in columns:
        q = identifier(column)
        if q in plans:
            inferred = ct.resolve(kinds[q], plans[q], order)
            if inferred.type != "text":
                typed[column] = inferred
    return typed


def assumed_orders(db, source: str, columns: list, plans: dict[str, ct.Plan]) -> list:
    """Of `columns` (ColumnInfo, in the order of `plans`' internal names) written by the checked write with
    the DATE_ORDER pattern while their sample also fit the other order: those whose every value also reads
    the other way — no day above 12 — so that the order was assumed, not decided by the data."""
    doubtful = []
    for info, plan in zip(columns, plans.values(), strict=True):
        chosen = temporal.BY_FORMAT.get(info.format) if info.format else None
        if chosen is not None and any(pattern.format == chosen.swapped for pattern in plan.patterns):
            doubtful.append(info)
    if not doubtful:
        return []
    checks = ", ".join(f"coalesce(bool_and(day({identifier(info.name)}) <= 12), true)" for info in doubtful)
    row = db.execute(f"SELECT {checks} FROM {source}").fetchall()[0]  # noqa: S608 (quoted identifiers)
    return [info for info, both_ways in zip(doubtful, row, strict=True) if both_ways]
