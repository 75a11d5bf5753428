"""Make the search index match the database, cheaply when it already does.

``make run`` calls this on every start: it applies any queued updates, and
rebuilds from the database only when the index is missing, was written with
an older schema, or its document count disagrees with the number of turns
(after a crash, or a fresh data dir).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from archive.interviews.models import Turn
from archive.search.backend import search_backend
from archive.search.indexing import process_pending


class Command(BaseCommand):
    help = "Apply queued index updates; rebuild the index if it does not match the database."

    def handle(self, *args, **options):
        backend = search_backend()
        if not backend.schema_is_current():
            self.stdout.write("The index cannot be opened or was written with an older schema; rebuilding.")
            call_command("rebuild_index", interactive=False, verbosity=0)
        process_pending()
        indexed = backend.document_count()
        turns = Turn.objects.count()
        if indexed != turns:
            self.stdout.write(f"The index has {indexed} turns and the database {turns}; rebuilding.")
            call_command("rebuild_index", interactive=False, verbosity=0)
        elif options["verbosity"] > 1:
            self.stdout.write(f"The index is up to date ({turns} turns).")
