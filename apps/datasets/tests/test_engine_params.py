"""The Django-free engine takes a request's query string as Django hands it over (a QueryDict), as the rows
API and the pages pass it."""

from django.http import QueryDict

from dataplane.engine import rows_query
from dataplane.tests.test_engine_rows import SCHEMA, make_rows, write_parquet


def test_a_query_dict_works_as_params(tmp_path):
    rows = make_rows()
    path = write_parquet(tmp_path / "v1.parquet", SCHEMA, rows)
    page = rows_query(path, SCHEMA, QueryDict("_size=3&n_int__gte=0&_sort=-id"))
    expected = [r["id"] for r in reversed(rows) if r["n_int"] is not None and r["n_int"] >= 0][:3]
    assert [r["id"] for r in page["rows"]] == expected
