"""The recipe API end to end, ingested eagerly: saving derives a version, later uploads get the recipe, a step
that fails on a new version fails it, the written text survives a float -> text cast, and permissions."""

import pyarrow.parquet as pq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from apps.datasets.models import Dataset, Version
from apps.jobs.models import Job

PRICES = b"item;price;amount;code\nbolt;3,5;1.50;A1\nnut;1.234,25;2.0;B2\nscrew;7;10;C3\n"
RECIPE = [
    {"op": "cast", "column": "price", "type": "float", "decimal": ",", "thousands": ".", "on_error": "fail"},
    {"op": "rename", "column": "item", "to": "part"},
]


@pytest.fixture
def client(owner):
    client = APIClient()
    client.force_login(owner)
    return client


def upload(client, capture, content=PRICES, name="prices.csv"):
    with capture(execute=True):
        response = client.post(
            "/api/v1/datasets/upload/",
            {"file": SimpleUploadedFile(name, content, content_type="text/csv"), "workspace": "acme"},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    return Dataset.objects.get(pk=response.json()["dataset"]["id"])


def new_version(client, capture, dataset, content, name="prices.csv"):
    with capture(execute=True):
        response = client.post(
            f"/api/v1/datasets/{dataset.pk}/versions/",
            {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
            format="multipart",
        )
    assert response.status_code == 202, response.json()
    return Version.objects.get(dataset=dataset, number=response.json()["version"]["number"])


def put_recipe(client, capture, dataset, steps):
    with capture(execute=True):
        return client.put(f"/api/v1/datasets/{dataset.pk}/recipe/", {"steps": steps}, format="json")


def types_of(version):
    return {c["name"]: c["type"] for c in version.columns}


def test_a_recipe_starts_empty(client, workspace, eager, django_capture_on_commit_callbacks):
    dataset = upload(client, django_capture_on_commit_callbacks)
    body = client.get(f"/api/v1/datasets/{dataset.pk}/recipe/").json()
    assert body == {"steps": [], "revision": 0, "updated_at": None}


def test_saving_derives_a_typed_version_from_the_source(client, workspace, eager, django_capture_on_commit_callbacks):
    dataset = upload(client, django_capture_on_commit_callbacks)
    assert types_of(dataset.current_version)["price"] == "text"

    response = put_recipe(client, django_capture_on_commit_callbacks, dataset, RECIPE)
    assert response.status_code == 202, response.json()
    body = response.json()
    assert set(body) == {"recipe", "version", "job"}
    assert body["recipe"]["revision"] == 1
    assert body["recipe"]["steps"][0]["on_error"] == "fail"
    assert Job.objects.get(pk=body["job"]["id"]).status == "succeeded"

    dataset.refresh_from_db()
    version = dataset.current_version
    assert (version.number, version.recipe_revision, version.source_kind) == (2, 1, "recipe")
    assert types_of(version) == {"part": "text", "price": "float", "amount": "float", "code": "text"}
    table = pq.read_table(version.path).to_pydict()
    assert table["price"] == [3.5, 1234.25, 7.0]
    assert table["part"] == ["bolt", "nut", "screw"]
    assert version.profile["price"]["max"] == 1234.25
    assert version.columns[0]["original_name"] == "item"
    assert client.get(f"/api/v1/datasets/{dataset.pk}/recipe/").json()["revision"] == 1
    # the API gives the recipe revision each version was built with
    versions = client.get(f"/api/v1/datasets/{dataset.pk}/versions/").json()["results"]
    assert [(v["number"], v["recipe_revision"]) for v in versions] == [(2, 1), (1, 0)]


def test_the_recipe_is_applied_to_every_later_upload(client, workspace, eager, django_capture_on_commit_callbacks):
    dataset = upload(client, django_capture_on_commit_callbacks)
    put_recipe(client, django_capture_on_commit_callbacks, dataset, RECIPE)
    third = new_version(client, django_capture_on_commit_callbacks, dataset, PRICES + b"washer;0,25;3;D4\n")
    assert third.status == "ready", third.error
    assert (third.number, third.recipe_revision) == (3, 1)
    assert pq.read_table(third.path).to_pydict()["price"] == [3.5, 1234.25, 7.0, 0.25]
    assert types_of(third)["part"] == "text"


def test_a_step_failing_on_a_new_version_fails_it_and_keeps_the_previous_one(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    put_recipe(client, django_capture_on_commit_callbacks, dataset, RECIPE)
    bad = new_version(client, django_capture_on_commit_callbacks, dataset, PRICES + b"washer;about 3;3;D4\n")
    assert bad.status == "failed"
    assert bad.error == (
        "Step 1 (cast): column 'price' has the value \"about 3\", which is not a number. "
        "Change the step, or set on_error to null."
    )
    assert Job.objects.get(pk=bad.job_id).error == bad.error
    dataset.refresh_from_db()
    assert dataset.current_version.number == 2
    assert not bad.source_path.exists()


def test_a_missing_column_on_a_new_version_fails_it_naming_the_step(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    put_recipe(client, django_capture_on_commit_callbacks, dataset, RECIPE)
    bad = new_version(client, django_capture_on_commit_callbacks, dataset, b"thing;cost\nbolt;3,5\n")
    assert bad.status == "failed"
    assert bad.error.startswith("The recipe does not fit this version: Step 1 (cast): there is no column named 'price'")


def test_a_float_cast_back_to_text_gives_the_text_of_the_file(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    assert types_of(dataset.current_version)["amount"] == "float"
    assert pq.read_table(dataset.current_version.path).to_pydict()["amount"] == [1.5, 2.0, 10.0]
    steps = [{"op": "rename", "column": "amount", "to": "qty"}, {"op": "cast", "column": "qty", "type": "text"}]
    assert put_recipe(client, django_capture_on_commit_callbacks, dataset, steps).status_code == 202
    dataset.refresh_from_db()
    version = dataset.current_version
    assert types_of(version)["qty"] == "text"
    assert pq.read_table(version.path).to_pydict()["qty"] == ["1.50", "2.0", "10"]
    # and a second change re-derives from the source again, not from the derived text
    steps = [{"op": "cast", "column": "amount", "type": "integer", "on_error": "null"}]
    put_recipe(client, django_capture_on_commit_callbacks, dataset, steps)
    dataset.refresh_from_db()
    assert pq.read_table(dataset.current_version.path).to_pydict()["amount"] == [None, 2, 10]


def test_a_step_naming_a_missing_column_is_a_400_naming_the_step(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    steps = [{"op": "trim", "columns": ["item"]}, {"op": "drop", "columns": ["nope"]}]
    for url, method in ((f"/api/v1/datasets/{dataset.pk}/recipe/", client.put),
                        (f"/api/v1/datasets/{dataset.pk}/recipe/preview/", client.post)):  # fmt: skip
        response = method(url, {"steps": steps}, format="json")
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid_step"
        assert error["message"].startswith("Step 2 (drop): there is no column named 'nope'")
        assert error["details"]["step"] == 2
    assert Version.objects.filter(dataset=dataset).count() == 1


def test_derive_adds_a_column_computed_from_the_row(client, workspace, eager, django_capture_on_commit_callbacks):
    dataset = upload(client, django_capture_on_commit_callbacks, content=b"item,amount,code\nbolt,1.5,a1\nnut,2,b2\n")
    steps = [
        {"op": "derive", "column": "label", "expression": "upper(code) || '-' || item"},
        {"op": "derive", "column": "double", "expression": "amount * 2"},
        {"op": "cast", "column": "double", "type": "float", "on_error": "fail"},
    ]
    response = put_recipe(client, django_capture_on_commit_callbacks, dataset, steps)
    assert response.status_code == 202, response.json()
    version = dataset.versions.get(number=response.json()["version"]["number"])
    assert version.status == "ready", version.error
    table = pq.read_table(version.path).to_pylist()
    expected = [
        {"label": f"{code.upper()}-{item}", "double": amount * 2}
        for item, amount, code in (("bolt", 1.5, "a1"), ("nut", 2.0, "b2"))
    ]
    assert [{"label": row["label"], "double": row["double"]} for row in table] == expected
    assert types_of(version)["label"] == "text" and types_of(version)["double"] == "float"


@pytest.mark.parametrize(
    ("expression", "refused"),
    [
        ("read_csv('/etc/passwd')", "read_csv"),
        ("(SELECT 1)", "query"),
        ("count(*)", "aggregate"),
        ("getenv('HOME')", "getenv"),
        ("no_such_column + 1", "no_such_column"),
    ],
)
def test_derive_expressions_go_through_the_sql_guard(
    expression, refused, client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    steps = [{"op": "derive", "column": "x", "expression": expression}]
    response = client.put(f"/api/v1/datasets/{dataset.pk}/recipe/", {"steps": steps}, format="json")
    assert response.status_code == 400
    message = response.json()["error"]["message"]
    assert message.startswith("Step 1 (derive):") and refused.lower() in message.lower(), message
    assert dataset.versions.count() == 1  # nothing was built


@pytest.mark.parametrize(
    "steps, message",
    [
        ("rename", "steps must be a list"),
        ([{"op": "explode"}], "Step 1: unknown op 'explode'"),
        ([{"op": "cast", "column": "price"}], 'Step 1 (cast): the step needs "type".'),
        ([{"op": "cast", "column": "price", "type": "float", "on_error": "maybe"}], "on_error"),
        ([{"op": "trim", "columns": ["price"], "extra": 1}], "unknown field 'extra'"),
        ([{"op": "case", "columns": ["amount"], "to": "lower"}], "case works on text columns"),
        ([{"op": "rename", "column": "item", "to": "code"}], "a column named 'code' exists already"),
        ([{"op": "fill", "column": "amount", "value": "lots"}], "is not a number"),
        ([{"op": "filter", "filters": [{"column": "amount", "op": "contains", "value": "1"}]}], "text columns"),
        ([{"op": "drop", "columns": ["item", "price", "amount", "code"]}], "cannot drop every column"),
        ([{"op": "replace", "column": "item", "find": "(", "regex": True}], "not a valid regular expression"),
        ([{"op": "replace", "column": "item", "find": "(?=a)", "regex": True}], "not a valid regular expression"),
        ([{"op": "cast", "column": "item", "type": "date", "format": "%Q"}], "format is not a pattern DuckDB reads"),
        ([{"op": "split", "column": "item", "separator": ",", "into": ["code"]}], "a column named 'code' exists"),
    ],
)
def test_bad_steps_are_400s(client, workspace, eager, django_capture_on_commit_callbacks, steps, message):
    dataset = upload(client, django_capture_on_commit_callbacks)
    response = client.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", {"steps": steps}, format="json")
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_preview_answers_rows_and_step_counts_and_saves_nothing(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    # padded with spaces, the dates stay text for inference; the cast reads them and proposes their pattern
    content = b"d;v\n 01/02/2020;3,5\n13/02/2020 ;x\n"
    dataset = upload(client, django_capture_on_commit_callbacks, content=content)
    assert dataset.current_version.columns[0]["type"] == "text"
    steps = [
        {"op": "cast", "column": "d", "type": "date", "format": "%d/%m/%Y"},
        {"op": "cast", "column": "v", "type": "float", "decimal": ",", "on_error": "null"},
    ]
    body = client.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", {"steps": steps}, format="json").json()
    assert body["columns"] == [
        {"name": "d", "type": "date", "format": "%d/%m/%Y"},
        {"name": "v", "type": "float", "format": None},
    ]
    assert body["rows"] == [{"d": "2020-02-01", "v": 3.5}, {"d": "2020-02-13", "v": None}]
    assert body["steps"][0] == {
        "op": "cast",
        "rows_after": 2,
        "values_changed": 2,  # " 01/02/2020" is now 01/02/2020
        "errors": 0,
        "error_examples": [],
        "formats": ["%d/%m/%Y"],
    }
    assert body["steps"][1] == {
        "op": "cast",
        "rows_after": 2,
        "values_changed": 2,
        "errors": 1,
        "error_examples": ["x"],
    }
    assert (body["counted_rows"], body["sampled"]) == (2, False)
    assert client.get(f"/api/v1/datasets/{dataset.pk}/recipe/").json()["revision"] == 0
    assert Version.objects.filter(dataset=dataset).count() == 1


def test_preview_of_a_later_version_starts_from_what_inference_gave(
    client, workspace, eager, django_capture_on_commit_callbacks
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    put_recipe(client, django_capture_on_commit_callbacks, dataset, RECIPE)
    # the saved recipe renamed item to part; a preview of the same steps still starts from "item"
    body = client.post(f"/api/v1/datasets/{dataset.pk}/recipe/preview/", {"steps": RECIPE}, format="json").json()
    assert [c["name"] for c in body["columns"]] == ["part", "price", "amount", "code"]
    assert body["rows"][0]["price"] == 3.5


def test_permissions(
    client, workspace, viewer, outsider, token_client, eager, django_capture_on_commit_callbacks, make_user
):
    dataset = upload(client, django_capture_on_commit_callbacks)
    url = f"/api/v1/datasets/{dataset.pk}/recipe/"
    body = {"steps": RECIPE}

    as_viewer = APIClient()
    as_viewer.force_login(viewer)
    assert as_viewer.get(url).status_code == 200
    assert as_viewer.post(url + "preview/", body, format="json").status_code == 403  # pre-recipe data: editors
    assert as_viewer.put(url, body, format="json").status_code == 403

    reader = token_client(workspace.memberships.get(role="owner").user, scope="read")
    assert reader.get(url).status_code == 200
    assert reader.post(url + "preview/", body, format="json").status_code == 403
    response = reader.put(url, body, format="json")
    assert response.status_code == 403
    assert "read scope" in response.json()["error"]["message"]

    as_outsider = APIClient()
    as_outsider.force_login(outsider)
    assert as_outsider.get(url).status_code == 404
    assert as_outsider.post(url + "preview/", body, format="json").status_code == 404
    assert as_outsider.put(url, body, format="json").status_code == 404
    assert APIClient().get(url).status_code == 404
    assert Version.objects.filter(dataset=dataset).count() == 1

    writer = token_client(workspace.memberships.get(role="owner").user, scope="write")
    with django_capture_on_commit_callbacks(execute=True):
        assert writer.put(url, body, format="json").status_code == 202


def test_session_writes_need_the_csrf_token(
    owner, workspace, eager, session_client, django_capture_on_commit_callbacks
):
    logged_in = APIClient()
    logged_in.force_login(owner)
    dataset = upload(logged_in, django_capture_on_commit_callbacks)
    strict = session_client(owner)
    response = strict.put(f"/api/v1/datasets/{dataset.pk}/recipe/", {"steps": RECIPE}, format="json")
    assert response.status_code == 403


def test_a_version_without_a_kept_source_cannot_be_re_derived(client, workspace, make_dataset):
    dataset = make_dataset(workspace)
    response = client.put(f"/api/v1/datasets/{dataset.pk}/recipe/", {"steps": []}, format="json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "source_missing"


def test_the_recipe_endpoints_are_in_the_api_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    recipe = schema["paths"]["/api/v1/datasets/{id}/recipe/"]
    assert set(recipe) >= {"get", "put"}
    assert "202" in recipe["put"]["responses"]
    preview = schema["paths"]["/api/v1/datasets/{id}/recipe/preview/"]["post"]
    answer = preview["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][answer]["properties"]) >= {"columns", "rows", "steps"}
    step = schema["components"]["schemas"]["PreviewStep"]["properties"]
    assert set(step) >= {"op", "rows_after", "values_changed", "errors", "error_examples"}
    ops = schema["components"]["schemas"]["RecipeStep"]["discriminator"]["mapping"]
    assert set(ops) == {
        "rename",
        "cast",
        "drop",
        "trim",
        "case",
        "replace",
        "fill",
        "filter",
        "dedupe",
        "split",
        "derive",
    }
