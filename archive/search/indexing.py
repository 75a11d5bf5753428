"""Keeping the search index in step with the database.

Changes queue a ``PendingUpdate`` row in their own transaction; after commit,
``process_pending`` applies the queue with one writer at a time (a file lock
in the data directory), so Whoosh never sees two writers and a failed write
is retried on the next run rather than lost.
"""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F

from archive.search.backend import search_backend, turn_index
from archive.search.models import PendingUpdate

log = logging.getLogger(__name__)
REBUILD_PROCESSES = min(os.cpu_count() or 1, 4)  # Whoosh analyses and writes in Python: one per core


def queue(article_ids: Iterable[int]) -> None:
    """Mark articles for re-indexing, in the caller's transaction; index after commit."""
    PendingUpdate.objects.bulk_create(PendingUpdate(article_id=pk) for pk in set(article_ids))
    transaction.on_commit(process_pending)


@contextmanager
def _single_writer(wait: bool = False):
    path = Path(settings.DATA_DIR) / "index.lock"
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False  # another process is applying the queue and will see our rows
            return
        try:
            yield True
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def process_pending() -> int:
    """Apply queued updates; returns how many articles were re-indexed."""
    done = 0
    while PendingUpdate.objects.exists():
        with _single_writer() as writer:
            if not writer:
                return done
            while pending := list(PendingUpdate.objects.order_by("pk")[:100]):
                if not _apply(pending):
                    return done
                done += len({row.article_id for row in pending})
    return done


def _apply(pending: list[PendingUpdate]) -> bool:
    """Index one batch; on failure keep its rows queued with the error, for the next run."""
    article_ids = sorted({row.article_id for row in pending})
    rows = PendingUpdate.objects.filter(pk__in=[row.pk for row in pending])
    try:
        reindex_articles(article_ids)
    except Exception as error:
        log.exception("index update for articles %s failed; it stays queued", article_ids)
        rows.update(attempts=F("attempts") + 1, last_error=str(error)[:2000])
        return False
    rows.delete()
    return True


def reindex_articles(article_ids: list[int]) -> None:
    """Replace every search document of these articles with their current turns."""
    index = turn_index()
    turns = index.index_queryset().filter(article_id__in=article_ids)
    search_backend().write(index.documents(turns), delete=[("article", str(pk)) for pk in article_ids])


def reindex_all(procs: int = REBUILD_PROCESSES) -> int:
    """Rebuild the whole index from the database; returns the number of turns indexed.

    Runs under the writer lock, waiting for a queue run in progress; the
    queue is emptied first, since the rebuild covers whatever it held.
    """
    backend, index = search_backend(), turn_index()
    with _single_writer(wait=True):
        PendingUpdate.objects.all().delete()
        backend.clear()
        return backend.load(index.documents(index.index_queryset()), procs=procs)
