"""Run the test OpenID Connect provider: migrate its own database, add users and Datamill's client, serve.

Configured by the environment: IDP_PORT, IDP_DB, IDP_CLIENT_ID, IDP_CLIENT_SECRET,
IDP_REDIRECT_URI and IDP_USERS (JSON: [{"username", "password", "email", "name", "verified"}]).
Listens on 127.0.0.1 only, until it is terminated.
"""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.servers.basehttp import run  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


def main() -> None:
    call_command("migrate", verbosity=0)
    for person in json.loads(os.environ.get("IDP_USERS", "[]")):
        User.objects.create_user(
            username=person["username"],
            password=person["password"],
            email=person["email"],
            first_name=person.get("name", ""),
            last_name="" if person.get("verified", True) else "unverified",
        )
    Application.objects.create(
        name="Datamill",
        client_id=os.environ["IDP_CLIENT_ID"],
        client_secret=os.environ["IDP_CLIENT_SECRET"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=os.environ["IDP_REDIRECT_URI"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    run("127.0.0.1", int(os.environ["IDP_PORT"]), get_wsgi_application(), threading=True)


if __name__ == "__main__":
    main()
