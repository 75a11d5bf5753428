"""The index's files are read from the segments' memory maps, not copied:
Whoosh's ``BufferFile`` handed each file of a compound segment to a
``BytesIO``, so every searcher held a private copy of every segment's
postings (3 GB per searcher at a million turns)."""

import io
import pickle

import pytest
from whoosh.filedb.structfile import BufferFile

from archive.interviews.models import Article, Turn
from archive.search import backend as backend_module
from archive.search.backend import MappedFile, search_backend, turn_index
from archive.search.indexing import reindex_articles
from archive.search.service import SearchRequest, search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whoosh")]


def test_a_searchers_postings_are_read_through_the_map(seeded):
    with search_backend().searching() as searcher:
        readers = [reader for reader, _ in searcher.reader().leaf_readers()]
        postings = [reader._terms._postfile for reader in readers]
    assert postings and all(isinstance(file, MappedFile) for file in postings)
    assert not any(isinstance(file.file, io.BytesIO) for file in postings)
    assert search(SearchRequest(q="红利期")).total == 3


def _payload() -> bytes:
    out = io.BytesIO()
    out.write(b"\x00\x00\x00\x07head\nline two\n")
    for value in [(1, 2.5, b"x"), list(range(120)), {"big": b"y" * 9000}, "短"]:  # a pickle under 256 bytes, over it, over 4 KiB
        pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(b"\xff\xff\xff\xfetail")
    return out.getvalue()


def test_a_mapped_file_reads_as_whooshs_buffer_file_does():
    data = _payload()
    files = [BufferFile(memoryview(data)), MappedFile(memoryview(data))]
    read = [[file.read_int(), file.read(4), file.readline(), file.readline(), [file.read_pickle() for _ in range(4)],
             file.read_int(), file.read(), file.tell()] for file in files]
    assert read[0] == read[1]
    assert read[1][:4] == [7, b"head", b"\n", b"line two\n"] and read[1][5:] == [-2, b"tail", len(data)]
    for file in files:
        file.seek(-4, 2)
    assert [file.read() for file in files] == [b"tail", b"tail"]
    assert files[1].get(4, 4) == b"head" and files[1].read(10) == b""


def test_a_truncated_pickle_in_a_mapped_file_is_an_error_not_a_hang():
    data = pickle.dumps(list(range(500)))[:-50]
    with pytest.raises((EOFError, pickle.UnpicklingError)):
        MappedFile(memoryview(data)).read_pickle()


def _segments() -> dict[str, tuple[int, int]]:
    """{segment id: (documents, deleted)} of the index."""
    with search_backend().searching() as searcher:
        return {(segment := reader.segment()).segment_id(): (segment.doc_count_all(), segment.deleted_count())
                for reader, _ in searcher.reader().leaf_readers()}


def _loaded_in_segments(of: int) -> dict[str, tuple[int, int]]:
    backend = search_backend()
    backend.clear()
    backend.load(turn_index().documents(Turn.objects.order_by("pk")), chunk=of)
    return _segments()


def test_a_commit_leaves_large_segments_as_they_are(seeded, monkeypatch):
    """Whoosh's own policy merged every segment below a point on a Fibonacci
    curve: here seven segments of ten at the next commit; at a million
    turns, half the index at every import batch."""
    monkeypatch.setattr(backend_module, "MERGE_BELOW", 5)
    before = _loaded_in_segments(of=10)
    assert len(before) >= 8
    article = Article.objects.order_by("-pk").first()
    reindex_articles([article.pk])
    after = _segments()
    kept = {segment: after[segment] for segment in before if segment in after}
    # Only the segments that held mostly the article's turns are merged away; the rest stay, their deletions kept.
    assert len(kept) >= len(before) - 4 and all(deleted * 2 <= documents for documents, deleted in kept.values())
    assert len(after) == len(kept) + 1
    assert sum(documents - deleted for documents, deleted in after.values()) == Turn.objects.count()


def test_small_segments_are_merged_once_there_are_several(seeded, monkeypatch):
    monkeypatch.setattr(backend_module, "MERGE_BELOW", 11)
    assert len(_loaded_in_segments(of=10)) >= 8
    reindex_articles([Article.objects.order_by("pk").first().pk])
    assert len(_segments()) == 1  # every segment was small: all merged into the commit's
    assert search(SearchRequest(q="红利期")).total == 3


def test_a_segment_mostly_deleted_is_merged_away(seeded, monkeypatch):
    monkeypatch.setattr(backend_module, "MERGE_BELOW", 1)
    before = _loaded_in_segments(of=20)
    article = Article.objects.order_by("pk").first()
    reindex_articles([article.pk])  # its turns, most of the first segment, leave it
    after = _segments()
    assert not any(deleted * 2 > documents for documents, deleted in after.values())
    assert set(before) - set(after)  # the first segment, all the article's, is gone
    assert sum(documents for documents, _ in after.values()) < sum(documents for documents, _ in before.values()) + article.turns.count()
    assert search(SearchRequest(q="红利期")).total == 3
