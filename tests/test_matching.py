"""archive.search.matching finds what Whoosh's own matchers find, with the
same scores and order, and the same facet counts: every evaluation query and
benchmark query, over an index of several segments, before and after
deletions."""

import numpy as np
import pytest
import yaml
from whoosh import sorting

from archive.interviews.models import Turn
from archive.search import matching, service, synthetic
from archive.search.backend import FACETS, search_backend, turn_index
from archive.search.lexicon import Lexicon
from archive.search.management.commands.evaluate_search import EVALUATION
from archive.search.query import CLOSEST_SHARE, closest_query, parse_query
from archive.search.service import SearchRequest, filter_query, search

# Whoosh's own index files, searchers and segments, whichever backend the suite runs on.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("whoosh")]

EXTRA = [
    {"q": "周鸿祎 文生视频 -王坚"},
    {"q": "大模型 算力 OR 芯片"},
    {"q": '"大模型" OR openai'},
    {"q": "人工智能时代", "kind": "answer"},
    {"q": "猫 狗"},
    {"q": "ai", "script": "hant"},
    {"q": "开源", "from": "2024-03-01", "to": "2024-03-31"},
    {"q": "开源", "to": "2023-12-31"},
    {"q": "周鸿祎", "outlet": "no-such-outlet"},
    {"q": "开源", "article": "no-such-article"},  # a filter of NullQuery
    {"q": "没有这样的词语组合啊"},
    {"q": "shijie"},  # pinyin: what was typed, a constant above, or the Han text read from it
    {"q": "ren gong zhi neng"},
    {"q": "suàn lì 英伟达"},
    {"q": "mao", "kind": "answer"},
    {"q": "晶片 光刻机"},  # the other side's wording
    {"q": "人工智慧 -周鸿祎"},
]
CLOSEST = ["大模型的红利期已经过去了", "雪花被风吹起来", "鸡蛋 量子计算", "算力英伟达芯片光刻机", '"百模大战已经开始了"']


@pytest.fixture
def segmented(seeded):
    """The seeds indexed as several segments (Whoosh merges an import's small ones)."""
    backend = search_backend()
    backend.clear()
    backend.load(turn_index().documents(Turn.objects.all()), chunk=25)
    with backend.searching() as searcher:
        assert len(searcher.reader().leaf_readers()) > 3
    return seeded


def requests() -> list[dict]:
    cases = yaml.safe_load(EVALUATION.read_text(encoding="utf-8"))
    return [{"q": case["q"]} for case in cases] + [params for _, params in synthetic.QUERIES] + EXTRA


def whoosh_search(searcher, query, filter_q):
    """Whoosh's matchers and collector: (docnum, score) best first, and facet counts."""
    groups = {name: sorting.FieldFacet(name, maptype=sorting.Count) for name in FACETS}
    results = searcher.search(query, limit=None, filter=filter_q, groupedby=groups)
    hits = [(hit.docnum, hit.score) for hit in results]
    facets = {name: {key: n for key, n in results.groups(name).items() if key} for name in FACETS}
    return hits, facets


@pytest.fixture(autouse=True)
def whoosh_as_in_a_real_archive(monkeypatch):
    """Below 5,000 documents Whoosh preloads an Or of many terms (a
    prefix's expansions) and leaves it unscored; above, it sums their BM25
    scores, as matching always does. The seeds are 120 turns, so Whoosh is
    made to take the path it takes in any real archive."""
    from whoosh import query as q

    monkeypatch.setattr(q.Or, "matcher_type", q.Or.DEFAULT_MATCHER)


def assert_same_as_whoosh(params: dict) -> int:
    request = SearchRequest.from_params(params)
    filter_q = filter_query(request)
    with search_backend().searching() as searcher:
        query = parse_query(request.q, Lexicon.of(searcher)).query
        expected, expected_facets = whoosh_search(searcher, query, filter_q)
        result = matching.search(searcher, query, filter_q, FACETS)
        first = matching.search(searcher, query, filter_q, (), limit=7)
    ours = list(zip(result.docs.tolist(), result.scores.tolist()))
    assert result.total == len(expected), params
    assert dict(ours) == pytest.approx(dict(expected), rel=1e-9), params
    # Same order: by score, ties by document number (float sums may differ in the last bit)
    assert [doc for doc, _ in ours] == [doc for doc, _ in sorted(expected, key=lambda hit: (-round(hit[1], 9), hit[0]))], params
    assert result.facets == expected_facets, params
    assert (first.total, first.docs.tolist()) == (result.total, result.docs[:7].tolist()), params
    return result.total


