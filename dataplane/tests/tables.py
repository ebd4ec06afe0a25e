"""Building small typed Parquet tables for the engine tests."""

import pyarrow as pa

ARROW_TYPES = {
    "integer": pa.int64(),
    "bigint": pa.decimal128(38, 0),
    "float": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "timestamp": pa.timestamp("us"),
    "text": pa.string(),
}


def arrow_table(rows: list[dict], schema: list[dict]) -> pa.Table:
    """Rows (dicts) as an Arrow table whose column types follow the version schema's types."""
    arrays = [pa.array([row[c["name"]] for row in rows], type=ARROW_TYPES[c["type"]]) for c in schema]
    return pa.Table.from_arrays(arrays, names=[c["name"] for c in schema])
