"""The compare page: what changed between two versions, drawn by the server from the diff API's answer.

`/w/<workspace>/<dataset>/compare/?a=<n>&b=<m>&key=<col>`: `b` defaults to the current version and `a` to the
ready version before `b`. Without a choice of key the page proposes one from the profiles (a column with no
nulls whose distinct count equals the row count in both versions); `chosen=1` with no key compares whole rows.
"""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render

from apps.datasets import diffs
from apps.datasets.models import Version
from apps.datasets.selectors import dataset_for, versions_of
from apps.jobs.islands import job_progress_props
from dataplane.engine import QueryError

DRIFT_LABELS = {"nulls": "Nulls", "distinct": "Distinct", "mean": "Mean", "min": "Min", "max": "Max"}


def proposed_key(version_a: Version, version_b: Version) -> list[str]:
    """Columns that identify every row in both versions, judged from their profiles."""
    names_b = {c["name"] for c in version_b.columns}
    proposed = []
    for column in version_a.columns:
        name = column["name"]
        if name in names_b and all(is_unique(v, name) for v in (version_a, version_b)):
            proposed.append(name)
    return proposed


def is_unique(version: Version, name: str) -> bool:
    profile = (version.profile or {}).get(name) or {}
    return bool(version.row_count) and profile.get("nulls") == 0 and profile.get("distinct") == version.row_count


def number_param(request, name: str) -> int | None:
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(f"“{raw}” is not a version number.") from None


class NothingToCompare(Exception):
    """The chosen version has no ready version before it."""


def pick_versions(request, ready: list[Version], current: Version | None) -> tuple[Version, Version]:
    by_number = {v.number: v for v in ready}
    b_number = number_param(request, "b") or (current.number if current else None)
    if b_number not in by_number:
        raise Http404("There is no such ready version to compare.")
    a_number = number_param(request, "a")
    if a_number is None:
        earlier = [v.number for v in ready if v.number < b_number]
        if not earlier:
            raise NothingToCompare(f"Version {b_number} is the first ready version: there is nothing before it yet.")
        a_number = max(earlier)
    if a_number not in by_number:
        raise Http404("There is no such ready version to compare.")
    return by_number[a_number], by_number[b_number]


def compare_view(request, workspace: str, dataset: str):
    """Two versions side by side: schema changes, row counts, sampled rows, profile drift."""
    dataset_obj = dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    ready = [v for v in versions_of(dataset_obj) if v.is_ready]
    error = ""
    try:
        version_a, version_b = pick_versions(request, ready, dataset_obj.current_version)
    except ValidationError as invalid:
        raise Http404(invalid.messages[0]) from None
    except NothingToCompare as nothing:
        context = {"dataset": dataset_obj, "ready": ready, "nothing": str(nothing)}
        return render(request, "datasets/compare.html", context)
    proposal = proposed_key(version_a, version_b)
    chosen = request.GET.get("chosen") == "1" or "key" in request.GET
    key = [] if not chosen else [name for raw in request.GET.getlist("key") for name in diffs.parse_key(raw)]
    if not chosen:
        key = proposal[:1]
    answer = None
    try:
        answer = diffs.versions_diff(
            dataset=dataset_obj,
            a=version_a.number,
            b=version_b.number,
            key=key,
            created_by=request.user if request.user.is_authenticated else None,
        )
    except QueryError as refused:
        error = refused.message
    diff = answer.diff if answer else None
    names_b = {c["name"] for c in version_b.columns}
    context = {
        "dataset": dataset_obj,
        "ready": ready,
        "a": version_a,
        "b": version_b,
        "key": key,
        "proposal": proposal,
        "key_choices": [c["name"] for c in version_a.columns if c["name"] in names_b],
        "error": error,
        "job_props": job_progress_props(answer.job, redirect_on_success=request.get_full_path())
        if answer and answer.job
        else None,
        "diff": diff,
        "summary": summary(diff) if diff else None,
        "changed_table": changed_table(diff, key) if diff else None,
        "changed_columns": changed_columns(diff) if diff else [],
        "samples": samples(diff) if diff else [],
        "drift": drift_rows(diff, version_a, version_b) if diff else [],
    }
    return render(request, "datasets/compare.html", context)


def summary(diff: dict) -> dict:
    """Row counts and the widths (0..100) of the before and after bars' segments."""
    rows = diff["rows"]
    widest = max(rows["before"], rows["after"], 1)

    def width(count: int) -> float:
        return round(100 * count / widest, 2)

    def laid_end_to_end(*kinds: str) -> list[dict]:
        x, segments = 0.0, []
        for kind in kinds:
            segments.append({"kind": kind, "x": x, "width": width(rows[kind]), "count": rows[kind]})
            x += width(rows[kind])
        return segments

    return {
        **rows,
        "before_bar": laid_end_to_end("unchanged", "changed", "removed"),
        "after_bar": laid_end_to_end("unchanged", "changed", "added"),
        "net": rows["after"] - rows["before"],
    }


def changed_columns(diff: dict) -> list[dict]:
    changed = diff["rows"]["changed"] or 1
    return [
        {"name": name, "count": count, "width": round(100 * count / changed, 2)}
        for name, count in diff["changed_columns"].items()
    ]


def samples(diff: dict) -> list[dict]:
    """Added and removed sample rows as tables (lists, so no column name can clash with a template lookup)."""
    tables = []
    for kind in ("added", "removed"):
        rows = diff["sample"][kind]
        columns = list(rows[0]) if rows else []
        tables.append(
            {
                "kind": kind,
                "total": diff["rows"][kind],
                "columns": columns,
                "rows": [[row.get(name) for name in columns] for row in rows],
            }
        )
    return tables


def changed_table(diff: dict, key: list[str]) -> dict:
    """The sampled changed rows as a table: key columns, then the columns that changed, cells marked."""
    columns = [name for name in diff["changed_columns"] if name not in key]
    rows = []
    for row in diff["sample"]["changed"]:
        cells = []
        for name in columns:
            before, after = row["before"].get(name), row["after"].get(name)
            cells.append({"before": before, "after": after, "changed": before != after})
        rows.append({"key": [row["key"].get(name) for name in key], "cells": cells})
    return {"key": key, "columns": columns, "rows": rows}


def drift_rows(diff: dict, version_a: Version, version_b: Version) -> list[dict]:
    """One row per column: each measure's two values, whether it moved, and bar lengths for numbers."""
    names_a, names_b = {c["name"] for c in version_a.columns}, {c["name"] for c in version_b.columns}
    rows = []
    for name, measures in diff["profile"].items():
        cells, moved = [], False
        for measure, label in DRIFT_LABELS.items():
            before, after = measures[measure]
            changed = before != after
            moved = moved or changed
            cells.append({"label": label, "before": before, "after": after, "changed": changed, **bars(before, after)})
        rows.append(
            {
                "name": name,
                "moved": moved,
                "cells": cells,
                "profile_a": (version_a.profile or {}).get(name) or {},
                "profile_b": (version_b.profile or {}).get(name) or {},
                "only_in": "b" if name not in names_a else "a" if name not in names_b else "",
            }
        )
    return rows


def bars(before, after) -> dict:
    """Bar lengths (0..60) for two numbers on one scale; none for text, dates or a missing side."""
    numbers = [v for v in (before, after) if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) != 2:
        return {"bars": None}
    scale = max(abs(before), abs(after)) or 1
    return {"bars": (round(60 * abs(before) / scale, 1), round(60 * abs(after) / scale, 1))}
