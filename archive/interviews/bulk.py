"""Importing many transcripts at once: ``import_many``, which
``manage.py import_transcripts`` and the admin's "import the checked
uploads" both call.

Each source goes the one way in (``importer.parse_source``, ``plan``,
``apply``), in order, with what one file at a time would do: the same bytes
are "unchanged", a corrected source is aligned with its stored turns and
editors' changes are kept or taken as ``prefer`` says. What changes is the
work around it:

- **Parsing on every core.** The parser is pure Python (format readers,
  cleanup rules, labelling) and was a quarter of an import's time. Worker
  processes (``processes``) read and parse the files ahead of the main
  process, which alone writes to the database. They are started fresh
  (``spawn``), not forked: a forked copy of a process holding a database
  connection or threads (a web server's) is not safe.
- **What the parser is told.** A file is parsed against the speakers and
  outlets the archive knows (a label that names a known speaker is a
  speaker's even if it occurs once). A worker parses a little ahead, so it
  may not know a speaker an earlier file of the run has just added; where
  such a name appears in what it parsed, the file is parsed again in the
  main process with the names as they are then, exactly as one file at a
  time would have been.
- **Batches.** Files are stored in transactions of about ``BATCH_TURNS``
  turns, each file in a savepoint of its own: a file that fails rolls back
  alone and is reported, and the batch goes on. The index queue
  (``archive.search.indexing``) holds one row per article per transaction,
  and is applied once per batch, in commits of many articles, instead of a
  Whoosh commit (and a merge) per file; where the files are parsed in
  worker processes, each batch is indexed in a forked process while the
  next is stored (``indexing.Alongside``: the index write was two thirds of
  the storing process's time, with the other core mostly idle).
"""

from __future__ import annotations

import functools
import multiprocessing
import os
import pickle
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import django
from django.db import transaction

from archive.interviews.importer import EDITOR, ImportResult, Known, NewOutlet, Overrides, import_parsed, parse_source, too_large
from archive.lib.chinese import fold
from archive.lib.transcript import ParsedArticle, Role, TranscriptError, readers
from archive.search import indexing

BATCH_TURNS = 20_000  # turns per transaction: one index update per batch (a commit of up to 100 articles each)
PARALLEL_FROM = 8  # files: fewer are parsed in the main process (starting a worker takes about a second)
AHEAD_PER_PROCESS = 4  # files each worker may have parsed ahead of the main process (memory stays bounded)


@dataclass(frozen=True)
class Source:
    """A transcript to import: a file, a member of a zip file, or bytes in
    hand (an admin upload), with an editor's corrections if any."""

    name: str
    path: Path | None = None
    member: str | None = None  # within the zip file at ``path``
    data: bytes | None = None
    overrides: Overrides | None = None

    def read(self, limit: int) -> bytes:
        if self.data is not None:
            return self.data
        if self.member is None:
            return self.path.read_bytes()
        with zipfile.ZipFile(self.path) as archive:
            info = archive.getinfo(self.member)
            if info.file_size > limit:  # before reading it: a zip can claim anything
                raise too_large(info.file_size, limit)
            return archive.read(info)


def sources_in(paths: Iterable[str | Path]) -> list[Source]:
    """Every transcript in these files, folders (searched through) and zip
    files, in order; a file that is not there is listed, to fail by name."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            for file in sorted(p for p in path.rglob("*") if p.is_file()):
                if readers.accepts(file.name) or _is_zip(file):
                    found += _members(file) if _is_zip(file) else [Source(str(file), path=file)]
        elif _is_zip(path):
            found += _members(path)
        else:
            found.append(Source(str(path), path=path))
    return found


def _is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def _members(path: Path) -> list[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = [info.filename for info in archive.infolist() if not info.is_dir() and readers.accepts(info.filename)]
    except (zipfile.BadZipFile, OSError):
        return [Source(str(path), path=path)]  # fails by name when read
    return [Source(f"{path}/{name}", path=path, member=name) for name in sorted(names)]


@dataclass
class Outcome:
    """What became of one source: its import's result, or why it failed."""

    source: Source
    result: ImportResult | None = None
    error: TranscriptError | OSError | None = None

    @property
    def failed(self) -> bool:
        return self.error is not None

    @property
    def reason(self) -> str:
        error = self.error
        return (error.strerror or str(error)) if isinstance(error, OSError) else str(error)


