from openapi_spec_validator import validate


def test_openapi_schema_is_valid_and_lists_the_contract(api):
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    validate(schema)
    for path in (
        "/api/v1/me/",
        "/api/v1/tokens/",
        "/api/v1/tokens/{id}/",
        "/api/v1/workspaces/",
        "/api/v1/workspaces/{slug}/",
        "/api/v1/jobs/{id}/",
    ):
        assert path in schema["paths"], path
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    created = schema["paths"]["/api/v1/tokens/"]["post"]["responses"]["201"]
    assert created["content"]["application/json"]["schema"]["$ref"].endswith("/NewToken")


def test_swagger_ui_is_served_without_inline_scripts(api):
    response = api.get("/api/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "swagger-ui" in page
    assert "<script>" not in page.replace(" ", "")
    assert "cdn.jsdelivr" not in page


def test_api_root_lists_the_endpoints(api):
    body = api.get("/api/v1/").json()
    assert {"me", "tokens", "workspaces", "jobs"} <= set(body)
