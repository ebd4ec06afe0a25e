"""The audit log: recorded by the services, read by owners through the API and the activity page."""

from apps.accounts import services as accounts
from apps.accounts.models import Role
from apps.audit.models import AuditEvent
from apps.dashboards import services as dashboards


def test_member_changes_are_recorded(owner, workspace, make_user):
    person = make_user("pat@example.com")
    accounts.membership_set(workspace=workspace, user=person, role=Role.VIEWER)
    accounts.membership_set(workspace=workspace, user=person, role=Role.EDITOR)
    accounts.membership_remove(workspace=workspace, user=person)
    actions = list(AuditEvent.objects.filter(workspace=workspace).values_list("action", flat=True))
    assert actions[:3] == ["member.removed", "member.role_changed", "member.added"]
    changed = AuditEvent.objects.get(action="member.role_changed")
    assert changed.details == {"from": "viewer", "to": "editor"} and changed.target_label == "pat@example.com"


def test_the_api_lists_newest_first(owner, workspace, make_user, token_client):
    api = token_client(owner)
    person = make_user("pat@example.com")
    accounts.membership_set(workspace=workspace, user=person, role=Role.VIEWER)
    dashboard = dashboards.dashboard_create(workspace=workspace, title="Ops", created_by=owner)
    link = dashboards.share_link_create(dashboard=dashboard, created_by=owner)
    dashboards.share_link_revoke(link=link)

    answer = api.get(f"/api/v1/workspaces/{workspace.slug}/audit/", REMOTE_ADDR="198.51.100.7")
    assert answer.status_code == 200
    events = answer.json()["results"]
    assert [e["action"] for e in events][:2] == ["share_link.revoked", "share_link.created"]
    assert events[0]["target"] == {"type": "dashboard", "id": str(dashboard.pk), "label": "Ops"}
    assert set(events[0]) == {"at", "actor", "action", "target", "details", "ip"}
    assert answer.json()["count"] >= 3

    only = api.get(f"/api/v1/workspaces/{workspace.slug}/audit/?action=share_link.created").json()["results"]
    assert [e["action"] for e in only] == ["share_link.created"]


def test_an_api_write_records_the_token_user_and_address(owner, workspace, token_client):
    api = token_client(owner)
    response = api.post("/api/v1/tokens/", {"name": "ci", "scope": "read"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 201
    event = AuditEvent.objects.filter(action="token.created").order_by("-id").first()
    assert event.actor == owner and event.ip == "198.51.100.9"
    assert event.workspace is None and event.details == {"scope": "read"}


def test_only_owners_read_the_log(workspace, editor, outsider, token_client):
    assert token_client(editor).get(f"/api/v1/workspaces/{workspace.slug}/audit/").status_code == 403
    missing = token_client(outsider).get(f"/api/v1/workspaces/{workspace.slug}/audit/")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_activity_page_for_owners_with_filters(client, owner, workspace, editor, make_user):
    person = make_user("pat@example.com")
    accounts.membership_set(workspace=workspace, user=person, role=Role.VIEWER)
    client.force_login(owner)
    page = client.get(f"/w/{workspace.slug}/activity/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Member added" in text and "pat@example.com" in text and "None" not in text
    filtered = client.get(f"/w/{workspace.slug}/activity/?action=token.revoked").content.decode()
    assert "Nothing recorded for this filter" in filtered
    client.force_login(editor)
    assert client.get(f"/w/{workspace.slug}/activity/").status_code == 403


def test_rows_cannot_be_changed_through_the_api(owner, workspace, token_client):
    api = token_client(owner)
    assert api.delete(f"/api/v1/workspaces/{workspace.slug}/audit/").status_code == 405


def test_dataset_and_version_events(owner, workspace, make_dataset, token_client):
    from apps.datasets import services as datasets
    from apps.datasets.models import Version

    dataset = make_dataset(workspace, title="Weather")
    datasets.dataset_update(dataset=dataset, title="Seattle weather", tags=["climate"])
    failed = Version.objects.create(dataset=dataset, number=2, source_kind="upload", source_name="w.csv")
    datasets.version_fail(version=failed, error="Line 3 has 5 fields, but the header has 4.")
    datasets.dataset_delete(dataset=dataset)
    events = {e.action: e for e in AuditEvent.objects.filter(workspace=workspace)}
    assert {"dataset.created", "version.ready", "dataset.updated", "version.failed", "dataset.deleted"} <= set(events)
    assert events["dataset.updated"].details == {"fields": ["tags", "title"]}
    assert events["version.failed"].details["version"] == 2
    assert "Line 3 has 5 fields" in events["version.failed"].details["error"]
    assert events["dataset.deleted"].target_label == "Seattle weather"  # still named after the dataset is gone
    assert events["dataset.created"].actor == owner
