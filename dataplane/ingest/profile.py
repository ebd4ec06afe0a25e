"""Per-column profile of a written Parquet file, computed by DuckDB in a few scans.

Every column: count (non-null), nulls, distinct, min, max and `top` (the 10 most frequent values,
ties broken by the smaller value). Numeric columns add mean, std (sample), q1, median, q3 and a
histogram; date and timestamp columns add a histogram. A histogram is about 20 bins of equal width,
each {"start", "end", "count"} covering start <= x < end, the last one also holding the maximum.
Integer, date and timestamp bins have whole-number widths (days, microseconds), so no bin splits a value.

Quartiles interpolate linearly between the closest ranks (like Python's statistics.quantiles with
method="inclusive"). Mean and std are rounded to 12 significant digits, so the profile of a file is the
same on every run.

Every figure is exact for a file of up to EXACT_UP_TO_ROWS rows. Beyond, a sample of about SAMPLE_ROWS
rows — chosen by a hash of the row number, so the same on every run — stands in where exactness costs
most: quartiles come from the sample, and a nearly unique column (more than half of its sampled values
distinct) gets a HyperLogLog estimate of its distinct values and, as `top`, those of the sample's most
frequent values that occur more than once in the sample, with their exact counts in the file (none when
no sampled value repeats: then no value of the file stands out). Such a column's profile lists the estimated figures
in `approximate` (for example ["distinct", "top", "quartiles"]); the key is absent when all are exact.
Counts, nulls, extremes, mean, std and histograms are always exact.
Values are JSON-ready: dates and timestamps as ISO strings, bigint values (beyond 64 bits) as strings,
floats finite (NaN or infinity from a Parquet source are left out of the statistics and shown as text in
`top`), never NaN.
"""

import datetime as dt
import math
from decimal import Decimal
from pathlib import Path

from .result import ColumnInfo
from .sql import identifier, literal

HISTOGRAM_BINS = 20
TOP_VALUES = 10
# One query handles at most this many columns, and exact quartiles (which keep every value in memory) for
# at most this many values; a column with more values than that gets t-digest estimates (approx_quantile).
COLUMNS_PER_QUERY = 64
SEPARATE_FREQUENCIES_UP_TO = 32
QUARTILE_VALUES_PER_QUERY = 20_000_000
EXACT_UP_TO_ROWS = 500_000
SAMPLE_ROWS, SAMPLE_CELLS = 50_000, 2_500_000  # fewer sampled rows for wide files
NEARLY_UNIQUE = 0.5  # share of distinct values among a column's sampled values
SAMPLE_TABLE = "profile_sample"
NUMERIC = ("integer", "bigint", "float")
TEMPORAL = ("date", "timestamp")
EPOCH = dt.datetime(1970, 1, 1)


def profile_parquet(db, path: Path, columns: list[ColumnInfo], row_count: int) -> dict[str, dict]:
    source = f"read_parquet({literal(path)})"
    if row_count <= EXACT_UP_TO_ROWS:
        return _profile(db, source, columns, row_count, sampled=None)
    try:
        return _profile(db, source, columns, row_count, sampled=_sample(db, path, columns, row_count))
    finally:
        db.execute(f"DROP TABLE IF EXISTS {SAMPLE_TABLE}")


