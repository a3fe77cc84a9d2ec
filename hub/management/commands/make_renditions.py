"""Make every registered rendition of every image (after a broker outage, or once after an
upgrade that adds a size); what exists already is kept."""

from django.core.management.base import BaseCommand
from wagtail.images import get_image_model

from network.domain.images import make_renditions, registered_renditions


class Command(BaseCommand):
    help = "Make the image renditions the public pages show, so that no page request makes one."

    def handle(self, *args, **options):
        ids = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
        for image_id in ids:
            make_renditions(image_id)
        self.stdout.write(f"{len(ids)} images, {len(registered_renditions())} sizes each")
