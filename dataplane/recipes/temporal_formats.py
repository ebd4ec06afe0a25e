"""The date and timestamp patterns that fit a text column, proposed by the preview of a text -> date cast.

The patterns and the test are the ingest's (`ingest.temporal.fitting_formats`), so a cast proposes exactly
the forms type inference reads. That test takes a plain FROM clause, while a recipe stage carries bound
values, so a sample of the column's distinct values is copied into a temporary table first.
"""

import uuid

from dataplane.engine.running import fetchall
from dataplane.engine.sql import Fragment
from dataplane.ingest.temporal import DEFAULT_ORDER, fitting_formats

SAMPLE_VALUES = 5000


def proposed_formats(db, relation: Fragment, column: str, *, order: str = DEFAULT_ORDER) -> list[str]:
    """strptime formats under which every sampled non-empty value of `column` (an internal name in
    `relation`, a recipe stage) parses, most specific first."""
    table = f"recipe_values_{uuid.uuid4().hex}"
    sample = Fragment(f"CREATE TEMPORARY TABLE {table} AS SELECT DISTINCT trim({column}) AS value FROM (") + (  # noqa: S608
        relation + Fragment(f") AS r WHERE keep AND nullif(trim({column}), '') IS NOT NULL LIMIT {SAMPLE_VALUES}")
    )
    try:
        fetchall(db, sample)
        return fitting_formats(db, table, "value", order=order)
    finally:
        db.execute(f"DROP TABLE IF EXISTS {table}")
