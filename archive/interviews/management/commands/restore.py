"""Load a backup made by ``manage.py backup`` into this database, then
rebuild the search index from it. All or nothing: a backup that does not
load leaves the database as it was."""

import json
import tarfile
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.interviews.models import Article, Turn
from archive.search.indexing import reindex_all


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup, and rebuild the search index."

    def add_arguments(self, parser):
        parser.add_argument("backup", help="The .tar.gz that manage.py backup wrote.")
        parser.add_argument("--replace", action="store_true", help="Delete the archive's current contents first.")

    def handle(self, *args, backup, replace, **options):
        path = Path(backup)
        try:
            with tarfile.open(path, "r:gz") as archive:
                manifest = json.load(archive.extractfile("manifest.json"))
                data = archive.extractfile("database.json").read()
        except (OSError, tarfile.TarError, KeyError, ValueError, AttributeError) as error:
            raise CommandError(f"{path}: not a backup made by manage.py backup ({error})") from None
        if Article.objects.exists() and not replace:
            raise CommandError(f"the archive already has {Article.objects.count()} articles; use --replace to overwrite them")
        with tempfile.TemporaryDirectory() as scratch, transaction.atomic():
            fixture = Path(scratch) / "database.json"
            fixture.write_bytes(data)
            if replace:
                call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(fixture), verbosity=0)
            counts = {"articles": Article.objects.count(), "turns": Turn.objects.count()}
            if counts != {key: manifest[key] for key in counts}:
                raise CommandError(f"{path}: the backup lists {manifest} but {counts} loaded; nothing was changed")
        indexed = reindex_all()
        if options["verbosity"]:
            self.stdout.write(f"Restored {counts['articles']} articles ({counts['turns']} turns) from {path}; indexed {indexed:,} turns.")