@pytest.mark.parametrize("index", ["seeded", "segmented"])  # a segment per import (000's has no dates); many small ones
def test_every_query_matches_what_whoosh_matches(index, request):
    request.getfixturevalue(index)
    totals = [assert_same_as_whoosh(params) for params in requests()]
    assert sum(1 for total in totals if total) > 50  # the comparison is not of empty results


def test_deleted_turns_are_not_found_as_whoosh_does_not_find_them(segmented):
    backend = search_backend()
    writer = backend.index.refresh().writer()
    writer.delete_by_term("article", str(segmented["002"].pk))
    writer.commit(merge=False)  # kept as deletions in the segments, not merged away
    with search_backend().searching() as searcher:
        assert any(reader.has_deletions() for reader, _ in searcher.reader().leaf_readers())
    for params in requests():
        assert_same_as_whoosh(params)


def test_a_query_of_an_unknown_kind_is_refused_not_guessed(seeded):
    from whoosh import query as q

    with search_backend().searching() as searcher, pytest.raises(matching.Unsupported):
        matching.search(searcher, q.FuzzyTerm("text", "大模"), None, ())


def test_warming_up_reads_every_segments_columns_and_lengths_ahead_of_searches(segmented, monkeypatch):
    monkeypatch.setattr(matching, "_segment_cache", type(matching._segment_cache)())
    backend = search_backend()
    backend.warm_up()
    with backend.searching() as searcher:
        segments = {reader.segment().segment_id() for reader, _ in searcher.reader().leaf_readers()}
    kept = set(matching._segment_cache)
    assert {(segment, f"column:{name}") for segment in segments for name in FACETS} <= kept
    assert {(segment, "lengths:text") for segment in segments} <= kept


def test_every_segments_arrays_stay_kept_however_many_segments_there_are(seeded, monkeypatch):
    """The cache is bounded by bytes, not entries: at a million turns in 50
    segments, nine arrays each, a cache of 256 entries read columns again
    for every search (4.5 s a search). Here 40-odd segments."""
    backend = search_backend()
    backend.clear()
    backend.load(turn_index().documents(Turn.objects.all()), chunk=2)
    with backend.searching() as searcher:
        assert len(searcher.reader().leaf_readers()) > 30
    monkeypatch.setattr(matching, "_segment_cache", type(matching._segment_cache)())
    backend.warm_up()
    for params in requests()[:20]:
        search(SearchRequest.from_params(params))
    kept = dict(matching._segment_cache)
    assert len(kept) > 256
    monkeypatch.setattr(service, "results", type(service.results)())  # searched again, not answered as kept
    for params in requests()[:20]:
        search(SearchRequest.from_params(params))
    assert matching._segment_cache.keys() == kept.keys()
    assert all(matching._segment_cache[key] is value for key, value in kept.items())


def test_the_segment_cache_lets_the_least_recently_used_go_beyond_its_bytes():
    kept = matching._Kept()
    for number in range(5):
        kept.keep(("segment", number), np.zeros(100, dtype=np.int32), budget=1000)  # 400 bytes each
    assert list(kept) == [("segment", 3), ("segment", 4)]
    assert kept.bytes == 800
    kept.clear()
    assert kept.bytes == 0 and not kept


def test_closest_matches_are_the_turns_holding_enough_of_the_words_scored_as_whoosh_scores_them(seeded):
    """at_least: a document holds a share of the Or's parts (each weighed by
    idf squared); found here from Whoosh's own results, part by part."""
    import math

    left_out = 0
    for text in CLOSEST:
        with search_backend().searching() as searcher:
            query = closest_query(parse_query(text, Lexicon.of(searcher)))
            held = [{doc for doc, _ in whoosh_search(searcher, part, None)[0]} for part in query.subqueries]
            weights = [math.log(searcher.doc_count_all() / len(docs)) ** 2 if docs else 0 for docs in held]
            share = {doc: sum(w for w, docs in zip(weights, held) if doc in docs) / sum(weights) for doc in set().union(*held)}
            expected = dict(whoosh_search(searcher, query, None)[0])
            result = matching.search(searcher, query, None, (), at_least=CLOSEST_SHARE)
        wanted = {doc: score for doc, score in expected.items() if share[doc] >= CLOSEST_SHARE - 1e-9}
        assert wanted, text
        assert dict(zip(result.docs.tolist(), result.scores.tolist())) == pytest.approx(wanted, rel=1e-9), text
        assert dict(zip(result.docs.tolist(), result.matched.tolist())) == pytest.approx({doc: share[doc] for doc in wanted}), text
        left_out += len(expected) - len(wanted)
    assert left_out  # some turns hold too little to count
