"""``manage.py rebuild_index``: haystack's command, replaced by one that
rebuilds with a process per core and empties the update queue it covers."""

import time

from django.core.management.base import BaseCommand

from archive.search.indexing import REBUILD_PROCESSES, reindex_all


class Command(BaseCommand):
    help = "Rebuild the search index from the database."

    def add_arguments(self, parser):
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive", help="Accepted for haystack compatibility; nothing is asked.")
        parser.add_argument("--processes", type=int, default=REBUILD_PROCESSES)

    def handle(self, *args, processes, **options):
        started = time.perf_counter()
        count = reindex_all(procs=processes)
        if options["verbosity"]:
            self.stdout.write(f"Indexed {count:,} turns in {time.perf_counter() - started:.1f} s.")
