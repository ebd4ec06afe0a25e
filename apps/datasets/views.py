"""Server-rendered dataset pages: catalog, upload, dataset, version, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from apps.core import permissions
from apps.datasets import selectors, services
from apps.datasets.forms import DatasetEditForm, DatasetUploadForm, VersionForm
from apps.datasets.islands import grid_props, upload_island_props
from apps.datasets.models import Dataset, Version, VersionStatus
from apps.datasets.uploads import upload_limit_message
from apps.jobs.islands import job_progress_props
from dataplane.engine import QueryError, rows_query

PREVIEW_ROWS = 50


def catalog_view(request):
    """Every dataset the caller may see, searchable and filterable, 20 a page."""
    params = request.GET
    datasets = selectors.catalog_listing(
        request.user,
        q=params.get("q", "").strip(),
        workspace=params.get("workspace", ""),
        tag=params.get("tag", ""),
        visibility=params.get("visibility", ""),
    )
    page = Paginator(datasets, 20).get_page(params.get("page"))
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "datasets/catalog.html",
        {
            "page": page,
            "query": query.urlencode(),
            "params": params,
            "workspaces": permissions.workspaces_for(request.user),
            "tags": selectors.catalog_tags(request.user),
        },
    )


@login_required
def dataset_new_view(request):
    """Upload a file as a new dataset: the island with JavaScript, this form without."""
    writable = permissions.workspaces_for(request.user, permissions.CHANGE)
    form = DatasetUploadForm(request.POST or None, request.FILES or None, workspaces=writable)
    if request.method == "POST":
        if getattr(request, "upload_too_large", False):
            form.add_error("file", upload_limit_message())
        elif form.is_valid():
            data = form.cleaned_data
            try:
                dataset, _, _ = services.dataset_upload(
                    workspace=data["workspace"],
                    file=data["file"],
                    title=data["title"],
                    description=data["description"],
                    visibility=data["visibility"],
                    created_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.info(request, "Upload received; Datamill is processing it now.")
                return redirect(dataset.get_absolute_url())
    props = upload_island_props(user=request.user, workspace=request.GET.get("workspace", ""))
    return render(request, "datasets/new.html", {"form": form, "upload_props": props, "writable": writable})


def version_preview(version: Version) -> dict:
    """The first rows of a ready version for the no-JavaScript table: {columns, rows, total} or {error}."""
    try:
        return rows_query(version.path, version.columns, QueryDict(f"_size={PREVIEW_ROWS}"))
    except QueryError as error:
        return {"error": error.message}


def dataset_page(request, workspace: str, dataset: str, number: int | None = None):
    dataset_obj = selectors.dataset_for(request.user, workspace__slug=workspace, slug=dataset)
    can_change = permissions.can(request.user, permissions.CHANGE, dataset_obj.workspace)
    versions = list(selectors.versions_of(dataset_obj))
    version = dataset_obj.current_version if number is None else selectors.version_of(dataset_obj, number)
    pending = [v for v in versions if v.status in (VersionStatus.QUEUED, VersionStatus.PROCESSING) and v.job]
    latest = versions[0] if versions else None
    is_current = version is not None and version.pk == dataset_obj.current_version_id
    context = {
        "dataset": dataset_obj,
        "version": version,
        "is_current": is_current,
        # An older version's page reads as history: no editing, no new version offered from it.
        "is_old": version is not None and not is_current,
        "versions": versions,
        "latest_failed": latest if latest is not None and latest.status == VersionStatus.FAILED else None,
        "pending": [(v, job_progress_props(v.job, redirect_on_success=request.path)) for v in pending],
        "columns": columns_with_profile(version),
        "grid_props": grid_props(version) if version is not None and version.is_ready else None,
        # Read only when the page's cached copy of the no-JavaScript preview is missing (a version never changes).
        "preview": (lambda: version_preview(version)) if version is not None and version.is_ready else None,
        "can_change": can_change,
        "role": permissions.role_in(request.user, dataset_obj.workspace),
        "upload_props": upload_island_props(user=request.user, dataset=dataset_obj) if can_change else None,
        "version_form": VersionForm() if can_change else None,
        "export_formats": ["csv", "json", "ndjson", "parquet"],
    }
    return render(request, "datasets/dataset.html", context)


def columns_with_profile(version: Version | None) -> list[dict]:
    if version is None or not version.is_ready:
        return []
    return [{**column, "profile": version.profile.get(column["name"], {})} for column in version.columns]


def dataset_view(request, workspace: str, dataset: str):
    """The dataset page: schema with profiles, a preview, versions and downloads."""
    return dataset_page(request, workspace, dataset)


def version_view(request, workspace: str, dataset: str, number: int):
    """The same page pinned to one version."""
    return dataset_page(request, workspace, dataset, number)


@login_required
def dataset_edit_view(request, workspace: str, dataset: str):
    dataset_obj = selectors.dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    initial = {"tags": ", ".join(tag.name for tag in dataset_obj.tags.all())}
    form = DatasetEditForm(request.POST or None, instance=dataset_obj, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.dataset_update(
                dataset=Dataset.objects.get(pk=dataset_obj.pk),
                changed_by=request.user,
                title=data["title"],
                description=data["description"],
                visibility=data["visibility"],
                tags=data["tags"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Saved.")
            return redirect(Dataset.objects.get(pk=dataset_obj.pk).get_absolute_url())
    return render(request, "datasets/edit.html", {"dataset": dataset_obj, "form": form})


@require_POST
def dataset_delete_view(request, workspace: str, dataset: str):
    """Delete a dataset, then go back to the listing it was deleted from (`next`), else its workspace."""
    dataset_obj = selectors.dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    title, workspace_slug = dataset_obj.title, dataset_obj.workspace.slug
    services.dataset_delete(dataset=dataset_obj)
    messages.success(request, f"“{title}” and all its versions were deleted.")
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        return redirect(back)
    return redirect("workspace", workspace=workspace_slug)


@require_POST
def version_new_view(request, workspace: str, dataset: str):
    """A new version from the form on the dataset page (the island uses the API instead)."""
    dataset_obj = selectors.dataset_for(request.user, permissions.CHANGE, workspace__slug=workspace, slug=dataset)
    form = VersionForm(request.POST, request.FILES)
    if getattr(request, "upload_too_large", False):
        messages.error(request, upload_limit_message())
    elif not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        services.version_create(
            dataset=dataset_obj,
            uploaded_file=form.cleaned_data.get("file"),
            url=form.cleaned_data.get("url") or "",
            created_by=request.user,
        )
        messages.info(request, "New version received; Datamill is processing it now.")
    return redirect(dataset_obj.get_absolute_url())
