"""Search on PostgreSQL's full-text search (``SEARCH_BACKEND=postgres``),
for deployments with several web hosts sharing one database.

The index is three tables (``archive.search.models``): a document per turn
whose searched fields are ``tsvector``s of exactly the terms
``archive.search.analysis`` makes (positions from 1, a GIN index each), the
document frequency of every term, and one row of totals. Nothing is
analysed by PostgreSQL: vectors and queries are written as literals, so a
term is the same string in both.

A search runs in two steps. The query tree ``archive.search.query`` builds
is translated to SQL (``where``): each clause on a searched field becomes
``field @@ tsquery`` (phrases with ``<->``, a last lone character as a
``:*`` prefix, AND/OR/NOT), filters become comparisons of columns, and the
GIN indexes find the matching turns. In the same statement (``fetch_matches``)
the facets are counted by GROUP BY, and the query's terms' postings among
the matching turns are read from their vectors. Then those turns are
ranked by ``archive.search.matching``'s evaluator (``Candidates``): the
same BM25, length floor and kind weights as Whoosh's, from the same
statistics, so both backends order alike.

Writes replace an article's documents and the counts in one transaction,
with the totals row locked: writers take turns across hosts without a file
lock, and readers see the index before or after a write, never half of it.
"""

from __future__ import annotations

import threading
import uuid
import zlib
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from django.db import DatabaseError, connection, transaction
from whoosh import query as q

from archive.search import matching
from archive.search.analysis import positions
from archive.search.backend import FACETS, Found, SearchBackend, SearchUnavailable
from archive.search.models import SearchDocument, SearchState, SearchTerm
from archive.search.scoring import idf, stored_lengths

T = TypeVar("T")
SEARCHED = ("text", "names", "title")
COLUMNS = {  # the exact fields of a search document (search_indexes.TurnIndex), as columns
    "django_id": "turn_id",
    "article": "article_id",
    "kind": "kind",
    "speaker": "speaker",
    "outlet": "outlet",
    "published": "published",
    "year": "year",
    "script": "script",
}
MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; later ones count as this one
MAX_POSITIONS = 256  # and this many positions of a term per field
_LOCK_KEY = zlib.crc32(b"archive.search.postgres")  # the advisory lock of the queue's writer
DOCUMENTS = SearchDocument._meta.db_table
TERMS = SearchTerm._meta.db_table
STATE = SearchState._meta.db_table


@dataclass(frozen=True)
class Snapshot:
    """The index's totals as one search read them."""

    version: str
    documents: int
    lengths: dict[str, int]


# Documents


def vector(text: str) -> tuple[str, int, list[str]]:
    """(the tsvector literal of ``text``'s terms, how many terms it has, its distinct terms)."""
    places = positions(text or "")
    entries = []
    for term, found in places.items():
        kept = sorted({min(place + 1, MAX_POSITION) for place in found})[:MAX_POSITIONS]
        entries.append(f"{_quoted(term)}:{','.join(map(str, kept))}")
    return " ".join(entries), sum(len(found) for found in places.values()), list(places)