def import_many(
    sources: Iterable[Source],
    *,
    prefer: str = EDITOR,
    user=None,
    processes: int | None = None,
    batch_turns: int = BATCH_TURNS,
    progress: Callable[[Outcome], None] | None = None,
) -> Iterator[Outcome]:
    """Import ``sources`` in order, parsed by ``processes`` worker processes
    (by default one per core when there are ``PARALLEL_FROM`` files or more;
    1 parses in this process), stored in batches of about ``batch_turns``
    turns. Yields each source's outcome once its batch is committed, and
    calls ``progress`` with each as it is stored; everything is indexed
    when the iteration ends."""
    sources = list(sources)
    if processes is None:
        processes = (os.cpu_count() or 1) if len(sources) >= PARALLEL_FROM else 1
    names = _Names()
    with _Parsing(processes, names) as parsing, indexing.Alongside(enabled=processes > 1) as index:
        parsed = parsing.parse(sources)
        while batch := _store_batch(parsed, names, batch_turns, prefer, user, progress):
            index.apply()
            yield from batch


@dataclass
class _Parsed:
    """A source as a worker read it: its bytes and what the parser made of
    them, or why it could not; and how many of the names the run added the
    parser knew (None: parsed with all of them, in this process)."""

    source: Source
    data: bytes = b""
    parsed: ParsedArticle | None = None
    error: TranscriptError | OSError | None = None
    seen: int | None = None


def _store_batch(parsed: Iterator[_Parsed], names: _Names, batch_turns: int, prefer: str, user,
                 progress: Callable[[Outcome], None] | None) -> list[Outcome]:
    """Store parsed sources in one transaction until it holds ``batch_turns``
    turns; each source in a savepoint of its own, so that one that fails
    leaves the others in."""
    batch, turns = [], 0
    with transaction.atomic():
        for item in parsed:
            outcome = _store(item, names, prefer, user)
            batch.append(outcome)
            if progress:
                progress(outcome)
            if outcome.result is not None:
                turns += len(outcome.result.parsed.turns)
            if turns >= batch_turns:
                break
    return batch


def _store(item: _Parsed, names: _Names, prefer: str, user) -> Outcome:
    """Plan and apply one parsed source, in a savepoint."""
    source, parsed = item.source, item.parsed
    if item.error is not None:
        return Outcome(source, error=item.error)
    try:
        if item.seen is not None and names.mentioned_since(item.seen, parsed):
            parsed = parse_source(item.data, source.overrides, name=source.name, known=names.known())  # as one at a time reads it
        with transaction.atomic():
            result = import_parsed(parsed, item.data, name=source.name, overrides=source.overrides, prefer=prefer, user=user)
    except TranscriptError as error:
        return Outcome(source, error=error)
    names.learn(result)
    return Outcome(source, result=result)


class _Names:
    """The speakers' and outlets' names the parser is told, kept up to date
    as the run adds to them (from what each stored file names, rather than
    asking the database again after every file)."""

    def __init__(self):
        known = Known.now()
        self.speakers, self.outlets, self.limit = list(known.speakers), list(known.outlets), known.limit
        self._folded = {fold(name) for name in (*self.speakers, *self.outlets)}
        self.added: list[str] = []  # folded, in the order the run added them

    def known(self) -> Known:
        return Known(tuple(self.speakers), tuple(self.outlets), self.limit)

    def learn(self, result: ImportResult) -> None:
        """The names storing this result added, as ``importer.apply`` adds
        them: every speaker's, a new outlet's, and the outlet's short names
        its own interviewers taught it."""
        if result.status == "unchanged":
            return
        for speaker in result.parsed.speakers:
            self._add(self.speakers, speaker.name)
        if isinstance(outlet := result.plan.values.get("outlet_id"), NewOutlet):
            self._add(self.outlets, outlet.name)
        if result.article.outlet_id is not None:
            for speaker in result.parsed.speakers:
                if speaker.is_outlet and speaker.role is Role.ASKS:
                    self._add(self.outlets, speaker.name)

    def _add(self, names: list[str], name: str) -> None:
        if name not in names:
            names.append(name)
        if (key := fold(name)) not in self._folded:
            self._folded.add(key)
            self.added.append(key)

    def mentioned_since(self, seen: int, parsed: ParsedArticle) -> bool:
        """Whether a name added after the first ``seen`` appears in what was
        parsed without it: its text, labels or title. A name that appears
        nowhere in a transcript cannot have changed how it was read (the
        parser only compares labels it finds with the known names)."""
        new = self.added[seen:]
        if not new:
            return False
        text = fold("\n".join([parsed.title, *(turn.text for turn in parsed.turns), *(f"{s.label} {s.name}" for s in parsed.speakers)]))
        return any(name in text for name in new)


