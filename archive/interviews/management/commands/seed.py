"""Load the seed interviews in fixtures/ when the archive is empty.

``make run`` calls this on every start, so it must do nothing to an archive
that already has articles (an editor's changes are never overwritten).
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.interviews.models import Article


class Command(BaseCommand):
    help = "Import fixtures/ if the archive has no articles yet."

    def handle(self, *args, **options):
        if Article.objects.exists():
            if options["verbosity"] > 1:
                self.stdout.write("The archive has articles; nothing to seed.")
            return
        call_command("import_transcripts", str(settings.BASE_DIR / "fixtures"), verbosity=options["verbosity"])
