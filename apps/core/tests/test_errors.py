"""A refusal raised anywhere below a DRF view answers 400 in the one error shape, without a wrapper."""

from apps.core.exceptions import api_exception_handler
from dataplane.engine import QueryError
from dataplane.errors import Refusal


def test_a_refusal_answers_400_with_its_code_message_and_details():
    response = api_exception_handler(Refusal("unknown_column", "There is no column “x”.", {"column": "x"}), {})
    assert response.status_code == 400
    assert response.data == {
        "error": {"code": "unknown_column", "message": "There is no column “x”.", "details": {"column": "x"}}
    }


def test_the_engines_query_error_is_a_refusal(make_dataset, workspace, api):
    assert issubclass(QueryError, Refusal)
    dataset = make_dataset(workspace, visibility="public")
    response = api.get(f"/api/v1/datasets/{dataset.pk}/rows/", {"_sort": "nope"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unknown_column"
    assert response.json()["error"]["details"]["column"] == "nope"
