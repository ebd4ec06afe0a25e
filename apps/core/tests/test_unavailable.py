"""Without Redis, a request that needs it gets a 503 saying so: JSON on the API, a page elsewhere."""

import pytest


@pytest.fixture
def redis_gone(settings, tmp_path):
    dead = f"unix://{tmp_path / 'no-redis.sock'}"
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": dead}}


def test_api_answers_503_with_the_error_body(redis_gone, owner, token_client):
    response = token_client(owner).get("/api/v1/datasets/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "service_unavailable"
    assert "Redis" in response.json()["error"]["message"]


def test_sign_in_answers_a_503_page(redis_gone, client, owner):
    response = client.post("/accounts/login/", {"email": owner.email, "password": "whatever-it-is"})
    assert response.status_code == 503
    assert "briefly unavailable" in response.content.decode()
