"""The recipe API: a dataset's clean-up steps, saving them (which derives a new version), and their preview.

Refused steps raise QueryError, which the one exception handler answers with a 400 naming the step."""

from django.conf import settings
from django.urls import path
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from apps.core import permissions
from apps.datasets import selectors
from apps.datasets.api.serializers import VersionSerializer
from apps.datasets.recipes.isolated import recipe_preview_isolated
from apps.datasets.recipes.selectors import recipe_of
from apps.datasets.recipes.services import recipe_save
from apps.jobs.api import JobSerializer
from dataplane.engine.schema import COLUMN_TYPES
from dataplane.recipes.steps import CASES, ON_ERROR

# One serializer per op, for the OpenAPI document; the steps themselves are checked by recipes.steps.


class _Step(serializers.Serializer):
    op = serializers.CharField()


class RenameStep(_Step):
    column = serializers.CharField()
    to = serializers.CharField()


class CastStep(_Step):
    column = serializers.CharField()
    type = serializers.ChoiceField(choices=COLUMN_TYPES)
    format = serializers.CharField(required=False, allow_null=True, help_text="strptime pattern, e.g. %d/%m/%Y.")
    decimal = serializers.CharField(required=False, allow_null=True, help_text="Decimal separator, e.g. `,`.")
    thousands = serializers.CharField(required=False, allow_null=True, help_text="Thousands separator.")
    on_error = serializers.ChoiceField(choices=ON_ERROR, default="fail")


class ColumnsStep(_Step):
    columns = serializers.ListField(child=serializers.CharField())


class CaseStep(ColumnsStep):
    to = serializers.ChoiceField(choices=CASES)


class ReplaceStep(_Step):
    column = serializers.CharField()
    find = serializers.CharField()
    regex = serializers.BooleanField(default=False)


ReplaceStep._declared_fields["with"] = serializers.CharField(default="", allow_blank=True)  # a Python keyword


class FillStep(_Step):
    column = serializers.CharField()
    value = serializers.JSONField(help_text="Given to empty (null, or '' in text) values only.")


class FilterCondition(serializers.Serializer):
    column = serializers.CharField()
    op = serializers.CharField(help_text="One of the rows API's operators (exact, ne, gt, ..., isnull).")
    value = serializers.JSONField(required=False)


class FilterStep(_Step):
    filters = FilterCondition(many=True)


class DedupeStep(_Step):
    columns = serializers.ListField(child=serializers.CharField(), allow_null=True, required=False)


class SplitStep(_Step):
    column = serializers.CharField()
    separator = serializers.CharField()
    into = serializers.ListField(child=serializers.CharField())


class DeriveStep(_Step):
    column = serializers.CharField()
    expression = serializers.CharField(help_text="Refused for now: it arrives with the SQL guard.")


STEP_SERIALIZERS = {
    "rename": RenameStep,
    "cast": CastStep,
    "drop": ColumnsStep,
    "trim": ColumnsStep,
    "case": CaseStep,
    "replace": ReplaceStep,
    "fill": FillStep,
    "filter": FilterStep,
    "dedupe": DedupeStep,
    "split": SplitStep,
    "derive": DeriveStep,
}


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="RecipeStep",
        serializers={op: serializer for op, serializer in STEP_SERIALIZERS.items()},
        resource_type_field_name="op",
        many=True,
    )
)
class StepsField(serializers.ListField):
    child = serializers.DictField()


class RecipeSerializer(serializers.Serializer):
    steps = StepsField()
    revision = serializers.IntegerField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True, allow_null=True)


class RecipeWriteSerializer(serializers.Serializer):
    steps = StepsField(allow_empty=True)


class RecipeSaveAnswerSerializer(serializers.Serializer):
    recipe = RecipeSerializer()
    version = VersionSerializer()
    job = JobSerializer()


class PreviewColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    type = serializers.CharField()
    format = serializers.CharField(allow_null=True)


