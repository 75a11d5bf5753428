"""Keeping the search index in step with the database.

Every write to an article's data announces the articles it touched
(``archive.interviews.signals.articles_changed``: model signals for saves
and deletes, the archive's QuerySets for bulk updates and inserts); ``queue``
listens (connected in ``archive.search.apps``). Nothing else calls it.

``queue`` writes a ``PendingUpdate`` row in the writer's transaction; after commit,
``process_pending`` applies the queue with one writer at a time (the
backend's ``single_writer``: for Whoosh a file lock in the data directory,
so it never sees two writers; for PostgreSQL an advisory lock in the
database, which every host shares), and a failed write is retried on the
next run rather than lost.

In the web server the queue is applied by a background thread per process
(``worker``, started by ``archive.wsgi``), so no request waits for Whoosh;
it also looks at the queue every ``POLL_SECONDS`` to retry failures and to
pick up rows a crashed process left. Elsewhere (management commands, the
test client) the queue is applied in the committing thread, so a command's
changes are searchable when it returns.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable

from django.db import close_old_connections, connection, connections, transaction
from django.db.models import F
from whoosh.query import Term

from archive.interviews.models import Article, Turn
from archive.search.backend import search_backend, turn_index
from archive.search.models import PendingUpdate

log = logging.getLogger(__name__)
REBUILD_PROCESSES = min(os.cpu_count() or 1, 4)  # Whoosh analyses and writes in Python: one per core (PostgreSQL's rebuild is one transaction)
POLL_SECONDS = 5
REBUILD_ABOVE = 100  # queued articles, and more than half of all, above which the queue is applied as a rebuild


def queue(article_ids: Iterable[int]) -> None:
    """Mark articles for re-indexing, in the caller's transaction; index after commit.

    An article already queued in this transaction is not queued again, so a
    save of 300 turns writes one row, not 300 (see ``_Apply``)."""
    ids = set(article_ids) - _queued_in_this_transaction()
    if not ids:
        return
    PendingUpdate.objects.bulk_create(PendingUpdate(article_id=pk) for pk in ids)
    transaction.on_commit(_Apply(ids))


def on_articles_changed(sender, article_ids, **kwargs) -> None:
    queue(article_ids)


class _Apply:
    """The after-commit step of one ``queue`` call, holding the ids it queued.

    Django drops an on-commit callback together with the savepoint it was
    registered in, exactly when the rows it queued are rolled back; so the
    callbacks still registered tell which articles this transaction has
    queued for good."""

    def __init__(self, ids: set[int]):
        self.ids = ids

    def __call__(self) -> None:
        # Applied: a later change to these articles in the same transaction
        # (possible only where callbacks run early, as in tests) queues anew.
        self.ids = set()
        connection._archive_queued = None
        if getattr(_applying, "elsewhere", False):
            return  # a bulk import applies its batches alongside (``Alongside``)
        if worker.enabled:
            worker.wake()
        else:
            process_pending()


def _queued_in_this_transaction() -> set[int]:
    if not connection.in_atomic_block:
        return set()
    callbacks = getattr(connection, "run_on_commit", [])  # [(savepoint ids, callback, robust)]
    # Django only appends to this list, and replaces it (a new list) when a
    # savepoint or the transaction rolls back; so the union stays right while
    # it is the same list at the same length. The cache holds the list itself,
    # so that a new list can never be mistaken for it. (A restore queues every
    # turn of every article: recounting each time would be quadratic.)
    cached = getattr(connection, "_archive_queued", None)
    if cached is None or cached[0] is not callbacks or cached[1] != len(callbacks):
        queued = set()
        for entry in callbacks:
            if isinstance(entry[1], _Apply):
                queued |= entry[1].ids
        cached = (callbacks, len(callbacks), queued)
        connection._archive_queued = cached
    return cached[2]


class IndexWorker:
    """A daemon thread that applies the queue whenever woken, and every
    ``POLL_SECONDS`` regardless. Started lazily on the first wake, so a
    server that forks its workers after loading the app gets one per worker."""

    def __init__(self):
        self.enabled = False
        self._wake = threading.Event()
        self._stopping: threading.Thread | None = None
        self._repair = False
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def enable(self) -> None:
        self.enabled = True

    def repair_soon(self) -> None:
        """A search found the index unreadable: rebuild it, off the request thread."""
        if self.enabled:
            self._repair = True
            self.wake()

    def wake(self) -> None:
        with self._start_lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="search-index-worker", daemon=True)
                self._thread.start()
        self._wake.set()

    def stop(self, timeout: float = 30) -> None:
        """Let the thread finish the batch it is writing, then end it."""
        thread, self._thread = self._thread, None
        if thread is not None:
            self._stopping = thread
            self._wake.set()
            thread.join(timeout)

    def _run(self) -> None:
        me = threading.current_thread()
        while True:
            self._wake.wait(POLL_SECONDS)
            self._wake.clear()
            if self._stopping is me:
                return
            try:
                close_old_connections()
                repair(force=self._repair)
                self._repair = False
                process_pending()
            except Exception:
                log.exception("applying the index queue failed; retrying in %s s", POLL_SECONDS)
            finally:
                connection.close()


worker = IndexWorker()


_applying = threading.local()


class Alongside:
    """A bulk import's batches indexed in a forked process while the import
    stores the next batch: the index write was two thirds of the importing
    process's time, with a core idle beside it (issue 16).

    After each batch commits, ``apply`` waits for the previous batch's
    process, then forks one that writes this batch's queued articles to the
    index (under the single-writer lock) and exits. It does not touch the
    queue: the importing process deletes the rows a process has applied
    once it has exited cleanly, so a failed write leaves them queued, and
    ``finish`` applies what is left the usual way. Only where forking is
    safe: a command (no web server's index thread), outside any transaction
    (its connections are closed before the fork and opened again after).
    Elsewhere ``apply`` does nothing and each commit is applied as always."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled and hasattr(os, "fork") and not worker.enabled and not connection.in_atomic_block
        self._child: tuple[int, list[int]] | None = None

    def __enter__(self) -> Alongside:
        if self.enabled:
            _applying.elsewhere = True
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self.enabled:
            _applying.elsewhere = False
            self._wait()
            if error is None:  # (interrupted, the rows stay queued for the next run)
                process_pending()

    def apply(self) -> None:
        if not self.enabled:
            return
        self._wait()
        rows = list(PendingUpdate.objects.values_list("pk", "article_id"))
        if not rows:
            return
        connections.close_all()  # the child opens its own; the parent's reopen when next used
        pid = os.fork()
        if pid == 0:  # pragma: no cover (the child's work is seen by the tests through the index)
            status = 1
            try:
                with _single_writer(wait=True):
                    reindex_articles(sorted({article for _, article in rows}))
                status = 0
            except BaseException:
                log.exception("indexing an import batch failed; it stays queued")
            finally:
                os._exit(status)
        self._child = (pid, [pk for pk, _ in rows])

    def _wait(self) -> None:
        if self._child is None:
            return
        (pid, rows), self._child = self._child, None
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            PendingUpdate.objects.filter(pk__in=rows).delete()


def _single_writer(wait: bool = False):
    return search_backend().single_writer(wait)


def process_pending() -> int:
    """Apply queued updates; returns how many articles were re-indexed. When
    most of the archive is queued (a restore, a bulk fix), one rebuild is
    cheaper than article after article."""
    done = 0
    while PendingUpdate.objects.exists():
        with _single_writer() as writer:
            if not writer:
                return done
            queued = PendingUpdate.objects.values("article_id").distinct().count()
            if queued > REBUILD_ABOVE and queued * 2 > Article.objects.count():
                _rebuild(REBUILD_PROCESSES)
                done += queued
                continue
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
    with _single_writer(wait=True):
        return _rebuild(procs)


def repair(force: bool = False) -> bool:
    """Rebuild the index if it cannot be read, or is empty while the archive
    is not (its directory was removed); ``force`` after a search failed on it.
    Returns whether it rebuilt. Several processes may ask at once: the first
    rebuilds, the others find a readable index when they get the lock."""
    if not force and index_is_sound():
        return False
    with _single_writer(wait=True):
        if index_is_sound(probe=True):
            return False
        log.warning("the search index is damaged or missing; rebuilding it from the database")
        _rebuild(REBUILD_PROCESSES)
        return True


def index_is_sound(probe: bool = False, documents: int | None = None) -> bool:
    """Whether the index opens and holds documents if the archive has turns;
    with ``probe``, also whether a search runs on it. ``documents``: the
    count a searcher already open gives (no need to open the index again)."""
    backend = search_backend()
    try:
        if documents is None:
            documents = backend.document_count()
        if documents == 0 and Turn.objects.exists() and not PendingUpdate.objects.exists():
            return False
        if probe:
            backend.find(Term("kind", "answer"), page_size=1, facets=())
    except Exception:
        return False
    return True


def _rebuild(procs: int) -> int:
    backend, index = search_backend(), turn_index()
    PendingUpdate.objects.all().delete()
    return backend.rebuild(index.documents(index.index_queryset()), procs=procs)
