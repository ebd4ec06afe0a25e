"""OpenAPI postprocessing: a short summary on every operation, for Swagger UI's list of endpoints.

The views' docstrings are the descriptions (drf-spectacular reads them). A viewset's list, detail and
delete operations share the class docstring, so their summaries are named after the operation
("List charts", "Get a chart"); an operation with a docstring of its own is summarized by its
first sentence.
"""

import re
from collections import Counter

FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.S)
CLAUSE_END = re.compile(r"[:;]\s| \(")
STANDARD = {
    ("get", False): "List {plural}",
    ("get", True): "Get a {singular}",
    ("post", False): "Create a {singular}",
    ("put", True): "Replace a {singular}",
    ("patch", True): "Change a {singular}",
    ("delete", True): "Delete a {singular}",
}


def first_sentence(text: str) -> str:
    """The docstring's opening clause: up to the first full stop, colon, semicolon or parenthesis."""
    text = " ".join(text.split())
    match = FIRST_SENTENCE.match(text)
    sentence = (match.group(1) if match else text).rstrip(".")
    return CLAUSE_END.split(sentence, maxsplit=1)[0].strip().rstrip(",")


def resource_names(path: str) -> tuple[str, str, bool]:
    """("charts", "chart", True) for /api/v1/charts/{id}/: the last named segment, and whether the path
    ends on one item."""
    segments = [s for s in path.strip("/").split("/") if s]
    is_item = bool(segments) and segments[-1].startswith("{")
    names = [s for s in segments if not s.startswith("{")]
    plural = names[-1].replace("-", " ") if names else "resources"
    singular = plural[:-1] if plural.endswith("s") else plural
    return plural, singular, is_item


def summaries_from_docstrings(result, generator, request, public):
    """Give each operation a `summary`; keep any summary a view set with extend_schema."""
    operations = [
        (path, method, operation)
        for path, item in result.get("paths", {}).items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]
    shared = Counter(op.get("description", "") for _, _, op in operations)
    for path, method, operation in operations:
        if operation.get("summary"):
            continue
        description = operation.get("description", "")
        plural, singular, is_item = resource_names(path)
        standard = STANDARD.get((method, is_item))
        if description and (shared[description] == 1 or standard is None):
            operation["summary"] = first_sentence(description)
        elif standard is not None:
            operation["summary"] = standard.format(plural=plural, singular=singular)
        else:
            operation["summary"] = f"{method.upper()} {path}"
        if not description:
            operation["description"] = operation["summary"] + "."
    return result


# drf-spectacular's settings (project/settings.py names them): the document's title, Swagger UI served locally.
SPECTACULAR_SETTINGS = {
    "TITLE": "Datamill API",
    "DESCRIPTION": (
        "Upload tabular files, follow ingest jobs, read rows and aggregates. "
        "Authenticate with a session (and X-CSRFToken) or `Authorization: Bearer <token>`. "
        'Errors are `{"error": {"code", "message", "details"}}`.'
        "\n\n[← Back to Datamill](/) · [OpenAPI schema](/api/schema/)"
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "/static/img/favicon.svg",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI: every operation's error answers, and a summary on each (the views' docstrings name them).
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "apps.core.schema.add_error_responses",
        "project.openapi.summaries_from_docstrings",
    ],
}
