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
        "/api/v1/datasets/",
        "/api/v1/datasets/{id}/",
        "/api/v1/datasets/upload/",
        "/api/v1/datasets/{id}/versions/",
        "/api/v1/datasets/{id}/versions/{number}/",
        "/api/v1/datasets/{id}/rows/",
        "/api/v1/datasets/{id}/versions/{number}/rows/",
        "/api/v1/datasets/{id}/query/",
        "/api/v1/datasets/{id}/export/",
        "/api/v1/charts/",
        "/api/v1/charts/{id}/",
        "/api/v1/dashboards/",
        "/api/v1/dashboards/{id}/",
        "/api/v1/workspaces/{slug}/audit/",
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


def test_every_operation_documents_its_answers_and_the_error_body(api):
    schema = api.get("/api/schema/?format=json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation["responses"]
            assert any(code.startswith("2") for code in responses), (method, path)
            for code in ("400", "401", "403", "429", "503"):
                assert responses[code]["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
            if "{" in path:
                assert "404" in responses, (method, path)
    upload = schema["paths"]["/api/v1/datasets/upload/"]["post"]["responses"]
    assert "413" in upload and "202" in upload
