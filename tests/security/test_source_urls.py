"""DESIGN.md, "Security rules that every feature keeps": secrets (tokens, passwords, keys in URLs) are never
shown to readers and never written to logs. A URL import's address is shown to readers without user name,
password or query string; editors see it whole where they manage it (the refresh schedule)."""

import logging

import pytest

from apps.datasets import url_import

SECRET_URL = "https://user:hunter2@data.example.com/exports/sales.csv?api_key=SECRET123"


@pytest.fixture
def imported(make_dataset, workspace, http):
    dataset = make_dataset(workspace, title="Sales", visibility="public")
    dataset.current_version.__class__.objects.filter(pk=dataset.current_version_id).update(
        source_kind="url", source_name=SECRET_URL
    )
    return dataset


def test_readers_see_the_source_url_redacted(imported, http, viewer, bearer):
    for session in (http, bearer(viewer, "read")):
        for path in (f"/api/v1/datasets/{imported.pk}/versions/", imported.get_absolute_url()):
            answer = session.get(path)
            assert answer.status_code == 200
            assert "SECRET123" not in answer.text and "hunter2" not in answer.text
    versions = http.get(f"/api/v1/datasets/{imported.pk}/versions/").json()["results"]
    assert versions[0]["source_name"] == "https://data.example.com/exports/sales.csv?…"


def test_editors_see_the_whole_url_in_the_schedule_and_readers_do_not(imported, editor, viewer, bearer):
    url = "https://data.example.com/exports/sales.csv?api_key=SECRET123"
    as_editor = bearer(editor)
    assert as_editor.put(f"/api/v1/datasets/{imported.pk}/schedule/", json={"url": url, "cron": "0 6 * * *"}).ok
    assert as_editor.get(f"/api/v1/datasets/{imported.pk}/schedule/").json()["url"] == url
    assert "SECRET123" not in bearer(viewer, "read").get(f"/api/v1/datasets/{imported.pk}/schedule/").text


def test_failed_downloads_neither_show_nor_log_the_key(monkeypatch, caplog, tmp_path):
    monkeypatch.setattr(url_import, "check_address", lambda address: None)
    with caplog.at_level(logging.DEBUG), pytest.raises(url_import.UrlImportError) as refused:
        url_import.download("http://127.0.0.1:9/data.csv?api_key=SECRET123", tmp_path / "out", max_bytes=10, timeout=2)
    assert "SECRET123" not in str(refused.value) and "127.0.0.1:9/data.csv?…" in str(refused.value)
    assert "SECRET123" not in caplog.text
