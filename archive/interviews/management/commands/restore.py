"""Load a backup made by ``manage.py backup`` into this database, history
included; the search index follows from the loaded rows (the update queue,
applied as one rebuild). All or nothing: a backup that does not load leaves
the database as it was.

A backup made before turns had permanent numbers is brought up to date as
it loads, as migration 0005 did for live archives: each turn is numbered
with its primary key and its /interviews/<slug>/<seq>/ link is kept."""

import json
import tarfile
from collections.abc import Iterable
import tempfile
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from archive.interviews.models import Article, Turn
from archive.search.backend import search_backend
from archive.search.indexing import process_pending


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
            fixture.write_text(json.dumps(with_turn_numbers(json.loads(data))), encoding="utf-8")
            if replace:
                call_command("flush", interactive=False, verbosity=0)
                ContentType.objects.clear_cache()  # flush made them again, under new ids
            call_command("loaddata", str(fixture), verbosity=0)
            counts = {"articles": Article.objects.count(), "turns": Turn.objects.count()}
            if counts != {key: manifest[key] for key in counts}:
                raise CommandError(f"{path}: the backup lists {manifest} but {counts} loaded; nothing was changed")
        process_pending()  # in case the queue was not applied on commit (inside a test's transaction)
        indexed = search_backend().document_count()
        if options["verbosity"]:
            self.stdout.write(f"Restored {counts['articles']} articles ({counts['turns']} turns) from {path}; indexed {indexed:,} turns.")


def with_turn_numbers(objects: list[dict]) -> list[dict]:
    """Number the turns of a backup from before permanent numbers, keeping
    each turn's old address; a newer backup is returned as it is."""
    turns = [o for o in objects if o["model"] == "interviews.turn" and "number" not in o["fields"]]
    if not turns:
        return objects
    slugs = {o["pk"]: o["fields"]["slug"] for o in objects if o["model"] == "interviews.article"}
    for turn in turns:
        turn["fields"]["number"] = turn["pk"]
    return [*objects, *_links(turns, slugs), {"model": "interviews.counter", "pk": "turn",
                                             "fields": {"value": max(turn["pk"] for turn in turns)}}]


def _links(turns: list[dict], slugs: dict) -> Iterable[dict]:
    for turn in turns:
        fields = {"slug": slugs[turn["fields"]["article"]], "seq": turn["fields"]["seq"], "number": turn["pk"]}
        yield {"model": "interviews.legacylink", "fields": fields}
