"""Queries evaluated a posting list at a time, with numpy.

Whoosh's matchers step through matching documents one at a time in Python,
about 25 µs each for a word found as two pairs (positions, BM25, three
facet columns): over a second for a word in 45,000 of 100,000 turns, when
the archive must answer in 50 ms. Here each segment's postings for a term
are read whole, a block at a time, into arrays (documents, term frequencies,
positions), and the query tree that ``archive.search.query`` builds is
evaluated over them: intersections and unions as sorted-array operations,
phrases by matching positions, facets as ``bincount`` over each segment's
column values. Scores are ``archive.search.scoring``'s, summed as Whoosh's
matchers sum them and weighted by the turn's kind as its ``final`` hook
weighs them, so results and their order are Whoosh's own with the same
weighting (``tests/test_matching.py`` compares them query by query). A
query node this module does not know raises ``Unsupported``: ``query.py``
builds every query, so that is a bug to fix here, not a query to guess at.

It reads the posting blocks that ``postings.PackedCodec`` writes through
Whoosh 2.7's block reader, which is why Whoosh's version is pinned.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from whoosh import query as q
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.searching import Searcher

from archive.search.scoring import B, K1, STORED_LENGTHS, ArchiveWeighting, bm25, kind_weight

_POSITION_BITS = 32  # a position key is document << 32 | position


class Unsupported(Exception):
    """A query node this module does not evaluate."""


@dataclass
class Matches:
    docs: np.ndarray  # document numbers, ascending, unique
    scores: np.ndarray  # float64, one per document

    @classmethod
    def none(cls) -> Matches:
        return cls(np.empty(0, np.int64), np.empty(0, np.float64))


@dataclass
class Result:
    docs: np.ndarray  # index-wide document numbers, best first
    scores: np.ndarray
    total: int
    facets: dict[str, dict[str, int]]
    matched: np.ndarray | None = None  # with ``at_least``: the share of the query's parts each holds


@dataclass
class Postings:
    docs: np.ndarray
    weights: np.ndarray  # term frequency per document
    counts: np.ndarray  # positions per document
    places: np.ndarray  # every document's positions (unsigned integers), in document order

    def keys(self) -> np.ndarray:
        """document << 32 | position for every position, ascending."""
        return (np.repeat(self.docs, self.counts) << _POSITION_BITS) | self.places.astype(np.int64)


NO_PLACES = np.empty(0, np.uint32)
NO_POSTINGS = Postings(np.empty(0, np.int64), np.empty(0, np.float64), np.empty(0, np.int64), NO_PLACES)


def search(
    searcher: Searcher,
    query: q.Query,
    filter_query: q.Query | None,
    facets: tuple[str, ...],
    limit: int | None = None,
    at_least: float | None = None,
) -> Result:
    """The documents matching ``query`` and ``filter_query``, best first
    (ties by document number, as Whoosh orders them), the first ``limit``
    of them or all; with how many match, and counts per value of each
    ``facets`` column.

    With ``at_least``, ``query`` is an Or whose parts need not all match: a
    document must hold at least that share of what the parts say, each part
    weighed by its idf squared (so missing 已经 costs less than missing 红利期:
    Elasticsearch's ``minimum_should_match``, weighted as Meilisearch's
    "frequency" strategy drops the commonest words first). It is scored as
    the Or scores it, and ``Result.matched`` is the share each holds.
    """
    if type(searcher.weighting) is not ArchiveWeighting:
        raise Unsupported(f"weighting {type(searcher.weighting).__name__}")
    expansions: dict[tuple[str, str], list[bytes]] = {}  # a prefix's terms, the same in every segment
    leaves = [(WhooshSegment(searcher, sub.reader(), expansions), offset) for sub, offset in searcher.leaf_searchers()]
    return rank(leaves, query, filter_query, facets, limit, at_least, searcher.doc_count())


def rank(
    leaves: list[tuple[Evaluator, int]],
    query: q.Query,
    filter_query: q.Query | None,
    facets: tuple[str, ...],
    limit: int | None,
    at_least: float | None,
    documents: int,
) -> Result:
    """``search`` over any backend's view of the index: ``leaves`` are
    (evaluator, offset of its document numbers), ``documents`` how many
    the index holds (for ``at_least``'s weights)."""
    if at_least is None:
        evaluated = [(segment.evaluate(query), None) for segment, _ in leaves]
    else:
        evaluated = _holding_enough(documents, [segment for segment, _ in leaves], query, at_least)
    # (an empty array first, so that an index without segments gives an empty result)
    found_docs, found_scores, found_matched = [np.empty(0, np.int64)], [np.empty(0)], [np.empty(0)]
    counts: dict[str, dict[str, int]] = {name: {} for name in facets}
    for (segment, offset), (matches, matched) in zip(leaves, evaluated):
        if filter_query is not None and len(matches.docs):
            matches, matched = _restrict(matches, segment.evaluate(filter_query).docs, also=matched)
        matches, matched = segment.without_deleted(matches, matched)
        matches.scores = segment.weighed_by_kind(matches)
        for name in facets:
            segment.count(name, matches.docs, counts[name])
        found_docs.append(matches.docs + offset)
        found_scores.append(matches.scores)
        found_matched.append(matched)
    docs, scores = np.concatenate(found_docs), np.concatenate(found_scores)
    matched = None if at_least is None else np.concatenate(found_matched)
    total = len(docs)
    if limit is not None and limit < total:
        # Only what can reach the first ``limit``: scores at or above the
        # limit-th best (all of a tie at the boundary, ordered below).
        best = scores >= np.partition(scores, total - limit)[total - limit]
        docs, scores = docs[best], scores[best]
        matched = None if matched is None else matched[best]
    order = np.lexsort((docs, -scores))[:limit]
    return Result(docs[order], scores[order], total, counts, None if matched is None else matched[order])


def _holding_enough(documents: int, segments: list[Evaluator], query: q.Query, at_least: float) -> list[tuple[Matches, np.ndarray]]:
    """Per segment, the Or's matches holding ``at_least`` of its parts'
    idf weight, scored as the Or, with the share each holds."""
    if type(query) is not q.Or:
        raise Unsupported("at_least needs an Or")
    # Deleted documents are left out before counting: a re-indexed turn's
    # old document would count its words twice and halve their weight.
    parts = [[segment.without_deleted(segment.evaluate(child))[0] for child in query.subqueries] for segment in segments]
    frequencies = np.array([sum(len(found[i].docs) for found in parts) for i in range(len(query.subqueries))], dtype=np.float64)
    # idf squared, as Lucene's classic TF-IDF weighs a query term (idf in
    # the query's weight and again in the document's): the rare word a
    # reader remembers outweighs two common ones. A word no turn holds
    # cannot be held, and weighs nothing.
    weights = np.log(max(documents, 1) / np.maximum(frequencies, 1)) ** 2 * (frequencies > 0)
    if not weights.sum():
        return [(Matches.none(), np.empty(0)) for _ in segments]
    weights = weights / weights.sum()
    evaluated = []
    for found in parts:
        docs = np.concatenate([part.docs for part in found])
        if not len(docs):
            evaluated.append((Matches.none(), np.empty(0)))
            continue
        docs, where = np.unique(docs, return_inverse=True)
        share = np.bincount(where, weights=np.repeat(weights, [len(part.docs) for part in found]), minlength=len(docs))
        scores = np.bincount(where, weights=np.concatenate([part.scores for part in found]), minlength=len(docs))
        keep = share >= at_least - 1e-9
        evaluated.append((Matches(docs[keep], scores[keep] * query.boost), share[keep]))
    return evaluated


def by_column(searcher: Searcher, docs: np.ndarray, fieldname: str, descending: bool) -> np.ndarray:
    """``docs`` (index-wide numbers, best first) reordered by a sortable
    field's value (``by_value``)."""
    values = np.full(len(docs), "", dtype=object)
    for subsearcher, offset in searcher.leaf_searchers():
        reader = subsearcher.reader()
        inside = (docs >= offset) & (docs < offset + reader.doc_count_all())
        column = WhooshSegment(searcher, reader).column(fieldname)
        if column is None:
            raise Unsupported(f"ordering by {fieldname}, which is not sortable")
        names, ords = column
        values[inside] = np.array(names, dtype=object)[ords[docs[inside] - offset]]
    return by_value(docs, values, descending)


def by_value(docs: np.ndarray, values: np.ndarray, descending: bool) -> np.ndarray:
    """``docs`` (best first) reordered by their ``values`` (strings, "" for
    none), newest or oldest first for a date; documents without a value
    last; ties keep their order (relevance)."""
    known = values != ""
    keys = np.unique(values[known], return_inverse=True)[1] if known.any() else np.empty(0, np.int64)
    rank = np.full(len(docs), -1 if descending else np.iinfo(np.int64).max, dtype=np.int64)
    rank[known] = keys
    order = np.argsort(-rank if descending else rank, kind="stable")
    return docs[order]


def warm_up(searcher: Searcher, facets: tuple[str, ...], fields: tuple[str, ...]) -> None:
    """Load every segment's facet columns and field lengths now (a web
    worker's start) rather than in the first search: 0.6 s at 100,000 turns."""
    for subsearcher, _ in searcher.leaf_searchers():
        segment = WhooshSegment(searcher, subsearcher.reader())
        for name in facets:
            segment.column(name)
        for name in fields:
            segment.lengths(name)


class Evaluator:
    """A query tree evaluated over one part of an index (a Whoosh segment,
    or the turns a PostgreSQL query found): the tree's logic and scoring
    are here, once; what a term's postings are, the statistics BM25 takes
    from the whole index and each document's columns come from the
    subclass. Documents are numbered from 0 within the part."""

    def evaluate(self, node: q.Query) -> Matches:
        if node is q.NullQuery:  # a filter on an article that does not exist
            return Matches.none()
        method = self._EVALUATE.get(type(node))  # exact types: a subclass may mean something else
        if method is None:
            raise Unsupported(type(node).__name__)
        matches = method(self, node)
        boost = getattr(node, "boost", 1.0)
        if boost != 1.0 and not isinstance(node, (q.Term, q.Prefix)):  # those apply their own
            matches.scores = matches.scores * boost
        return matches

    # What a part of the index provides

    def key(self, fieldname: str, text: str):
        """The term as the part keys it, or None if the field cannot hold it."""
        raise NotImplementedError

    def holds(self, fieldname: str, key) -> bool:
        """Whether the whole index holds the term."""
        raise NotImplementedError

    def expand(self, node: q.Prefix) -> list:
        """The keys of the terms a prefix stands for, across the whole index."""
        raise NotImplementedError

    def postings(self, fieldname: str, key) -> Postings:
        raise NotImplementedError

    def statistics(self, fieldname: str, key) -> tuple[float, float] | None:
        """(idf, average field length) from the whole index, as BM25 takes
        them; None for a field that is not scored."""
        raise NotImplementedError

    def lengths(self, fieldname: str) -> np.ndarray:
        """Each document's field length, as BM25 takes it (``scoring.stored_length``)."""
        raise NotImplementedError

    def column(self, fieldname: str) -> tuple[list[str], np.ndarray] | None:
        """Each document's value of an exact field, as (distinct values,
        ordinal per document; "" for none); None if it has no column."""
        raise NotImplementedError

    def without_deleted(self, matches: Matches, matched: np.ndarray | None = None) -> tuple[Matches, np.ndarray | None]:
        return matches, matched

    # Leaves

    def _term(self, node: q.Term) -> Matches:
        key = self.key(node.fieldname, node.text)
        if key is None:
            return Matches.none()
        postings = self.postings(node.fieldname, key)
        return Matches(postings.docs, self._score(node.fieldname, key, postings) * node.boost)

    def _prefix(self, node: q.Prefix) -> Matches:
        words = self.expand(node)
        if len(words) == 1:  # Whoosh runs a lone expansion as a plain term, without the boost
            return self._term_of(node.fieldname, words[0])
        return _union([self._term_of(node.fieldname, word) for word in words], node.boost)

    def _term_of(self, fieldname: str, key) -> Matches:
        postings = self.postings(fieldname, key)
        return Matches(postings.docs, self._score(fieldname, key, postings))

    def _termrange(self, node: q.TermRange) -> Matches:
        values = self.column(node.fieldname)
        if values is None:
            raise Unsupported(f"range over {node.fieldname}, which is not sortable")
        names, ords = values
        names = np.array(names)
        inside = names != ""
        if node.start is not None:
            inside &= (names > node.start) if node.startexcl else (names >= node.start)
        if node.end is not None:
            inside &= (names < node.end) if node.endexcl else (names <= node.end)
        docs = np.flatnonzero(inside[ords]).astype(np.int64)
        return Matches(docs, np.ones(len(docs)))

    def _constant(self, node: q.ConstantScoreQuery) -> Matches:
        docs = self.evaluate(node.child).docs
        return Matches(docs, np.full(len(docs), float(node.score)))

    # Positions

    def _phrase(self, node: q.Phrase) -> Matches:
        if node.slop != 1:
            raise Unsupported("phrase with slop")
        words = [self.key(node.fieldname, word) for word in node.words]
        if any(word is None or not self.holds(node.fieldname, word) for word in words):
            return Matches.none()
        parts = []
        for word in words:
            postings = self.postings(node.fieldname, word)
            parts.append((postings.keys(), Matches(postings.docs, self._score(node.fieldname, word, postings))))
        return self._in_sequence(parts)

    def _sequence(self, node: q.Sequence) -> Matches:
        parts = []
        for child in node.subqueries:
            if isinstance(child, q.Term):
                key = self.key(child.fieldname, child.text)
                words = [] if key is None else [key]
            elif isinstance(child, q.Prefix):
                words = self.expand(child)
            else:
                raise Unsupported(f"{type(child).__name__} in a sequence")
            postings = [self.postings(child.fieldname, word) for word in words]
            keys = np.sort(np.concatenate([p.keys() for p in postings])) if postings else np.empty(0, np.int64)
            parts.append((keys, self.evaluate(child)))
        return self._in_sequence(parts)

    def _in_sequence(self, parts: list[tuple[np.ndarray, Matches]]) -> Matches:
        """Documents where each part's positions follow the last's; scored
        as the sum of the parts' scores, as Whoosh's span matchers do."""
        starts = parts[0][0]
        for distance, (keys, _) in enumerate(parts[1:], 1):
            starts = starts[_contains(keys, starts + distance)]
        docs = _distinct(starts >> _POSITION_BITS)
        scores = np.zeros(len(docs))
        for _, matches in parts:
            scores += matches.scores[np.searchsorted(matches.docs, docs)]
        return Matches(docs, scores)

    # Compounds

    def _or(self, node: q.Or) -> Matches:
        return _union([self.evaluate(child) for child in node.subqueries])

    def _and(self, node: q.And) -> Matches:
        positive = [child for child in node.subqueries if not isinstance(child, q.Not)]
        excluded = [child.query for child in node.subqueries if isinstance(child, q.Not)]
        if not positive:
            raise Unsupported("only excluded words")
        matches = self.evaluate(positive[0])
        for child in positive[1:]:
            other = self.evaluate(child)
            both, where = _lookup(other.docs, matches.docs)
            matches = Matches(matches.docs[both], matches.scores[both] + other.scores[where[both]])
        for child in excluded:
            matches, _ = _restrict(matches, self.evaluate(child).docs, keep=False)
        # Whoosh matches an excluding part with an InverseMatcher, which
        # scores 1 everywhere; the same for every result, so rankings are
        # unaffected, and kept so scores compare with Whoosh's.
        return Matches(matches.docs, matches.scores + len(excluded))

    def _andmaybe(self, node: q.AndMaybe) -> Matches:
        required, optional = self.evaluate(node.a), self.evaluate(node.b)
        both, where = _lookup(optional.docs, required.docs)
        scores = required.scores.copy()
        scores[both] += optional.scores[where[both]]
        return Matches(required.docs, scores)

    # Scoring and counting

    def _score(self, fieldname: str, key, postings: Postings) -> np.ndarray:
        statistics = self.statistics(fieldname, key) if len(postings.docs) else None
        if statistics is None:
            return postings.weights.copy()
        idf, average = statistics
        return bm25(idf, postings.weights, self.lengths(fieldname)[postings.docs], average or 1, B, K1)

    def weighed_by_kind(self, matches: Matches) -> np.ndarray:
        """Scores times each turn's kind weight (``ArchiveWeighting.final``)."""
        column = self.column("kind")
        if column is None or not len(matches.docs):
            return matches.scores
        names, ords = column
        weights = np.array([kind_weight(name) for name in names])
        return matches.scores * weights[ords[matches.docs]]

    def count(self, fieldname: str, docs: np.ndarray, into: dict[str, int]) -> None:
        column = self.column(fieldname)
        if column is None or not len(docs):
            return
        names, ords = column
        for code, number in enumerate(np.bincount(ords[docs], minlength=len(names)).tolist()):
            if number and names[code]:
                into[names[code]] = into.get(names[code], 0) + number

    _EVALUATE: ClassVar[dict[type, Callable]] = {
        q.Term: _term,
        q.Prefix: _prefix,
        q.TermRange: _termrange,
        q.Phrase: _phrase,
        q.Sequence: _sequence,
        q.Or: _or,
        q.And: _and,
        q.AndMaybe: _andmaybe,
        q.ConstantScoreQuery: _constant,
    }


class WhooshSegment(Evaluator):
    """One Whoosh segment: its postings, lengths and columns; global
    statistics (idf, average length) from the whole index, as Whoosh's
    BM25F takes them."""

    def __init__(self, searcher: Searcher, reader, expansions: dict | None = None):
        self.searcher = searcher
        self.reader = reader
        self.schema = reader.schema
        self._expansions = {} if expansions is None else expansions
        self._read: dict[tuple[str, bytes], Postings] = {}

    def key(self, fieldname: str, text) -> bytes | None:
        if fieldname not in self.schema:
            return None
        try:
            return self.schema[fieldname].to_bytes(text)
        except ValueError:
            return None

    def holds(self, fieldname: str, key: bytes) -> bool:
        return (fieldname, key) in self.searcher.reader()

    def expand(self, node: q.Prefix) -> list[bytes]:
        """As Whoosh expands a prefix (so a lone expansion is scored the
        same way); once per search, not once per segment."""
        key = (node.fieldname, node.text)
        if key not in self._expansions:
            self._expansions[key] = [word for word in self.searcher.reader().expand_prefix(*key) if word]
        return self._expansions[key]

    def postings(self, fieldname: str, key: bytes) -> Postings:
        read = (fieldname, key)  # a word in text, speaker and title is read once per field
        if read not in self._read:
            self._read[read] = _read_postings(self.reader, fieldname, key)
        return self._read[read]

    def statistics(self, fieldname: str, key: bytes) -> tuple[float, float] | None:
        if not self.schema[fieldname].scorable:
            return None
        return self.searcher.idf(fieldname, key), self.searcher.avg_field_length(fieldname)

    def lengths(self, fieldname: str) -> np.ndarray:
        def load():
            column = self.reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None:
                return np.ones(self.reader.doc_count_all())
            return STORED_LENGTHS[np.frombuffer(column.load(), dtype=np.uint8)]

        return per_segment(self.reader, f"lengths:{fieldname}", load)

    def column(self, fieldname: str) -> tuple[list[str], np.ndarray] | None:
        if fieldname not in self.schema or not self.schema[fieldname].column_type:
            return None

        def load():
            if not self.reader.has_column(fieldname):  # no document of this segment has a value
                return [""], np.zeros(self.reader.doc_count_all(), dtype=np.int32)
            codes: dict[bytes, int] = {}
            ords = [codes.setdefault(value, len(codes)) for value in self.reader.column_reader(fieldname, translate=False)]
            field = self.schema[fieldname]
            return [field.from_column_value(value) or "" for value in codes], np.array(ords, dtype=np.int32)

        return per_segment(self.reader, f"column:{fieldname}", load)

    def without_deleted(self, matches: Matches, matched: np.ndarray | None = None) -> tuple[Matches, np.ndarray | None]:
        if not self.reader.has_deletions():
            return matches, matched
        deleted = np.sort(np.fromiter(self.reader.segment().deleted_docs(), dtype=np.int64))
        return _restrict(matches, deleted, keep=False, also=matched)


def _read_postings(reader, fieldname: str, btext: bytes) -> Postings:
    """A term's postings in one segment, whole: a block at a time where the
    codec packs blocks (``postings.PackedCodec``), else a posting at a time."""
    if (fieldname, btext) not in reader:
        return NO_POSTINGS
    matcher = reader._terms.matcher(fieldname, btext, reader.schema[fieldname].format)
    if not hasattr(matcher, "arrays"):
        return _read_one_by_one(matcher)
    docs, weights, counts, places = matcher.arrays()
    if counts is None:  # a field without positions (IDs)
        return Postings(docs, weights, np.zeros(len(docs), np.int64), NO_PLACES)
    return Postings(docs, weights, counts, places)


def _read_one_by_one(matcher) -> Postings:
    docs, weights, values = [], [], []
    while matcher.is_active():
        docs.append(matcher.id())
        weights.append(matcher.weight())
        values.append(matcher.value() if matcher.supports("positions") else b"")
        matcher.next()
    counts = np.array([len(value) // 4 for value in values], dtype=np.int64)
    places = np.frombuffer(b"".join(values), dtype="<u4")
    return Postings(np.array(docs, dtype=np.int64), np.array(weights, dtype=np.float64), counts, places)


class _Kept(OrderedDict):
    """What ``per_segment`` keeps, least recently used first, with the bytes
    it holds."""

    def __init__(self):
        super().__init__()
        self.bytes = 0

    def keep(self, key, value, budget: int) -> None:
        self[key] = value
        self.bytes += _bytes(value)
        while self.bytes > budget and len(self) > 1:
            _, dropped = self.popitem(last=False)
            self.bytes -= _bytes(dropped)

    def clear(self) -> None:
        super().clear()
        self.bytes = 0


def _bytes(value) -> int:
    """About what a kept value holds: arrays by their size, each member of a
    list or set of strings as a short string."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    if isinstance(value, tuple):
        return sum(_bytes(part) for part in value)
    if isinstance(value, (list, set, frozenset)):
        return 64 * len(value)
    return 64


_cache_lock = threading.Lock()
_segment_cache = _Kept()
# Bytes kept for every segment's columns, lengths and first characters: about
# 55 MB per million turns, so every segment of a large archive stays. (It was
# 256 entries: at a million turns in 50 segments, nine entries each, every
# search loaded columns again, 4.5 s a search.)
SEGMENT_CACHE_BYTES = 512 * 2**20


def per_segment(reader, what: str, load):
    """Arrays derived from a segment's files, which never change once
    written, kept for every thread of the process (deletions are read anew
    for each query); those of segments merged away age out."""
    segment = reader.segment()
    if segment is None:
        return load()  # an empty index: a reader with no segment, nothing worth keeping
    key = (segment.segment_id(), what)  # segment ids are random: unique across indexes
    with _cache_lock:
        if key in _segment_cache:
            _segment_cache.move_to_end(key)
            return _segment_cache[key]
    value = load()
    with _cache_lock:
        _segment_cache.keep(key, value, SEGMENT_CACHE_BYTES)
    return value


def _distinct(ascending: np.ndarray) -> np.ndarray:
    """The distinct values of an ascending array (``np.unique`` sorts again)."""
    if not len(ascending):
        return ascending
    return ascending[np.concatenate(([True], ascending[1:] != ascending[:-1]))]


def _contains(sorted_keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """For each of ``wanted``, whether it is in ``sorted_keys``."""
    found, _ = _lookup(sorted_keys, wanted)
    return found


def _lookup(sorted_docs: np.ndarray, wanted: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(whether each of ``wanted`` is in ``sorted_docs``, its index there)."""
    if not len(sorted_docs):
        return np.zeros(len(wanted), dtype=bool), np.zeros(len(wanted), dtype=np.int64)
    where = np.minimum(np.searchsorted(sorted_docs, wanted), len(sorted_docs) - 1)
    return sorted_docs[where] == wanted, where


def _restrict(matches: Matches, docs: np.ndarray, keep: bool = True, also: np.ndarray | None = None) -> tuple[Matches, np.ndarray | None]:
    """Matches kept only where their document is in ``docs`` (or, with
    ``keep=False``, only where it is not), and ``also`` (one value per
    match, or None) kept the same way."""
    inside = _contains(docs, matches.docs)
    if not keep:
        inside = ~inside
    return Matches(matches.docs[inside], matches.scores[inside]), None if also is None else also[inside]


def _union(parts: list[Matches], boost: float = 1.0) -> Matches:
    parts = [part for part in parts if len(part.docs)]
    if not parts:
        return Matches.none()
    if len(parts) == 1:
        return Matches(parts[0].docs, parts[0].scores * boost)
    docs, where = np.unique(np.concatenate([part.docs for part in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([part.scores for part in parts]), minlength=len(docs))
    return Matches(docs, scores * boost)
