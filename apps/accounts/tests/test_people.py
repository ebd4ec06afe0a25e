"""Password reset by e-mail and workspace invitations, through the pages."""

import re
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone

from apps.accounts.models import Invitation, Membership, User

PASSWORD = "an old but long passphrase"
NEW_PASSWORD = "a brand new long passphrase"


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


@pytest.fixture
def person(make_user):
    return make_user("rosa@example.com", password=PASSWORD, name="Rosa")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Password reset


def test_reset_mails_a_link_and_says_the_same_for_unknown_addresses(client, person, mailoutbox):
    known = client.post("/accounts/password_reset/", {"email": "rosa@example.com"})
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.com"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/accounts/password_reset/done/"
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["rosa@example.com"]
    assert mailoutbox[0].subject == "Reset your Datamill password"
    done = client.get("/accounts/password_reset/done/").content.decode()
    assert "If an account uses that address" in done


def test_the_reset_link_sets_a_new_password_once(client, person, mailoutbox):
    client.post("/accounts/password_reset/", {"email": "ROSA@example.com"})
    link = link_in(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    done = client.post(set_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302 and done["Location"] == "/accounts/reset/done/"
    assert Client().post("/accounts/login/", {"email": "rosa@example.com", "password": NEW_PASSWORD}).status_code == 302
    assert Client().post("/accounts/login/", {"email": "rosa@example.com", "password": PASSWORD}).status_code == 200

    again = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in again


def test_a_reset_link_expires(client, person, mailoutbox, settings):
    client.post("/accounts/password_reset/", {"email": "rosa@example.com"})
    link = link_in(mailoutbox[0])
    later = datetime.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with mock.patch.object(default_token_generator, "_now", return_value=later):
        page = Client().get(link, follow=True).content.decode()
    assert "This link no longer works" in page


def test_a_weak_new_password_is_a_form_message(client, person, mailoutbox):
    client.post("/accounts/password_reset/", {"email": "rosa@example.com"})
    form_page = client.get(link_in(mailoutbox[0]), follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "123", "new_password2": "123"})
    assert response.status_code == 200
    assert "This password is too short" in response.content.decode()


# Invitations


def invite(owner_client, email, role="editor", slug="acme", capture=None):
    with capture(execute=True):
        return owner_client.post(f"/w/{slug}/invitations/", {"email": email, "role": role}, follow=True)


def test_an_owner_invites_a_new_address_who_signs_up_straight_into_the_workspace(
    owner, workspace, mailoutbox, django_capture_on_commit_callbacks
):
    page = invite(signed_in(owner), "newcomer@example.com", capture=django_capture_on_commit_callbacks)
    text = page.content.decode()
    assert "Invitation e-mailed to newcomer@example.com as editor." in text
    assert "newcomer@example.com" in text.split('id="invitations"')[1]  # listed among pending invitations
    assert len(mailoutbox) == 1
    link = link_in(mailoutbox[0])
    assert "/invite/" in link and "Acme Analytics" in mailoutbox[0].subject

    visitor = Client()
    landing = visitor.get(link).content.decode()
    assert "Join Acme Analytics" in landing and "Create your account" in landing
    joined = visitor.post(link, {"name": "Nia", "password": "newcomer long password"}, follow=True)
    assert "You joined Acme Analytics as editor." in joined.content.decode()
    user = User.objects.get(email="newcomer@example.com")
    assert Membership.objects.get(workspace=workspace, user=user).role == "editor"
    assert user.workspaces.filter(is_personal=True).exists()

    reused = Client().get(link)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()


def test_an_invitation_to_an_existing_account_adds_it_on_acceptance(
    owner, workspace, person, mailoutbox, django_capture_on_commit_callbacks
):
    invite(signed_in(owner), "rosa@example.com", role="viewer", capture=django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    assert not Membership.objects.filter(workspace=workspace, user=person).exists()  # not before acceptance

    anonymous = Client().get(link).content.decode()
    assert "Sign in to accept" in anonymous
    rosa = signed_in(person)
    assert "You are signed in as rosa@example.com" in rosa.get(link).content.decode()
    rosa.post(link)
    assert Membership.objects.get(workspace=workspace, user=person).role == "viewer"


def test_an_invitation_cannot_be_accepted_by_another_account(
    owner, workspace, person, outsider, mailoutbox, django_capture_on_commit_callbacks
):
    invite(signed_in(owner), "rosa@example.com", capture=django_capture_on_commit_callbacks)
    link = link_in(mailoutbox[0])
    response = signed_in(outsider).post(link)
    assert response.status_code == 400
    assert "This invitation was sent to rosa@example.com" in response.content.decode()
    assert not Membership.objects.filter(workspace=workspace, user=outsider).exists()


def test_expired_and_withdrawn_invitations_are_refused(
    owner, workspace, mailoutbox, django_capture_on_commit_callbacks
):
    owner_client = signed_in(owner)
    invite(owner_client, "late@example.com", capture=django_capture_on_commit_callbacks)
    invite(owner_client, "changed-mind@example.com", capture=django_capture_on_commit_callbacks)
    late_link, withdrawn_link = link_in(mailoutbox[0]), link_in(mailoutbox[1])

    Invitation.objects.filter(email="late@example.com").update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(late_link)
    assert expired.status_code == 410 and "has expired" in expired.content.decode()
    assert Client().post(late_link, {"password": "late long password"}).status_code == 410
    assert not User.objects.filter(email="late@example.com").exists()

    pk = Invitation.objects.get(email="changed-mind@example.com").pk
    page = owner_client.post(f"/w/acme/invitations/{pk}/revoke/", follow=True).content.decode()
    assert "its link no longer works" in page
    assert "changed-mind@example.com" not in page.split('id="invitations"')[1].split("</section>")[0]
    withdrawn = Client().get(withdrawn_link)
    assert withdrawn.status_code == 410 and "withdrawn" in withdrawn.content.decode()


def test_an_invitation_lasts_seven_days_and_a_new_one_replaces_the_old(
    owner, workspace, mailoutbox, django_capture_on_commit_callbacks
):
    owner_client = signed_in(owner)
    invite(owner_client, "twice@example.com", capture=django_capture_on_commit_callbacks)
    invite(owner_client, "twice@example.com", role="viewer", capture=django_capture_on_commit_callbacks)
    first, second = Invitation.objects.filter(email="twice@example.com").order_by("created_at")
    assert timedelta(days=6, hours=23) < second.expires_at - second.created_at <= timedelta(days=7)
    assert first.revoked_at is not None and second.revoked_at is None
    assert Client().get(link_in(mailoutbox[0])).status_code == 410
    assert Client().get(link_in(mailoutbox[1])).status_code == 200


def test_only_owners_invite_and_bad_input_is_a_form_message(
    owner, editor, workspace, django_capture_on_commit_callbacks
):
    assert (
        signed_in(editor).post("/w/acme/invitations/", {"email": "x@example.com", "role": "viewer"}).status_code == 403
    )
    response = signed_in(owner).post("/w/acme/invitations/", {"email": "editor@example.com", "role": "viewer"})
    assert response.status_code == 400
    assert "editor@example.com is already a member of this workspace." in response.content.decode()
    response = signed_in(owner).post("/w/acme/invitations/", {"email": "not-an-address", "role": "boss"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not Invitation.objects.exists()


def test_an_unknown_invitation_link_is_a_404_page(client, db):
    response = client.get("/invite/made-up-token/")
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_sending_and_withdrawing_invitations_is_in_the_audit_log(owner, workspace, django_capture_on_commit_callbacks):
    from apps.audit.models import AuditEvent

    owner_client = signed_in(owner)
    invite(owner_client, "audited@example.com", capture=django_capture_on_commit_callbacks)
    pk = Invitation.objects.get(email="audited@example.com").pk
    owner_client.post(f"/w/acme/invitations/{pk}/revoke/")
    events = AuditEvent.objects.filter(workspace=workspace, action__startswith="invitation.").order_by("at")
    assert [(e.action, e.actor_email, e.target_label) for e in events] == [
        ("invitation.sent", "owner@example.com", "audited@example.com to Acme Analytics as editor"),
        ("invitation.revoked", "owner@example.com", "audited@example.com to Acme Analytics as editor"),
    ]
