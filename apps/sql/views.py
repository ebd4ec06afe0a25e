"""The SQL editor page: `/w/<workspace>/sql/` (the editor island, readable tables, saved queries, history).

Without JavaScript the page is a plain form: the statement is posted back and the answer drawn as a table.
"""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from apps.core import permissions
from apps.sql import selectors, services
from apps.sql.caps import TooManyQueries
from apps.sql.islands import editor_props
from dataplane.sql.guard import SqlRefused
from dataplane.sql.runner import RunError

HISTORY_ON_PAGE = 20


@login_required
def editor_view(request, workspace: str):
    """Write and run SQL over every dataset you may read; `?query=<id>` opens a saved query."""
    workspace_obj = permissions.workspace_for(request.user, workspace)
    query = None
    if query_id := request.GET.get("query"):
        query = permissions.first_or_none(selectors.saved_queries(request.user, workspace=workspace), {"pk": query_id})
    sql = request.POST.get("sql") or request.GET.get("sql") or ""
    answer, error = None, None
    if request.method == "POST" and sql:
        try:
            answer, _ = services.sql_run(sql=sql, user=request.user, workspace=workspace_obj)
        except (SqlRefused, RunError, TooManyQueries) as refused:
            error = refused.message
    tables = services.readable_tables(request.user, workspace_obj)
    context = {
        "workspace": workspace_obj,
        "tables": tables,
        "queries": selectors.saved_queries(request.user, workspace=workspace),
        "history": selectors.history_of(request.user, workspace=workspace)[:HISTORY_ON_PAGE],
        "query": query,
        "sql": query.sql if query and not sql else sql,
        "answer": answer,
        "error": error,
        "props": editor_props(user=request.user, workspace=workspace_obj, query=query, sql=sql, tables=tables),
    }
    return render(request, "sql/editor.html", context)
