from django.core.management.base import BaseCommand, CommandError

from apps.datasets.backup import BackupError, backup_write


class Command(BaseCommand):
    help = "Write one archive: a consistent database snapshot, every dataset file, a manifest with checksums."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, help="the archive to write (a .tar file)")

    def handle(self, *args, out, **options):
        try:
            manifest = backup_write(out)
        except BackupError as error:
            raise CommandError(str(error)) from None
        size = sum(item["size"] for item in manifest["files"])
        self.stdout.write(f"Wrote {out}: the database and {len(manifest['files'])} files ({size / 1e6:,.1f} MB).")
