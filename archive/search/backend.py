"""The search backends: what the rest of the archive asks of one
(``SearchBackend``), which one runs (``search_backend``, by the
``SEARCH_BACKEND`` setting), and the embedded default, Whoosh.

Haystack's Whoosh backend, fixed for Chinese and made fast.

The stock backend indexes the document field with a stemming analyzer that
sees a whole Chinese sentence as one word (so one-character queries find
nothing) and stores the full text a second time as a sortable column. Here
the searched fields are ``ChineseText`` (terms from ``analysis.positions``)
and not stored, the filter fields are exact sortable IDs (for filters and
facets), posting blocks are packed arrays (``postings.PackedCodec``), and ``find`` runs
a query built by ``archive.search.query`` through ``archive.search.matching``
with filters and facet counts.
"""

from __future__ import annotations

import fcntl
import io
import itertools
import logging
import os
import pickle
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from django.conf import settings
from haystack import connections
from haystack.backends.whoosh_backend import WhooshEngine, WhooshSearchBackend
from whoosh import writing
from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile
from whoosh.fields import ID, TEXT
from whoosh.reading import SegmentReader
from whoosh.searching import Searcher
from whoosh.writing import CLEAR, NO_MERGE

from archive.search import matching
from archive.search.analysis import ChineseAnalyzer
from archive.search.lexicon import Lexicon
from archive.search.postings import GroupedPool, PackedCodec, PositionArray, text_postings
from archive.search.scoring import ArchiveWeighting

log = logging.getLogger(__name__)
T = TypeVar("T")
BULK_CHUNK = 20_000  # documents per process per commit when rebuilding
BULK_MEMORY_MB = 1024  # per process: a chunk's postings fit, so Whoosh never spills them to disk
MERGE_BELOW = 10_000  # documents: a segment smaller than this is merged at a commit (see merge_small)
MERGE_AFTER = 3  # small segments at once
SEARCHED_FIELDS = ("names", "title")
EXACT_FIELDS = ("article", "kind", "speaker", "outlet", "published", "year", "script")  # published: YYYY-MM-DD
FACETS = ("speaker", "outlet", "year")


class SearchUnavailable(RuntimeError):
    """The index cannot be read (missing, corrupt, disk trouble); pages that
    do not search keep working, and the next update or a rebuild repairs it."""


@dataclass
class Found:
    ids: list[int]  # Turn primary keys, best first
    total: int
    facets: dict[str, dict[str, int]]
    matched: list[float] | None = None  # with at_least: the share of the query's words each holds


class SearchBackend:
    """What searching and indexing ask of a backend; Whoosh's (below) and
    PostgreSQL's (``archive.search.postgres``) answer alike, because both
    take the query trees ``archive.search.query`` builds and score them
    with ``archive.search.matching``'s evaluator.

    A *searcher* is one consistent view of the index, handed by
    ``retrying`` to the work done on it: its key (``snapshot_key``) changes
    whenever the index does, so answers kept for it stay true."""

    def find(self, query, *, filter_query=None, page: int = 1, page_size: int = 20, facets=FACETS,
             newest: bool | None = None, searcher=None, at_least=None) -> Found:
        raise NotImplementedError

    def retrying(self, work: Callable[[object], T]) -> T:
        """``work`` done with a searcher; ``SearchUnavailable`` if the index cannot be read."""
        raise NotImplementedError

    def snapshot_key(self, searcher) -> tuple:
        """What identifies this view of the index (for answers kept per process)."""
        raise NotImplementedError

    def vocabulary(self, searcher):
        """What the index holds, for reading pinyin (``archive.search.pinyin.Vocabulary``)."""
        raise NotImplementedError

    def documents_in(self, searcher) -> int:
        raise NotImplementedError

    def document_count(self) -> int:
        raise NotImplementedError

    def stored(self) -> dict[int, dict]:
        """Every document's exact fields (article, kind, speaker...) by turn
        id, as strings: for checking the index against the database."""
        raise NotImplementedError

    def write(self, documents: Iterable[dict], *, delete: Iterable[tuple[str, str]] = ()) -> int:
        """Delete the documents matching each (field, value) and add ``documents``, at once."""
        raise NotImplementedError

    def rebuild(self, documents: Iterable[dict], procs: int = 1) -> int:
        """Replace the whole index with ``documents``."""
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def single_writer(self, wait: bool = False):
        """A context manager yielding whether this process may write the
        index now (with ``wait``, once it may): one writer at a time."""
        raise NotImplementedError

    def schema_is_current(self) -> bool:
        raise NotImplementedError

    def warm_up(self) -> None:
        """Read ahead what searches need (a web process's start)."""

    def close_searchers(self) -> None:
        """Let go of what must not be shared across a fork (gunicorn's master)."""

    def open_searcher(self) -> None:
        """Open what the first search needs (a gunicorn worker, after the fork)."""


