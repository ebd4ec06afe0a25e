from django.core.management.base import BaseCommand, CommandError

from apps.datasets.backup import BackupError, restore_read


class Command(BaseCommand):
    help = "Restore a `manage.py backup` archive into an empty, migrated installation."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the archive `manage.py backup --out` wrote")

    def handle(self, *args, archive, **options):
        try:
            manifest = restore_read(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {archive} (made {manifest['created_at']}): {len(manifest['files'])} files.")
