"""Delete rendition files that no rendition names (older than an hour): two jobs making the
same size of an image at once each wrote a file, and only one got its row (fixed since; this
clears what such races left on disk)."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from network.domain.images import orphan_renditions, remove_orphan_renditions


class Command(BaseCommand):
    help = "Delete rendition files that no rendition names (written more than an hour ago)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Only list them.")

    def handle(self, *args, dry_run=False, **options):
        older_than = timezone.now() - timedelta(hours=1)
        if dry_run:
            paths = orphan_renditions(older_than)
            for path in paths:
                self.stdout.write(path)
            self.stdout.write(f"{len(paths)} rendition files that no rendition names")
            return
        self.stdout.write(f"{remove_orphan_renditions(older_than)} rendition files deleted")