def _quoted(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _row(document: dict) -> tuple[tuple, Counter]:
    """A search document (``TurnIndex.documents``) as a row, with the terms it adds."""
    vectors, lengths, terms = [], [], Counter()
    for field in SEARCHED:
        literal, length, held = vector(document.get(field) or "")
        vectors.append(literal)
        lengths.append(length)
        terms.update((field, term) for term in held)
    row = (
        int(document["django_id"]), int(document["article"]), document["kind"], document.get("speaker"), document.get("outlet"),
        document.get("published"), document.get("year"), document.get("script") or "", *vectors, *lengths,
    )
    return row, terms


_ROW_COLUMNS = "turn_id, article_id, kind, speaker, outlet, published, year, script, text, names, title, text_length, names_length, title_length"


# Queries


def where(node: q.Query) -> tuple[str, list]:
    """The SQL condition a query tree (``archive.search.query``) or a filter
    (``service.filter_query``) stands for, with its parameters."""
    return _as_sql(_translate(node))


def _translate(node: q.Query):
    """("ts", field, tsquery) for what one searched field's tsquery can say,
    else ("sql", condition, parameters)."""
    if node is q.NullQuery:
        return ("sql", "FALSE", [])
    kind = type(node)
    if kind in (q.Term, q.Prefix, q.Phrase, q.Sequence) and _field_of(node) in SEARCHED:
        return ("ts", _field_of(node), _tsquery(node))
    if kind is q.Term:
        return ("sql", f"{_column(node.fieldname)} = %s", [_value(node.fieldname, node.text)])
    if kind is q.TermRange:
        return _range(node)
    if kind in (q.And, q.Or):
        parts = [_translate(child) for child in node.subqueries]
        fields = {part[1] for part in parts if part[0] == "ts"}
        joiner = " & " if kind is q.And else " | "
        if all(part[0] == "ts" for part in parts) and len(fields) == 1:
            return ("ts", fields.pop(), "(" + joiner.join(part[2] for part in parts) + ")")
        sqls = [_as_sql(part) for part in parts]
        return ("sql", "(" + (" AND " if kind is q.And else " OR ").join(sql for sql, _ in sqls) + ")", [p for _, params in sqls for p in params])
    if kind is q.Not:
        sql, params = _as_sql(_translate(node.query))
        return ("sql", f"NOT {sql}", params)
    if kind is q.AndMaybe:  # the optional part ranks, it does not select
        return _translate(node.a)
    if kind is q.ConstantScoreQuery:
        return _translate(node.child)
    raise matching.Unsupported(kind.__name__)


def _as_sql(translated) -> tuple[str, list]:
    if translated[0] == "ts":
        return f'"{translated[1]}" @@ %s::tsquery', [translated[2]]
    return translated[1], translated[2]


def _field_of(node: q.Query) -> str:
    return node.subqueries[0].fieldname if isinstance(node, q.Sequence) else node.fieldname


def _tsquery(node: q.Query) -> str:
    if isinstance(node, q.Term):
        return _quoted(node.text)
    if isinstance(node, q.Prefix):
        return _quoted(node.text) + ":*"
    if isinstance(node, q.Phrase):
        return "(" + " <-> ".join(_quoted(word) for word in node.words) + ")"
    if isinstance(node, q.Sequence):
        return "(" + " <-> ".join(_tsquery(child) for child in node.subqueries) + ")"
    raise matching.Unsupported(type(node).__name__)


def _column(fieldname: str) -> str:
    if fieldname not in COLUMNS:
        raise matching.Unsupported(f"filter on {fieldname}")
    return COLUMNS[fieldname]


def _value(fieldname: str, text: str):
    return int(text) if fieldname in ("article", "django_id") else text


def _range(node: q.TermRange):
    column = _column(node.fieldname)
    conditions, params = [f"{column} IS NOT NULL"], []
    if node.start is not None:
        conditions.append(f"{column} {'>' if node.startexcl else '>='} %s")
        params.append(node.start)
    if node.end is not None:
        conditions.append(f"{column} {'<' if node.endexcl else '<='} %s")
        params.append(node.end)
    return ("sql", "(" + " AND ".join(conditions) + ")", params)


def _leaves(node: q.Query) -> Iterator[q.Query]:
    """The term, prefix and phrase nodes of searched fields in a tree."""
    if isinstance(node, (q.Term, q.Prefix, q.Phrase)):
        if node.fieldname in SEARCHED:
            yield node
    elif isinstance(node, q.Not):
        yield from _leaves(node.query)
    elif isinstance(node, q.ConstantScoreQuery):
        yield from _leaves(node.child)
    elif isinstance(node, q.AndMaybe):
        yield from _leaves(node.a)
        yield from _leaves(node.b)
    elif hasattr(node, "subqueries"):
        for child in node.subqueries:
            yield from _leaves(child)


# Ranking


class Terms:
    """The statistics of the terms one query needs: each term's document
    frequency, and each prefix's terms; read once per search."""

    def __init__(self, cursor, query: q.Query):
        self.frequency: dict[tuple[str, str], int] = {}
        self.expansions: dict[tuple[str, str], list[str]] = {}
        exact: set[tuple[str, str]] = set()
        for leaf in _leaves(query):
            if isinstance(leaf, q.Prefix):
                key = (leaf.fieldname, leaf.text)
                if key not in self.expansions:
                    self.expansions[key] = self._expand(cursor, *key)
            else:
                exact.update((leaf.fieldname, word) for word in (leaf.words if isinstance(leaf, q.Phrase) else [leaf.text]))
        exact -= set(self.frequency)
        if exact:
            fields, words = zip(*sorted(exact))
            cursor.execute(
                f"SELECT t.field, t.term, t.documents FROM {TERMS} t JOIN unnest(%s::text[], %s::text[]) AS wanted(field, term)"
                " ON t.field = wanted.field AND t.term = wanted.term WHERE t.documents > 0",
                [list(fields), list(words)],
            )
            for field, term, documents in cursor.fetchall():
                self.frequency[(field, term)] = documents

    def _expand(self, cursor, field: str, prefix: str) -> list[str]:
        cursor.execute(
            f"SELECT term, documents FROM {TERMS} WHERE field = %s AND term >= %s AND term < %s AND documents > 0 ORDER BY term",
            [field, prefix, _after(prefix)],
        )
        found = cursor.fetchall()
        self.frequency.update(((field, term), documents) for term, documents in found)
        return [term for term, _ in found]

    def by_field(self) -> dict[str, list[str]]:
        fields: dict[str, list[str]] = {field: [] for field in SEARCHED}
        for field, term in self.frequency:
            fields[field].append(term)
        return fields


def _after(prefix: str) -> str:
    """The first string after every string that starts with ``prefix`` (in code point order)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def fetch_matches(cursor, condition: str, params: list, terms: Terms, facets: tuple[str, ...]) -> tuple[list[tuple], dict[str, dict[str, int]]]:
    """The turns matching ``condition`` in one statement, the match made
    once (a materialized CTE of the few columns ranking needs, and of only
    the query's terms from each vector): the turns' columns, each wanted
    term's postings among them (its turns, positions per turn, the
    positions), and the facets' counts; each as one row of comma-joined
    numbers or names, which numpy reads far faster than a row per turn."""
    wanted = terms.by_field()
    fields = [field for field in SEARCHED if wanted[field]]
    postings = " UNION ALL ".join(
        f"SELECT '{field}', u.lexeme, string_agg(m.turn_id::text, ',' ORDER BY m.turn_id),"
        f" string_agg(array_length(u.positions, 1)::text, ',' ORDER BY m.turn_id),"
        f" string_agg(array_to_string(u.positions, ','), ',' ORDER BY m.turn_id), NULL, NULL, NULL"
        f" FROM matched m, unnest(m.{field}) u GROUP BY u.lexeme"
        for field in fields
    )
    counted = " UNION ALL ".join(
        f"SELECT 'facet', '{name}', {_column(name)}::text, count(*)::text, NULL, NULL, NULL, NULL FROM matched WHERE {_column(name)} IS NOT NULL GROUP BY {_column(name)}"
        for name in facets
    )
    kept = "".join(f", ts_filter(setweight({field}, 'A', %s::text[]), '{{a}}') AS {field}" for field in fields)
    cursor.execute(
        f"WITH matched AS MATERIALIZED (SELECT turn_id, article_id, kind, speaker, outlet, published, year,"
        f" text_length, names_length, title_length{kept} FROM {DOCUMENTS} WHERE {condition})"
        f" SELECT 'turns', NULL, string_agg(turn_id::text, ',' ORDER BY turn_id), string_agg(kind, ',' ORDER BY turn_id),"
        f" string_agg(coalesce(published::text, ''), ',' ORDER BY turn_id), string_agg(text_length::text, ',' ORDER BY turn_id),"
        f" string_agg(names_length::text, ',' ORDER BY turn_id), string_agg(title_length::text, ',' ORDER BY turn_id) FROM matched"
        + "".join(f" UNION ALL {part}" for part in (postings, counted) if part),
        [*(wanted[field] for field in fields), *params],
    )
    rows = cursor.fetchall()
    counts: dict[str, dict[str, int]] = {name: {} for name in facets}
    for part, key, value, number, *_ in rows:
        if part == "facet":
            counts[key][value] = int(number)
    return [row for row in rows if row[0] != "facet"], counts


class Candidates(matching.Evaluator):
    """The turns a query's SQL condition found (``fetch_matches``), as one part of
    the index for ``matching``'s evaluator: each numbered by its place (in
    turn order), with the query's terms' positions from their vectors, the
    index's statistics from the snapshot and the term counts."""

    def __init__(self, snapshot: Snapshot, terms: Terms, rows: list[tuple]):
        self.snapshot, self.terms = snapshot, terms
        (_, _, ids, kinds, published, *lengths), *postings = rows
        self.turn_ids = _numbers(ids)
        self._columns = {"kind": _ordinals(kinds), "published": _ordinals(published)}
        self._lengths = {field: stored_lengths(_numbers(joined)) for field, joined in zip(SEARCHED, lengths)}
        self._postings: dict[tuple[str, str], matching.Postings] = {}
        for field, term, turns, counts, places, *_ in postings:
            counts = _numbers(counts)
            docs = np.searchsorted(self.turn_ids, _numbers(turns))  # both in turn order
            places = _numbers(places) - 1  # positions from 0, as analysis numbers them
            self._postings[(field, term)] = matching.Postings(docs, counts.astype(np.float64), counts, places)

    def key(self, fieldname: str, text) -> str | None:
        if fieldname not in SEARCHED and fieldname not in self._columns:
            raise matching.Unsupported(f"a term of {fieldname} in a query (filters are SQL)")
        return text

    def holds(self, fieldname: str, key: str) -> bool:
        return (fieldname, key) in self.terms.frequency

    def expand(self, node: q.Prefix) -> list[str]:
        return self.terms.expansions.get((node.fieldname, node.text), [])

    def postings(self, fieldname: str, key: str) -> matching.Postings:
        if fieldname in self._columns:  # an exact field (kind): the documents with that value, once each
            names, ords = self._columns[fieldname]
            docs = np.flatnonzero(np.array(names, dtype=object)[ords] == key).astype(np.int64)
            return matching.Postings(docs, np.ones(len(docs)), np.zeros(len(docs), np.int64), matching.NO_PLACES)
        return self._postings.get((fieldname, key), matching.NO_POSTINGS)

    def statistics(self, fieldname: str, key: str) -> tuple[float, float] | None:
        if fieldname not in SEARCHED:
            return None
        documents = self.snapshot.documents
        return idf(documents, self.terms.frequency.get((fieldname, key), 0)), self.snapshot.lengths[fieldname] / (documents or 1)

    def lengths(self, fieldname: str) -> np.ndarray:
        return self._lengths[fieldname]

    def column(self, fieldname: str) -> tuple[list[str], np.ndarray] | None:
        return self._columns.get(fieldname)


