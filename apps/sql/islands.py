"""Props of the SQL app's islands, mirroring frontend/islands/sql-editor/props.ts."""

from django.urls import reverse

from apps.core import permissions


def editor_props(*, user, workspace, query, sql: str, tables: list[dict]) -> dict:
    """Props of the sql-editor island (frontend/islands/sql-editor)."""
    return {
        "workspace": workspace.slug,
        "sqlUrl": reverse("api:sql"),
        "queriesUrl": reverse("api:query-list"),
        "jobsUrl": reverse("api:job-list"),
        "resultsUrl": reverse("api:sql"),
        "editorUrl": reverse("sql:editor", args=[workspace.slug]),
        "canSave": permissions.can(user, permissions.CHANGE, workspace),
        "tables": tables,
        "initialSql": query.sql if query else sql,
        "query": (
            {
                "id": str(query.pk),
                "title": query.title,
                "materializeUrl": reverse("api:query-materialize", args=[query.pk]),
                "detailUrl": reverse("api:query-detail", args=[query.pk]),
            }
            if query
            else None
        ),
    }