class ChineseText(TEXT):
    """A text field posted straight from ``analysis.positions``
    (``postings.text_postings``), its positions kept as arrays."""

    def __init__(self):
        super().__init__(analyzer=ChineseAnalyzer(), phrase=True, stored=False)
        self.format = PositionArray()

    def index(self, value, **kwargs):
        return text_postings(value)


class MappedFile(BufferFile):
    """A file inside a segment's compound file, read straight from the
    segment's memory map.

    Whoosh's ``BufferFile`` hands the map to a ``BytesIO``, which copies it:
    every searcher copied every segment's postings, terms and stored fields
    into its own memory when it opened them (3 GB per searcher at a million
    turns, and a process keeps a searcher per busy thread). Read through
    the map, the pages stay the kernel's page cache, shared by every
    process and searcher, and only those a search touches are read."""

    def __init__(self, buf, name=None, onclose=None):
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _MapReader(buf)

    def read_pickle(self):
        """A pickle from a small window of the map (a posting block's header
        is a few dozen bytes): unpickling straight from the file calls
        ``read`` for every few bytes."""
        size = 256
        while True:
            window = io.BytesIO(self.file.peek(size))
            try:
                value = pickle.load(window)
            except (EOFError, pickle.UnpicklingError):
                if size >= self.file.left():
                    raise
                size *= 16
                continue
            self.file.seek(window.tell(), os.SEEK_CUR)
            return value


class _MapReader:
    """The reading half of a file object over a memoryview, without a copy."""

    def __init__(self, view: memoryview):
        self._view, self._at = view, 0

    def read(self, size: int | None = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(self._at + size, len(self._view))
        data = bytes(self._view[self._at : end])
        self._at = max(self._at, end)
        return data

    def peek(self, size: int) -> bytes:
        return bytes(self._view[self._at : self._at + size])

    def left(self) -> int:
        return len(self._view) - self._at

    def readline(self, size: int | None = -1) -> bytes:
        rest = bytes(self._view[self._at : len(self._view) if size is None or size < 0 else self._at + size])
        line = rest[: rest.find(b"\n") + 1 or len(rest)]
        self._at += len(line)
        return line

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._at, os.SEEK_END: len(self._view)}[whence]
        self._at = max(0, base + offset)
        return self._at

    def tell(self) -> int:
        return self._at

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self._view = memoryview(b"")


# Whoosh 2.7 is pinned (see matching.py): its compound storage makes every
# file it opens from a memory map with this name.
compound.BufferFile = MappedFile
# ... and every segment writer gathers its postings in a pool of this name.
writing.PostingPool = GroupedPool