class _Parsing:
    """Reads and parses sources, in worker processes or in this one, and
    gives them back in order. At most ``AHEAD_PER_PROCESS`` files per worker
    wait parsed, so memory stays bounded however many files there are."""

    def __init__(self, processes: int, names: _Names):
        self.processes, self.names = processes, names
        self._pool = None
        self._scratch = None
        self._written: tuple[Path, int] | None = None

    def __enter__(self) -> _Parsing:
        if self.processes > 1:
            # Fresh interpreters that set Django up themselves (``spawn``), not
            # forks of this one: see the module's docstring.
            self._pool = multiprocessing.get_context("spawn").Pool(self.processes, initializer=django.setup)
            self._scratch = tempfile.TemporaryDirectory(prefix="archive-import-")
        return self

    def __exit__(self, kind, error, traceback) -> None:
        if self._pool is not None:
            if error is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._scratch.cleanup()

    def parse(self, sources: list[Source]) -> Iterator[_Parsed]:
        if self._pool is None:
            for source in sources:
                yield _parsed(source, _parse(source, self.names.known()))
            return
        waiting: deque = deque()
        ahead = self.processes * AHEAD_PER_PROCESS
        for source in sources:
            path, seen = self._known_path(ahead)
            waiting.append((source, seen, self._pool.apply_async(_parse_in_worker, (source, path))))
            if len(waiting) >= ahead:
                yield self._next(waiting)
        while waiting:
            yield self._next(waiting)

    @staticmethod
    def _next(waiting: deque) -> _Parsed:
        source, seen, result = waiting.popleft()
        return _parsed(source, result.get(), seen)

    def _known_path(self, every: int) -> tuple[Path, int]:
        """The file holding the names for workers to parse against: written
        again once the run has added names, at most every ``every`` files
        (each is read once per worker; staleness is caught by
        ``mentioned_since``)."""
        added = len(self.names.added)
        if self._written is None or (added > self._written[1] and self._since_written >= every):
            path = Path(self._scratch.name) / f"known-{added}.pickle"
            path.write_bytes(pickle.dumps(self.names.known(), pickle.HIGHEST_PROTOCOL))
            self._written, self._since_written = (path, added), 0
        self._since_written += 1
        return self._written


def _parsed(source: Source, answer: tuple, seen: int | None = None) -> _Parsed:
    read, failure = answer
    if failure is None:
        return _Parsed(source, data=read[1], parsed=read[0], seen=seen)
    kind, template, params = failure
    return _Parsed(source, error=TranscriptError(template, **params) if kind == "transcript" else OSError(0, template))


def _parse(source: Source, known: Known) -> tuple[tuple[ParsedArticle, bytes] | None, tuple | None]:
    """((parsed, bytes), None), or (None, why it failed) in a form that
    crosses processes (a TranscriptError's template and values)."""
    try:
        data = source.read(known.limit)
        return (parse_source(data, source.overrides, name=source.name, known=known), data), None
    except TranscriptError as error:
        return None, ("transcript", error.template, error.params)
    except OSError as error:
        return None, ("os", error.strerror or str(error), {})


def _parse_in_worker(source: Source, known_path: Path) -> tuple:
    return _parse(source, _read_known(known_path))


@functools.lru_cache(maxsize=1)
def _read_known(path: Path) -> Known:
    return pickle.loads(path.read_bytes())
