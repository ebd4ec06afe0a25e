"""The OpenAPI document says what every operation can answer, errors included.

DRF views answer errors through one handler with one body (`{"error": {"code", "message", "details"}}`);
this postprocessing hook documents that body once and adds the error statuses each operation can give, so
clients (and Schemathesis) find every answer they may get in the schema.
"""

ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "not_found"},
                "message": {"type": "string", "example": "No such dataset."},
                "details": {"nullable": True},
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

ALWAYS = {
    "400": "The request is invalid; the message says what to change.",
    "401": "No valid credentials (a session, a personal API token or an access token).",
    "403": "Seen, but not allowed: a read-only token, or a role that does not allow this.",
    "429": "Too many requests (`details.wait_seconds` says how long to wait), or for SQL `too_many_queries`.",
    "503": "A service Datamill needs (Redis) is briefly unavailable; try again.",
}
WITH_PATH_PARAMETERS = {"404": "Nothing you may see is at this address."}
WITH_PAGES = {"404": "There is no such page of the list."}
WITH_UPLOADS = {"413": "The upload is larger than the limit."}
WITH_BODY = {"413": "The request body is larger than the limit (REQUEST_MAX_BYTES)."}
METHODS = ("get", "put", "post", "patch", "delete")


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in result.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            errors = dict(ALWAYS)
            if "{" in path:
                errors.update(WITH_PATH_PARAMETERS)
            if any(p.get("name") == "page" and p.get("in") == "query" for p in operation.get("parameters", [])):
                errors.update(WITH_PAGES)
            if "requestBody" in operation:
                errors.update(WITH_BODY)
            if "multipart/form-data" in operation.get("requestBody", {}).get("content", {}):
                errors.update(WITH_UPLOADS)
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(status, {"description": description, "content": reference})
    return result
