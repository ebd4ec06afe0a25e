"""The workspace settings page and the refresh panel, through Django's test client."""

import pytest
from django.test import Client

from apps.integrations.models import Schedule, Webhook


def client_for(user):
    client = Client(enforce_csrf_checks=False)
    client.force_login(user)
    return client


def test_owners_add_a_webhook_and_see_its_secret_once(owner, workspace):
    client = client_for(owner)
    response = client.post(
        "/w/acme/settings/", {"url": "https://hooks.example.com/in", "events": ["version.ready"]}, follow=True
    )
    assert response.status_code == 200
    webhook = Webhook.objects.get()
    page = response.content.decode()
    assert webhook.secret in page and "not shown again" in page
    again = client.get("/w/acme/settings/").content.decode()
    assert webhook.secret not in again
    assert "https://hooks.example.com/in" in again


def test_a_bad_webhook_form_says_why(owner, workspace):
    response = client_for(owner).post("/w/acme/settings/", {"url": "not a url", "events": []})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a valid URL." in page and "Choose at least one event." in page
    assert not Webhook.objects.exists()


def test_non_owners_see_no_webhooks_and_outsiders_nothing(owner, workspace, editor, outsider):
    client_for(owner).post("/w/acme/settings/", {"url": "https://hooks.example.com/in", "events": ["version.ready"]})
    page = client_for(editor).get("/w/acme/settings/").content.decode()
    assert "Only owners of Acme Analytics manage its webhooks." in page
    assert "hooks.example.com" not in page
    posted = client_for(editor).post("/w/acme/settings/", {"url": "https://x.example.com", "events": ["version.ready"]})
    assert posted.status_code == 403
    assert client_for(outsider).get("/w/acme/settings/").status_code == 404
    hook = Webhook.objects.get()
    assert client_for(outsider).post(f"/w/acme/settings/webhooks/{hook.pk}/delete/").status_code == 404
    assert client_for(editor).post(f"/w/acme/settings/webhooks/{hook.pk}/delete/").status_code == 403
    assert Webhook.objects.count() == 1


def test_the_settings_page_needs_csrf(owner, workspace):
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.post("/w/acme/settings/", {"url": "https://hooks.example.com", "events": ["version.ready"]})
    assert response.status_code == 403
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("form", "cron"),
    [
        ({"preset": "hourly"}, "0 * * * *"),
        ({"preset": "daily", "time": "07:45"}, "45 7 * * *"),
        ({"preset": "weekly", "time": "18:05", "weekday": "5"}, "5 18 * * 5"),
        ({"preset": "cron", "cron": "*/15 8-18 * * 1-5"}, "*/15 8-18 * * 1-5"),
    ],
)
def test_the_refresh_panel_saves_presets_as_cron(url_dataset, editor, file_server, form, cron):
    client = client_for(editor)
    response = client.post("/w/acme/cities/schedule/", {"url": file_server.data_url, **form})
    assert response.status_code == 302 and response["Location"] == "/w/acme/cities/#refresh"
    assert Schedule.objects.get().cron == cron
    page = client.get("/w/acme/cities/").content.decode()
    assert "Scheduled refresh" in page and cron in page and "Refresh now" in page


def test_a_bad_cron_on_the_panel_is_a_message(url_dataset, editor, file_server):
    client = client_for(editor)
    form = {"url": file_server.data_url, "preset": "cron", "cron": "whenever"}
    page = client.post("/w/acme/cities/schedule/", form, follow=True).content.decode()
    assert "is not a five-field crontab" in page
    assert not Schedule.objects.exists()


def test_the_panel_pauses_resumes_and_stops(url_dataset, editor, file_server):
    client = client_for(editor)
    client.post("/w/acme/cities/schedule/", {"url": file_server.data_url, "preset": "hourly"})
    client.post("/w/acme/cities/schedule/", {"action": "pause"})
    assert Schedule.objects.get().paused
    assert "none while paused" in client.get("/w/acme/cities/").content.decode()
    client.post("/w/acme/cities/schedule/", {"action": "resume"})
    assert not Schedule.objects.get().paused
    client.post("/w/acme/cities/schedule/", {"action": "delete"})
    assert not Schedule.objects.exists()


def test_viewers_see_the_schedule_but_cannot_change_it(url_dataset, editor, viewer, file_server):
    client_for(editor).post("/w/acme/cities/schedule/", {"url": file_server.data_url, "preset": "hourly"})
    page = client_for(viewer).get("/w/acme/cities/").content.decode()
    assert "Every hour, on the hour" in page
    assert "Refresh now" not in page and "Save schedule" not in page
    assert client_for(viewer).post("/w/acme/cities/refresh/").status_code == 403
    assert client_for(viewer).post("/w/acme/cities/schedule/", {"action": "delete"}).status_code == 403


def test_uploaded_datasets_have_no_refresh_panel(make_dataset, workspace, owner):
    make_dataset(workspace)
    assert "Scheduled refresh" not in client_for(owner).get("/w/acme/weather/").content.decode()
