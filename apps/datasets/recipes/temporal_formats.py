"""The date and timestamp patterns that fit a text column, proposed by the preview of a text -> date cast.

A pattern fits when every value of a sample of the column's distinct values parses with it.
"""

from apps.datasets.engine.running import fetchall
from apps.datasets.engine.sql import Fragment

SAMPLE_VALUES = 2000
CANDIDATES = (
    "%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
    "%b %d %Y", "%d %b %Y", "%B %d, %Y", "%d-%b-%Y",
    "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d %H:%M:%S",
    "%d/%m/%Y %H:%M", "%m/%d/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%m/%d/%Y %H:%M:%S", "%m/%d/%Y %I:%M %p",
)  # fmt: skip


def proposed_formats(db, relation: Fragment, column: str) -> list[str]:
    """Patterns under which every sampled value of `column` (an internal name in `relation`) parses."""
    sample = (
        Fragment(f"SELECT DISTINCT trim({column}) FROM (")  # noqa: S608
        + relation
        + Fragment(f") AS r WHERE keep AND nullif(trim({column}), '') IS NOT NULL LIMIT {SAMPLE_VALUES}")
    )
    values = [row[0] for row in fetchall(db, sample)]
    if not values:
        return []
    checks = ", ".join("bool_and(try_strptime(v, ?) IS NOT NULL)" for _ in CANDIDATES)
    query = Fragment(f"SELECT {checks} FROM (SELECT unnest(?) AS v)", (*CANDIDATES, values))  # noqa: S608
    fits = fetchall(db, query)[0]
    return [pattern for pattern, fit in zip(CANDIDATES, fits, strict=True) if fit]
