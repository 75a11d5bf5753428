"""Searching turns: the one entry point for the search page and the API.

``SearchRequest.from_params`` validates what came in the URL; ``search``
parses the query, runs it with the filters, loads the turns, highlights them
in the script they were published in, names the facets and, when nothing is
found, suggests what to try instead.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.conf import settings
from django.utils.safestring import SafeString
from whoosh import query as q

from archive.interviews.models import Article, Outlet, Speaker, SpeakerName, Turn
from archive.search import analysis, highlight, indexing
from archive.search.backend import Found, SearchUnavailable, search_backend
from archive.search.query import ParsedQuery, parse_query

__all__ = ["InvalidSearch", "SearchRequest", "SearchUnavailable", "search"]
KINDS = {kind.value for kind in Turn.Kind}
SCRIPTS = {"hans", "hant"}


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
    page: int = 1
    page_size: int = 20

    FILTERS = ("speaker", "outlet", "article", "kind", "script", "date_from", "date_to")

    @classmethod
    def from_params(cls, params) -> SearchRequest:
        def text(name: str) -> str:
            return (params.get(name) or "").strip()

        kind, script = text("kind"), text("script")
        if kind and kind not in KINDS:
            raise InvalidSearch(f"kind must be one of {', '.join(sorted(KINDS))}, not {kind!r}")
        if script and script not in SCRIPTS:
            raise InvalidSearch(f"script must be hans or hant, not {script!r}")
        return cls(
            q=params.get("q") or "",
            speaker=text("speaker"),
            outlet=text("outlet"),
            article=text("article"),
            kind=kind,
            script=script,
            date_from=_date(text("from"), "from"),
            date_to=_date(text("to"), "to"),
            page=_number(text("page"), "page", 1, 10_000),
            page_size=_number(text("page_size"), "page_size", 20, settings.API_MAX_PAGE_SIZE),
        )

    def as_params(self) -> dict[str, str]:
        """The URL parameters that ask for this search again (first page)."""
        names = {"date_from": "from", "date_to": "to"}
        params = {"q": self.q, **{names.get(k, k): str(v) for k, v in self.active_filters().items()}}
        return {key: value for key, value in params.items() if value}

    def without(self, name: str) -> SearchRequest:
        """This search with one filter taken off, from the first page."""
        return replace(self, **{name: SearchRequest.__dataclass_fields__[name].default}, page=1)

    def active_filters(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in self.FILTERS if getattr(self, name)}


@dataclass
class Hit:
    turn: Turn
    snippet: SafeString
    highlighted: SafeString
    q: str = ""

    @property
    def url(self) -> str:
        """The turn's permalink, carrying the query so the page highlights it too."""
        query = f"?{urlencode({'q': self.q})}" if self.q else ""
        return f"{self.turn.permalink_path()}{query}#{self.turn.anchor}"


@dataclass
class SearchPage:
    request: SearchRequest
    parsed: ParsedQuery
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[dict]] = field(default_factory=dict)
    suggestions: list[dict] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.request.page_size))

    @property
    def notes(self) -> list[str]:
        return self.parsed.notes


def search(request: SearchRequest) -> SearchPage:
    analysis.add_words(SpeakerName.objects.values_list("name", flat=True))
    parsed = parse_query(request.q)
    page = SearchPage(request=request, parsed=parsed)
    if parsed.empty:
        return page
    found = _find(parsed.query, request)
    if not found.total and not indexing.index_is_sound():
        # An empty index over a full archive (its directory was removed and
        # made anew): say so rather than "nothing found".
        indexing.worker.repair_soon()
        raise SearchUnavailable("the index is empty but the archive is not")
    page.total = found.total
    if found.total and not found.ids and request.page > 1:
        raise InvalidSearch(f"page {request.page} does not exist; there are {page.pages}")
    turns = Turn.objects.select_related("article__outlet", "speaker").in_bulk(found.ids)
    page.hits = [
        Hit(
            turn=turns[pk],
            snippet=highlight.snippet(turns[pk].text, parsed.highlight),
            highlighted=highlight.mark(turns[pk].text, parsed.highlight),
            q=request.q,
        )
        for pk in found.ids
        if pk in turns
    ]
    page.facets = _named_facets(found)
    if not found.total:
        page.suggestions = _suggestions(request)
    return page


def _find(query: q.Query, request: SearchRequest, page_size: int | None = None, facets=None) -> Found:
    options = {} if facets is None else {"facets": facets}
    try:
        return search_backend().find(
            query,
            filter_query=filter_query(request),
            page=request.page,
            page_size=page_size or request.page_size,
            **options,
        )
    except SearchUnavailable:
        indexing.worker.repair_soon()
        raise


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


def _named_facets(found: Found) -> dict[str, list[dict]]:
    names = {
        "speaker": dict(Speaker.objects.filter(slug__in=found.facets.get("speaker", {})).values_list("slug", "name")),
        "outlet": dict(Outlet.objects.filter(slug__in=found.facets.get("outlet", {})).values_list("slug", "name")),
    }
    named = {}
    for facet, counts in found.facets.items():
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if facet == "year":
            ordered = sorted(counts.items(), reverse=True)
        named[facet] = [{"value": value, "name": names.get(facet, {}).get(value, value), "count": count} for value, count in ordered]
    return named


def _suggestions(request: SearchRequest) -> list[dict]:
    """Ways out of an empty result: drop a filter, or look for fewer words."""
    suggestions = []
    for name in request.active_filters():
        wider = request.without(name)
        if count := _count(wider):
            suggestions.append({"kind": "drop_filter", "filter": name, "request": wider, "count": count})
    words = request.q.split()
    if len(words) > 1:
        for word in words:
            narrower = replace(request, q=word, page=1)
            if count := _count(narrower):
                suggestions.append({"kind": "fewer_words", "q": word, "request": narrower, "count": count})
    return suggestions


def _count(request: SearchRequest) -> int:
    parsed = parse_query(request.q)
    if parsed.empty:
        return 0
    return _find(parsed.query, replace(request, page=1), page_size=1, facets=()).total


def _date(text: str, name: str) -> datetime.date | None:
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidSearch(f"{name} must be a date like 2024-03-12, not {text!r}") from None


def _number(text: str, name: str, default: int, maximum: int) -> int:
    if not text:
        return default
    if not text.isdigit() or not 1 <= int(text) <= maximum:
        raise InvalidSearch(f"{name} must be a whole number from 1 to {maximum}, not {text!r}")
    return int(text)
