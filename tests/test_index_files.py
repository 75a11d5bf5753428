"""The index's files are read from the segments' memory maps, not copied:
Whoosh's ``BufferFile`` handed each file of a compound segment to a
``BytesIO``, so every searcher held a private copy of every segment's
postings (3 GB per searcher at a million turns)."""

import io
import pickle

import pytest
from whoosh.filedb.structfile import BufferFile

from archive.search.backend import MappedFile, search_backend
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