class PreviewStepSerializer(serializers.Serializer):
    op = serializers.CharField()
    rows_after = serializers.IntegerField(help_text="Rows kept after this step.")
    values_changed = serializers.IntegerField()
    errors = serializers.IntegerField(help_text="Values a cast could not convert.")
    error_examples = serializers.ListField(child=serializers.CharField())
    formats = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="For a text to date/timestamp cast: fitting patterns."
    )


class PreviewAnswerSerializer(serializers.Serializer):
    columns = PreviewColumnSerializer(many=True)
    rows = serializers.ListField(child=serializers.DictField(), help_text="The first 100 rows after the steps.")
    steps = PreviewStepSerializer(many=True)
    counted_rows = serializers.IntegerField(help_text="How many rows of the version the step counts cover.")
    sampled = serializers.BooleanField(help_text="True when the counts cover only the first counted_rows rows.")


def recipe_answer(recipe) -> dict:
    return {"steps": recipe.steps, "revision": recipe.revision, "updated_at": recipe.updated_at}


def steps_of(request) -> list:
    if not isinstance(request.data, dict) or "steps" not in request.data:
        raise ValidationError({"steps": ['Send {"steps": [...]}.']})
    return request.data["steps"]


class RecipeViewSet(viewsets.ViewSet):
    """A dataset's recipe: ordered clean-up steps applied to every new version after type inference."""

    # POSTed, but only reads: the view itself answers 404 to those who may not see the dataset and 403 to
    # those who may not see pre-recipe data (permissions.require_pre_recipe), so the scope check waits for it.
    read_actions = ("preview",)
    parser_classes = [JSONParser]

    def dataset(self, action_name: str = permissions.VIEW):
        return selectors.dataset_for(self.request.user, action_name, pk=self.kwargs["pk"])

    @extend_schema(responses=RecipeSerializer)
    def retrieve(self, request, pk=None):
        """The recipe: its steps (empty at first), revision and when it was last saved. For members of the
        dataset's workspace: a public dataset's outside readers get a 403."""
        dataset = self.dataset()
        permissions.require(request.user, permissions.VIEW, dataset.workspace)
        return Response(RecipeSerializer(recipe_answer(recipe_of(dataset))).data)

    @extend_schema(request=RecipeWriteSerializer, responses={202: RecipeSaveAnswerSerializer})
    def update(self, request, pk=None):
        """Save the steps (the next revision) and derive a new version from the current version's source
        with them. 202 at once; follow the job. A step naming a missing column is a 400 naming the step."""
        dataset = self.dataset(permissions.CHANGE)
        recipe, version, job = recipe_save(dataset=dataset, steps=steps_of(request), saved_by=request.user)
        answer = {
            "recipe": RecipeSerializer(recipe_answer(recipe)).data,
            "version": VersionSerializer(version).data,
            "job": JobSerializer(job).data,
        }
        return Response(answer, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=RecipeWriteSerializer, responses=PreviewAnswerSerializer)
    def preview(self, request, pk=None):
        """The first 100 rows of the current version after the steps, and for each step the rows kept, the
        values changed and the casts that failed (with examples). Nothing is saved. Counts cover the first
        100,000 rows of bigger versions (`sampled`). It reads the data before the recipe, so it is for editors
        and owners (with a write token if a token): 404 if you may not read the dataset, 403 otherwise."""
        dataset = self.dataset()
        permissions.require_pre_recipe(request, dataset)
        version = selectors.ready_version_of(dataset, None)
        answer = recipe_preview_isolated(
            version.inferred_path,
            version.schema_before_recipe,
            steps_of(request),
            timeout_s=settings.QUERY_TIMEOUT,
            date_order=getattr(settings, "DATE_ORDER", "MDY"),
        )
        return Response(answer)


urlpatterns = [
    path(
        "datasets/<str:pk>/recipe/",
        RecipeViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="dataset-recipe",
    ),
    path(
        "datasets/<str:pk>/recipe/preview/",
        RecipeViewSet.as_view({"post": "preview"}),
        name="dataset-recipe-preview",
    ),
]
