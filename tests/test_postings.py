"""Packed posting blocks (archive.search.postings): what goes in comes out,
through numpy for matching and through Whoosh's matcher interface, at
every integer width, and a posting takes a few bytes."""

import io

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.filedb.structfile import BufferFile, StructFile
from whoosh.formats import Existence

from archive.search.backend import whoosh_backend
from archive.search.postings import PackedCodec, PositionArray


def write(postings, format_=None, blocklimit=4):
    """(file bytes, term info) of one posting list of (document, weight, positions or None)."""
    format_ = format_ or PositionArray()
    out = StructFile(io.BytesIO())
    writer = PackedCodec(blocklimit=blocklimit).postings_writer(out)
    writer.start_postings(format_, W3TermInfo())
    for doc, weight, places in postings:
        writer.add_posting(doc, weight, format_.encode(places) if places is not None else b"")
    terminfo = writer.finish_postings()
    return out.file.getvalue(), terminfo


def reader(data, terminfo, format_=None):
    return PackedCodec().postings_reader(BufferFile(memoryview(data)), terminfo, format_ or PositionArray())


def texts(postings):
    return [(doc, float(len(places)), places) for doc, places in postings]


CASES = {
    "one posting": texts([(7, [3])]),
    "small gaps and positions": texts([(doc * 3, [doc % 200]) for doc in range(10)]),
    "wide gaps": texts([(0, [1]), (70_000, [2]), (5_000_000, [3]), (5_000_001, [4, 9])]),
    "many positions in a turn": texts([(1, list(range(0, 600, 2))), (2, [5])]),
    "late positions": texts([(4, [70_000, 70_003]), (9, [300]), (10, [1])]),
}


@pytest.mark.parametrize("postings", CASES.values(), ids=CASES.keys())
def test_text_postings_come_back_as_they_went_in(postings):
    data, terminfo = write(postings)
    assert terminfo.doc_frequency() == len(postings)
    assert terminfo.max_id() == postings[-1][0] and terminfo.max_weight() == max(weight for _, weight, _ in postings)

    docs, weights, counts, places = reader(data, terminfo).arrays()
    assert docs.tolist() == [doc for doc, _, _ in postings]
    assert weights.tolist() == [weight for _, weight, _ in postings]
    assert counts.tolist() == [len(positions) for _, _, positions in postings]
    assert places.tolist() == [place for _, _, positions in postings for place in positions]

    matcher = reader(data, terminfo)
    seen = []
    while matcher.is_active():
        seen.append((matcher.id(), matcher.weight(), matcher.value_as("positions")))
        matcher.next()
    assert seen == postings


def test_weights_that_are_not_the_counts_are_kept():
    postings = [(1, 2.5, [4]), (2, 1.0, [5, 6]), (8, 0.5, [1])]
    docs, weights, counts, _ = reader(*write(postings)).arrays()
    assert weights.tolist() == [2.5, 1.0, 0.5] and counts.tolist() == [1, 2, 1]


def test_id_postings_without_positions():
    postings = [(doc, 1.0, None) for doc in (2, 3, 900, 100_000, 100_002)]
    data, terminfo = write(postings, Existence())
    docs, weights, counts, places = reader(data, terminfo, Existence()).arrays()
    assert docs.tolist() == [2, 3, 900, 100_000, 100_002] and weights.tolist() == [1.0] * 5
    assert counts is None and places is None
    matcher = reader(data, terminfo, Existence())
    matcher.skip_to(901)
    assert matcher.id() == 100_000


def test_whooshs_matcher_skips_from_block_to_block():
    postings = texts([(doc, [doc % 7]) for doc in range(0, 100, 5)])
    matcher = reader(*write(postings, blocklimit=4))
    matcher.skip_to(51)
    assert (matcher.id(), matcher.value_as("positions")) == (55, [55 % 7])
    assert matcher.arrays()[0].tolist() == list(range(55, 100, 5))


def test_a_common_words_posting_takes_a_few_bytes():
    # a word in every fortieth turn or so, once (sometimes twice), early in the turn
    rng = np.random.default_rng(4)
    docs = np.cumsum(rng.integers(1, 80, 5000))
    postings = texts([(int(doc), sorted({int(p) for p in rng.integers(0, 400, 1 + (doc % 9 == 0))})) for doc in docs])
    data, _ = write(postings, blocklimit=1024)
    assert len(data) / len(postings) < 4.5  # 16 as uint32 arrays, more pickled


def test_an_index_written_by_another_codec_is_not_current(seeded):
    backend = whoosh_backend()
    assert backend.schema_is_current()
    writer = backend.index.refresh().writer(codec=W3Codec())
    writer.add_document(id="interviews.turn.0", django_ct="interviews.turn", django_id="0", text="另一种编码")
    writer.commit()
    assert not backend.schema_is_current()


SENTENCES = ["大模型的算力需求很大", "视频生成模型Sora", "算力和芯片", "开源模型和闭源模型", "雪花被风吹起来", "Sora对算力的需求"]


def build_index(path, monkeypatch, pool=None, limitmb=128):
    """An index of 300 short documents written through ``pool`` (the default: the one backend installs)."""
    from whoosh import index, writing
    from whoosh.fields import ID, Schema

    from archive.search.backend import ChineseText

    if pool is not None:
        monkeypatch.setattr(writing, "PostingPool", pool)
    path.mkdir()
    ix = index.create_in(str(path), Schema(id=ID(stored=True), text=ChineseText()))
    writer = ix.writer(codec=PackedCodec(blocklimit=16), limitmb=limitmb)
    for number in range(300):
        writer.add_document(id=str(number), text="。".join(SENTENCES[(number + k) % 6] for k in range(number % 4 + 1)))
    writer.commit()
    return ix


def every_posting(ix) -> dict:
    with ix.reader() as reader:
        return {(field, text): [(m.id(), m.weight(), m.value_as("positions") if field == "text" else None) for m in _walk(reader.postings(field, text))]
                for field, text in reader.all_terms()}


def _walk(matcher):
    while matcher.is_active():
        yield matcher
        matcher.next()


def test_postings_grouped_by_term_are_written_as_whooshs_pool_writes_them(tmp_path, monkeypatch):
    from archive.search import postings

    grouped = every_posting(build_index(tmp_path / "grouped", monkeypatch))
    assert grouped[("text", "算力".encode())]  # the test reads real postings
    assert grouped == every_posting(build_index(tmp_path / "whoosh", monkeypatch, pool=postings.PostingPool))


def test_a_pool_larger_than_its_memory_spills_sorted_runs(tmp_path, monkeypatch):
    from archive.search import postings

    spilled = []
    save = postings.GroupedPool.save
    monkeypatch.setattr(postings.GroupedPool, "save", lambda pool: (spilled.append(len(pool._terms)), save(pool)))
    small = every_posting(build_index(tmp_path / "small", monkeypatch, limitmb=0.01))
    assert len([count for count in spilled if count]) > 3
    assert small == every_posting(build_index(tmp_path / "whoosh", monkeypatch, pool=postings.PostingPool))


def test_postings_out_of_document_order_are_refused():
    with pytest.raises(ValueError, match="out of document order"):
        write(texts([(5, [1]), (3, [2])]))
