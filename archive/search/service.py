"""Searching turns: the one entry point for the search page and the API.

``SearchRequest.from_params`` validates what came in the URL; ``search``
parses the query (reading pinyin against what the index holds), runs it
with the filters, loads the turns, highlights them in the script they were
published in and names the facets. When the exact query finds little, it
also finds the closest matches: the turns holding most of its words, those
in the query's order first. When nothing is found under filters, it says
how many turns the query finds without each.
"""

from __future__ import annotations

import bisect
import datetime
import threading
from collections import OrderedDict
from collections.abc import Mapping
from sys import intern
from dataclasses import dataclass, field, replace
from functools import cached_property
from urllib.parse import urlencode

from django.conf import settings
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from whoosh import query as q

from archive.interviews.models import Article, Outlet, Speaker, SpeakerName, Turn
from archive.lib.chinese import Script, detect_script, fold, to_traditional
from archive.search import analysis, highlight, indexing
from archive.search.backend import Found, SearchUnavailable, search_backend
from archive.search.query import CLOSEST_SHARE, ParsedQuery, closest_query, parse_query

__all__ = ["InvalidSearch", "SearchRequest", "SearchUnavailable", "search", "search_grouped"]
KINDS = {kind.value for kind in Turn.Kind}
SCRIPTS = {"hans", "hant"}
SORTS = ("relevance", "newest", "oldest")
UNKNOWN = "unknown"  # the year facet's value for interviews without a date
FACETS = ("speaker", "outlet", "year", "published", "article")  # published: for months; article: hits per interview
EXPORT_LIMIT = 10_000
CLOSEST_BELOW = 3  # fewer exact hits than this, and the closest matches are shown too
CLOSEST_SHOWN = 10
CLOSEST_CANDIDATES = 100  # best-scored turns holding enough words, re-ranked by words and their order


class InvalidSearch(ValueError):
    """A filter that cannot be understood; the message names it."""


@dataclass(frozen=True)
class SearchRequest:
    q: str = ""
    speaker: str = ""
    outlet: str = ""
    article: str = ""
    kind: str = ""
    script: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    undated: bool = False  # only interviews whose date is unknown
    sort: str = "relevance"  # or newest, oldest: by the interview's date
    page: int = 1
    page_size: int = 20

    FILTERS = ("speaker", "outlet", "article", "kind", "script", "date_from", "date_to", "undated")

    @classmethod
    def from_params(cls, params) -> SearchRequest:
        def text(name: str) -> str:
            # No name, slug or date holds a NUL, and PostgreSQL refuses one in a query.
            return (params.get(name) or "").replace("\x00", "").strip()

        kind, script, sort = text("kind"), text("script"), text("sort") or "relevance"
        if kind and kind not in KINDS:
            raise InvalidSearch(_("kind must be one of %(choices)s, not %(value)s") % {"choices": ", ".join(sorted(KINDS)), "value": repr(kind)})
        if script and script not in SCRIPTS:
            raise InvalidSearch(_("script must be hans or hant, not %(value)s") % {"value": repr(script)})
        if sort not in SORTS:
            raise InvalidSearch(_("sort must be one of %(choices)s, not %(value)s") % {"choices": ", ".join(SORTS), "value": repr(sort)})
        date_from, date_to = _date(text("from"), "from"), _date(text("to"), "to")
        undated = _flag(text("undated"), "undated")
        if undated and (date_from or date_to):
            raise InvalidSearch(_("undated (date unknown) cannot be combined with from or to"))
        return cls(
            q=params.get("q") or "",
            speaker=text("speaker"),
            outlet=text("outlet"),
            article=text("article"),
            kind=kind,
            script=script,
            date_from=date_from,
            date_to=date_to,
            undated=undated,
            sort=sort,
            page=_number(text("page"), "page", 1, 10_000),
            page_size=_number(text("page_size"), "page_size", 20, settings.API_MAX_PAGE_SIZE),
        )

    def as_params(self) -> dict[str, str]:
        """The URL parameters that ask for this search again (first page)."""
        names = {"date_from": "from", "date_to": "to"}
        params = {"q": self.q, **{names.get(k, k): "1" if v is True else str(v) for k, v in self.active_filters().items()}}
        if self.sort != "relevance":
            params["sort"] = self.sort
        return {key: value for key, value in params.items() if value}

    def without(self, name: str) -> SearchRequest:
        """This search with one filter taken off, from the first page."""
        return replace(self, **{name: SearchRequest.__dataclass_fields__[name].default}, page=1)

    def active_filters(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.FILTERS if getattr(self, name)}


