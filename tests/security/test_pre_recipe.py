"""DESIGN.md, "Security rules that every feature keeps": what a reader may see is what the published version
holds. Pre-recipe data (a version's kept source and its inferred file) is seen only by those who may change the
recipe (editors and owners of its workspace); a recipe's steps only by the workspace's members."""

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.conf import settings
from django.test import Client

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.datasets.models import Recipe
from conftest import publish_table

INFERRED = {"name": ["Ann", "Bob", "Cid"], "salary": [10, 20, 999_999], "internal_note": ["x", "y", "fired"]}
INFERRED_COLUMNS = [
    {"name": "name", "original_name": "name", "type": "text", "nullable": False},
    {"name": "salary", "original_name": "salary", "type": "integer", "nullable": False},
    {"name": "internal_note", "original_name": "internal_note", "type": "text", "nullable": False},
]
STEPS = [
    {"op": "drop", "columns": ["internal_note"]},
    {"op": "filter", "filters": [{"column": "salary", "op": "lt", "value": 1000}]},
]


def recipe_dataset(make_dataset, workspace, visibility):
    """A dataset whose published version is its inferred file after a recipe (a dropped column, a filter)."""
    dataset = make_dataset(workspace, title=f"Staff {visibility}", visibility=visibility)
    published = {"name": ["Ann", "Bob"], "salary": [10, 20]}
    version = publish_table(dataset, published, INFERRED_COLUMNS[:2])
    version.recipe_steps, version.inferred_columns, version.recipe_revision = STEPS, INFERRED_COLUMNS, 1
    version.save()
    version.inferred_path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(INFERRED), version.inferred_path)
    Recipe.objects.create(dataset=dataset, steps=STEPS, revision=1)
    return dataset


@pytest.fixture
def public(make_dataset, workspace, http):
    return recipe_dataset(make_dataset, workspace, "public")


def preview(session, dataset):
    return session.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", json={"steps": []})


def test_an_editor_with_a_write_token_previews_the_data_before_the_recipe(public, editor, bearer):
    answer = preview(bearer(editor, "write"), public)
    assert answer.status_code == 200
    assert "internal_note" in answer.text and "999999" in answer.text  # what the others must not get


def test_anonymous_visitors_and_outsiders_of_a_public_dataset_get_403(public, http, outsider, bearer):
    for session in (http, bearer(outsider, "write")):
        answer = preview(session, public)
        assert answer.status_code == 403
        assert "internal_note" not in answer.text and "999999" not in answer.text


def test_viewers_and_read_tokens_get_403(public, viewer, editor, owner, bearer):
    for session in (bearer(viewer, "write"), bearer(editor, "read"), bearer(owner, "read")):
        answer = preview(session, public)
        assert answer.status_code == 403
        assert "internal_note" not in answer.text


def test_those_who_may_not_read_the_dataset_get_404(make_dataset, workspace, http, outsider, bearer):
    private = recipe_dataset(make_dataset, workspace, "private")
    assert preview(http, private).status_code == 404
    assert preview(bearer(outsider, "write"), private).status_code == 404


def test_recipe_steps_are_for_members(public, http, outsider, viewer, bearer):
    assert http.get(f"/api/v1/datasets/{public.pk}/recipe/").status_code == 403
    assert bearer(outsider).get(f"/api/v1/datasets/{public.pk}/recipe/").status_code == 403
    assert bearer(viewer, "read").get(f"/api/v1/datasets/{public.pk}/recipe/").json()["steps"] == STEPS
    assert http.get(f"/w/acme/{public.slug}/recipe/").status_code == 403
    for path in (
        f"/api/v1/datasets/{public.pk}/versions/",
        f"/api/v1/datasets/{public.pk}/",
        public.get_absolute_url(),
    ):
        answer = http.get(path)
        assert answer.status_code == 200
        assert "internal_note" not in answer.text and "recipe_steps" not in answer.text


def test_a_viewer_reads_the_steps_but_the_page_carries_no_pre_recipe_columns(public, make_user, workspace, http):
    member = make_user("member@example.com")
    accounts.membership_set(workspace=workspace, user=member, role=Role.VIEWER)
    client = Client()
    client.force_login(member)
    http.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    page = http.get(f"/w/acme/{public.slug}/recipe/")
    assert page.status_code == 200
    assert 'data-island="recipe"' not in page.text and "recipe-props" not in page.text
    assert "drop" in page.text  # the steps, read-only
