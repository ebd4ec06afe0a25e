from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from apps.accounts import services
from apps.accounts.models import Role, User, Workspace


class Command(BaseCommand):
    help = "Create an account (with its personal workspace), optionally adding it to a workspace."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--name", default="")
        parser.add_argument("--workspace", help="slug of a workspace to join; an owner creates it if missing")
        parser.add_argument("--role", choices=Role.values, default=Role.OWNER)
        parser.add_argument("--staff", action="store_true", help="also allow the admin site")

    @transaction.atomic
    def handle(self, *args, email, password, name, workspace, role, staff, **options):
        target = Workspace.objects.filter(slug=workspace).first() if workspace else None
        if workspace and target is None and role != Role.OWNER:
            raise CommandError(
                f"There is no workspace “{workspace}”. Create it by adding its owner first "
                f"(--workspace {workspace} --role owner)."
            )
        try:
            user = services.user_create(email=email, password=password, name=name)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if staff:
            User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
        if workspace:
            if target is None:
                target = services.workspace_create(name=workspace, slug=workspace, owner=user)
            else:
                services.membership_set(workspace=target, user=user, role=role)
            self.stdout.write(f"Created {user.email} ({role} of {target.slug}).")
        else:
            self.stdout.write(f"Created {user.email}.")