@dataclass
class Hit:
    turn: Turn
    marks: list[str] = field(default_factory=list)  # what the query highlights, folded
    q: str = ""
    matched: int = 0  # closest matches: how many of the query's words the turn's text holds

    @cached_property
    def spans(self) -> list[tuple[int, int]]:
        return highlight.spans(self.turn.text, self.marks)

    @cached_property
    def snippet(self) -> SafeString:
        """A window of the text around the first match (what the page shows);
        worked out only when shown (an export does not)."""
        return highlight.snippet(self.turn.text, self.marks, found=self.spans)

    @cached_property
    def highlighted(self) -> SafeString:
        """The whole text with every match marked (what the API gives too)."""
        return highlight.mark(self.turn.text, self.marks, found=self.spans)

    @cached_property  # a result's links ask for it more than once
    def paragraph(self) -> int | None:
        """The paragraph (from 1) of the turn's first highlighted match, if any."""
        found = self.spans
        return self.turn.text.count("\n", 0, found[0][0]) + 1 if found else None

    @cached_property  # a result links to it twice
    def url(self) -> str:
        """The turn's permalink at the matched paragraph, carrying the query so
        the page highlights it too."""
        query = f"?{urlencode({'q': self.q})}" if self.q else ""
        paragraph = self.paragraph
        anchor = self.turn.paragraph_anchor(paragraph) if paragraph else self.turn.anchor
        return f"{self.turn.permalink_path()}{query}#{anchor}"

    def context(self, width: int = 40) -> tuple[str, str, str]:
        """(before, match, after) around the first match: a concordance line."""
        return highlight.keyword_in_context(self.turn.text, self.marks, width)


@dataclass
class Group:
    """One interview's hits: how many there are, and the best of them."""

    article: Article
    total: int
    hits: list[Hit]


