"""Who may see and change a dataset, through pages and the API: one shared rule."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

ROLES = ["anonymous", "outsider", "viewer", "editor", "owner"]


@pytest.fixture
def people(owner, editor, viewer, outsider):
    return {"owner": owner, "editor": editor, "viewer": viewer, "outsider": outsider, "anonymous": None}


def client_for(person, api=False):
    client = APIClient() if api else Client()
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.parametrize(
    ("who", "private_status", "public_status"),
    [("anonymous", 404, 200), ("outsider", 404, 200), ("viewer", 200, 200), ("editor", 200, 200), ("owner", 200, 200)],
)
def test_dataset_page_and_api_visibility(who, private_status, public_status, people, workspace, make_dataset):
    private = make_dataset(workspace, title="Secret sales")
    public = make_dataset(workspace, title="Open weather", visibility="public")
    for dataset, expected in ((private, private_status), (public, public_status)):
        page = client_for(people[who]).get(dataset.get_absolute_url())
        assert page.status_code == expected, (who, dataset.title)
        api = client_for(people[who], api=True)
        assert api.get(f"/api/v1/datasets/{dataset.pk}/").status_code == expected
        assert api.get(f"/api/v1/datasets/{dataset.pk}/rows/").status_code == expected
        assert api.get(f"/api/v1/datasets/{dataset.pk}/versions/1/").status_code == expected
    listed = {d["title"] for d in client_for(people[who], api=True).get("/api/v1/datasets/").json()["results"]}
    assert ("Secret sales" in listed) == (private_status == 200)
    assert "Open weather" in listed


@pytest.mark.parametrize(
    ("who", "expected"),
    [("anonymous", 401), ("outsider", 404), ("viewer", 403), ("editor", 200), ("owner", 200)],
)
def test_changing_a_dataset_needs_editor(who, expected, people, workspace, make_dataset):
    dataset = make_dataset(workspace)
    response = client_for(people[who], api=True).patch(
        f"/api/v1/datasets/{dataset.pk}/", {"title": "Renamed"}, format="json"
    )
    assert response.status_code == expected
    if expected != 200:
        assert "error" in response.json()
    dataset.refresh_from_db()
    assert (dataset.title == "Renamed") == (expected == 200)


@pytest.mark.parametrize(("who", "expected"), [("outsider", 404), ("viewer", 403), ("editor", 302), ("owner", 302)])
def test_edit_and_delete_pages_need_editor(who, expected, people, workspace, make_dataset):
    from apps.datasets.models import Dataset

    dataset = make_dataset(workspace)
    client = client_for(people[who])
    edit = client.post(f"/w/acme/{dataset.slug}/edit/", {"title": "New title", "visibility": "private"})
    assert edit.status_code == expected
    dataset.refresh_from_db()
    assert (dataset.title == "New title") == (expected == 302)
    delete = client.post(f"/w/acme/{dataset.slug}/delete/")
    assert delete.status_code == expected
    assert Dataset.objects.filter(pk=dataset.pk).exists() == (expected != 302)


def test_public_dataset_is_readable_without_a_token_but_not_writable(workspace, make_dataset):
    dataset = make_dataset(workspace, visibility="public")
    api = APIClient()
    rows = api.get(f"/api/v1/datasets/{dataset.pk}/rows/").json()
    assert rows["total"] == 4
    assert api.delete(f"/api/v1/datasets/{dataset.pk}/").status_code == 401
    assert api.get(f"/api/v1/datasets/{dataset.pk}/export/?format=csv").status_code == 200


def test_catalog_shows_each_person_what_they_may_see(people, workspace, make_dataset):
    make_dataset(workspace, title="Secret sales")
    make_dataset(workspace, title="Open weather", visibility="public")
    anonymous = client_for(None).get("/datasets/").content.decode()
    assert "Open weather" in anonymous and "Secret sales" not in anonymous
    viewer = client_for(people["viewer"]).get("/datasets/").content.decode()
    assert "Open weather" in viewer and "Secret sales" in viewer


def test_read_token_cannot_upload_or_delete(owner, workspace, make_dataset, token_client):
    dataset = make_dataset(workspace)
    client = token_client(owner, scope="read")
    assert client.get(f"/api/v1/datasets/{dataset.pk}/").status_code == 200
    response = client.delete(f"/api/v1/datasets/{dataset.pk}/")
    assert response.status_code == 403
    assert "read scope" in response.json()["error"]["message"]


def test_malformed_ids_are_404s(owner):
    client = client_for(owner, api=True)
    for url in ("/api/v1/datasets/not-a-uuid/", "/api/v1/charts/xyz/data/", "/api/v1/dashboards/xyz/"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"