def _numbers(joined: str | None) -> np.ndarray:
    return np.array(joined.split(","), dtype=np.int64) if joined else np.empty(0, np.int64)


def _ordinals(joined: str | None) -> tuple[list[str], np.ndarray]:
    """A column of names, "" for none, as (distinct names, ordinal per turn)."""
    if joined is None:  # no turns ("" is one turn without a value)
        return [""], np.empty(0, np.int64)
    names, ords = np.unique(np.array(joined.split(","), dtype=object), return_inverse=True)
    return list(names), ords.astype(np.int64)


# The backend


class PostgresSearchBackend(SearchBackend):
    def retrying(self, work: Callable[[Snapshot], T]) -> T:
        """``work`` on the index as it is now; ``SearchUnavailable`` if the
        database cannot answer (a search that fails fails the same way twice:
        nothing here is kept to go stale)."""
        try:
            return work(self._snapshot())
        except matching.Unsupported:
            raise
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error

    def _snapshot(self) -> Snapshot:
        row = SearchState.objects.filter(pk=1).values_list("version", "documents", "text_length", "names_length", "title_length").first()
        version, documents, *lengths = row or ("", 0, 0, 0, 0)
        return Snapshot(version, documents, dict(zip(SEARCHED, lengths)))

    def snapshot_key(self, searcher: Snapshot) -> tuple:
        return ("postgres", connection.settings_dict["NAME"], searcher.version)

    def vocabulary(self, searcher: Snapshot) -> TermVocabulary:
        return TermVocabulary.of(searcher.version)

    def documents_in(self, searcher: Snapshot) -> int:
        return searcher.documents

    def document_count(self) -> int:
        return self.retrying(lambda snapshot: snapshot.documents)

    def stored(self) -> dict[int, dict]:
        names = [name for name in COLUMNS if name != "django_id"]
        rows = SearchDocument.objects.values_list("turn_id", *(COLUMNS[name] for name in names))
        return {pk: dict(zip(names, (None if value is None else str(value) for value in values))) for pk, *values in rows}

    def find(self, query, *, filter_query=None, page: int = 1, page_size: int = 20, facets=FACETS,
             newest: bool | None = None, searcher: Snapshot | None = None, at_least=None) -> Found:
        if searcher is None:
            return self.retrying(lambda snapshot: self.find(
                query, filter_query=filter_query, page=page, page_size=page_size, facets=facets, newest=newest, searcher=snapshot, at_least=at_least
            ))
        condition, params = where(query if filter_query is None else q.And([query, filter_query]))
        with connection.cursor() as cursor:
            terms = Terms(cursor, query)
            rows, counts = fetch_matches(cursor, condition, params, terms, tuple(facets))
        candidates = Candidates(searcher, terms, rows)
        start = (page - 1) * page_size
        limit = start + page_size if newest is None else None
        result = matching.rank([(candidates, 0)], query, None, (), limit, at_least, searcher.documents)
        docs = result.docs
        if newest is not None:
            names, ords = candidates.column("published")
            docs = matching.by_value(docs, np.array(names, dtype=object)[ords[docs]], newest)
        matched = None if result.matched is None or newest is not None else result.matched[start : start + page_size].tolist()
        return Found(ids=candidates.turn_ids[docs[start : start + page_size]].tolist(), total=result.total, facets=counts, matched=matched)

    # Writing

    @contextmanager
    def single_writer(self, wait: bool = False) -> Iterator[bool]:
        """One queue writer across every host: an advisory lock in the
        database (Whoosh's is a file, which other hosts cannot see)."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)" if wait else "SELECT pg_try_advisory_lock(%s)", [_LOCK_KEY])
            held = wait or cursor.fetchone()[0]
        if not held:
            yield False
            return
        try:
            yield True
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_LOCK_KEY])

    def write(self, documents: Iterable[dict], *, delete: Iterable[tuple[str, str]] = ()) -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            totals = _locked_totals(cursor)
            for field, value in delete:
                _delete(cursor, f"{_column(field)} = %s", [_value(field, value)], totals)
            added = _insert(cursor, documents, totals)
            _save_totals(cursor, totals)
        return added

    def rebuild(self, documents: Iterable[dict], procs: int = 1) -> int:
        """In one transaction: searches on other hosts see the old index until the new one is whole."""
        with transaction.atomic(), connection.cursor() as cursor:
            totals = _locked_totals(cursor)
            _empty(cursor, totals)
            added = _insert(cursor, documents, totals)
            _save_totals(cursor, totals)
        return added

    def clear(self, models=None, commit=True) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            totals = _locked_totals(cursor)
            _empty(cursor, totals)
            _save_totals(cursor, totals)

    def schema_is_current(self) -> bool:
        """The index's tables are the database's, made by its migrations."""
        return True


def _locked_totals(cursor) -> dict[str, int]:
    cursor.execute(f"INSERT INTO {STATE} (id, version, documents, text_length, names_length, title_length) VALUES (1, '', 0, 0, 0, 0) ON CONFLICT (id) DO NOTHING")
    cursor.execute(f"SELECT documents, text_length, names_length, title_length FROM {STATE} WHERE id = 1 FOR UPDATE")
    return dict(zip(("documents", *(f"{field}_length" for field in SEARCHED)), cursor.fetchone()))


def _save_totals(cursor, totals: dict[str, int]) -> None:
    cursor.execute(
        f"UPDATE {STATE} SET version = %s, documents = %s, text_length = %s, names_length = %s, title_length = %s WHERE id = 1",
        [uuid.uuid4().hex, totals["documents"], *(totals[f"{field}_length"] for field in SEARCHED)],
    )


def _empty(cursor, totals: dict[str, int]) -> None:
    cursor.execute(f"DELETE FROM {DOCUMENTS}")
    cursor.execute(f"DELETE FROM {TERMS}")
    totals.update(dict.fromkeys(totals, 0))


def _delete(cursor, condition: str, params: list, totals: dict[str, int]) -> None:
    """Delete documents, taking their terms from the counts and their lengths from the totals."""
    terms = " UNION ALL ".join(f"SELECT '{field}' AS field, unnest(tsvector_to_array({field})) AS term FROM gone" for field in SEARCHED)
    cursor.execute(
        f"WITH gone AS (DELETE FROM {DOCUMENTS} WHERE {condition} RETURNING *),"
        f" counted AS (SELECT field, term, count(*) AS n FROM ({terms}) AS held GROUP BY field, term),"
        f" uncounted AS (UPDATE {TERMS} t SET documents = t.documents - counted.n FROM counted"
        f"  WHERE t.field = counted.field AND t.term = counted.term RETURNING 1)"
        f" SELECT count(*), " + ", ".join(f"coalesce(sum({field}_length), 0)" for field in SEARCHED) + " FROM gone",
        params,
    )
    removed = cursor.fetchone()
    totals["documents"] -= removed[0]
    for i, field in enumerate(SEARCHED, 1):
        totals[f"{field}_length"] -= removed[i]


def _insert(cursor, documents: Iterable[dict], totals: dict[str, int], chunk: int = 2000) -> int:
    added, documents = 0, iter(documents)
    while True:
        batch = [_row(document) for document, _ in zip(documents, range(chunk))]
        if not batch:
            return added
        terms: Counter = Counter()
        with cursor.copy(f"COPY {DOCUMENTS} ({_ROW_COLUMNS}) FROM STDIN") as copy:
            for row, held in batch:
                copy.write_row(row)
                terms.update(held)
                totals["documents"] += 1
                for i, field in enumerate(SEARCHED):
                    totals[f"{field}_length"] += row[11 + i]
        if terms:
            keys = sorted(terms)
            cursor.execute(
                f"INSERT INTO {TERMS} (field, term, documents) SELECT * FROM unnest(%s::text[], %s::text[], %s::int[])"
                f" ON CONFLICT (field, term) DO UPDATE SET documents = {TERMS}.documents + EXCLUDED.documents",
                [[field for field, _ in keys], [term for _, term in keys], [terms[key] for key in keys]],
            )
        added += len(batch)


# Pinyin


class TermVocabulary:
    """What the index holds, for reading pinyin (``archive.search.pinyin.Vocabulary``):
    read from the term counts, and kept per index version (a write makes a
    new one), for every thread of the process."""

    _kept: OrderedDict[str, TermVocabulary] = OrderedDict()
    _lock = threading.Lock()

    def __init__(self, version: str):
        self.version = version
        self._characters: frozenset[str] | None = None
        self._pairs: dict[str, dict[str, int]] = {}

    @classmethod
    def of(cls, version: str) -> TermVocabulary:
        with cls._lock:
            if version not in cls._kept:
                cls._kept[version] = cls(version)
                while len(cls._kept) > 4:
                    cls._kept.popitem(last=False)
            cls._kept.move_to_end(version)
            return cls._kept[version]

    def characters(self) -> frozenset[str]:
        """The characters that start a term of the text, by skipping from one
        character to the next in the terms' index (as Whoosh's lexicon
        seeks), a few thousand lookups rather than a read of every term."""
        if self._characters is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"WITH RECURSIVE firsts(c) AS ("
                    f" (SELECT left(term, 1) FROM {TERMS} WHERE field = 'text' AND term >= %s AND documents > 0 ORDER BY term LIMIT 1)"
                    f" UNION ALL SELECT (SELECT left(term, 1) FROM {TERMS} WHERE field = 'text' AND term >= chr(ascii(firsts.c) + 1)"
                    f"  AND documents > 0 ORDER BY term LIMIT 1) FROM firsts WHERE firsts.c IS NOT NULL"
                    f") SELECT c FROM firsts WHERE c IS NOT NULL",
                    ["\u3400"],
                )
                self._characters = frozenset(row[0] for row in cursor.fetchall())
        return self._characters

    def holds(self, term: str) -> bool:
        return SearchTerm.objects.filter(field="text", term=term, documents__gt=0).exists()

    def pairs(self, char: str) -> dict[str, int]:
        if char not in self._pairs:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT term, documents FROM {TERMS} WHERE field = 'text' AND term >= %s AND term < %s AND documents > 0 AND length(term) = 2",
                    [char, _after(char)],
                )
                self._pairs[char] = dict(cursor.fetchall())
        return self._pairs[char]


backend = PostgresSearchBackend()
