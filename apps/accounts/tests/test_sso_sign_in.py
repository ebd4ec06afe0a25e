"""services.sso_sign_in: who an OpenID Connect identity is in Datamill."""

import pytest

from apps.accounts import services
from apps.accounts.models import ExternalIdentity, User

ISSUER = "https://id.example.com"


def test_a_new_verified_identity_gets_an_account_and_its_personal_workspace(db):
    user = services.sso_sign_in(
        issuer=ISSUER, claims={"sub": "42", "email": "New@Example.com", "email_verified": True, "name": "Neo"}
    )
    assert user.email == "new@example.com" and user.name == "Neo"
    assert not user.has_usable_password()
    assert user.workspaces.get(is_personal=True)
    assert ExternalIdentity.objects.get(issuer=ISSUER, subject="42").user == user


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_unverified_email_neither_creates_nor_links(make_user, verified):
    existing = make_user("victim@example.com", password="a long password here")
    claims = {"sub": "7", "email": "victim@example.com"}
    if verified is not None:
        claims["email_verified"] = verified
    with pytest.raises(services.SignInRefused, match="did not confirm your e-mail address"):
        services.sso_sign_in(issuer=ISSUER, claims=claims)
    assert not ExternalIdentity.objects.exists()
    assert User.objects.filter(email="victim@example.com").get() == existing


def test_a_verified_email_links_the_existing_account_and_the_string_true_counts(make_user):
    existing = make_user("pat@example.com", password="a long password here")
    user = services.sso_sign_in(
        issuer=ISSUER, claims={"sub": "9", "email": "pat@example.com", "email_verified": "true"}
    )
    assert user == existing
    assert User.objects.count() == 1


def test_later_sign_ins_follow_the_subject_even_when_the_address_changes(db):
    first = services.sso_sign_in(issuer=ISSUER, claims={"sub": "5", "email": "a@example.com", "email_verified": True})
    again = services.sso_sign_in(issuer=ISSUER, claims={"sub": "5", "email": "renamed@example.com"})
    assert again == first
    assert ExternalIdentity.objects.get(subject="5").email == "renamed@example.com"
    # The same subject at another issuer is someone else.
    with pytest.raises(services.SignInRefused):
        services.sso_sign_in(issuer="https://other.example.com", claims={"sub": "5"})


def test_a_disabled_account_is_refused(db):
    user = services.sso_sign_in(issuer=ISSUER, claims={"sub": "3", "email": "d@example.com", "email_verified": True})
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(services.SignInRefused, match="disabled"):
        services.sso_sign_in(issuer=ISSUER, claims={"sub": "3"})


def test_no_subject_is_refused(db):
    with pytest.raises(services.SignInRefused, match="no subject"):
        services.sso_sign_in(issuer=ISSUER, claims={"email": "x@example.com", "email_verified": True})