def _profile(db, source: str, columns: list[ColumnInfo], row_count: int, sampled: dict | None) -> dict[str, dict]:
    profile: dict[str, dict] = {}
    nearly_unique = {name for name, found in (sampled or {}).items() if found["nearly_unique"]}
    numeric_per_query = max(1, QUARTILE_VALUES_PER_QUERY // max(1, row_count))
    for batch in _batches(columns, numeric_per_query if sampled is None else COLUMNS_PER_QUERY):
        profile.update(_statistics(db, source, batch, quartiles=sampled is None, estimate_distinct=nearly_unique))
    exact = [column for column in columns if column.name not in nearly_unique]
    for batch in _same_type_batches(exact):
        for name, frequencies in _frequencies(db, source, batch).items():
            profile[name].update(frequencies)
    for column in columns:
        if column.name in nearly_unique:
            profile[column.name]["top"] = _counted_top(db, source, column, sampled[column.name]["top"])
    for batch in _batches(columns, COLUMNS_PER_QUERY):
        _histograms(db, source, batch, profile)
    for name, found in (sampled or {}).items():
        stats, estimated = profile[name], []
        if name in nearly_unique:
            # The estimate can stray past what is certain: at least the sample's distinct values, at most one per value.
            stats["distinct"] = max(found["distinct"], min(stats.pop("estimated_distinct"), stats["count"]))
            estimated += ["distinct", "top"]
        if "quartiles" in found:
            stats.update(found["quartiles"])
            estimated.append("quartiles")
        if estimated:
            stats["approximate"] = estimated
    return profile


def _sample(db, path: Path, columns: list[ColumnInfo], row_count: int) -> dict[str, dict]:
    """{column: {distinct, top, nearly_unique, quartiles?}} over a sample of the rows, kept as a table."""
    rows = max(1_000, min(SAMPLE_ROWS, SAMPLE_CELLS // max(1, len(columns))))
    every = max(1, row_count // rows)
    names = ", ".join(identifier(column.name) for column in columns)
    db.execute(
        f"CREATE OR REPLACE TEMP TABLE {SAMPLE_TABLE} AS SELECT {names} FROM "  # noqa: S608 (quoted identifiers)
        f"read_parquet({literal(path)}, file_row_number = true) WHERE hash(file_row_number) % {every} = 0"
    )
    found: dict[str, dict] = {}
    for batch in _same_type_batches(columns):
        found.update(_frequencies(db, SAMPLE_TABLE, batch, keep_values=True))
    for batch in _batches(columns, COLUMNS_PER_QUERY):
        for name, stats in _statistics(db, SAMPLE_TABLE, batch, quartiles=True).items():
            found[name]["nearly_unique"] = found[name]["distinct"] > NEARLY_UNIQUE * stats["count"]
            if "q1" in stats:
                found[name]["quartiles"] = {key: stats[key] for key in ("q1", "median", "q3")}
    return found


def _same_type_batches(columns: list[ColumnInfo]) -> list[list[ColumnInfo]]:
    """One column per batch for narrow tables (fastest); for wide ones, up to COLUMNS_PER_QUERY of one type."""
    if len(columns) <= SEPARATE_FREQUENCIES_UP_TO:
        return [[column] for column in columns]
    by_type: dict[str, list[ColumnInfo]] = {}
    for column in columns:
        by_type.setdefault(column.type, []).append(column)
    return [
        group[i : i + COLUMNS_PER_QUERY] for group in by_type.values() for i in range(0, len(group), COLUMNS_PER_QUERY)
    ]


def _batches(columns: list[ColumnInfo], numeric_per_batch: int) -> list[list[ColumnInfo]]:
    batches: list[list[ColumnInfo]] = [[]]
    for column in columns:
        numeric = sum(1 for c in batches[-1] if c.type in NUMERIC) + (column.type in NUMERIC)
        if len(batches[-1]) >= COLUMNS_PER_QUERY or numeric > numeric_per_batch:
            batches.append([])
        batches[-1].append(column)
    return [batch for batch in batches if batch]


def _statistics(
    db, source: str, columns: list[ColumnInfo], *, quartiles: bool, estimate_distinct: set[str] = frozenset()
) -> dict[str, dict]:
    """Counts, extremes, mean, std, (if `quartiles`) exact quartiles and histograms; `estimated_distinct`
    for the columns named in `estimate_distinct`.

    Counts and extremes come first, alone, so DuckDB can answer them from the Parquet footer's statistics;
    everything else then shares one scan. A float column with an infinite or NaN extreme has its finite
    extremes computed in that scan, and its histogram afterwards (see _histograms)."""
    extremes = ["count(*)"] + [f"count({q}), min({q}), max({q})" for q in (identifier(c.name) for c in columns)]
    row = db.execute(f"SELECT {', '.join(extremes)} FROM {source}").fetchall()[0]  # noqa: S608 (quoted identifiers)
    profile, parts, redone = {}, [], set()  # parts: (column name, key, SQL)
    for position, column in enumerate(columns):
        count, low, high = row[1 + 3 * position : 4 + 3 * position]
        stats = profile[column.name] = {"count": count, "nulls": row[0] - count, "min": low, "max": high}
        q = identifier(column.name)
        finite = f" FILTER (WHERE isfinite({q}))" if column.type == "float" else ""
        redo = column.type == "float" and not all(value is None or math.isfinite(value) for value in (low, high))
        if redo:
            parts += [(column.name, "min", f"min({q}){finite}"), (column.name, "max", f"max({q}){finite}")]
            redone.add(column.name)
        else:
            stats["min"], stats["max"] = _json_value(low, column.type), _json_value(high, column.type)
        if column.type in NUMERIC:
            as_double = f"CAST({q} AS DOUBLE)"
            quartile = "quantile_disc" if column.type == "bigint" else "quantile_cont"
            parts += [
                (column.name, "mean", f"avg({as_double}){finite}"),
                (column.name, "std", f"stddev_samp({as_double}){finite}"),
                (column.name, "quartiles", f"{quartile}({q}, [0.25, 0.5, 0.75]){finite}" if quartiles else "NULL"),
            ]
        if column.type in NUMERIC + TEMPORAL and not redo:
            plan = _bins(column, stats)
            if plan is None:
                stats["histogram"] = []
            else:
                parts.append((column.name, "_by_bin", f"histogram({plan[0]})"))
                stats["_edges"] = plan[1]
        if column.name in estimate_distinct:
            parts.append((column.name, "estimated_distinct", f"approx_count_distinct({q})"))
    if parts:
        selects = ", ".join(sql for _, _, sql in parts)
        found = db.execute(f"SELECT {selects} FROM {source}").fetchall()[0]  # noqa: S608 (quoted identifiers)
        for (name, key, _), value in zip(parts, found, strict=True):
            profile[name][key] = value
    for column in columns:
        stats = profile[column.name]
        if column.name in redone:
            stats["min"], stats["max"] = _json_value(stats["min"], "float"), _json_value(stats["max"], "float")
        if "_edges" in stats:
            by_bin, edges = dict(stats.pop("_by_bin") or {}), stats.pop("_edges")
            stats["histogram"] = [
                {"start": start, "end": end, "count": by_bin.get(number, 0)}
                for number, (start, end) in enumerate(edges)
            ]
        if column.type in NUMERIC:
            q1, median, q3 = stats.pop("quartiles") or (None, None, None)
            stats.update(
                mean=_json_float(stats["mean"], digits=12),
                std=_json_float(stats["std"], digits=12),
                q1=_json_quartile(q1, column.type),
                median=_json_quartile(median, column.type),
                q3=_json_quartile(q3, column.type),
            )
    return profile


def _frequencies(db, source: str, columns: list[ColumnInfo], keep_values: bool = False) -> dict[str, dict]:
    """Distinct values and the most frequent ones per column, from one grouping of each column's values.

    A few columns are grouped one query each; many columns (all of one type) share a query, their values
    unnested into one column tagged with the column's position, to avoid thousands of small queries.
    """
    if len(columns) == 1:
        q = identifier(columns[0].name)
        values = f"SELECT 0 AS i, {q} AS value FROM {source}"  # noqa: S608 (quoted identifiers)
    else:
        names = ", ".join(identifier(column.name) for column in columns)
        values = f"SELECT unnest([{names}]) AS value, unnest(range({len(columns)})) AS i FROM {source}"  # noqa: S608
    top = f"min_by({{'value': value, 'count': n}}, {{'n': -n, 'value': value}}, {TOP_VALUES})"
    rows = db.execute(
        f"SELECT i, count(*), {top} FROM ("  # noqa: S608 (own SQL)
        f"SELECT i, value, count(*) AS n FROM ({values}) WHERE value IS NOT NULL GROUP BY i, value"
        ") GROUP BY i"
    ).fetchall()
    found = {i: (distinct, items) for i, distinct, items in rows}
    result = {}
    for i, column in enumerate(columns):
        distinct, items = found.get(i, (0, []))
        top = [
            {"value": item["value"] if keep_values else _json_value(item["value"], column.type), "count": item["count"]}
            for item in items or []
        ]
        result[column.name] = {"distinct": distinct, "top": top}
    return result


def _histograms(db, source: str, columns: list[ColumnInfo], profile: dict[str, dict]) -> None:
    """Histograms of the columns whose statistics could not count them (floats with infinite values)."""
    plans = []
    for column in columns:
        if column.type in NUMERIC + TEMPORAL and "histogram" not in profile[column.name]:
            plan = _bins(column, profile[column.name])
            if plan is None:
                profile[column.name]["histogram"] = []
            else:
                plans.append((column, *plan))
    if not plans:
        return
    selects = [f"histogram({expression})" for _, expression, _ in plans]
    counts = db.execute(f"SELECT {', '.join(selects)} FROM {source}").fetchall()[0]  # noqa: S608 (quoted identifiers)
    for (column, _, edges), by_bin in zip(plans, counts, strict=True):
        profile[column.name]["histogram"] = _histogram(by_bin, edges)


def _histogram(by_bin: dict | None, edges: list[tuple]) -> list[dict]:
    counts = dict(by_bin or {})
    return [{"start": start, "end": end, "count": counts.get(number, 0)} for number, (start, end) in enumerate(edges)]


def _counted_top(db, source: str, column: ColumnInfo, candidates: list[dict]) -> list[dict]:
    """`top` from the candidate values that repeat in the sample, with their exact counts in the file (the
    filter reaches the Parquet scan, so only row groups that may hold a candidate are read)."""
    candidates = [item for item in candidates if item["count"] > 1]
    if not candidates:
        return []
    q = identifier(column.name)
    parameters = {f"v{k}": item["value"] for k, item in enumerate(candidates)}
    counts = db.execute(
        f"SELECT {q}, count(*) FROM {source} WHERE {q} IN ({', '.join('$' + key for key in parameters)}) GROUP BY {q}",  # noqa: S608
        parameters,
    ).fetchall()
    ordered = sorted(counts, key=lambda item: (-item[1], item[0]))
    return [{"value": _json_value(value, column.type), "count": count} for value, count in ordered[:TOP_VALUES]]


def _bins(column: ColumnInfo, stats: dict) -> tuple[str, list[tuple]] | None:
    """(SQL giving each value's bin number, [(start, end)] per bin as JSON values), or None if no values."""
    low, high = stats["min"], stats["max"]
    if low is None or high is None:
        return None
    q = identifier(column.name)
    if column.type == "float":
        if low == high:
            return "0", [(low, high)]
        width = (high - low) / HISTOGRAM_BINS
        if not math.isfinite(width) or width == 0:
            return None
        expression = (
            f"CASE WHEN isfinite({q}) THEN least(CAST(floor(({q} - ({low!r})) / {width!r}) AS INTEGER), "
            f"{HISTOGRAM_BINS - 1}) END"
        )
        edges = [low + width * k for k in range(HISTOGRAM_BINS)] + [high]
        return expression, [(edges[k], edges[k + 1]) for k in range(HISTOGRAM_BINS)]
    # Whole-number axes: integers as they are, dates as days, timestamps as microseconds since 1970.
    if column.type == "date":
        lo, hi = _days(low), _days(high)
        position = f"({q} - DATE '1970-01-01')"
        show = _from_days
    elif column.type == "timestamp":
        lo, hi = _microseconds(low), _microseconds(high)
        position = f"epoch_us({q})"
        show = _from_microseconds
    else:
        lo, hi = int(low), int(high)
        position = q
        show = (lambda value: str(value)) if column.type == "bigint" else int
    if column.type == "bigint" or hi - lo >= 2**62:
        position = f"CAST({position} AS HUGEINT)"  # slower, but value - minimum cannot overflow
    width = -(-(hi - lo + 1) // HISTOGRAM_BINS)
    if column.type == "timestamp":
        width = _round_up_to_unit(width)
    bins = -(-(hi - lo + 1) // width)
    expression = f"CAST(({position} - ({lo})) // {width} AS INTEGER)"
    edges = [(show(lo + k * width), show(min(lo + (k + 1) * width, hi))) for k in range(bins)]
    return expression, edges


def _round_up_to_unit(microseconds: int) -> int:
    """Timestamp bins a whole number of days, hours, minutes or seconds wide, so their edges read well."""
    for unit in (86_400_000_000, 3_600_000_000, 60_000_000, 1_000_000):
        if microseconds > unit:
            return -(-microseconds // unit) * unit
    return microseconds


def _days(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - dt.date(1970, 1, 1)).days


def _from_days(days: int) -> str:
    return (dt.date(1970, 1, 1) + dt.timedelta(days=days)).isoformat()


def _microseconds(iso: str) -> int:
    delta = dt.datetime.fromisoformat(iso) - EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_microseconds(microseconds: int) -> str:
    return (EPOCH + dt.timedelta(microseconds=microseconds)).isoformat()


def _json_float(value, digits: int | None = None) -> float | None:
    """A finite float or None. Sums in parallel add up in varying order, so `digits` rounds away the noise
    in the last bits that would otherwise make two runs over the same file disagree."""
    if value is None:
        return None
    value = float(value)
    if not math.isfinite(value):
        return None
    return float(f"{value:.{digits}g}") if digits else value


def _json_quartile(value, column_type: str):
    if value is None:
        return None
    if column_type == "bigint":
        return str(int(value))
    return _json_float(value)


def _json_value(value, column_type: str):
    """One cell as JSON: exact integers, ISO dates, big integers as strings, non-finite floats as text."""
    if value is None:
        return None
    if column_type == "bigint" or isinstance(value, Decimal):
        return str(int(value)) if column_type == "bigint" else _json_float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    return value