@dataclass
class SearchPage:
    request: SearchRequest
    parsed: ParsedQuery
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: Mapping[str, list[dict]] = field(default_factory=dict)
    suggestions: list[dict] = field(default_factory=list)
    grouped: bool = False  # search_grouped: a page of interviews, in ``groups``
    groups: list[Group] = field(default_factory=list)
    closest: list[Hit] = field(default_factory=list)  # turns holding most of the words, when exact hits are few
    pinyin: list[dict] = field(default_factory=list)  # {"typed", "read_as"}: letters read as pinyin, and the Han text found
    vocabulary: list[dict] = field(default_factory=list)  # {"typed", "also"}: words also searched in the other side's wording

    @property
    def words(self) -> int:
        """How many words closest matches are counted against."""
        return len(self.parsed.words)

    @property
    def pages(self) -> int:
        if self.grouped:
            return max(1, -(-len(self.facets.get("article", [])) // GROUPS_PER_PAGE))
        return max(1, -(-self.total // self.request.page_size))

    @property
    def notes(self) -> list[str]:
        return self.parsed.notes


def search(request: SearchRequest) -> SearchPage:
    try:
        parsed, found, closest, facets = _matched(request)
    except SearchUnavailable:
        indexing.worker.repair_soon()
        raise
    if found is None:
        return SearchPage(request=request, parsed=parsed)
    page = SearchPage(request=request, parsed=parsed, total=found.total)
    if found.total and not found.ids and request.page > 1:
        raise InvalidSearch(_("page %(page)s does not exist; there are %(pages)s") % {"page": request.page, "pages": page.pages})
    page.hits = _hits(found.ids, parsed.highlight, request.q)
    page.facets = Facets(facets)
    if closest:
        marks = list(dict.fromkeys(mark for word in parsed.words for mark in word.marks))
        page.closest = _hits([pk for pk, _ in closest], marks, request.q, dict(closest))
    if not found.total and request.active_filters():
        page.suggestions = _suggestions(request)
    page.pinyin = [{"typed": typed, "read_as": _found_readings(readings, page.hits + page.closest)} for typed, readings in parsed.pinyin]
    page.vocabulary = [_as_typed(request.q, typed, others) for typed, others in parsed.vocabulary]
    return page


class Facets(Mapping):
    """A search's facets as the page and the API read them: each a list of
    {"value", "name", "count"}, made when first asked for from the compact
    form ``results`` keeps (a tuple per value, its strings shared with every
    other search's): the page reads four facets, the API all five, and a
    common word's "article" facet has a value per interview."""

    def __init__(self, kept: dict[str, tuple[tuple[str, str, int], ...]]):
        self._kept, self._made = kept, {}

    def __getitem__(self, facet: str) -> list[dict]:
        if facet not in self._made:
            self._made[facet] = [{"value": value, "name": name, "count": count} for value, name, count in self._kept[facet]]
        return self._made[facet]

    def __iter__(self):
        return iter(self._kept)

    def __len__(self) -> int:
        return len(self._kept)


class _Results:
    """What the index answered for recent searches, per process: the parsed
    query, the page of turn ids with the total, the closest matches and the
    named facets (compact: ``Facets``). Keyed by the index's generation and
    segments, so a change to the index is never answered from here
    (Elasticsearch's request cache does the same per shard refresh). Turns
    are still loaded and highlighted for every request."""

    def __init__(self, size: int = 512, weight: int = 200_000):
        self.size = size  # searches kept at most
        # and facet values at most: a common word has one per interview; ~75 bytes each as kept (~15 MB;
        # measured with tracemalloc over the synthetic archive's common words)
        self.weight = weight
        self._entries: OrderedDict = OrderedDict()
        self._weights: dict = {}
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        return None

    def put(self, key, value, weight: int = 1) -> None:
        with self._lock:
            self._entries[key], self._weights[key] = value, weight
            while len(self._entries) > self.size or sum(self._weights.values()) > self.weight and len(self._entries) > 1:
                oldest, _ = self._entries.popitem(last=False)
                del self._weights[oldest]


results = _Results()


def _matched(request: SearchRequest) -> tuple[ParsedQuery, Found | None, list[tuple[int, int]], dict[str, tuple]]:
    """The parsed query, what it found, its closest matches as (turn id,
    words its text holds), best first, and its facets with names; from
    ``results`` when the index has not changed since the same search (names
    of speakers, outlets and interviews are indexed, so a change to one
    changes the index too)."""
    backend = search_backend()

    def match(searcher) -> tuple[tuple, tuple | None, tuple | None]:
        """(key, the answer kept for it or None, what the index found or None)."""
        key = (backend.snapshot_key(searcher), replace(request, q=request.q.strip()))
        kept = results.get(key)
        if kept is not None and (kept[1].total or indexing.index_is_sound(documents=backend.documents_in(searcher))):
            return key, kept, None  # (nothing found is kept only while the index is sound: every empty index looks alike)
        analysis.add_words(SpeakerName.objects.values_list("name", flat=True))
        parsed = parse_query(request.q, backend.vocabulary(searcher))
        if parsed.empty:
            return key, None, (parsed, None, None)
        found = backend.find(_undated(parsed.query, request), **_options(request), searcher=searcher)
        if not found.total and not indexing.index_is_sound(documents=backend.documents_in(searcher)):
            # An empty index over a full archive (its directory was removed and
            # made anew): say so rather than "nothing found".
            raise SearchUnavailable("the index is empty but the archive is not")
        closest = None
        # Not for "date unknown" alone: closest matches need their words' Or whole.
        if found.total < CLOSEST_BELOW and request.page == 1 and not request.undated and (words := closest_query(parsed)):
            options = {**_options(request, CLOSEST_CANDIDATES, facets=()), "newest": None}
            closest = backend.find(words, **options, searcher=searcher, at_least=CLOSEST_SHARE)
        return key, None, (parsed, found, closest)

    key, kept, fresh = backend.retrying(match)
    if kept is not None:
        return kept
    parsed, found, closest = fresh
    if found is None:
        return parsed, None, [], {}
    closest = _closest(parsed, closest, exclude=set(found.ids)) if closest else []
    answer = (parsed, replace(found, facets={}), closest, _named_facets(found, under=key[0]))  # the facets kept once, named
    results.put(key, answer, weight=1 + sum(len(values) for values in answer[3].values()))
    return answer


def highlight_marks(text: str) -> list[str]:
    """What a query marks in a turn (the landing page of a result), pinyin
    read as the search read it."""
    try:
        backend = search_backend()
        return backend.retrying(lambda searcher: parse_query(text, backend.vocabulary(searcher)).highlight)
    except SearchUnavailable:
        return parse_query(text).highlight


GROUPS_PER_PAGE = 10
HITS_PER_GROUP = 10
GROUP_SCAN = 2_000


def search_grouped(request: SearchRequest) -> SearchPage:
    """The search as a page of interviews (``request.page``), each with its
    number of hits and its best ``HITS_PER_GROUP``; interviews in the order
    of their best hit, or by date as ``request.sort`` says (undated last).

    One search of the first ``GROUP_SCAN`` hits, in the page's order, finds
    the interviews in order and their best hits at once; an interview on the
    page with more hits than that scan holds is searched on its own."""
    page = search(replace(request, page=1, page_size=1))
    page.request, page.hits, page.closest, page.grouped = request, [], [], True
    if not page.total:
        return page
    counts = {item["value"]: item["count"] for item in page.facets["article"]}
    # Through _matched, as every search: kept per process until the index
    # changes (they ran afresh on every view by interview).
    scan = _matched(replace(request, page=1, page_size=GROUP_SCAN))[1].ids
    slugs = dict(Turn.objects.filter(pk__in=scan).values_list("pk", "article__slug"))
    seen: dict[str, list[int]] = {}
    for pk in scan:
        if pk in slugs:
            seen.setdefault(slugs[pk], []).append(pk)
    rest = set(counts) - set(seen)
    if request.sort == "relevance":
        order = [*seen, *sorted(rest, key=lambda slug: (-counts[slug], slug))]
    else:
        later = Article.objects.filter(slug__in=rest).newest_first().values_list("slug", "published")
        dated, undated = [slug for slug, day in later if day], [slug for slug, day in later if not day]
        order = [*seen, *(dated if request.sort == "newest" else dated[::-1]), *undated]
    start = (request.page - 1) * GROUPS_PER_PAGE
    if start >= len(order):
        raise InvalidSearch(_("page %(page)s does not exist; there are %(pages)s") % {"page": request.page, "pages": page.pages})
    shown = order[start : start + GROUPS_PER_PAGE]
    articles = Article.objects.with_listing().in_bulk(shown, field_name="slug")
    for slug in shown:
        ids = seen.get(slug, [])[:HITS_PER_GROUP]
        if len(ids) < min(counts[slug], HITS_PER_GROUP):
            ids = _matched(replace(request, article=slug, page=1, page_size=HITS_PER_GROUP))[1].ids
        page.groups.append(Group(articles[slug], counts[slug], _hits(ids, page.parsed.highlight, request.q)))
    return page


def export(request: SearchRequest) -> SearchPage:
    """The whole result set, up to ``EXPORT_LIMIT`` hits, in the request's
    order (an export has the text; its hits are not highlighted, as a hit
    works out its highlights only when they are read: marking 10,000 turns
    was two thirds of an export's time)."""
    return search(replace(request, page=1, page_size=EXPORT_LIMIT))


def _hits(ids: list[int], marks: list[str], q: str, matched: dict[int, int] | None = None) -> list[Hit]:
    turns = (
        Turn.objects.select_related("article__outlet", "speaker")
        .defer("text_hans", "text_hant", "article__source", "article__warnings")  # the uploaded file, per row
        .in_bulk(ids)
    )
    return [Hit(turn=turns[pk], marks=marks, q=q, matched=(matched or {}).get(pk, 0)) for pk in ids if pk in turns]


def _closest(parsed: ParsedQuery, found: Found, exclude: set[int]) -> list[tuple[int, int]]:
    """The candidates holding most of the query's words, re-ranked: the
    larger share of the query first (rarer words weigh more), then more
    words in the query's order, then the score; as (turn id, words its
    text holds)."""
    share = {pk: value for pk, value in zip(found.ids, found.matched or []) if pk not in exclude}
    texts = {pk: fold(text) for pk, text in Turn.objects.filter(pk__in=list(share)).values_list("pk", "text_hans")}
    places = {pk: _places(texts.get(pk, ""), parsed) for pk in share}
    rank = {pk: i for i, pk in enumerate(share)}

    def order(pk: int) -> tuple:
        return (-round(share[pk], 2), -_in_order(places[pk]), rank[pk])

    return [(pk, len(places[pk])) for pk in sorted(share, key=order)[:CLOSEST_SHOWN]]


def _places(text: str, parsed: ParsedQuery) -> list[int]:
    """Where the text first holds each of the query's words it holds, in the query's order."""
    places = []
    for word in parsed.words:
        found = [place for mark in word.marks if (place := text.find(mark)) >= 0]
        if found:
            places.append(min(found))
    return places


def _in_order(places: list[int]) -> int:
    """How many of the words keep the query's order: the longest chain of
    them, not necessarily adjacent, whose places rise."""
    ends: list[int] = []  # ends[i]: the smallest last place of an ordered chain of i + 1 words
    for place in places:
        index = bisect.bisect_left(ends, place)
        ends[index : index + 1] = [place]
    return len(ends)


def _as_typed(query: str, folded: str, others: list[str]) -> dict:
    """{"typed", "also"}: a word of the query as the reader wrote it, and the
    other side's wording in the same script (輝達 → 英偉達, 辉达 → 英伟达)."""
    size = len(folded)
    typed = next((query[i : i + size] for i in range(len(query) - size + 1) if fold(query[i : i + size]) == folded), folded)
    if typed != folded and detect_script(typed) is Script.TRADITIONAL:
        others = [to_traditional(other) for other in others]
    return {"typed": typed, "also": others}


def _found_readings(readings: list[str], hits: list[Hit]) -> list[str]:
    """The readings of a pinyin query that these results hold, most found
    first; the likeliest readings if none is among them."""
    texts = [fold(hit.turn.text) for hit in hits]
    counts = {reading: sum(reading in text for text in texts) for reading in readings}
    found = sorted((reading for reading in readings if counts[reading]), key=lambda reading: -counts[reading])
    return found[:6] or readings[:3]


def _undated(query: q.Query, request: SearchRequest) -> q.Query:
    if not request.undated:
        return query
    # Not a filter: a filter must match documents, and the undated have no value to match.
    return q.And([query, q.Not(q.TermRange("published", None, None))])


def _options(request: SearchRequest, page_size: int | None = None, facets=None) -> dict:
    return {
        "filter_query": filter_query(request),
        "page": request.page,
        "page_size": page_size or request.page_size,
        "facets": FACETS if facets is None else facets,
        "newest": None if request.sort == "relevance" else request.sort == "newest",
    }


def filter_query(request: SearchRequest) -> q.Query | None:
    terms: list[q.Query] = []
    if request.speaker:
        terms.append(q.Term("speaker", request.speaker))
    if request.outlet:
        terms.append(q.Term("outlet", request.outlet))
    if request.kind:
        terms.append(q.Term("kind", request.kind))
    if request.script:
        terms.append(q.Term("script", request.script))
    if request.article:
        article_id = Article.objects.filter(slug=request.article).values_list("pk", flat=True).first()
        terms.append(q.Term("article", str(article_id)) if article_id else q.NullQuery)
    if request.date_from or request.date_to:
        start, end = (date.isoformat() if date else None for date in (request.date_from, request.date_to))
        terms.append(q.TermRange("published", start, end))
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else q.And(terms)


class _Names:
    """The names facets show — speakers and outlets by slug, interviews by id
    (their slug and title) — per process, read from the database only for
    values not yet known under the index generation at hand: naming the
    2,000 interviews among a common word's hits took 40% of a first search
    for it, and the next common word names the same interviews. Names are
    indexed, so a renamed speaker or a retitled interview changes the
    generation, and names are read afresh."""

    READ = {
        "speaker": lambda slugs: Speaker.objects.filter(slug__in=slugs).values_list("slug", "name"),
        "outlet": lambda slugs: Outlet.objects.filter(slug__in=slugs).values_list("slug", "name"),
        "article": lambda ids: ((str(pk), (intern(slug), intern(title))) for pk, slug, title
                                in Article.objects.filter(pk__in=ids).values_list("pk", "slug", "title")),
    }

    def __init__(self):
        self._lock = threading.Lock()
        self._under, self._known = None, {}

    def of(self, under, facet: str, values) -> dict:
        """{value: name} for ``values`` of ``facet`` (more may be known)."""
        with self._lock:
            if under != self._under:
                self._under, self._known = under, {name: {} for name in self.READ}
            known = self._known[facet]
        if missing := [value for value in values if value not in known]:
            read = {value: intern(name) if isinstance(name, str) else name for value, name in self.READ[facet](missing)}
            with self._lock:
                known.update(read)
        return known


facet_names = _Names()


def _named_facets(found: Found, under: tuple) -> dict[str, tuple[tuple[str, str, int], ...]]:
    """speaker, outlet and article (by slug, with names), year (newest first,
    then ``UNKNOWN`` for the undated) and month (YYYY-MM, in date order), as
    (value, name, count), the strings interned: every search that names an
    interview shares one copy of its slug and title. ``under``: the index
    view the names are read for (its snapshot key, ``_Names``)."""
    facets = dict(found.facets)
    articles = facet_names.of(under, "article", facets.get("article", {}))
    names_of = {
        "speaker": facet_names.of(under, "speaker", facets.get("speaker", {})),
        "outlet": facet_names.of(under, "outlet", facets.get("outlet", {})),
        "article": dict(articles[pk] for pk in facets.get("article", {}) if pk in articles),
    }
    if "article" in facets:
        facets["article"] = {articles[pk][0]: count for pk, count in facets["article"].items() if pk in articles}
    months: dict[str, int] = {}
    for day, count in facets.pop("published", {}).items():
        months[day[:7]] = months.get(day[:7], 0) + count
    named = {}
    for facet, counts in facets.items():
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if facet == "year":
            ordered = sorted(counts.items(), reverse=True)
            if undated := found.total - sum(counts.values()):
                ordered.append((UNKNOWN, undated))
        named[facet] = tuple((intern(value), names_of.get(facet, {}).get(value, value), count) for value, count in ordered)
    if "year" in facets:
        named["month"] = tuple((intern(month), intern(month), count) for month, count in sorted(months.items()))
    return named


def _suggestions(request: SearchRequest) -> list[dict]:
    """A way out of an empty result under filters: how many turns the query
    finds without each filter (a query of several words also has its
    closest matches)."""
    suggestions = []
    for name in request.active_filters():
        wider = request.without(name)
        if count := _count(wider):
            suggestions.append({"kind": "drop_filter", "filter": name, "request": wider, "count": count})
    return suggestions


def _count(request: SearchRequest) -> int:
    found = _matched(request)[1]
    return found.total if found else 0


def _date(text: str, name: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidSearch(_("%(name)s must be a date like 2024-03-12, not %(value)s") % {"name": name, "value": repr(text)}) from None


def _flag(text: str, name: str) -> bool:
    if text.lower() in ("", "0", "false", "no", "off"):
        return False
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    raise InvalidSearch(_("%(name)s must be 1 or 0, not %(value)s") % {"name": name, "value": repr(text)})


def _number(text: str, name: str, default: int, maximum: int) -> int:
    if not text:
        return default
    if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= maximum:  # "²".isdigit() too
        raise InvalidSearch(_("%(name)s must be a whole number from 1 to %(maximum)s, not %(value)s") % {"name": name, "maximum": maximum, "value": repr(text)})
    return int(text)
