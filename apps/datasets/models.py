"""Datasets and their immutable versions."""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from apps.accounts.models import Membership, Role
from apps.core.permissions import VIEW, workspaces_for
from apps.core.querysets import RestrictedQuerySet

from .recipe_inputs import recipe_inputs_dir


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private to the workspace"
    PUBLIC = "public", "Public"


class Tag(models.Model):
    name = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DatasetQuerySet(RestrictedQuerySet):
    def restrict(self, user, action: str = VIEW):
        """Datasets the user may do `action` on: to view, those of their workspaces and public ones, except a
        derived dataset whose copy lapsed (`copy_lapsed`), which only those who may read its inputs see."""
        in_workspaces = Q(workspace__in=workspaces_for(user, action))
        if action != VIEW:
            return self.filter(in_workspaces)
        return self.filter(in_workspaces | Q(visibility=Visibility.PUBLIC)).exclude(
            Q(copy_lapsed_expression()) & Q(Exists(private_inputs().exclude(workspace__in=workspaces_for(user, VIEW))))
        )

    def copy_lapsed(self):
        """Derived datasets whose materializer may no longer edit a private input's workspace (or is gone): they
        stop rebuilding and are readable only by those who may read every input."""
        return self.filter(copy_lapsed_expression())


def private_inputs():
    """The private datasets that the outer query's dataset (a derived one, `apps.sql`) is computed from."""
    return Dataset.objects.filter(derived_inputs__dataset=OuterRef("pk")).exclude(visibility=Visibility.PUBLIC)


def copy_lapsed_expression() -> Exists:
    # Consent to copy a private input out of its workspace lasts while the materializer edits that workspace.
    materializer_edits = Membership.objects.filter(
        workspace=OuterRef("workspace"),
        user=OuterRef(OuterRef("derivation__run_as")),
        role__in=[Role.EDITOR, Role.OWNER],
    )
    return Exists(private_inputs().exclude(Exists(materializer_edits)))


class Dataset(models.Model):
    """A named table in a workspace; its data is the current version's Parquet file."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="datasets")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets")
    current_version = models.ForeignKey("Version", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        constraints = [models.UniqueConstraint(fields=["workspace", "slug"], name="dataset_slug_per_workspace")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("datasets:detail", args=[self.workspace.slug, self.slug])

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class VersionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    PROCESSING = "processing", "Processing"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"


class Version(models.Model):
    """One ingest of one file. Once ready, its Parquet file is never changed."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=12, choices=VersionStatus.choices, default=VersionStatus.QUEUED)
    source_kind = models.CharField(
        max_length=10, choices=[("upload", "Upload"), ("url", "URL"), ("recipe", "Recipe change")]
    )
    source_name = models.CharField(max_length=1000, help_text="The uploaded file's name, or the URL.")
    source_size = models.BigIntegerField(null=True, blank=True)
    format = models.CharField(max_length=10, blank=True)
    encoding = models.CharField(max_length=20, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    row_count = models.BigIntegerField(null=True, blank=True)
    column_count = models.PositiveIntegerField(null=True, blank=True)
    columns = models.JSONField(default=list, blank=True, help_text="[{name, original_name, type, nullable}]")
    column_names = models.TextField(blank=True, help_text="For catalog search.")
    profile = models.JSONField(default=dict, blank=True)
    checksum = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the Parquet file once ready.")
    error = models.TextField(blank=True)
    recipe_revision = models.PositiveIntegerField(default=0, help_text="The recipe revision it was built with.")
    recipe_steps = models.JSONField(default=list, blank=True, help_text="Those steps, as they were then.")
    inferred_columns = models.JSONField(
        default=list, blank=True, help_text="The schema type inference gave, before the recipe's steps."
    )
    job = models.ForeignKey("jobs.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["dataset", "number"], name="version_number_per_dataset")]

    def __str__(self) -> str:
        return f"{self.dataset} v{self.number}"

    @property
    def relative_path(self) -> str:
        return f"datasets/{self.dataset_id}/v{self.number}.parquet"

    @property
    def path(self) -> Path:
        return Path(settings.DATA_DIR) / self.relative_path

    @property
    def source_path(self) -> Path:
        """The file this version was made from, kept (apart from published files) for recipe changes."""
        return recipe_inputs_dir(settings.DATA_DIR, self.dataset_id) / "sources" / f"v{self.number}"

    @property
    def inferred_path(self) -> Path:
        """What type inference made of the source; the same file as `path` when the recipe had no steps, else
        one in the recipe-inputs tree, never beside the published file."""
        if not self.recipe_steps:
            return self.path
        return recipe_inputs_dir(settings.DATA_DIR, self.dataset_id) / f"v{self.number}.inferred.parquet"

    @property
    def schema_before_recipe(self) -> list[dict]:
        return self.inferred_columns if self.recipe_steps else self.columns

    @property
    def upload_dir(self) -> Path:
        return Path(settings.DATA_DIR) / "uploads" / f"{self.dataset_id}-v{self.number}"

    @property
    def is_ready(self) -> bool:
        return self.status == VersionStatus.READY


class Recipe(models.Model):
    """A dataset's clean-up steps (dataplane/recipes/steps.py), applied to every new version after type inference."""

    dataset = models.OneToOneField(Dataset, on_delete=models.CASCADE, primary_key=True, related_name="recipe")
    steps = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"recipe of {self.dataset} (revision {self.revision})"