class SearcherPool:
    """The searchers of one index, shared by every thread of a process.

    Opening a searcher reads every segment's tables (about a hundred
    milliseconds at 100,000 turns), so no request should; but a Whoosh
    reader moves the read position of the files it holds open, so two
    threads must not use one searcher at once. A thread takes an idle
    searcher, brought up to date with the index (``refresh`` keeps the
    readers of segments that did not change), and gives it back after; only
    when every searcher is busy is another opened. Searchers used to be
    kept per thread, and runserver starts a thread per request, so every
    request opened the index. ``delete_index`` keeps index generations
    rising, so an unchanged generation means an unchanged index.
    """

    def __init__(self):
        self._idle: list[Searcher] = []
        self._lock = threading.Lock()

    def acquire(self, index) -> Searcher:
        with self._lock:
            searcher = self._idle.pop() if self._idle else None
        if searcher is None:
            return index.searcher(weighting=ArchiveWeighting())
        try:
            return searcher.refresh()
        except Exception:
            _close(searcher)
            raise

    def release(self, searcher: Searcher, healthy: bool = True) -> None:
        """Give a searcher back; one that failed is closed instead (the next
        search opens a fresh one)."""
        if not healthy:
            _close(searcher)
            return
        with self._lock:
            self._idle.append(searcher)

    def clear(self) -> None:
        """Close every idle searcher (the index was replaced or failed)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for searcher in idle:
            _close(searcher)


def _close(searcher: Searcher) -> None:
    try:
        searcher.close()
    except Exception:
        log.debug("closing a searcher failed", exc_info=True)


_pools: dict[str, SearcherPool] = {}
_pools_lock = threading.Lock()


def _pool(path: str) -> SearcherPool:
    with _pools_lock:
        return _pools.setdefault(path, SearcherPool())


class ChineseWhooshBackend(WhooshSearchBackend, SearchBackend):
    def build_schema(self, fields):
        content_field_name, schema = super().build_schema(fields)
        for name in (content_field_name, *SEARCHED_FIELDS):
            schema.remove(name)
            schema.add(name, ChineseText())
        for name in EXACT_FIELDS:
            if name in schema:
                schema.remove(name)
                schema.add(name, ID(stored=True, sortable=True))
        return content_field_name, schema

    @contextmanager
    def searching(self) -> Iterator[Searcher]:
        """A searcher of the current index, this thread's until the block
        ends; ``SearchUnavailable`` if the index cannot be opened, even
        afresh."""
        searcher = self._acquire()
        try:
            yield searcher
        except BaseException:
            _pool(self.path).release(searcher, healthy=False)
            raise
        _pool(self.path).release(searcher)

    def _acquire(self) -> Searcher:
        for attempt in (1, 2):
            try:
                if not self.setup_complete:
                    self.setup()
                return _pool(self.path).acquire(self.index)
            except Exception as error:
                self._forget_searchers()
                if attempt == 2:
                    log.exception("the search index cannot be opened")
                    raise SearchUnavailable(str(error)) from error

    def _forget_searchers(self) -> None:
        _pool(self.path).clear()
        self.setup_complete = False

    def retrying(self, work: Callable[[Searcher], T]) -> T:
        """``work`` done with a pooled searcher; a failure is tried once more
        on a freshly opened index (a commit that merged segments can delete
        files a searcher was about to read), then reported as
        ``SearchUnavailable``. ``matching.Unsupported`` is a bug and is
        raised as it is."""
        for attempt in (1, 2):
            try:
                with self.searching() as searcher:
                    return work(searcher)
            except (matching.Unsupported, SearchUnavailable):
                raise
            except Exception as error:
                self._forget_searchers()
                if attempt == 2:
                    log.exception("search failed twice; the index may be damaged")
                    raise SearchUnavailable(str(error)) from error
                log.warning("search failed (%s: %s); reopening the index", type(error).__name__, error)

    def find(
        self, query, *, filter_query=None, page: int = 1, page_size: int = 20, facets=FACETS, newest: bool | None = None, searcher=None, at_least=None
    ) -> Found:
        """Run the query, best first, or by date (``newest`` True or False:
        newest or oldest first, undated last), on ``searcher`` (the caller's,
        inside its ``retrying``) or on a pooled one, retrying as ``retrying``
        does."""
        if searcher is not None:
            return self._find(searcher, query, filter_query, page, page_size, facets, newest, at_least)
        return self.retrying(lambda fresh: self._find(fresh, query, filter_query, page, page_size, facets, newest, at_least))

    def _find(self, searcher: Searcher, query, filter_query, page: int, page_size: int, facets, newest: bool | None, at_least) -> Found:
        start = (page - 1) * page_size
        limit = start + page_size if newest is None else None  # by date: every match is ordered
        result = matching.search(searcher, query, filter_query, tuple(facets), limit=limit, at_least=at_least)
        docs = result.docs if newest is None else matching.by_column(searcher, result.docs, "published", newest)
        ids = [int(searcher.stored_fields(int(doc))["django_id"]) for doc in docs[start : start + page_size]]
        matched = None if result.matched is None or newest is not None else result.matched[start : start + page_size].tolist()
        return Found(ids=ids, total=result.total, facets=result.facets, matched=matched)

    def snapshot_key(self, searcher: Searcher) -> tuple:
        reader = searcher.reader()
        segments = tuple(segment.segment_id() for leaf, _ in reader.leaf_readers() if (segment := leaf.segment()) is not None)
        return self.path, reader.generation(), segments

    def vocabulary(self, searcher: Searcher) -> Lexicon:
        return Lexicon.of(searcher)

    def documents_in(self, searcher: Searcher) -> int:
        return searcher.doc_count()

    @contextmanager
    def single_writer(self, wait: bool = False) -> Iterator[bool]:
        """Whoosh allows one writer per index: a file lock in the data
        directory, so that no two processes apply the queue at once."""
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

    def rebuild(self, documents: Iterable[dict], procs: int = 1) -> int:
        self.clear()
        return self.load(documents, procs=procs)

    def warm_up(self) -> None:
        """Read what every search needs from each segment now, if there is
        an index to read (a web worker's start)."""
        try:
            if not self.setup_complete:
                self.setup()
            # A searcher of its own, closed after: one kept open in gunicorn's
            # master would hold merged-away segment files on disk for good.
            with self.index.refresh().searcher(weighting=ArchiveWeighting()) as searcher:
                matching.warm_up(searcher, (*FACETS, "kind"), (self.content_field_name, *SEARCHED_FIELDS))
                Lexicon(searcher).characters()  # per segment, for reading pinyin
        except Exception:
            log.warning("the search index could not be read ahead of searches", exc_info=True)

    def close_searchers(self) -> None:
        """Close this process's idle searchers (gunicorn's master, before it
        forks: searchers hold open files, which forked processes must not
        share)."""
        _pool(self.path).clear()

    def open_searcher(self) -> None:
        """Open this process's first pooled searcher now (a gunicorn worker,
        after the fork: searchers hold open files, which forked processes
        must not share), so that no reader waits for it."""
        try:
            with self.searching():
                pass
        except SearchUnavailable:
            log.warning("the search index could not be opened ahead of searches")

    def clear(self, models=None, commit=True):
        """Empty the whole index even when it cannot be opened (haystack's
        ``clear`` opens it first, and fails on a corrupt one)."""
        if models:
            return super().clear(models, commit)
        self.delete_index()

    def delete_index(self):
        """Empty the index in a commit, so its generation keeps rising (see
        ``searcher``); haystack deletes the directory. A broken index is
        still deleted outright."""
        _pool(self.path).clear()
        if self.setup_complete and os.path.exists(self.path):
            try:
                self.index = self.index.refresh()
                self.index.writer(codec=PackedCodec()).commit(mergetype=CLEAR)
                return
            except Exception:
                log.warning("could not empty the search index in place; deleting it", exc_info=True)
        super().delete_index()

    def update(self, index, iterable, commit=True):
        """haystack's entry point (``update_index``): replace these turns'
        documents, in the index the archive searches (``SEARCH_BACKEND``)."""
        pks = [obj.pk for obj in iterable]
        search_backend().write(index.documents(index.index_queryset().filter(pk__in=pks)), delete=[("django_id", str(pk)) for pk in pks])

    def write(self, documents: Iterable[dict], *, delete: Iterable[tuple[str, str]] = ()) -> int:
        """Delete the documents matching each (field, value) and add ``documents``,
        in one commit. Returns the number of documents added."""
        with self._writer(limitmb=BULK_MEMORY_MB) as writer:
            if delete := list(delete):
                # One searcher for them all: Whoosh opens one per deletion
                # otherwise (every segment's files, for each of an import
                # batch's hundred articles).
                with writer.searcher() as searcher:
                    for field, value in delete:
                        writer.delete_by_term(field, value, searcher=searcher)
            return _add(writer, documents)

    def load(self, documents: Iterable[dict], *, procs: int = 1, chunk: int = BULK_CHUNK) -> int:
        """Add many documents to an index being rebuilt, ``procs`` processes
        side by side, one commit (and a new segment per process) every
        ``chunk`` documents per process: each chunk's postings are sorted in
        memory (Whoosh spilling them to disk halves the rate), and memory
        stays bounded however large the archive. Returns the number added."""
        added, documents = 0, iter(documents)
        while batch := list(itertools.islice(documents, chunk * procs)):
            options = {"procs": procs, "multisegment": True, "batchsize": 250} if procs > 1 else {}
            with self._writer(limitmb=BULK_MEMORY_MB, merge=False, **options) as writer:
                added += _add(writer, batch)
        return added

    @contextmanager
    def _writer(self, merge: bool = True, **options):
        if not self.setup_complete:
            self.setup()
        self.index = self.index.refresh()
        writer = self.index.writer(codec=PackedCodec(), **options)
        try:
            yield writer
            writer.commit(mergetype=merge_small if merge else NO_MERGE)
        except BaseException:
            _abandon(writer)
            raise

    def schema_is_current(self) -> bool:
        """Whether the index on disk opens and was written with this code's
        schema (a changed schema needs a rebuild: old postings are in the old
        form; so does one whose segments another codec wrote, or an unreadable
        one)."""
        try:
            if not self.setup_complete:
                self.setup()
            index = self.storage.open_index()
            packed = all(isinstance(segment.codec(), PackedCodec) for segment in index._segments())
            return packed and _signature(index.schema) == _signature(self.schema)
        except Exception:
            log.warning("the search index cannot be opened", exc_info=True)
            self.setup_complete = False
            return False

    def stored(self) -> dict[int, dict]:
        with self.searching() as searcher:
            return {int(fields["django_id"]): fields for fields in searcher.all_stored_fields()}

    def document_count(self) -> int:
        """Documents in the current index, from a pooled searcher (Whoosh's
        ``Index.doc_count`` opens a reader of every segment each time: /healthz
        took 30 ms)."""
        with self.searching() as searcher:
            return searcher.doc_count()


def merge_small(writer, segments: list) -> list:
    """The merge policy of every commit that may merge: the small segments
    (an editor's save makes one) are merged into the one being written once
    there are ``MERGE_AFTER`` of them, and so is a segment mostly deleted
    (re-indexed elsewhere); large segments are left as they are. Returns the
    segments kept.

    Whoosh's default policy merges every segment below a point on a
    Fibonacci curve: once an archive held 25 segments of an import's
    batches (half a million turns), each later batch's commit rewrote half
    the index in Python (a batch of 20,000 turns took minutes instead of
    seconds). Searching reads segment by segment, and 50 segments per
    million turns cost it little."""
    small = [segment for segment in segments if segment.doc_count_all() < MERGE_BELOW]
    merged = [segment for segment in segments
              if segment.deleted_count() * 2 > segment.doc_count_all() or len(small) >= MERGE_AFTER and segment in small]
    for segment in merged:
        reader = SegmentReader(writer.storage, writer.schema, segment)
        writer.add_reader(reader)
        reader.close()
    return [segment for segment in segments if segment not in merged]


def _signature(schema) -> list[tuple]:
    """What a schema indexes and stores, comparable (Whoosh's column objects are not)."""
    return [
        (name, type(field).__name__, type(field.format).__name__, field.stored, type(field.column_type).__name__)
        for name, field in sorted(schema.items())
    ]


def _abandon(writer) -> None:
    """Give up a writer whose documents or commit failed, always releasing
    Whoosh's write lock: a commit that failed half-way (a full disk) makes
    ``cancel`` fail too, and a lock left held would refuse every later write
    from this process. The files it wrote are unreferenced and go at the
    next commit."""
    try:
        writer.cancel()
    except Exception:
        log.warning("cancelling a failed index write failed too", exc_info=True)
    finally:
        lock = getattr(writer, "writelock", None)
        if lock is not None and not getattr(writer, "is_closed", True):
            lock.release()
            writer.is_closed = True


def _add(writer, documents: Iterable[dict]) -> int:
    count = 0
    for count, document in enumerate(documents, 1):
        writer.add_document(**document)
    return count


class ChineseWhooshEngine(WhooshEngine):
    backend = ChineseWhooshBackend


_backend: ChineseWhooshBackend | None = None


def search_backend() -> SearchBackend:
    """The process's backend, as ``settings.SEARCH_BACKEND`` says."""
    if settings.SEARCH_BACKEND == "postgres":
        from archive.search.postgres import backend

        return backend
    return whoosh_backend()


def whoosh_backend() -> ChineseWhooshBackend:
    """The process's Whoosh backend. haystack makes one per thread, and runserver
    starts a thread per request, so each request set it up again (opening
    the index's table of contents); searchers are pooled per process anyway."""
    global _backend
    with _pools_lock:
        if _backend is None or _backend.path != connections["default"].options["PATH"]:
            _backend = connections["default"].get_backend()
        return _backend


def turn_index():
    """The haystack SearchIndex for turns."""
    from archive.interviews.models import Turn

    return connections["default"].get_unified_index().get_index(Turn)
