"""Write the archive to one .tar.gz: the database as Django fixtures (so a
backup taken on SQLite restores on PostgreSQL and back) — articles, turns
and their permanent numbers, removed turns, old links, every version of
every article (django-reversion) — and every article's source file byte for
byte, so each transcript can also be re-imported on its own. The search
index is not in it: ``restore`` rebuilds it."""

import io
import json
import tarfile
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from reversion.models import Version

from archive.interviews.models import Article, Turn

# What the archive knows, its history included; not the index queue, sessions
# or permission rows (made again by migrate).
MODELS = ["auth.user", "auth.group", "interviews", "reversion", "admin.logentry"]


class Command(BaseCommand):
    help = "Back up the database and the transcripts' sources to a .tar.gz (restore with manage.py restore)."

    def add_arguments(self, parser):
        parser.add_argument("--output", default="backups", help="A folder (a dated file is made in it) or a .tar.gz path.")

    def handle(self, *args, output, **options):
        target = Path(output)
        if not target.name.endswith(".tar.gz"):
            target.mkdir(parents=True, exist_ok=True)
            target = target / f"archive-{timezone.now():%Y%m%d-%H%M%S}.tar.gz"
        partial = target.with_name(target.name + ".partial")
        with transaction.atomic():  # one consistent view (PostgreSQL: a snapshot; SQLite: a read lock)
            data = io.StringIO()
            call_command("dumpdata", *MODELS, natural_foreign=True, natural_primary=True, indent=1, stdout=data)
            manifest = {
                "made": timezone.now().isoformat(timespec="seconds"),
                "articles": Article.objects.count(),
                "turns": Turn.objects.count(),
                "versions": Version.objects.count(),
            }
            with tarfile.open(partial, "w:gz") as archive:
                _add(archive, "database.json", data.getvalue().encode())
                for slug, name, source in Article.objects.values_list("slug", "source_name", "source").iterator():
                    _add(archive, f"sources/{slug}{Path(name or '.txt').suffix or '.txt'}", bytes(source))
                _add(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
        partial.rename(target)  # a backup file is complete or absent
        if options["verbosity"]:
            self.stdout.write(f"Backed up {manifest['articles']} articles ({manifest['turns']} turns, {manifest['versions']} versions) to {target}")


def _add(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))
