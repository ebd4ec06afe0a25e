from django.core.management.base import BaseCommand, CommandError

from apps.datasets.backup import verify_versions
from apps.datasets.models import Version, VersionStatus


class Command(BaseCommand):
    help = "Check every ready version's file against its recorded checksum and row count."

    def handle(self, *args, **options):
        problems = verify_versions()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} version file(s) failed the check.")
        count = Version.objects.filter(status=VersionStatus.READY).count()
        self.stdout.write(f"All {count} ready versions match their checksums and row counts.")
